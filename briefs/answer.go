// Package briefs turns index hits into answers and daily briefings: it
// analyses questions (type, content words, entities), ranks candidate
// sentences on several features, picks a diverse set, groups it into
// points with outlet agreement, and renders answers and briefings as text
// and JSON. It reads articles only through the index package.
package briefs

import (
	"context"
	"errors"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"briefbot"
	"briefbot/index"
)

// Searcher is what answering needs of the index.
type Searcher interface {
	Sentences(ctx context.Context, q index.Query) ([]index.Hit, error)
	ArticleScores(ctx context.Context, q index.Query) (map[string]float64, error)
	SentencesOf(ctx context.Context, ids []string) ([]briefbot.Snippet, error)
	SentenceFreq(ctx context.Context, terms []string) (map[string]int, int, error)
	Analyze(text string) []string
	Articles() []briefbot.Article
}

// Answerer answers questions from the index.
type Answerer struct {
	Index   Searcher
	Lexicon *Lexicon
	// Limit is the default number of snippets, when a question sets none.
	Limit int
}

// ErrEmptyQuestion is returned for a question with no words.
var ErrEmptyQuestion = errors.New("the question is empty")

// Weights of the topical features, each in [0, 1]: how much a sentence
// is about what the question asks about.
var weights = map[string]float64{
	"bm25":     0.30, // sentence BM25, relative to the best candidate
	"coverage": 0.25, // the question's content terms present, by specificity
	"article":  0.10, // the whole article's BM25, relative to the best
	"entity":   0.20, // the question's names (with aliases), by specificity
}

// A typed question ("what remained unresolved?") also wants a sentence of
// its type: its score adds fit, how well the sentence shows the type's
// answer cues and what the type needs (a person, a date, a quote), with
// weight typeWeight against the topical score.
const typeWeight = 0.5

// candidate is a sentence under consideration with its features.
type candidate struct {
	snip     briefbot.Snippet
	words    []string // lower-cased words, for cues and entities
	stems    map[string]bool
	features map[string]float64
	matched  []string
	cues     []string
	entities []string
	score    float64
}

// Answer answers a question.
func (a *Answerer) Answer(ctx context.Context, q briefbot.Question) (briefbot.Answer, error) {
	q, err := ParseFilters(q)
	if err != nil {
		return briefbot.Answer{}, err
	}
	if strings.TrimSpace(q.Text) == "" {
		return briefbot.Answer{}, ErrEmptyQuestion
	}
	limit := q.Limit
	if limit <= 0 {
		limit = a.Limit
	}
	if limit <= 0 {
		limit = 5
	}
	an := a.Lexicon.Analyze(q.Text)
	ans := briefbot.Answer{Question: q.Text, Snippets: []briefbot.Snippet{}, Kind: an.KindName()}
	scope := a.inScope(q)
	ans.Searched = len(scope)

	cands, err := a.candidates(ctx, q, an)
	if err != nil {
		return ans, err
	}
	if len(cands) == 0 || !answerable(cands, an) {
		ans.NoAnswer = true
		return ans, nil
	}
	chosen := pick(cands, limit)
	for _, c := range chosen {
		s := c.snip
		s.Score = round3(c.score)
		if q.Explain {
			comp := map[string]float64{}
			for k, v := range c.features {
				comp[k] = round3(v)
			}
			s.Explain = &briefbot.Explanation{Matched: c.matched, Cues: c.cues, Entities: c.entities, Components: comp}
		}
		ans.Snippets = append(ans.Snippets, s)
	}
	ans.Points = points(chosen, cands, scope, an, a.Index.Analyze)
	return ans, nil
}

// inScope lists the articles the question's filters allow.
func (a *Answerer) inScope(q briefbot.Question) []briefbot.Article {
	var out []briefbot.Article
	for _, art := range a.Index.Articles() {
		if q.Source != "" && !strings.EqualFold(art.Source, q.Source) {
			continue
		}
		if !q.Since.IsZero() && art.Published.Before(q.Since) {
			continue
		}
		if !q.Until.IsZero() && art.Published.After(q.Until.AddDate(0, 0, 1)) {
			continue
		}
		out = append(out, art)
	}
	return out
}

// poolSize is how many sentences retrieval hands to ranking.
const poolSize = 150

