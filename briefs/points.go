package briefs

import (
	"math"
	"slices"
	"sort"
	"strings"

	"briefbot"
)

// points groups the chosen snippets into the points they make. Each
// snippet's salient terms are the words it has beyond the question's and
// beyond what most candidates share; snippets whose salient terms overlap
// make one point, labelled with its heaviest terms: its point words (the
// concepts pick weighed, when there are any among them), else its most
// salient words. A point's outlet count is how many outlets in scope have
// a candidate sentence on it, counting every outlet that carried a
// syndicated story. plain is the words that never make a point.
func points(chosen, pool []*candidate, scope scope, an Analysis, analyze func(string) []string, concepts map[string]float64, plain []string) []briefbot.Point {
	if len(chosen) == 0 {
		return nil
	}
	skip := map[string]bool{}
	for _, s := range analyze(strings.Join(plain, " ")) {
		skip[s] = true
	}
	for _, s := range analyze(an.Text) {
		skip[s] = true
	}
	for _, e := range an.Entities {
		for _, n := range e.Names {
			for _, s := range analyze(n) {
				skip[s] = true
			}
		}
	}
	// How many candidates have each term of the chosen snippets.
	df := map[string]int{}
	for _, c := range chosen {
		for _, s := range c.terms {
			df[s] = 0
		}
	}
	for _, c := range pool {
		for _, s := range c.terms {
			if n, ok := df[s]; ok {
				df[s] = n + 1
			}
		}
	}
	weight := func(s string) float64 {
		if skip[s] || len([]rune(s)) < 3 || df[s] > len(pool)/2+1 {
			return 0
		}
		return math.Log(1 + float64(len(pool))/float64(df[s]))
	}

	type group struct {
		terms    map[string]float64
		members  []int
		outlets  map[string]bool
		surfaces map[string]map[string]int
	}
	var groups []*group
	for i, c := range chosen {
		terms := map[string]float64{}
		for _, s := range c.terms {
			if w := weight(s); w > 0 {
				terms[s] = w
			}
		}
		var best *group
		bestSim := 0.0
		for _, g := range groups {
			if sim := weightedJaccard(terms, g.terms); sim > bestSim {
				best, bestSim = g, sim
			}
		}
		if best == nil || bestSim < 0.12 {
			best = &group{terms: map[string]float64{}, outlets: map[string]bool{}, surfaces: map[string]map[string]int{}}
			groups = append(groups, best)
		}
		for s, w := range terms {
			best.terms[s] += w
		}
		best.members = append(best.members, i)
		for _, k := range outletKeys(c.snip.Article) {
			best.outlets[k] = true
		}
		for _, w := range words(c.snip.Text) {
			st := analyze(w)
			if len(st) == 1 && terms[st[0]] > 0 {
				if best.surfaces[st[0]] == nil {
					best.surfaces[st[0]] = map[string]int{}
				}
				best.surfaces[st[0]][w]++
			}
		}
	}

	inScope := scope.outlets
	top := pool[0].score
	out := make([]briefbot.Point, 0, len(groups))
	for _, g := range groups {
		pointWords := map[string]float64{}
		for s, w := range g.terms {
			if concepts[s] > 0 {
				pointWords[s] = concepts[s] * w
			}
		}
		label := topTerms(pointWords, 3)
		if len(label) == 0 {
			label = topTerms(g.terms, 3)
		}
		for _, c := range pool {
			if c.score < cutoff*top {
				continue
			}
			shared := 0
			for _, s := range label[:min(2, len(label))] {
				if c.has(s) {
					shared++
				}
			}
			if shared >= min(2, len(label)) && shared > 0 {
				for _, k := range outletKeys(c.snip.Article) {
					g.outlets[k] = true
				}
			}
		}
		// A point is one that two snippets or two outlets make; a
		// snippet alone is shown apart from the points.
		if len(g.members) < 2 && len(g.outlets) < 2 {
			continue
		}
		weights := pointWords
		if len(weights) == 0 {
			weights = g.terms
		}
		var texts []string
		for _, m := range g.members {
			texts = append(texts, chosen[m].snip.Text)
		}
		name := nounPhrase(texts, weights, analyze)
		if name == "" {
			name = surface(g.surfaces[label[0]], label[0])
		}
		out = append(out, briefbot.Point{
			Label:    name,
			Outlets:  len(g.outlets),
			Of:       max(len(inScope), len(g.outlets)),
			Snippets: g.members,
		})
	}
	return out
}

