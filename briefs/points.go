package briefs

import (
	"math"
	"slices"
	"sort"
	"strings"

	"briefbot"
)

// How snippets are grouped into points. The numbers were set by hand in
// the first version of points (commit 3fc2cab) and are pinned by the
// answer goldens under briefs/testdata; none is fitted.
const (
	// minSalientRunes: a stem shorter than this ("us", "eu") is too
	// ambiguous to make a point of.
	minSalientRunes = 3
	// joinOverlap is the least weighted Jaccard overlap of salient terms
	// at which a snippet joins the closest point rather than opening its
	// own.
	joinOverlap = 0.12
	// labelTerms is how many of a point's heaviest terms label it.
	labelTerms = 3
	// outletTerms is how many of the label's leading terms a candidate
	// must have for its outlet to count as making the point.
	outletTerms = 2
	// pointMakers is how many snippets, or outlets, make a point; a
	// snippet alone is shown apart from the points.
	pointMakers = 2
)

// pointQuery is what grouping needs of the question and the lexicon.
type pointQuery struct {
	an       Analysis
	analyze  func(string) []string
	concepts map[string]float64 // the concepts pick weighed
	plain    []string           // the words that never make a point
}

// groupPoints groups the chosen snippets into the points they make. Each
// snippet's salient terms are the words it has beyond the question's and
// beyond what most candidates share; snippets whose salient terms overlap
// make one point, labelled with its heaviest terms: its point words (the
// concepts pick weighed, when there are any among them), else its most
// salient words. A point's outlet count is how many outlets in scope have
// a candidate sentence on it, counting every outlet that carried a
// syndicated story.
func groupPoints(chosen, pool []*candidate, scope scope, q pointQuery) []briefbot.Point {
	if len(chosen) == 0 {
		return nil
	}
	sal := termWeights{skip: q.skipped(), df: poolFreq(chosen, pool), pool: len(pool)}
	groups := groupSnippets(chosen, sal)
	top := pool[0].score
	out := make([]briefbot.Point, 0, len(groups))
	for _, g := range groups {
		if p, ok := g.point(chosen, pool, top, len(scope.outlets), q); ok {
			out = append(out, p)
		}
	}
	return out
}

// skipped is the stems that never make a point: the plain words, the
// question's words and the names of its entities.
func (q pointQuery) skipped() map[string]bool {
	skip := map[string]bool{}
	for _, s := range q.analyze(strings.Join(q.plain, " ")) {
		skip[s] = true
	}
	for _, s := range q.analyze(q.an.Text) {
		skip[s] = true
	}
	for _, e := range q.an.Entities {
		for _, n := range e.Names {
			for _, s := range q.analyze(n) {
				skip[s] = true
			}
		}
	}
	return skip
}

// poolFreq is how many candidates of the pool have each term of the
// chosen snippets.
func poolFreq(chosen, pool []*candidate) map[string]int {
	n := 0
	for _, c := range chosen {
		n += len(c.terms)
	}
	df := make(map[string]int, n) // sized once: growing it was about a third of its time
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
	return df
}

// termWeights weighs a snippet's terms for grouping.
type termWeights struct {
	skip map[string]bool
	df   map[string]int // candidates of the pool with the term
	pool int            // candidates in the pool
}

// weight is a term's inverse pool frequency; 0 for a skipped or short
// term, and for one more than half the pool shares (what the story is
// about rather than one point of it).
func (s termWeights) weight(term string) float64 {
	if s.skip[term] || len([]rune(term)) < minSalientRunes || s.df[term] > s.pool/2+1 {
		return 0
	}
	return math.Log(1 + float64(s.pool)/float64(s.df[term]))
}

// terms is a snippet's salient terms, by weight.
func (s termWeights) terms(c *candidate) map[string]float64 {
	terms := map[string]float64{}
	for _, t := range c.terms {
		if w := s.weight(t); w > 0 {
			terms[t] = w
		}
	}
	return terms
}

// group is the snippets that make one point.
type group struct {
	terms   map[string]float64 // summed salient terms of its members
	members []int              // indexes into chosen
	outlets map[string]bool    // outlet keys that make the point
}

// groupSnippets puts each chosen snippet, in order, into the point whose
// terms overlap its own most, or into a new point when none overlaps
// enough.
func groupSnippets(chosen []*candidate, sal termWeights) []*group {
	var groups []*group
	for i, c := range chosen {
		terms := sal.terms(c)
		g := closestGroup(groups, terms)
		if g == nil {
			g = &group{terms: map[string]float64{}, outlets: map[string]bool{}}
			groups = append(groups, g)
		}
		g.add(i, c, terms)
	}
	return groups
}

