// Package briefs turns index hits into answers and daily briefings: it
// analyses questions (type, content words, entities), ranks candidate
// sentences on several features, picks a diverse set, groups it into
// points with outlet agreement, and renders answers and briefings as text
// and JSON. It reads articles only through the index package.
package briefs

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"briefbot"
	"briefbot/briefs/lexical"
	"briefbot/configs"
	"briefbot/index"
)

// Searcher is what answering needs of the index.
type Searcher interface {
	Sentences(ctx context.Context, q index.Query) ([]index.Hit, error)
	ArticleScores(ctx context.Context, q index.Query) (map[string]float64, error)
	SentencesOf(ctx context.Context, ids []string) ([]briefbot.Snippet, error)
	SentenceFreq(ctx context.Context, terms []string) (map[string]int, int, error)
	Analyze(text string) []string
	EachArticle(fn func(briefbot.Article))
	Generation() uint64
}

// Answerer answers questions from the index. It is safe for concurrent
// use.
type Answerer struct {
	Index   Searcher
	Lexicon *Lexicon
	// Limit is the default number of snippets, when a question sets none.
	Limit int

	terms termCache
	// What was worked out from the index, kept while it stays the same.
	sents  memo[string, *sentenceTerms] // see sentenceTerms
	scopes memo[scopeKey, scope]        // the scope of the last few filters: counting it walks every article
	cues   memo[string, cueInfo]        // each question type's cue words, by its name
	freqs  memo[string, int]            // see sentenceFreq

	// Ranker is the fitted model that scores candidates; nil means the
	// one shipped in configs/ranker.json.
	Ranker *Ranker
	// words is the WordNet table, read on first use.
	words struct {
		once sync.Once
		t    *lexical.Table
		err  error
	}
	shipped struct {
		once sync.Once
		r    *Ranker
		err  error
	}
}

// lexical returns the WordNet table of related words.
func (a *Answerer) lexical() (*lexical.Table, error) {
	a.words.once.Do(func() { a.words.t, a.words.err = lexical.New() })
	return a.words.t, a.words.err
}

// ranker returns the model to score with.
func (a *Answerer) ranker() (*Ranker, error) {
	if a.Ranker != nil {
		return a.Ranker, nil
	}
	a.shipped.once.Do(func() { a.shipped.r, a.shipped.err = LoadRanker(configs.DefaultRanker) })
	return a.shipped.r, a.shipped.err
}

// analyze returns the terms the index makes of text (see termCache).
func (a *Answerer) analyze(text string) []string {
	terms, _ := a.terms.analyze(text, a.Index.Analyze, false)
	return terms
}

// ErrEmptyQuestion is returned for a question with no words.
var ErrEmptyQuestion = errors.New("the question is empty")

// candidate is a sentence under consideration with its features.
type candidate struct {
	snip     briefbot.Snippet
	words    []string // lower-cased words, for cues and entities
	terms    []string // its analysed terms, sorted, once each
	seq      []string // analysed terms in order
	text     string   // its words, to tell the same sentence from two outlets
	f        features
	matched  []string
	cues     []string
	entities []string
	score    float64
}

// has reports whether the candidate has the analysed term s.
func (c *candidate) has(s string) bool {
	_, ok := slices.BinarySearch(c.terms, s)
	return ok
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
	ans.Searched = scope.articles

	rk, err := a.ranker()
	if err != nil {
		return ans, err
	}
	cands, unknown, err := a.candidates(ctx, q, an, scope, rk)
	if err != nil {
		return ans, err
	}
	if unknown || !answerable(cands, an, rk, a.analyze) {
		ans.NoAnswer = true
		return ans, nil
	}
	shown := cands
	for i, c := range cands {
		if c.score < rk.Show*cands[0].score {
			shown = cands[:i]
			break
		}
	}
	var concepts map[string]float64
	if an.Kind != nil && an.Kind.Many {
		if concepts, err = a.concepts(ctx, relevant(shown), an); err != nil {
			return ans, err
		}
	}
	chosen := pick(shown, limit, concepts, rk.Cover)
	a.passages(ctx, chosen, cands)
	for _, c := range chosen {
		s := c.snip
		s.Score = round3(c.score)
		if q.Explain {
			s.Explain = &briefbot.Explanation{Matched: c.matched, Cues: c.cues, Entities: c.entities, Components: c.f.components()}
		}
		ans.Snippets = append(ans.Snippets, s)
	}
	ans.Points = groupPoints(chosen, cands, scope, pointQuery{an: an, analyze: a.analyze, concepts: concepts, plain: a.Lexicon.plain})
	return ans, nil
}

// scope is what a question's filters allow: how many articles, and the
// outlets that carried them.
type scope struct {
	articles int
	outlets  map[string]bool
	// latest is the newest article's date: what "last week" in a
	// question counts back from.
	latest time.Time
}

type scopeKey struct {
	source       string
	since, until time.Time
}

// inScope counts the articles and outlets the question's filters allow.
func (a *Answerer) inScope(q briefbot.Question) scope {
	key := scopeKey{strings.ToLower(q.Source), q.Since, q.Until}
	gen := a.Index.Generation()
	if sc, ok := a.scopes.get(gen, key); ok {
		return sc
	}
	sc := a.countScope(q)
	a.scopes.put(gen, key, sc, maxCachedScopes)
	return sc
}

// maxCachedScopes is how many filters' scopes are kept: a team asks
// under a few at a time. maxCachedKinds bounds the question types' cue
// words kept, more than a lexicon has.
const (
	maxCachedScopes = 64
	maxCachedKinds  = 64
)

// countScope walks the articles to count those the question's filters
// allow, and their outlets.
func (a *Answerer) countScope(q briefbot.Question) scope {
	sc := scope{outlets: map[string]bool{}}
	var sources []string
	seen := map[string]bool{}
	a.Index.EachArticle(func(art briefbot.Article) {
		if q.Source != "" && !art.From(q.Source) {
			return
		}
		if !q.Since.IsZero() && art.Published.Before(q.Since) {
			return
		}
		if !q.Until.IsZero() && !art.Published.Before(q.Until.AddDate(0, 0, 1)) {
			return
		}
		sc.articles++
		if art.Published.After(sc.latest) {
			sc.latest = art.Published
		}
		if art.Source == "" || len(art.AlsoIn) > 0 {
			for _, k := range outletKeys(art) {
				sc.outlets[k] = true
			}
		} else if !seen[art.Source] {
			seen[art.Source] = true
			sources = append(sources, art.Source)
		}
	})
	for _, s := range sources {
		sc.outlets[outletKey(briefbot.Article{Source: s})] = true
	}
	return sc
}