// candidates retrieves sentences and scores their features.
func (a *Answerer) candidates(ctx context.Context, q briefbot.Question, an Analysis) ([]*candidate, error) {
	iq := index.Query{Source: q.Source, Since: q.Since, Until: q.Until, Size: poolSize}
	content := an.Content
	if content != "" {
		iq.Clauses = append(iq.Clauses, index.Clause{Text: content, Boost: 1})
	}
	for _, e := range an.Entities {
		iq.Clauses = append(iq.Clauses, index.Clause{Text: strings.Join(e.Names, " "), Boost: 0.5})
	}
	if an.Kind != nil {
		var cue []string
		for _, p := range an.Kind.Answer {
			cue = append(cue, strings.ReplaceAll(strings.ReplaceAll(p.Text, "*", ""), "-", " "))
		}
		iq.Clauses = append(iq.Clauses, index.Clause{Text: strings.Join(cue, " "), Boost: 0.3})
	}
	if len(iq.Clauses) == 0 {
		iq.Clauses = []index.Clause{{Text: q.Text}}
	}
	hits, err := a.Index.Sentences(ctx, iq)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return nil, nil
	}
	artQ := iq
	artQ.Clauses = []index.Clause{{Text: firstNonEmpty(content, q.Text)}}
	artQ.Size = 50
	artScores, err := a.Index.ArticleScores(ctx, artQ)
	if err != nil {
		return nil, err
	}
	maxArt := 0.0
	for _, s := range artScores {
		maxArt = math.Max(maxArt, s)
	}
	maxHit := hits[0].Score
	contentStems := unique(a.Index.Analyze(content))
	entityStems := make([][]string, len(an.Entities))
	all := append([]string(nil), contentStems...)
	for i, e := range an.Entities {
		entityStems[i] = unique(a.Index.Analyze(strings.Join(e.Names, " ")))
		all = append(all, entityStems[i]...)
	}
	freq, total, err := a.Index.SentenceFreq(ctx, unique(all))
	if err != nil {
		return nil, err
	}
	// A word in most sentences says little about which one answers: each
	// term counts by its specificity, full for words in at most 1 in 20
	// sentences.
	spec := func(df int) float64 {
		if total == 0 {
			return 1
		}
		return math.Min(1, math.Log(1+float64(total)/float64(max(df, 1)))/math.Log(21))
	}
	entitySpec := make([]float64, len(an.Entities))
	for i, st := range entityStems {
		df := 0
		for _, s := range st {
			df += freq[s]
		}
		entitySpec[i] = spec(df)
	}

	out := make([]*candidate, 0, len(hits))
	for _, h := range hits {
		c := &candidate{snip: h.Snippet, words: words(h.Snippet.Text), features: map[string]float64{}}
		c.stems = map[string]bool{}
		for _, s := range a.Index.Analyze(h.Snippet.Text) {
			c.stems[s] = true
		}
		f := c.features
		if maxHit > 0 {
			f["bm25"] = h.Score / maxHit
		}
		if len(contentStems) > 0 {
			cov := 0.0
			for _, s := range contentStems {
				if c.stems[s] {
					c.matched = append(c.matched, s)
					cov += spec(freq[s])
				}
			}
			f["coverage"] = cov / float64(len(contentStems))
		}
		if maxArt > 0 {
			f["article"] = artScores[h.Snippet.Article.ID] / maxArt
		}
		if an.Kind != nil {
			// Longer cue phrases say more than single words.
			cue := 0
			for _, p := range an.Kind.Answer {
				if p.match(c.words) {
					c.cues = append(c.cues, p.Text)
					cue += len(p.words)
				}
			}
			f["cue"] = math.Min(1, float64(cue)/3)
			f["needs"] = needs(an.Kind.Needs, h.Snippet.Text)
		}
		if len(an.Entities) > 0 {
			ent := 0.0
			for i, e := range an.Entities {
				if e.mentions(c.words) {
					c.entities = append(c.entities, e.Text)
					ent += entitySpec[i]
				}
			}
			f["entity"] = ent / float64(len(an.Entities))
		}
		topic, sum := 0.0, 0.0
		for k, w := range weights {
			topic += w * f[k]
			sum += w
		}
		topic /= sum
		fit := 0.0
		if an.Kind != nil {
			fit = f["cue"]
			if an.Kind.Needs != "" {
				fit = 0.5*f["cue"] + 0.5*f["needs"]
			}
		}
		// Too short to state a point: "Mediators face a practical
		// challenge."
		short := math.Min(1, float64(len(c.words))/10)
		if an.Kind != nil {
			c.score = (1-typeWeight)*topic + typeWeight*fit
		} else {
			c.score = topic
		}
		c.score *= 0.8 + 0.2*short
		out = append(out, c)
	}
	// A question that names something specific wants sentences about it;
	// one whose words are everywhere ("after Miami", in a corpus about
	// Miami) may be answered by its type's cues alone.
	specific := 0.0
	for _, s := range contentStems {
		specific = math.Max(specific, spec(freq[s]))
	}
	for _, s := range entitySpec {
		specific = math.Max(specific, s)
	}
	kept := out[:0]
	for _, c := range out {
		if len(c.matched) > 0 || len(c.entities) > 0 || (an.Kind != nil && len(c.cues) > 0 && specific < 0.7) ||
			(an.Kind != nil && c.features["cue"] >= 0.66 && len(an.Entities) == 0) {
			kept = append(kept, c)
		}
	}
	// A question that needs a date, a person or a quote is not answered
	// by sentences without one, when others have it.
	if an.Kind != nil && an.Kind.Needs != "" {
		has := kept[:0:0]
		for _, c := range kept {
			if c.features["needs"] > 0 {
				has = append(has, c)
			}
		}
		if len(has) > 0 {
			kept = has
		}
	}
	sortCandidates(kept)
	return kept, nil
}

