package briefs

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"

	"strconv"
	"strings"
	"testing"
	"time"

	"briefbot"
)

// TestFitSalience fits the salience weights (defaultSalience) on the
// Multi-News validation clusters by 5-fold cross-validation. Each
// cluster's articles are one day's, as ../shared/eval/brief-eval lays them
// out. The weights are fitted by least squares: every ranked sentence's
// features against the share of its word pairs the cluster's human summary
// has, both taken less their cluster's mean (see centred). A briefing is
// scored as brief-eval scores it: its quotes, in order and cut to 250
// words, by ROUGE-2 F1 against the summary. For each fold
// the weights fitted on the other four are scored on it; the mean of those
// held-out scores is what the method is worth on clusters it did not see.
// The weights fitted on all clusters are the ones to ship. It runs only
// when asked:
//
//	BRIEFBOT_FIT_MULTINEWS=../../shared/data/multinews-sample/sample_validation.csv \
//	  go test ./briefs -run TestFitSalience -v -timeout 60m
func TestFitSalience(t *testing.T) {
	path := os.Getenv("BRIEFBOT_FIT_MULTINEWS")
	if path == "" {
		t.Skip("set BRIEFBOT_FIT_MULTINEWS to a Multi-News CSV (see the comment)")
	}
	clusters := readMultiNews(t, path, 250)
	dir := t.TempDir()
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, c := range clusters {
		day := base.AddDate(0, 0, 2*i).Format(briefbot.DateLayout)
		for j, doc := range c.docs {
			doc = strings.TrimSpace(doc)
			title := strings.SplitN(doc, "\n", 2)[0]
			if r := []rune(title); len(r) > 80 {
				title = string(r[:80])
			}
			title = strings.ReplaceAll(title, `"`, "'")
			body := fmt.Sprintf("---\ntitle: \"%s\"\nsource: \"outlet-%d\"\npublished: %s\n---\n\n%s\n", title, j, day, doc)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d-d%d.md", i, j)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	br := newBriefer(t, dir, t.TempDir())
	score := func(w salience) []float64 {
		br.salience = w
		out := make([]float64, len(clusters))
		byStories := map[int][]float64{}
		for i, c := range clusters {
			b, err := br.Brief(context.Background(), base.AddDate(0, 0, 2*i))
			if err != nil {
				t.Fatal(err)
			}
			var sents []string
			seen := map[string]bool{}
			for _, q := range quotes(b) {
				if s := strings.TrimSpace(q.Text); s != "" && !seen[s] {
					seen[s] = true
					sents = append(sents, s)
				}
			}
			out[i] = rouge2(cutWords(sents, 250), c.summary)
			byStories[len(b.Stories)] = append(byStories[len(b.Stories)], out[i])
		}
		if os.Getenv("BRIEFBOT_FIT_DIAG") != "" {
			for n, xs := range byStories {
				t.Logf("  %d stories: %d days, ROUGE-2 %.4f", n, len(xs), mean(xs, nil))
			}
		}
		return out
	}
	if os.Getenv("BRIEFBOT_FIT_DIAG") != "" {
		t.Logf("default: %.4f", mean(score(defaultSalience), nil))
		return
	}
	samples := make([][]sample, len(clusters))
	for i, c := range clusters {
		ref := bigrams(c.summary)
		br.features = func(s briefbot.Snippet, f []float64) {
			g := bigrams(s.Text)
			hit, n := 0, 0
			for k, v := range g {
				hit += min(v, ref[k])
				n += v
			}
			samples[i] = append(samples[i], sample{append([]float64(nil), f...), float64(hit) / float64(max(n, 1))})
		}
		if _, err := br.Brief(context.Background(), base.AddDate(0, 0, 2*i)); err != nil {
			t.Fatal(err)
		}
	}
	br.features = nil
	fit := func(keep func(int) bool) salience {
		var xs [][]float64
		var ys []float64
		for i := range clusters {
			if keep(i) {
				x, y := centred(samples[i])
				xs = append(xs, x...)
				ys = append(ys, y...)
			}
		}
		return salienceOf(leastSquares(xs, ys, 1e-3))
	}
	const folds = 5
	fold := func(i int) int { return i % folds }
	held := make([]float64, len(clusters))
	for f := range folds {
		w := fit(func(i int) bool { return fold(i) != f })
		all := score(w)
		test := func(i int) bool { return fold(i) == f }
		for i := range clusters {
			if test(i) {
				held[i] = all[i]
			}
		}
		t.Logf("fold %d: fitted on the others %+v, held-out ROUGE-2 %.4f", f+1, w, mean(all, test))
	}
	w := fit(func(int) bool { return true })
	t.Logf("cross-validated ROUGE-2 %.4f (default weights %.4f); fitted on all %d clusters: %+v (%.4f in-sample)",
		mean(held, nil), mean(score(defaultSalience), nil), len(clusters), w, mean(score(w), nil))
}

// sample is a ranked sentence's features, and how much of its cluster's
// summary it says: the share of its word pairs the summary has.
type sample struct {
	f    []float64
	gain float64
}

// centred gives a cluster's samples less the cluster's means, features
// and gains alike. A briefing only ranks one day's sentences against each
// other, so what the fit should explain is why one sentence of a cluster
// says more of its summary than another; how much a whole cluster's
// sentences share with its summary (some summaries echo their articles
// closely, some hardly at all) is noise to it.
func centred(ss []sample) ([][]float64, []float64) {
	if len(ss) == 0 {
		return nil, nil
	}
	mx := make([]float64, len(ss[0].f))
	my := 0.0
	for _, s := range ss {
		for j, v := range s.f {
			mx[j] += v / float64(len(ss))
		}
		my += s.gain / float64(len(ss))
	}
	xs := make([][]float64, len(ss))
	ys := make([]float64, len(ss))
	for k, s := range ss {
		xs[k] = make([]float64, len(s.f))
		for j, v := range s.f {
			xs[k][j] = v - mx[j]
		}
		ys[k] = s.gain - my
	}
	return xs, ys
}

// leastSquares fits y ≈ x·w with a little ridge, by the normal equations.
func leastSquares(xs [][]float64, ys []float64, ridge float64) []float64 {
	n := len(xs[0])
	a := make([][]float64, n)
	for r := range a {
		a[r] = make([]float64, n+1)
		a[r][r] = ridge * float64(len(xs))
	}
	for k, x := range xs {
		for r := range n {
			for c := range n {
				a[r][c] += x[r] * x[c]
			}
			a[r][n] += x[r] * ys[k]
		}
	}
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		for r := range n {
			if r != col && a[col][col] != 0 {
				f := a[r][col] / a[col][col]
				for c := col; c <= n; c++ {
					a[r][c] -= f * a[col][c]
				}
			}
		}
	}
	w := make([]float64, n)
	for r := range n {
		if a[r][r] != 0 {
			w[r] = a[r][n] / a[r][r]
		}
	}
	return w
}

func bigrams(s string) map[string]int {
	ws := rougeWord.FindAllString(strings.ToLower(s), -1)
	m := map[string]int{}
	for i := 0; i+1 < len(ws); i++ {
		m[ws[i]+" "+ws[i+1]]++
	}
	return m
}

type multiNews struct {
	docs    []string
	summary string
}

func readMultiNews(t *testing.T, path string, n int) []multiNews {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []multiNews
	for _, r := range rows[1:min(len(rows), n+1)] {
		docs, err := pyStrings(r[0])
		if err != nil {
			docs = strings.Split(r[0], "|||||")
		}
		var keep []string
		for _, d := range docs {
			if strings.TrimSpace(d) != "" {
				keep = append(keep, strings.ReplaceAll(d, `\n`, "\n"))
			}
		}
		out = append(out, multiNews{docs: keep, summary: strings.TrimSpace(strings.TrimLeft(r[2], "– "))})
	}
	return out
}

// pyStrings reads a Python list of string literals.
func pyStrings(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return nil, fmt.Errorf("not a list")
	}
	var out []string
	i := 1
	for i < len(s)-1 {
		c := s[i]
		if c == ' ' || c == ',' || c == '\n' {
			i++
			continue
		}
		if c != '\'' && c != '"' {
			return nil, fmt.Errorf("unexpected %q at %d", c, i)
		}
		q := c
		i++
		var b strings.Builder
		for i < len(s) && s[i] != q {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'x':
					v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
					b.WriteRune(rune(v))
					i += 2
				case 'u':
					v, _ := strconv.ParseUint(s[i+1:i+5], 16, 32)
					b.WriteRune(rune(v))
					i += 4
				default:
					b.WriteByte(s[i])
				}
				i++
				continue
			}
			b.WriteByte(s[i])
			i++
		}
		i++
		out = append(out, b.String())
	}
	return out, nil
}

var rougeWord = regexp.MustCompile(`[a-z0-9]+`)

// cutWords joins sentences up to budget whitespace-separated words, as
// brief-eval does.
func cutWords(sents []string, budget int) string {
	var out []string
	n := 0
	for _, s := range sents {
		w := strings.Fields(s)
		if n+len(w) > budget {
			out = append(out, strings.Join(w[:budget-n], " "))
			break
		}
		out = append(out, s)
		n += len(w)
	}
	return strings.Join(out, " ")
}

// rouge2 is ROUGE-2 F1 on lower-cased word tokens, as brief-eval scores.
func rouge2(cand, ref string) float64 {
	c, r := bigrams(cand), bigrams(ref)
	ov, nc, nr := 0, 0, 0
	for g, v := range c {
		ov += min(v, r[g])
		nc += v
	}
	for _, v := range r {
		nr += v
	}
	if ov == 0 {
		return 0
	}
	p, rc := float64(ov)/float64(nc), float64(ov)/float64(nr)
	return 2 * p * rc / (p + rc)
}

func mean(xs []float64, keep func(int) bool) float64 {
	s, n := 0.0, 0
	for i, x := range xs {
		if keep == nil || keep(i) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}