const (
	// articleDepth is how many of the articles most about the question
	// have their sentences searched: a sentence search within them costs
	// what they hold, not what the corpus holds.
	articleDepth = 20
	// poolSize is how many sentences retrieval hands to ranking.
	poolSize = 60
)

// candidates runs the ranking stages up to the pick: retrieve, then
// features, then score. It returns the candidates best first, each with
// its probability of answering.
//
// unknown reports that the question names someone or something no
// sentence in the corpus mentions: the corpus does not cover what it asks
// about ("what did Comey say", over articles from 1987); or that no
// quote among the best candidates has a name of it together with
// something else of it (see together).
func (a *Answerer) candidates(ctx context.Context, q briefbot.Question, an Analysis, sc scope, rk *Ranker) (cands []*candidate, unknown bool, err error) {
	fc := an.focus(sc.latest)
	r, err := a.retrieve(ctx, q, an, fc)
	if err != nil {
		return nil, false, err
	}
	r.scale = min(1, math.Log1p(float64(sc.articles))/math.Log1p(bigScope))
	cands = score(a.featurize(r, an, fc), r, an, rk)
	return cands, r.unknownName || !together(cands, &r, an), nil
}

// Scored is a candidate sentence with its features, as the trainer
// (cmd/train) sees it.
type Scored struct {
	Snippet  briefbot.Snippet
	Features []float64 // in FeatureNames order
	Prob     float64
}

// Candidates runs retrieval, features and scoring for a question, for
// fitting a ranker: the candidates best first with their features, and
// whether the rules that stand before the model's cut-off (see
// answerable) let the question be answered at all.
func (a *Answerer) Candidates(ctx context.Context, q briefbot.Question) ([]Scored, bool, error) {
	q, err := ParseFilters(q)
	if err != nil {
		return nil, false, err
	}
	rk, err := a.ranker()
	if err != nil {
		return nil, false, err
	}
	an := a.Lexicon.Analyze(q.Text)
	cands, unknown, err := a.candidates(ctx, q, an, a.inScope(q), rk)
	if err != nil {
		return nil, false, err
	}
	out := make([]Scored, len(cands))
	for i, c := range cands {
		out[i] = Scored{Snippet: c.snip, Features: c.f.vector(), Prob: c.score}
	}
	open := &Ranker{Abstain: 0}
	return out, !unknown && answerable(cands, an, open, a.analyze), nil
}

// retrieval is what the retrieve stage found for a question: the
// candidate sentences, and what the features stage needs to weigh them.
type retrieval struct {
	hits      []index.Hit
	artScores map[string]float64
	// The question's content terms and names, each with its inverse
	// sentence frequency, and their sums.
	contentStems []string
	contentIDF   map[string]float64
	contentMass  float64
	entityNames  [][][]string
	entityShort  []int // how many of entityNames, at their end, are short forms
	entityIDF    []float64
	entityMass   float64
	cues         cueInfo
	// specific is the specificity of the question's rarest word.
	specific float64
	// unknownName: the question names something (not a number) that no
	// sentence has.
	unknownName bool
	// unseen is the share of the question's weight in terms no sentence
	// has.
	unseen float64
	// scale is the Scale feature: how many articles were searched.
	scale float64
	// related maps a term of the same meaning or family as a content
	// term (and not one itself) to those content terms.
	related map[string][]string
}

// retrieve finds the articles most about the question and, within them,
// the sentences that match its words, names and type's cue phrases.
//
// A question that names a time ("the March meeting", "last week") has
// the articles of that time searched first: those most about it
// published in its spans, then, to make up articleDepth, the others.
func (a *Answerer) retrieve(ctx context.Context, q briefbot.Question, an Analysis, fc focus) (retrieval, error) {
	var r retrieval
	entityStems, all := a.questionTerms(&r, an)
	var err error
	if r.cues, err = a.cueFreq(ctx, an.Kind); err != nil {
		return r, err
	}
	topical := index.Query{Source: q.Source, Since: q.Since, Until: q.Until}
	if an.Content != "" {
		topical.Clauses = append(topical.Clauses, index.Clause{Text: an.Content, Boost: 1})
	}
	for _, e := range an.Entities {
		topical.Clauses = append(topical.Clauses, index.Clause{Text: strings.Join(e.Names, " "), Boost: nameBoost})
	}
	freq, total, err := a.findArticles(ctx, &r, topical, cmp.Or(an.Content, q.Text), all, fc)
	if err != nil {
		return r, err
	}
	sq := topical
	sq.Size = poolSize
	if len(topical.Clauses) > 0 {
		if len(r.artScores) == 0 {
			return r, nil
		}
		for id := range r.artScores {
			sq.Articles = append(sq.Articles, id)
		}
		slices.Sort(sq.Articles)
	}
	// The type's cue phrases bring in sentences that word the point
	// differently: within the articles about the question, or across the
	// corpus for a question with no topic of its own.
	maxTerms, budget := len(r.cues.stems), cueBudgetCorpus
	if len(sq.Articles) > 0 {
		maxTerms, budget = maxCueTerms, cueBudget
	}
	if c := r.cues.searched(maxTerms, budget); c != "" {
		sq.Clauses = append(sq.Clauses, index.Clause{Text: c, Boost: cueBoost})
	}
	if len(sq.Clauses) == 0 {
		sq.Clauses = []index.Clause{{Text: q.Text}}
	}
	var months []string // the months the question's time expressions name, as terms
	for _, tc := range an.Times {
		if tc.month > 0 {
			months = append(months, a.analyze(monthList[tc.month-1])...)
		}
	}
	// A name is said otherwise only by a form of itself ("Irish" for
	// "Ireland"): Bush is not a shrub, nor China Taiwan.
	said, err := a.saidOtherwise(ctx, r.contentStems, freq, lexical.Synonym)
	if err != nil {
		return r, err
	}
	named, err := a.saidOtherwise(ctx, unique(slices.Concat(entityStems...)), freq, lexical.Family)
	if err != nil {
		return r, err
	}
	for _, m := range months {
		said[m], named[m] = true, true
	}
	r.weigh(an, entityStems, freq, total, said, named)
	if err := a.relate(&r); err != nil {
		return r, err
	}
	r.hits, err = a.Index.Sentences(ctx, sq)
	return r, err
}