// answerable decides whether the best candidates answer the question at
// all: a question that names something must find it, and one with content
// words must find most of them together.
func answerable(cands []*candidate, an Analysis) bool {
	for _, c := range cands[:min(len(cands), 20)] {
		if len(an.Entities) > 0 && len(c.entities) == 0 {
			continue
		}
		if an.Content != "" && len(c.matched) == 0 && len(an.Entities) == 0 && an.Kind == nil {
			continue
		}
		if c.features["coverage"] >= 0.5 || len(c.entities) > 0 || (an.Kind != nil && len(c.cues) > 0) || an.Content == "" {
			return true
		}
	}
	return false
}

func sortCandidates(cs []*candidate) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.features["coverage"] != b.features["coverage"] {
			return a.features["coverage"] > b.features["coverage"]
		}
		if a.features["bm25"] != b.features["bm25"] {
			return a.features["bm25"] > b.features["bm25"]
		}
		if !a.snip.Article.Published.Equal(b.snip.Article.Published) {
			return a.snip.Article.Published.After(b.snip.Article.Published)
		}
		if a.snip.Article.ID != b.snip.Article.ID {
			return a.snip.Article.ID < b.snip.Article.ID
		}
		return a.snip.Position < b.snip.Position
	})
}

// cutoff is the share of the best score a snippet needs to be shown.
const cutoff = 0.5

// pick chooses up to limit snippets by maximal marginal relevance: each
// next pick trades its score against its likeness to those already
// chosen, so one article or one point does not fill the answer. Near
// duplicates are dropped, and so is anything well below the best.
func pick(cands []*candidate, limit int) []*candidate {
	const lambda = 0.7
	var chosen []*candidate
	used := make([]bool, len(cands))
	perArticle := map[string]int{}
	top := cands[0].score
	for len(chosen) < limit {
		best, bestVal := -1, math.Inf(-1)
		for i, c := range cands {
			if used[i] || c.score < cutoff*top {
				continue
			}
			maxSim := 0.0
			for _, s := range chosen {
				maxSim = math.Max(maxSim, jaccard(c.stems, s.stems))
			}
			if maxSim > 0.6 {
				used[i] = true // a near duplicate
				continue
			}
			val := lambda*c.score - (1-lambda)*maxSim - 0.04*float64(perArticle[c.snip.Article.ID])
			if val > bestVal {
				best, bestVal = i, val
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		chosen = append(chosen, cands[best])
		perArticle[cands[best].snip.Article.ID]++
	}
	return chosen
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

var (
	dateRE   = regexp.MustCompile(`(?i)\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}\b|\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b(19|20)\d{2}-\d{2}-\d{2}\b|\b(yesterday|today|tonight|this week|last week)\b`)
	quoteRE  = regexp.MustCompile(`["“”]|(^|\s)['‘]\p{L}|\p{L}[.,!?]?['’](\s|$)`)
	reportRE = regexp.MustCompile(`\b(said|says|stated|states|told|tells|emphasi[sz]ed|warned|insisted|argued|added|noted|stressed|reiterated|according to|announced|declared|urged)\b`)
	titleRE  = regexp.MustCompile(`\b(President|Minister|Secretary|Envoy|envoy|General|Chancellor|Premier|Senator|Governor|Mayor|Chief|Director|Ambassador|King|Queen|Prince|Pope|Mr|Mrs|Ms|Dr|negotiator|spokesman|spokeswoman|spokesperson|adviser|advisor|CEO|chairman|chairwoman)\.? [A-Z][\p{L}'-]+`)
)

// needs scores how well text shows what a question type needs.
func needs(kind, text string) float64 {
	switch kind {
	case "date":
		if dateRE.MatchString(text) {
			return 1
		}
	case "quote":
		if quoteRE.MatchString(text) {
			return 1
		}
		if reportRE.MatchString(text) {
			return 0.5 // reported speech without quotation marks
		}
	case "person":
		return math.Min(1, float64(len(people(text)))/3)
	}
	return 0
}

// people finds names of people in text: runs of two or more capitalised
// words not at the start of the sentence, or a capitalised word after a
// title ("envoy Witkoff").
func people(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	toks := strings.Fields(text)
	for i := 0; i < len(toks); i++ {
		if !capitalised(toks[i]) || i == 0 {
			continue
		}
		j := i
		for j < len(toks) && capitalised(toks[j]) {
			j++
			if strings.ContainsAny(toks[j-1], ",.;:") {
				break
			}
		}
		if j-i >= 2 {
			name := strings.Trim(strings.Join(toks[i:j], " "), ",.;:'’\"“”")
			if !notAName[strings.Fields(name)[0]] {
				add(name)
			}
		}
		i = j - 1
	}
	for _, m := range titleRE.FindAllString(text, -1) {
		ws := strings.Fields(m)
		add(ws[len(ws)-1])
	}
	return out
}

var notAName = map[string]bool{"The": true, "A": true, "An": true, "In": true, "On": true, "For": true, "And": true, "But": true, "United": true, "European": true, "State": true, "Department": true}

func capitalised(tok string) bool {
	r := []rune(strings.TrimLeft(tok, "\"“‘'("))
	return len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1])
}

func unique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