// outletKey names an article's outlet for counting; an article with no
// known outlet counts as one of its own.
func outletKey(a briefbot.Article) string {
	if a.Source == "" {
		return "article:" + a.ID
	}
	return strings.ToLower(a.Source)
}

// outletKeys names every outlet that carried the article: its own and
// those that ran the same story (syndicated copies).
func outletKeys(a briefbot.Article) []string {
	keys := []string{outletKey(a)}
	for _, o := range a.AlsoIn {
		if k := strings.ToLower(strings.TrimSpace(o)); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func weightedJaccard(a, b map[string]float64) float64 {
	var inter, union float64
	for k, v := range a {
		if w, ok := b[k]; ok {
			inter += math.Min(v, w)
			union += math.Max(v, w)
		} else {
			union += v
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			union += w
		}
	}
	if union == 0 {
		return 0
	}
	return inter / union
}

// topTerms returns the n heaviest terms, heaviest first, ties by name.
func topTerms(m map[string]float64, n int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys[:min(n, len(keys))]
}

// surface is the most common written form of a stem.
func surface(forms map[string]int, stem string) string {
	best, n := stem, 0
	for f, c := range forms {
		if c > n || c == n && f < best {
			best, n = f, c
		}
	}
	return best
}

// maxLabelWords is the longest noun phrase a point's label quotes.
const maxLabelWords = 3

// nounPhrase labels a point with words quoted from its snippets: the run
// of up to maxLabelWords content words, within one clause, that weighs
// most by weights (stems' weights), counted once for each snippet that
// has it, so a phrase the snippets share wins. A run opens and closes on
// a weighed word and does not close on a word that reads as a verb or
// adverb ("-ed", "-ly") or a participle ("-ing"). "" when no word of the
// texts is weighed.
func nounPhrase(texts []string, weights map[string]float64, analyze func(string) []string) string {
	type run struct {
		text  string
		score float64
		n     int
	}
	runs := map[string]*run{}
	stems := map[string]string{} // word -> stem ("" for a stop word)
	stem := func(w string) string {
		s, ok := stems[w]
		if !ok {
			if st := analyze(w); len(st) == 1 {
				s = st[0]
			}
			stems[w] = s
		}
		return s
	}
	for _, text := range texts {
		seen := map[string]bool{}
		for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",.;:!?()\"“”—–", r) }) {
			ws := strings.Fields(clause)
			for i := range ws {
				ws[i] = strings.Trim(ws[i], "'‘’")
			}
			for i := range ws {
				if first := strings.ToLower(ws[i]); weights[stem(ws[i])] == 0 || verbLike(first) || strings.HasSuffix(first, "ing") {
					continue
				}
				sum := 0.0
				for j := i; j < len(ws) && j < i+maxLabelWords; j++ {
					st := stem(ws[j])
					if st == "" {
						break
					}
					sum += weights[st]
					last := strings.ToLower(ws[j])
					if weights[st] == 0 || verbLike(last) || strings.HasSuffix(last, "ing") {
						continue
					}
					phrase := strings.Join(ws[i:j+1], " ")
					key := strings.ToLower(phrase)
					if seen[key] {
						continue
					}
					seen[key] = true
					r := runs[key]
					if r == nil {
						r = &run{text: phrase}
						runs[key] = r
					}
					r.score += sum
					r.n = j - i + 1
				}
			}
		}
	}
	var best *run
	for k, r := range runs {
		if best == nil || r.score > best.score || r.score == best.score && (r.n < best.n || r.n == best.n && k < strings.ToLower(best.text)) {
			best = r
		}
	}
	if best == nil {
		return ""
	}
	return best.text
}

// verbLike reports a lower-cased word that reads as a past verb or an
// adverb, which neither opens nor closes a noun phrase.
func verbLike(w string) bool { return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly") }