// questionTerms sets the question's content stems and names on r and
// returns each name's stems and every stem the question has. Names are
// matched as the index sees them (stemmed, stop words dropped), so "the
// Black Panthers" is mentioned by "Black Panther".
func (a *Answerer) questionTerms(r *retrieval, an Analysis) (entityStems [][]string, all []string) {
	r.contentStems = unique(a.analyze(an.Content))
	entityStems = make([][]string, len(an.Entities))
	r.entityNames = make([][][]string, len(an.Entities))
	r.entityShort = make([]int, len(an.Entities))
	all = append([]string(nil), r.contentStems...)
	for i, e := range an.Entities {
		for k, n := range e.Names {
			if st := a.analyze(n); len(st) > 0 {
				r.entityNames[i] = append(r.entityNames[i], st)
				entityStems[i] = append(entityStems[i], st...)
				if k >= len(e.Names)-e.Short {
					r.entityShort[i]++
				}
			}
		}
		entityStems[i] = unique(entityStems[i])
		all = append(all, entityStems[i]...)
	}
	return entityStems, all
}

// findArticles finds the articles most about the question (by its text:
// its content words, names among them, or all its words when it has no
// content words; those of the time it names first) and sets them on r,
// while the sentence frequencies of all its terms, returned, are read.
func (a *Answerer) findArticles(ctx context.Context, r *retrieval, topical index.Query, text string, all []string, fc focus) (map[string]int, int, error) {
	var (
		freq    map[string]int
		total   int
		freqErr error
		wg      sync.WaitGroup
	)
	wg.Go(func() { freq, total, freqErr = a.sentenceFreq(ctx, unique(all)) })
	aq := topical
	aq.Clauses = []index.Clause{{Text: text}}
	aq.Size = articleDepth
	artScores, artErr := a.Index.ArticleScores(ctx, aq)
	if artErr == nil && len(fc.spans) > 0 {
		artScores, artErr = a.inSpansFirst(ctx, aq, artScores, fc)
	}
	wg.Wait()
	if err := cmp.Or(freqErr, artErr); err != nil {
		return nil, 0, err
	}
	r.artScores = artScores
	return freq, total, nil
}

// saidOtherwise returns, of terms, those no sentence has (by freq) but
// which the corpus says in other words: a word related to it at least as
// closely as rel (WordNet: a synonym, a form of its family) has a
// sentence ("quit" where articles say "resigned", "Irish" where they say
// "Ireland"). A user words a question their own way; a word missing from
// the corpus tells that it does not cover the question only when no word
// of its meaning is there either.
func (a *Answerer) saidOtherwise(ctx context.Context, terms []string, freq map[string]int, rel lexical.Relation) (map[string]bool, error) {
	lx, err := a.lexical()
	if err != nil {
		return nil, err
	}
	said := map[string]bool{}
	alts := map[string][]string{}
	var look []string
	for _, s := range terms {
		if freq[s] == 0 {
			alts[s] = lx.ExpandStem(s, rel)
			look = append(look, alts[s]...)
		}
	}
	if len(look) == 0 {
		return said, nil
	}
	altFreq, _, err := a.sentenceFreq(ctx, unique(look))
	if err != nil {
		return nil, err
	}
	for s, xs := range alts {
		said[s] = slices.ContainsFunc(xs, func(x string) bool { return altFreq[x] > 0 })
	}
	return said, nil
}

// weigh sets what the question's terms are worth: a term says as much
// about which sentence answers as it is rare, so each counts by its
// inverse sentence frequency; how much of the question no sentence has;
// and how specific the question is.
func (r *retrieval) weigh(an Analysis, entityStems [][]string, freq map[string]int, total int, said, named map[string]bool) {
	idf := func(df int) float64 { return math.Log(1 + float64(max(total, 1))/float64(max(df, 1))) }
	r.contentIDF = map[string]float64{}
	for _, s := range r.contentStems {
		r.contentIDF[s] = idf(freq[s])
		r.contentMass += r.contentIDF[s]
		// A month the question names ("the March meeting") is looked
		// for in the articles' dates (see focus), which sentences seldom
		// repeat, and a word the corpus says otherwise (see
		// saidOtherwise): neither is a word the corpus lacks.
		if freq[s] == 0 && !said[s] {
			r.unseen += r.contentIDF[s]
		}
	}
	r.entityIDF = make([]float64, len(an.Entities))
	for i, st := range entityStems {
		df := 0
		for _, s := range st {
			df += freq[s]
		}
		r.entityIDF[i] = idf(df)
		r.entityMass += r.entityIDF[i]
		if df == 0 && !slices.ContainsFunc(st, func(s string) bool { return named[s] }) {
			r.unseen += r.entityIDF[i]
			if e := an.Entities[i].Text; !unicode.IsDigit([]rune(e)[0]) && len(st) > 0 {
				r.unknownName = true
			}
		}
	}
	if m := r.contentMass + r.entityMass; m > 0 {
		r.unseen /= m
	}
	// A question that names something specific wants sentences about it;
	// one whose words are everywhere ("after Miami", in a corpus about
	// Miami) may be answered by its type's cues alone.
	for _, w := range r.contentIDF {
		r.specific = math.Max(r.specific, spec(w))
	}
	for _, w := range r.entityIDF {
		r.specific = math.Max(r.specific, spec(w))
	}
}

// relate finds the words WordNet relates to the question's content words.
func (a *Answerer) relate(r *retrieval) error {
	lx, err := a.lexical()
	if err != nil {
		return err
	}
	r.related = map[string][]string{}
	for _, s := range r.contentStems {
		for _, x := range lx.ExpandStem(s, lexical.Synonym) {
			if _, own := r.contentIDF[x]; !own {
				r.related[x] = append(r.related[x], s)
			}
		}
	}
	return nil
}

const (
	// nameBoost weighs a question's names against its content words in
	// the sentence search: the names are among the content words too.
	nameBoost = 0.5
	// cueBoost weighs the type's cue phrases in the sentence search: they
	// bring sentences in, the topic's words should rank them.
	cueBoost = 0.3
)

// nearDuplicate is the word overlap (Jaccard) above which a candidate
// says what a chosen quote said and is not shown: rewordings of one wire
// sentence overlap above it, two sentences on one point well below.
const nearDuplicate = 0.6