// closestGroup is the group whose terms overlap terms most, or nil when
// none overlaps by joinOverlap.
func closestGroup(groups []*group, terms map[string]float64) *group {
	var best *group
	bestSim := 0.0
	for _, g := range groups {
		if sim := weightedJaccard(terms, g.terms); sim > bestSim {
			best, bestSim = g, sim
		}
	}
	if bestSim < joinOverlap {
		return nil
	}
	return best
}

// add makes chosen snippet i, with its salient terms, a member of g.
func (g *group) add(i int, c *candidate, terms map[string]float64) {
	for s, w := range terms {
		g.terms[s] += w
	}
	g.members = append(g.members, i)
	for _, k := range outletKeys(c.snip.Article) {
		g.outlets[k] = true
	}
}

// surfaces counts the written forms of stem, a salient term of g, in its
// members' texts: the words that analyse to it alone, in the members
// that have it among their salient terms. Only a point no noun phrase
// names needs them, so they are counted then, not for every stem of every
// member as it joins (a tenth of what an answer allocated).
func (g *group) surfaces(stem string, chosen []*candidate, analyze func(string) []string) map[string]int {
	forms := map[string]int{}
	for _, m := range g.members {
		c := chosen[m]
		if !c.has(stem) {
			continue
		}
		for _, w := range words(c.snip.Text) {
			if st := analyze(w); len(st) == 1 && st[0] == stem {
				forms[w]++
			}
		}
	}
	return forms
}

// point labels g and counts its outlets (of inScope); false when it is
// a snippet alone.
func (g *group) point(chosen, pool []*candidate, top float64, inScope int, q pointQuery) (briefbot.Point, bool) {
	pointWords := map[string]float64{}
	for s, w := range g.terms {
		if q.concepts[s] > 0 {
			pointWords[s] = q.concepts[s] * w
		}
	}
	label := topTerms(pointWords, labelTerms)
	if len(label) == 0 {
		label = topTerms(g.terms, labelTerms)
	}
	g.addOutlets(pool, top, label)
	if len(g.members) < pointMakers && len(g.outlets) < pointMakers {
		return briefbot.Point{}, false
	}
	weights := pointWords
	if len(weights) == 0 {
		weights = g.terms
	}
	var texts []string
	for _, m := range g.members {
		texts = append(texts, chosen[m].snip.Text)
	}
	name := nounPhrase(texts, weights, q.analyze)
	if name == "" {
		name = surface(g.surfaces(label[0], chosen, q.analyze), label[0])
	}
	return briefbot.Point{
		Label:    name,
		Outlets:  len(g.outlets),
		Of:       max(inScope, len(g.outlets)),
		Snippets: g.members,
	}, true
}

// addOutlets counts the outlets of every candidate good enough to be
// shown (cutoff of the top score) that has the label's leading terms.
func (g *group) addOutlets(pool []*candidate, top float64, label []string) {
	lead := label[:min(outletTerms, len(label))]
	for _, c := range pool {
		if c.score < cutoff*top {
			continue
		}
		shared := 0
		for _, s := range lead {
			if c.has(s) {
				shared++
			}
		}
		if shared >= len(lead) && shared > 0 {
			for _, k := range outletKeys(c.snip.Article) {
				g.outlets[k] = true
			}
		}
	}
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
	return wholeName(texts, best.text, nameRest)
}

// nameRest is how many more words of a name a label takes past the
// phrase it ends ("President Vladimir Putin" after "Russian"), even
// beyond maxLabelWords: a label does not cut a name short.
const nameRest = 4

// wholeName is phrase, when it ends in a capitalised word that a
// snippet's text goes on with more of (up to more words: "Rustem" in
// "Rustem Umerov"), with the rest of that name.
func wholeName(texts []string, phrase string, more int) string {
	ws := strings.Fields(phrase)
	if more <= 0 || !capitalised(ws[len(ws)-1]) {
		return phrase
	}
	for _, text := range texts {
		at := strings.Index(text, phrase+" ")
		if at < 0 {
			continue
		}
		var name []string
		for _, w := range strings.Fields(text[at+len(phrase):]) {
			core := strings.TrimRight(w, ",.;:!?)\"”’'")
			if len(name) == more || !capitalised(core) || strings.ContainsAny(core, "(\"“") {
				break
			}
			name = append(name, core)
			if core != w {
				break // the clause ends with it
			}
		}
		if len(name) > 0 {
			return phrase + " " + strings.Join(name, " ")
		}
	}
	return phrase
}

// verbLike reports a lower-cased word that reads as a past verb or an
// adverb, which neither opens nor closes a noun phrase.
func verbLike(w string) bool { return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly") }