// sameArticlePenalty is taken from a candidate's value for each quote
// already chosen from its article, so an answer draws on several articles
// when they are nearly as good (a small nudge, not a rule).
const sameArticlePenalty = 0.04

// specificAt is the sentence frequency (1 in specificAt sentences) at and
// below which a word is fully specific: rarer words name a topic, more
// common ones ("said", "talks") only share a register.
const specificAt = 20

// spec is the specificity of a word of inverse sentence frequency w, in
// [0, 1]: full for words in at most 1 in specificAt sentences.
func spec(w float64) float64 { return math.Min(1, w/math.Log(1+specificAt)) }

// featurize computes each retrieved sentence's features, but for Covered,
// which is the whole pool's (see cover).
func (a *Answerer) featurize(r retrieval, an Analysis, fc focus) []*candidate {
	if len(r.hits) == 0 {
		return nil
	}
	maxArt := 0.0
	for _, s := range r.artScores {
		maxArt = math.Max(maxArt, s)
	}
	maxHit := r.hits[0].Score
	out := make([]*candidate, 0, len(r.hits))
	titles := map[string]float64{} // article ID -> Title feature
	var hit []bool                 // which of the type's answer phrases a sentence has
	if an.Kind != nil {
		hit = make([]bool, len(an.Kind.Answer))
	}
	// The candidates in one allocation, not one a sentence.
	slab := make([]candidate, len(r.hits))
	for i, h := range r.hits {
		st := a.sentence(h.Snippet.Text)
		c := &slab[i]
		*c = candidate{snip: h.Snippet, words: st.words, seq: st.seq, terms: st.terms, text: st.text}
		f := &c.f
		if maxHit > 0 {
			f.BM25 = h.Score / maxHit
		}
		if r.contentMass > 0 {
			f.Coverage, f.Related = c.coverage(&r)
			f.Title = a.titleFeature(&r, h.Snippet.Article, titles)
		}
		if maxArt > 0 {
			f.Article = r.artScores[h.Snippet.Article.ID] / maxArt
		}
		if an.Kind != nil {
			f.Typed = 1
			f.Cue = c.cueFeature(&r, an.Kind, hit)
			if an.Kind.Needs != "" {
				f.Needs = needs(an.Kind.Needs, h.Snippet.Text, c.words)
			}
		}
		if r.entityMass > 0 {
			f.Entity = c.entityFeature(&r, an)
		}
		f.Long = math.Min(1, float64(len(c.words))/statesPoint)
		if len(an.Actor) > 0 && speaks(c.words, an.Actor) {
			f.Speaks = 1
		}
		if an.Kind != nil && an.Kind.Needs == "quote" && len(an.Actor) > 0 && f.Speaks == 0 {
			f.Cue *= otherSpeaker
		}
		f.Unseen, f.Scale = r.unseen, r.scale
		f.Lead = 1 / (1 + float64(h.Snippet.Position))
		f.Focus = fc.match(c.words, h.Snippet.Article.Published)
		f.TopicCue, f.TopicNeeds = f.Coverage*f.Cue, f.Coverage*f.Needs
		if len(c.terms) > 0 {
			f.Density = float64(len(c.matched)+len(c.entities)) / float64(len(c.terms))
		}
		out = append(out, c)
	}
	return out
}

// bigScope is the number of articles from which a corpus counts as big
// (Scale 1): a year of a newswire's stories.
const bigScope = 10000

// otherSpeaker is what the cue phrases of a sentence are worth, for a
// question wanting what its actor (see Analysis.Actor) said, when
// nobody of that name speaks in it: "how did the White House respond"
// is answered by what the White House said, not by what others said of
// it. Half: the speaker may be named in the sentence before ("she
// said").
const otherSpeaker = 0.5

// speaks reports whether a word of actor is within speakerSpan words of
// a verb of saying among ws, or after "according to" ("X said", "X, a
// spokesman for Y, said", "said X", "according to X"). A word matches as
// itself or as its plural or singular ("Democrats" for "Democrat").
func speaks(ws, actor []string) bool {
	for i, w := range ws {
		if !slices.ContainsFunc(actor, func(a string) bool { return w == a || w == a+"s" || w+"s" == a }) {
			continue
		}
		for j := max(0, i-speakerSpan); j < min(len(ws), i+1+speakerSpan); j++ {
			if reportWord[ws[j]] || ws[j] == "according" && j < i {
				return true
			}
		}
	}
	return false
}

// coverage is the share of the question's content weight the sentence has
// (noting the words it matched), and the share only words WordNet relates
// to the question's stand in for.
func (c *candidate) coverage(r *retrieval) (cov, related float64) {
	for _, s := range r.contentStems {
		if c.has(s) {
			c.matched = append(c.matched, s)
			cov += r.contentIDF[s] * spec(r.contentIDF[s])
		}
	}
	var stood []string
	for _, t := range c.terms {
		for _, s := range r.related[t] {
			if !c.has(s) && !slices.Contains(stood, s) {
				stood = append(stood, s)
				related += r.contentIDF[s] * spec(r.contentIDF[s])
			}
		}
	}
	return cov / r.contentMass, related / r.contentMass
}

// standsIn reports whether a word of the candidate's that WordNet
// relates to the question's content term s stands in for it.
func (c *candidate) standsIn(r *retrieval, s string) bool {
	for _, t := range c.terms {
		if slices.Contains(r.related[t], s) {
			return true
		}
	}
	return false
}

// titleFeature is the share of the question's content weight the
// article's title has, worked out once an article.
func (a *Answerer) titleFeature(r *retrieval, art briefbot.Article, titles map[string]float64) float64 {
	if t, ok := titles[art.ID]; ok {
		return t
	}
	t := 0.0
	ts := a.sentence(art.Title).terms // kept with the sentences: the same articles come back
	for _, s := range r.contentStems {
		if slices.Contains(ts, s) {
			t += r.contentIDF[s] * spec(r.contentIDF[s])
		}
	}
	t /= r.contentMass
	titles[art.ID] = t
	return t
}

// cueFeature is how plainly the sentence shows the question's type (noting
// the cue phrases it has): longer cue phrases say more than single words,
// and rare ones more than those in many sentences ("will").
func (c *candidate) cueFeature(r *retrieval, k *Kind, hit []bool) float64 {
	cue := 0.0
	k.answerMatches(c.words, hit)
	for i, p := range k.Answer {
		if hit[i] {
			c.cues = append(c.cues, p.Text)
			cue += float64(len(p.words)) * r.cues.strength[i]
		}
	}
	return math.Min(1, cue/fullCue)
}

// entityFeature is the share of the question's name weight the sentence
// mentions (noting the names it has). A name is matched as the index
// sees it, but a short form of it only as the word itself: "Bowling" is
// no mention of the Super Bowl.
func (c *candidate) entityFeature(r *retrieval, an Analysis) float64 {
	ent := 0.0
	for i, e := range an.Entities {
		if mentions(c.seq, r.entityNames[i][:len(r.entityNames[i])-r.entityShort[i]]) || slices.ContainsFunc(e.Names[len(e.Names)-e.Short:], func(n string) bool { return slices.Contains(c.words, n) }) {
			c.entities = append(c.entities, e.Text)
			ent += r.entityIDF[i] * spec(r.entityIDF[i])
		}
	}
	return ent / r.entityMass
}

// fullCue is the cue strength (phrase words times specificity) at which
// a sentence plainly shows its type: three specific words.
const fullCue = 3

// strongCue is the cue feature from which a typed question's sentence is
// kept on its cues alone, when the question names nobody.
const strongCue = 0.66

// score orders the candidates by the model, drops those that share
// nothing with the question, and sets each one's probability of
// answering it.
func score(cands []*candidate, r retrieval, an Analysis, rk *Ranker) []*candidate {
	kept := cands[:0]
	for _, c := range cands {
		if len(c.matched) > 0 || len(c.entities) > 0 || (an.Kind != nil && len(c.cues) > 0 && r.specific < specificQuestion) ||
			(an.Kind != nil && c.f.Cue >= strongCue && len(an.Entities) == 0) {
			kept = append(kept, c)
		}
	}
	// A sentence with no date does not say when, nor one with nothing
	// said who said what, when others in the pool do.
	if an.Kind != nil && (an.Kind.Needs == "date" || an.Kind.Needs == "quote") &&
		slices.ContainsFunc(kept, func(c *candidate) bool { return c.f.Needs > 0 }) {
		kept = slices.DeleteFunc(kept, func(c *candidate) bool { return c.f.Needs == 0 })
	}
	for _, c := range kept {
		c.score = rk.logit(c.f)
	}
	sortCandidates(kept)
	covered, reached := cover(kept, r, an), reach(kept, r, an)
	for _, c := range kept {
		c.f.Covered, c.f.Reach = covered, reached
		c.score = rk.prob(c.f)
	}
	return kept
}

// cover is how much of the question one sentence covers: the largest
// share of the question's weight (content words and names, by inverse
// sentence frequency) that any of the best candidates has. A corpus that
// answers has a sentence with most of it; one that does not has
// sentences that each share a word or two ("capital" in one, "Australia"
// in another).
func cover(kept []*candidate, r retrieval, an Analysis) float64 {
	best := r.share(an, nil, nil) // 1 for a question of no weight, else 0
	for _, c := range kept[:min(len(kept), answerDepth)] {
		best = math.Max(best, r.share(an, c.matched, c.entities))
	}
	return best
}

// reach is the largest share of the question's weight (as in cover) that
// one article's candidates have between them.
func reach(kept []*candidate, r retrieval, an Analysis) float64 {
	type has struct{ stems, entities []string }
	byArticle := map[string]*has{}
	for _, c := range kept {
		h := byArticle[c.snip.Article.ID]
		if h == nil {
			h = &has{}
			byArticle[c.snip.Article.ID] = h
		}
		h.stems = append(h.stems, c.matched...)
		h.entities = append(h.entities, c.entities...)
	}
	best := r.share(an, nil, nil)
	for _, h := range byArticle {
		best = math.Max(best, r.share(an, unique(h.stems), h.entities))
	}
	return best
}

// share is the share of the question's weight (content terms and names,
// by inverse sentence frequency) that the distinct content terms stems
// and the names entities (by their text) have: 1 for a question with no
// weight at all.
func (r retrieval) share(an Analysis, stems, entities []string) float64 {
	mass := r.contentMass + r.entityMass
	if mass == 0 {
		return 1
	}
	sum := 0.0
	for _, s := range stems {
		sum += r.contentIDF[s]
	}
	for i, e := range an.Entities {
		if slices.Contains(entities, e.Text) {
			sum += r.entityIDF[i]
		}
	}
	return sum / mass
}

// together reports whether, for a question asking what someone said or
// how they reacted to something, one of the best candidates has both one
// of its names (not a number) and something else of it, or a word of the
// same meaning: "how did Sinn Fein react to the court's ruling" is not
// answered by quotes that name Sinn Fein and say nothing of the ruling,
// nor by quotes on the ruling that never name Sinn Fein. (A question for
// a fact is often answered without its other words: "What nationality
// is Frank Gehry?" by "the Canadian-born Gehry".) True for other
// questions, and for one with no such name or nothing else.
func together(kept []*candidate, r *retrieval, an Analysis) bool {
	if an.Kind == nil || an.Kind.Needs != "quote" {
		return true
	}
	named := map[string]bool{}
	var names []string
	for i, e := range an.Entities {
		for _, n := range r.entityNames[i] {
			for _, s := range n {
				named[s] = true
			}
		}
		if !unicode.IsDigit([]rune(e.Text)[0]) {
			names = append(names, e.Text)
		}
	}
	rest := slices.DeleteFunc(slices.Clone(r.contentStems), func(s string) bool { return named[s] })
	if len(names) == 0 || len(rest) == 0 {
		return true
	}
	for _, c := range kept[:min(len(kept), answerDepth)] {
		if slices.ContainsFunc(c.entities, func(e string) bool { return slices.Contains(names, e) }) &&
			slices.ContainsFunc(rest, func(s string) bool { return c.has(s) || c.standsIn(r, s) }) {
			return true
		}
	}
	return false
}

// specificity is that of a word in df of total sentences, in [0, 1]: full
// for words in at most 1 in specificAt sentences.
func specificity(df, total int) float64 {
	return spec(math.Log(1 + float64(max(total, 1))/float64(max(df, 1))))
}

// mentions reports whether the term sequence seq holds any of names, each
// a term sequence.
func mentions(seq []string, names [][]string) bool {
	for _, n := range names {
		for i := 0; i+len(n) <= len(seq); i++ {
			if slices.Equal(seq[i:i+len(n)], n) {
				return true
			}
		}
	}
	return false
}

// specificQuestion is the specificity of its rarest word from which a
// question wants sentences about it, not just of its type.
const specificQuestion = 0.7

const (
	// commonCue: a cue word in more than one sentence in commonCue is not
	// searched for: it would bring in most of the corpus ("said").
	commonCue = 10
	// cueBudget bounds how many sentences all the cue words searched for
	// are in together, rarest first: a search walks every sentence each
	// word is in, whatever it is restricted to. Across the corpus (for a
	// question with no topic) every one found is also scored and ranked,
	// so the bound there is tighter.
	cueBudget       = 20000
	cueBudgetCorpus = 5000
	// maxCueTerms bounds how many within the articles about a question:
	// each is advanced through every sentence they hold. A question with
	// no topic has only its cues to go by, and searches for all of them.
	maxCueTerms = 12
)

// cueInfo is a question type's cue words as the index sees them, with
// how many sentences each is in.
type cueInfo struct {
	stems []string
	freq  map[string]int
	total int
	// strength is, for each of the type's answer phrases, the
	// specificity of its rarest word (0 for a phrase of stop words).
	strength []float64
}

// searched is the cue words to search for, rarest first, within the
// limits of commonCue, maxTerms and budget (see cueBudget).
func (c cueInfo) searched(maxTerms, budget int) string {
	byFreq := slices.Clone(c.stems)
	slices.SortStableFunc(byFreq, func(x, y string) int { return c.freq[x] - c.freq[y] })
	var out []string
	sum := 0
	for _, st := range byFreq {
		df := c.freq[st]
		if df == 0 {
			continue // in no sentence
		}
		if df*commonCue > c.total || sum+df > budget || len(out) == maxTerms {
			break
		}
		sum += df
		out = append(out, st)
	}
	return strings.Join(out, " ")
}

// cueFreq returns the cue words of a question type (none for nil) and
// their sentence frequencies.
func (a *Answerer) cueFreq(ctx context.Context, k *Kind) (cueInfo, error) {
	if k == nil {
		return cueInfo{}, nil
	}
	gen := a.Index.Generation()
	ci, ok := a.cues.get(gen, k.Name)
	if ok {
		return ci, nil
	}
	var cue []string
	phraseStems := make([][]string, len(k.Answer))
	for i, p := range k.Answer {
		t := strings.ReplaceAll(strings.ReplaceAll(p.Text, "*", ""), "-", " ")
		cue = append(cue, t)
		phraseStems[i] = a.analyze(t)
	}
	ci.stems = unique(a.analyze(strings.Join(cue, " ")))
	var err error
	if ci.freq, ci.total, err = a.Index.SentenceFreq(ctx, ci.stems); err != nil {
		return cueInfo{}, err
	}
	ci.strength = make([]float64, len(k.Answer))
	for i, st := range phraseStems {
		for _, s := range st {
			ci.strength[i] = math.Max(ci.strength[i], specificity(ci.freq[s], ci.total))
		}
	}
	a.cues.put(gen, k.Name, ci, maxCachedKinds)
	return ci, nil
}

// maxCachedFreqs bounds the sentence frequencies kept (a term's entry
// is a few dozen bytes, under 1 MB in all).
const maxCachedFreqs = 1 << 14

// sentenceTotal is the key under which a.freqs keeps the index's number
// of sentences: no term is empty.
const sentenceTotal = ""

// sentenceFreq is the index's SentenceFreq, through a.freqs: the same
// words (a story's names, the words its answers share) come back
// question after question, and reading one term's frequency opens its
// postings in every segment, a tenth of what an answer allocated.
func (a *Answerer) sentenceFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	gen := a.Index.Generation()
	out := make(map[string]int, len(terms))
	var missing []string
	for _, t := range terms {
		if n, ok := a.freqs.get(gen, t); ok {
			out[t] = n
		} else {
			missing = append(missing, t)
		}
	}
	total, known := a.freqs.get(gen, sentenceTotal)
	if len(missing) == 0 && known {
		return out, total, nil
	}
	freq, total, err := a.Index.SentenceFreq(ctx, missing)
	if err != nil {
		return nil, 0, err
	}
	for t, n := range freq {
		a.freqs.put(gen, t, n, maxCachedFreqs)
		out[t] = n
	}
	a.freqs.put(gen, sentenceTotal, total, maxCachedFreqs)
	return out, total, nil
}

// answerDepth is how many of the best candidates are asked whether the
// corpus answers the question at all.
const answerDepth = 20

// answerable decides whether the best candidates answer the question at
// all: the model must give the best of them at least the fitted
// cut-off's probability, which is low when they cover little of what the
// question names and asks about (a question about something the corpus
// never mentions, "the capital of Australia" over articles about peace
// talks, finds only its commonest words).
func answerable(cands []*candidate, an Analysis, rk *Ranker, analyze func(string) []string) bool {
	if len(cands) == 0 {
		return false
	}
	if an.Content == "" && len(an.Entities) == 0 {
		// A typed question with no topic of its own ("what remained
		// unresolved?") is answered by sentences of its type.
		for _, c := range cands[:min(len(cands), answerDepth)] {
			if len(c.cues) > 0 {
				return true
			}
		}
		return false
	}
	// A question that names someone or something (not just a number)
	// is not answered by sentences that never mention any of them.
	names := map[string]bool{}
	for _, e := range an.Entities {
		if !unicode.IsDigit([]rune(e.Text)[0]) {
			names[e.Text] = true
		}
	}
	if len(names) > 0 {
		named := false
		for _, c := range cands[:min(len(cands), answerDepth)] {
			for _, e := range c.entities {
				named = named || names[e]
			}
		}
		if !named {
			return false
		}
	}
	// "How much" is answered by a quantity and "how many" by a count:
	// when none of the best candidates shows one, the corpus does not say
	// ("how much did she pay for the rifle", over articles that tell who
	// bought it).
	if an.Kind != nil && (an.Kind.Needs == "amount" || an.Kind.Needs == "count") && !quantified(cands[:min(len(cands), answerDepth)], an) {
		return false
	}
	// "What did X say" is answered only by what X said: some sentence
	// must have the question's first name as its speaker. (A question
	// about how X reacted may be answered by what X did.)
	if an.Kind != nil && an.Kind.Needs == "quote" && len(names) > 0 && asksSaid(words(an.Text)) && !spoken(cands[:min(len(cands), answerDepth)], an, analyze) {
		return false
	}
	return rk.Answerable.Prob(GateInputs(cands[0].score, cands[0].f.vector())) >= rk.Abstain
}

// quantified reports whether one of cands shows the quantity a "how
// much" or "how many" question asks for: a count, or for "how much" a
// sum or share when the question speaks of money (has one of its type's
// answer phrases: "pay", "cost", "worth"), else any quantity ("how much
// snow": "8 to 12 inches"). A count of victims does not say what the
// rifle cost.
func quantified(cands []*candidate, an Analysis) bool {
	money := false
	if an.Kind.Needs == "amount" {
		hit := make([]bool, len(an.Kind.Answer))
		an.Kind.answerMatches(words(an.Text), hit)
		money = slices.Contains(hit, true)
	}
	return slices.ContainsFunc(cands, func(c *candidate) bool {
		return c.f.Needs > 0 || an.Kind.Needs == "amount" && !money && hasQuantity(c.snip.Text, c.words)
	})
}

// sayVerbs are the question words that ask what someone said.
var sayVerbs = set("say", "said", "says", "tell", "told", "tells")

// asksSaid reports whether a question's words ask what someone said.
func asksSaid(ws []string) bool {
	return slices.ContainsFunc(ws, func(w string) bool { return sayVerbs[w] })
}

// speakerSpan is how many words may stand between a speaker's name and
// the verb that reports them: "Sony said", "Flynn's lawyer, Robert Kelner,
// said", "said Sen. Tim Scott", "according to a Sony spokesman".
const speakerSpan = 5

// spoken reports whether one of cands has e as a speaker (a mention of
// it within speakerSpan words of a reporting verb, "said", "told", or of
// "according to" before it) and says something of the rest of the
// question: a word or name of it other than e's ("what did Gorbachev say
// about the Olympics" is not answered by Gorbachev on the economy).
func spoken(cands []*candidate, an Analysis, analyze func(string) []string) bool {
	e := an.Entities[0]
	if unicode.IsDigit([]rune(e.Text)[0]) {
		return true // a number is not a speaker
	}
	own := analyze(strings.Join(e.Names, " "))
	// The speaker may be named by the word after the name: "the Oculus
	// workers", "Flynn's lawyer", "American's CEO".
	speakers := e.Names
	qw := words(an.Text)
	ew := words(e.Text)
	for i := 0; i+len(ew) < len(qw); i++ {
		if w := qw[i+len(ew)]; slices.Equal(qw[i:i+len(ew)], ew) && !sayVerbs[w] && !unicode.IsDigit([]rune(w)[0]) {
			speakers = append(slices.Clip(speakers), w)
		}
	}
	// The rest of the question, if it has any ("what did Macron say?"
	// has none).
	rest := len(an.Entities) > 1 || slices.ContainsFunc(analyze(an.Content), func(s string) bool { return !slices.Contains(own, s) })
	for _, c := range cands {
		onTopic := slices.ContainsFunc(c.matched, func(s string) bool { return !slices.Contains(own, s) }) ||
			slices.ContainsFunc(c.entities, func(n string) bool { return n != e.Text })
		if rest && !onTopic {
			continue
		}
		ws := c.words
		for k, n := range speakers {
			if k >= len(e.Names) && !slices.Contains(c.entities, e.Text) {
				continue // "the workers" are the Oculus workers where Oculus is named
			}
			nw := strings.Fields(n)
			for i := 0; i+len(nw) <= len(ws); i++ {
				if !slices.Equal(ws[i:i+len(nw)], nw) {
					continue
				}
				end := i + len(nw)
				for j := max(0, i-speakerSpan); j < min(len(ws), end+speakerSpan); j++ {
					if j >= i && j < end {
						continue
					}
					if reportWord[ws[j]] || ws[j] == "according" && j < i {
						return true
					}
				}
			}
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
		if a.f.Coverage != b.f.Coverage {
			return a.f.Coverage > b.f.Coverage
		}
		if a.f.BM25 != b.f.BM25 {
			return a.f.BM25 > b.f.BM25
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
const cutoff = 0.3

// relevant is the candidates above the cut-off, best first.
func relevant(cands []*candidate) []*candidate {
	if len(cands) == 0 {
		return nil
	}
	n := 0
	for n < len(cands) && cands[n].score >= cutoff*cands[0].score {
		n++
	}
	return cands[:n]
}

// concepts weighs the words that the relevant candidates share beyond the
// question: the points an answer can make. A word counts by how many
// outlets use it among the relevant sentences and by how much more often
// it occurs there than in the corpus at large ("territory" in answers
// about open issues, not "Ukraine", which is everywhere).
func (a *Answerer) concepts(ctx context.Context, rel []*candidate, an Analysis) (map[string]float64, error) {
	skip := map[string]bool{}
	for _, s := range a.analyze(an.Text) {
		skip[s] = true
	}
	for _, e := range an.Entities {
		for _, s := range a.analyze(strings.Join(e.Names, " ")) {
			skip[s] = true
		}
	}
	for _, s := range a.analyze(strings.Join(a.Lexicon.plain, " ")) {
		skip[s] = true
	}
	if an.Kind != nil {
		for _, p := range an.Kind.Answer {
			for _, s := range a.analyze(strings.ReplaceAll(p.Text, "*", "")) {
				skip[s] = true
			}
		}
	}
	rel = rel[:min(len(rel), conceptDepth)]
	// How many sentences have each word, and the outlets that use it: the
	// first one by itself, since most words are in one outlet's sentences
	// only (a list for each was most of what weighing concepts allocated).
	sents := make(map[string]int, conceptsPerSentence*len(rel))
	first := make(map[string]string, conceptsPerSentence*len(rel))
	more := map[string][]string{}
	for _, c := range rel {
		keys := outletKeys(c.snip.Article)
		for _, s := range conceptsOf(c.terms, skip) {
			if sents[s]++; sents[s] == 1 {
				first[s] = keys[0]
			}
			for _, k := range keys {
				if k != first[s] && !slices.Contains(more[s], k) {
					more[s] = append(more[s], k)
				}
			}
		}
	}
	outlets := func(s string) int { return 1 + len(more[s]) }
	terms := make([]string, 0, len(sents))
	for s := range sents {
		if sents[s] > 1 || outlets(s) > 1 {
			terms = append(terms, s)
		}
	}
	sort.Slice(terms, func(i, j int) bool {
		if sents[terms[i]] != sents[terms[j]] {
			return sents[terms[i]] > sents[terms[j]]
		}
		return terms[i] < terms[j]
	})
	terms = terms[:min(len(terms), maxConcepts)]
	freq, total, err := a.sentenceFreq(ctx, terms)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, s := range terms {
		lift := (float64(sents[s]) / float64(len(rel))) / (float64(max(freq[s], 1)) / float64(max(total, 1)))
		// A word in a good share of all sentences is what the corpus is
		// about ("Miami", in articles about talks there), not a point.
		if lift > minLift && freq[s]*topicShare <= total {
			out[s] = float64(outlets(s)) * math.Log(1+lift)
		}
	}
	return out, nil
}

// conceptsOf lists the concepts a sentence's terms (sorted, once each)
// hold: its words, less those in skip, short ones and numbers. It ranges
// over the terms without copying them: a set for each candidate was a
// tenth of what an answer allocated.
func conceptsOf(terms []string, skip map[string]bool) iter.Seq2[int, string] {
	ok := func(s string) bool { return !skip[s] && len(s) > 2 && !unicode.IsDigit(rune(s[0])) }
	return func(yield func(int, string) bool) {
		for i, s := range terms {
			if ok(s) && !yield(i, s) {
				return
			}
		}
	}
}

const (
	// conceptDepth is how many relevant candidates points are drawn from.
	conceptDepth = 30
	// conceptsPerSentence sizes the tallies of concepts: about how many
	// a sentence has that no other relevant one has had (it only saves
	// the maps' growing).
	conceptsPerSentence = 8
	// maxConcepts caps the words weighed as possible points.
	maxConcepts = 40
	// topicShare: a word in more than one sentence in topicShare is never
	// a point.
	topicShare = 5
	// minLift is how much more often than in the corpus a word must occur
	// among the relevant sentences to be a point.
	minLift = 1.5
	// mmrLambda trades a candidate's score against its likeness to the
	// snippets already chosen.
	mmrLambda = 0.7
	// coveredDecay halves (and more) a point already made.
	coveredDecay = 0.3
)

// pick chooses up to limit snippets by maximal marginal relevance: each
// next pick trades its score against its likeness to those already
// chosen, so one article or one point does not fill the answer, and, for
// a question whose answer is a list of points, gains by the points it
// adds (concept weights), cover times their share of the most any
// candidate adds. Near duplicates and repeated sentences are
// dropped, and so is anything below the cut-off.
func pick(cands []*candidate, limit int, concepts map[string]float64, cover float64) []*candidate {
	var chosen []*candidate
	rel := relevant(cands)
	used := make([]bool, len(rel))
	maxSim := make([]float64, len(rel)) // likeness to the closest chosen
	perArticle := map[string]int{}
	texts := map[string]bool{}
	covered := map[string]int{}
	top := rel[0].score
	// Each candidate's concepts, the words of its that are points.
	own := make([][]string, len(rel))
	maxGain := 0.0
	for i, c := range rel {
		for _, s := range c.terms {
			if concepts[s] > 0 {
				own[i] = append(own[i], s)
			}
		}
		maxGain = math.Max(maxGain, gain(own[i], concepts, covered))
	}
	for len(chosen) < limit {
		best, bestVal := -1, math.Inf(-1)
		for i, c := range rel {
			if used[i] {
				continue
			}
			if len(chosen) > 0 {
				maxSim[i] = math.Max(maxSim[i], jaccard(c.terms, chosen[len(chosen)-1].terms))
			}
			if maxSim[i] > nearDuplicate || texts[c.text] {
				used[i] = true // a near duplicate, or a syndicated copy
				continue
			}
			val := mmrLambda*c.score/top - (1-mmrLambda)*maxSim[i] - sameArticlePenalty*float64(perArticle[c.snip.Article.ID])
			if maxGain > 0 && len(chosen) > 0 {
				val += cover * gain(own[i], concepts, covered) / maxGain
			}
			if val > bestVal {
				best, bestVal = i, val
			}
		}
		if best < 0 {
			break
		}
		c := rel[best]
		used[best] = true
		chosen = append(chosen, c)
		perArticle[c.snip.Article.ID]++
		texts[c.text] = true
		for _, s := range own[best] {
			covered[s]++
		}
	}
	return chosen
}

// gain is the weight of a candidate's concepts, each halved for every
// chosen sentence that already has it: a point made twice adds less, but
// a second outlet making it still adds some.
func gain(own []string, concepts map[string]float64, covered map[string]int) float64 {
	g := 0.0
	for _, s := range own {
		g += concepts[s] * math.Pow(coveredDecay, float64(covered[s]))
	}
	return g
}

// jaccard is the likeness of two sorted term sets.
func jaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
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

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// inSpansFirst finds the articles most about the question (aq) within
// each of the focus's spans, and makes up articleDepth with the best of
// the others (scores). In-span articles keep their scores raised above
// every other's, so later stages see them as the most relevant.
func (a *Answerer) inSpansFirst(ctx context.Context, aq index.Query, scores map[string]float64, fc focus) (map[string]float64, error) {
	in := map[string]float64{}
	top := 0.0
	for _, s := range scores {
		top = math.Max(top, s)
	}
	for _, sp := range fc.spans {
		q := aq
		q.Since, q.Until = laterOf(aq.Since, sp[0]), earlierOf(aq.Until, sp[1].AddDate(0, 0, -1))
		if !q.Until.IsZero() && q.Until.Before(q.Since) {
			continue
		}
		got, err := a.Index.ArticleScores(ctx, q)
		if err != nil {
			return nil, err
		}
		for id, s := range got {
			in[id] = math.Max(in[id], s)
		}
	}
	if len(in) == 0 {
		return scores, nil
	}
	ids := make([]string, 0, len(scores))
	for id := range scores {
		if _, ok := in[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(x, y string) int {
		if scores[x] != scores[y] {
			if scores[x] > scores[y] {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	})
	out := make(map[string]float64, articleDepth)
	for id, s := range in {
		out[id] = top + s
	}
	for _, id := range ids {
		if len(out) >= articleDepth {
			break
		}
		out[id] = scores[id]
	}
	return out, nil
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
