package index

import (
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"briefbot"
)

// Clause is one weighted part of a query: its words are matched against
// the analysed text (stemmed, stop words dropped), never parsed as query
// syntax.
type Clause struct {
	Text  string
	Boost float64 // 0 means 1
}

// Query asks for the sentences (or articles) that match any of its clauses,
// within its filters.
type Query struct {
	Clauses []Clause
	// Source keeps only articles from this outlet (case-insensitive).
	Source string
	// Since and Until keep only articles published within these days,
	// inclusive; zero means no bound.
	Since, Until time.Time
	// Articles, when set, keeps only these articles (by ID) and their
	// sentences: a sentence search within the articles an article search
	// found, which costs what those articles hold, not what the corpus
	// holds.
	Articles []string
	// Size is the most hits to return.
	Size int
}

// Hit is a sentence that matched, with its BM25 score.
type Hit struct {
	Snippet briefbot.Snippet
	Score   float64
}

// ErrClosed is returned by searches on a closed index.
var ErrClosed = errors.New("index: closed")

// Sentences returns the best-matching sentences, best first.
func (ix *Index) Sentences(ctx context.Context, q Query) ([]Hit, error) {
	if len(q.Articles) > 0 {
		if hits, ok, err := ix.sentencesWithin(ctx, q); ok {
			return hits, err
		}
	}
	return ix.searchSentences(ctx, q)
}

// searchSentences is Sentences as a Bleve search.
func (ix *Index) searchSentences(ctx context.Context, q Query) ([]Hit, error) {
	bq := ix.build("s", q)
	if bq == nil {
		return nil, nil
	}
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil, ErrClosed
	}
	pool, _ := ix.matches.Get().(*search.DocumentMatchPool)
	if pool == nil {
		pool = search.NewDocumentMatchPool(matchPoolSize, 1)
	}
	defer ix.matches.Put(pool)
	top, err := topMatches(ctx, idx, bq, max(q.Size, 1), pool)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, d := range top {
			pool.Put(d)
		}
	}()
	return ix.hits(matchesOf(top))
}

// matchPoolSize is how many matches a sentence search's pool starts
// with: the 60 a question's pool keeps, and about as many again that its
// searchers hold while they walk the postings (the pool grows past it
// when a query needs more).
const matchPoolSize = 128

// topMatches runs q and returns its size best matches, best first, as
// Bleve's search does (its default: by score, and of equal scores the
// one found first; IDs filled in, no stored fields). Bleve's search made
// a new pool of matches each time, a match for each hit to load fields
// into, and the result's copies: a fifth of what an answer allocated.
// Here the matches come from pool, which the caller gets them back into.
func topMatches(ctx context.Context, idx bleve.Index, q query.Query, size int, pool *search.DocumentMatchPool) (search.DocumentMatchCollection, error) {
	r, err := reader(idx)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	defer r.Close()
	m := idx.Mapping()
	model := bleveindex.DefaultScoringModel
	if im, ok := m.(*mapping.IndexMappingImpl); ok && im.ScoringModel == bleveindex.BM25Scoring {
		model = bleveindex.BM25Scoring
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return model }))
	ctx = search.ContextWithTermSearchersCounter(ctx)
	s, err := q.Searcher(ctx, r, m, search.SearcherOptions{})
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: pool, IndexReader: r}
	top := make(matchHeap, 0, size)
	var n uint64
	for {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("index: search: %w", ctx.Err())
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
		if d == nil {
			break
		}
		n++
		d.HitNumber = n
		switch {
		case len(top) < size:
			heap.Push(&top, d)
		case search.CompareScoreDescending(d, top[0]) < 0:
			pool.Put(top[0])
			top[0] = d
			heap.Fix(&top, 0)
		default:
			pool.Put(d)
		}
	}
	slices.SortFunc(top, search.CompareScoreDescending)
	for _, d := range top {
		if d.ID, err = r.ExternalID(d.IndexInternalID); err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
	}
	return search.DocumentMatchCollection(top), nil
}

// matchHeap keeps the best matches, the worst of them first.
type matchHeap []*search.DocumentMatch

func (h matchHeap) Len() int           { return len(h) }
func (h matchHeap) Less(i, j int) bool { return search.CompareScoreDescending(h[i], h[j]) > 0 }
func (h matchHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *matchHeap) Push(x any)        { *h = append(*h, x.(*search.DocumentMatch)) }
func (h *matchHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// ArticleScores scores whole articles (title and text) against the query:
// how much each article as a whole is about it. Keyed by article ID; the
// q.Size best.
func (ix *Index) ArticleScores(ctx context.Context, q Query) (map[string]float64, error) {
	if len(q.Articles) == 0 {
		return ix.articleScores(ctx, q)
	}
	out := map[string]float64{}
	body, title := ix.build("body", q), ix.build("title", q)
	if body == nil {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery([]query.Query{body, title}), max(q.Size, 1), 0, false)
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		out[strings.TrimPrefix(h.ID, "a:")] = h.Score
	}
	return out, nil
}

// postingsBuf is articleScores' scratch space, reused across queries
// (Index.postings).
type postingsBuf struct {
	ids    []uint64
	scores []float64
}

// articleScores is ArticleScores for a query not kept to given articles.
// It scores as the Bleve search does (BM25, each term weighed again by its
// idf and boost, a coord factor for the share of clauses and fields
// matched; the scores differ from the search's by a constant factor, its
// query norm) but adds the postings up itself, keeping the articles the
// query's filters keep: most articles match some common word, and the
// search's machinery costs several times the postings' reading.
func (ix *Index) articleScores(ctx context.Context, q Query) (map[string]float64, error) {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil, ErrClosed
	}
	r, err := reader(idx)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	defer r.Close()
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	clauses := ix.scoreClauses(q)
	out := map[string]float64{}
	if len(clauses) == 0 || docs == 0 {
		return out, nil
	}
	pb, _ := ix.postings.Get().(*postingsBuf)
	if pb == nil {
		pb = &postingsBuf{}
	}
	defer func() {
		pb.ids, pb.scores = pb.ids[:0], pb.scores[:0]
		ix.postings.Put(pb)
	}()
	lay := layoutOf(r)
	allow, err := ix.filterDocs(ctx, r, idx.Mapping(), lay, q)
	if err != nil {
		return nil, err
	}
	lists, err := pb.read(ctx, r, docs, clauses, &ix.weights, lay)
	if err != nil {
		return nil, err
	}
	top := pb.best(lists, clauses, max(q.Size, 1), allow)
	buf := make([]byte, 8)
	for _, sc := range *top {
		binary.BigEndian.PutUint64(buf, sc.id)
		ext, err := r.ExternalID(buf)
		if err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
		out[strings.TrimPrefix(ext, "a:")] = sc.score
	}
	return out, nil
}

// scoreFields are the article fields scored, each a level of the sum.
var scoreFields = [...]string{"body", "title"}

// scoreClause is one clause of an article query: its analysed terms and
// its weight.
type scoreClause struct {
	terms []string
	boost float64
}

func (ix *Index) scoreClauses(q Query) []scoreClause {
	var clauses []scoreClause
	for _, c := range q.Clauses {
		if terms := slices.Compact(slices.Sorted(slices.Values(ix.Analyze(c.Text)))); len(terms) > 0 {
			clauses = append(clauses, scoreClause{terms, cmp.Or(c.Boost, 1)})
		}
	}
	return clauses
}

// postingList is one field, clause and term's postings: a run [at, end)
// of a postingsBuf, doc numbers in order with the BM25 of each.
type postingList struct {
	field, clause int
	at, end       int
}

// read fills the buffers with every field, clause and term's postings and
// their BM25 scores, from the cache when it has them for the reader's
// segments (lay; nil keeps nothing). The buffers are kept for the next
// query: a common word has postings in most articles, and fresh lists for
// them were most of what scoring allocated.
func (pb *postingsBuf) read(ctx context.Context, r bleveindex.IndexReader, docs uint64, clauses []scoreClause, cache *postingCache, lay layout) ([]postingList, error) {
	var lists []postingList
	var tfd bleveindex.TermFieldDoc
	for fi, field := range scoreFields {
		avgLen := 0.0
		if br, ok := r.(bleveindex.BM25Reader); ok {
			card, err := br.FieldCardinality(field)
			if err != nil {
				return nil, fmt.Errorf("index: %w", err)
			}
			avgLen = math.Ceil(float64(card) / float64(docs))
		}
		for ci, c := range clauses {
			for _, t := range c.terms {
				l := postingList{field: fi, clause: ci, at: len(pb.ids)}
				key := postingKey{field, t}
				if tp := cache.get(lay, key, docs, avgLen); tp != nil {
					pb.ids = append(pb.ids, tp.ids...)
					for _, w := range tp.weights {
						pb.scores = append(pb.scores, w*c.boost*tp.idf)
					}
				} else {
					tfr, err := r.TermFieldReader(ctx, []byte(t), field, true, true, false)
					if err != nil {
						return nil, fmt.Errorf("index: term %q: %w", t, err)
					}
					tp, err = pb.add(tfr, &tfd, float64(docs), avgLen, c.boost, cache.wanted(lay, key))
					tfr.Close()
					if err != nil {
						return nil, fmt.Errorf("index: term %q: %w", t, err)
					}
					if tp != nil {
						tp.docs, tp.avgLen = docs, avgLen
						cache.put(lay, key, tp)
					}
				}
				if l.end = len(pb.ids); l.end > l.at {
					lists = append(lists, l)
				}
			}
		}
	}
	return lists, nil
}

// add appends one term's postings with their BM25 scores, as Bleve scores
// them (its idf counts twice: in the term's score and its query weight).
// With keep, it also returns them for the cache, their weights before
// the boost and the second idf (the same products, in the same order).
func (pb *postingsBuf) add(tfr bleveindex.TermFieldReader, tfd *bleveindex.TermFieldDoc, docs, avgLen, boost float64, keep bool) (*termPostings, error) {
	df := float64(tfr.Count())
	idf := math.Log(1 + (docs-df+0.5)/(df+0.5))
	var tp *termPostings
	if keep {
		tp = &termPostings{idf: idf, ids: make([]uint64, 0, int(df)), weights: make([]float64, 0, int(df))}
	}
	if df == 0 {
		return tp, nil
	}
	for {
		d, err := tfr.Next(tfd)
		if err != nil || d == nil {
			return tp, err
		}
		tf := math.Sqrt(float64(d.Freq))
		norm := 1.0
		if avgLen > 0 && d.Norm > 0 {
			norm = 1 - search.BM25_b + search.BM25_b*(1/(d.Norm*d.Norm))/avgLen
		}
		id, w := binary.BigEndian.Uint64(d.ID), idf*tf*search.BM25_k1/(tf+search.BM25_k1*norm)
		pb.ids = append(pb.ids, id)
		pb.scores = append(pb.scores, w*boost*idf)
		if keep {
			tp.ids = append(tp.ids, id)
			tp.weights = append(tp.weights, w)
		}
	}
}

// postingCache keeps the postings of the terms scored lately in one kind
// of document (articles, or sentences), with their BM25 weights, while the
// index's segments stay as they are (a document's number changes when
// segments merge): reading and weighing a common word's postings (in
// thousands of articles: "bank", "rate") was most of a search, and a news
// desk's questions come back to the same words. A term is kept the second
// time it is scored, so words asked about once cost no more than they did.
type postingCache struct {
	mu    sync.Mutex
	lay   layout
	terms map[postingKey]*termPostings
	seen  map[postingKey]bool
	size  int // postings held
}

type postingKey struct{ field, term string }

// termPostings is one field and term's postings: document numbers in
// order, each with its weight before the clause's boost and the second
// idf, and what the weights were worked out with.
type termPostings struct {
	ids     []uint64
	weights []float64
	idf     float64
	docs    uint64
	avgLen  float64
}

const (
	// maxCachedPostings bounds the cache (16 bytes a posting, 4 MB in
	// all): past it, it starts again empty.
	maxCachedPostings = 1 << 18
	// maxSeenTerms bounds the terms noted as seen once.
	maxSeenTerms = 1 << 14
)

// layout is an index snapshot's segments, in order: what document
// numbers mean.
type layout []segmentLayout

type segmentLayout struct{ id, count, deleted uint64 }

// layoutOf is the layout of r's segments; nil when r is not a scorch
// snapshot.
func layoutOf(r bleveindex.IndexReader) layout {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var lay layout
	for _, s := range snap.Segments() {
		sl := segmentLayout{id: s.Id(), count: s.Count()}
		if d := s.Deleted(); d != nil {
			sl.deleted = d.GetCardinality()
		}
		lay = append(lay, sl)
	}
	return lay
}

// get returns key's postings, or nil when they are not cached for
// layout lay, docs and avgLen.
func (c *postingCache) get(lay layout, key postingKey, docs uint64, avgLen float64) *termPostings {
	if lay == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tp := c.terms[key]
	if !slices.Equal(c.lay, lay) || tp == nil || tp.docs != docs || tp.avgLen != avgLen {
		return nil
	}
	return tp
}

// wanted notes that key was scored and reports whether it was before:
// whether its postings should be kept.
func (c *postingCache) wanted(lay layout, key postingKey) bool {
	if lay == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renew(lay)
	if c.seen[key] {
		return true
	}
	if len(c.seen) >= maxSeenTerms {
		c.seen = map[postingKey]bool{}
	}
	c.seen[key] = true
	return false
}

// put keeps key's postings.
func (c *postingCache) put(lay layout, key postingKey, tp *termPostings) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renew(lay)
	if len(tp.ids) > maxCachedPostings {
		return
	}
	if old := c.terms[key]; old != nil {
		c.size -= len(old.ids)
	}
	if c.size+len(tp.ids) > maxCachedPostings {
		c.terms, c.size = map[postingKey]*termPostings{}, 0
	}
	c.terms[key] = tp
	c.size += len(tp.ids)
}

// renew empties the cache for segments other than those it holds.
func (c *postingCache) renew(lay layout) {
	if c.terms == nil || !slices.Equal(c.lay, lay) {
		c.lay, c.terms, c.seen, c.size = lay, map[postingKey]*termPostings{}, map[postingKey]bool{}, 0
	}
}

// best merges the lists in doc order and keeps the size best documents in
// a min-heap, of those allow has when it is not nil. Each level of Bleve's
// query weighs its sum by the share of its parts that matched: terms in a
// clause, clauses in a field, fields.
func (pb *postingsBuf) best(lists []postingList, clauses []scoreClause, size int, allow docSet) *scoreHeap {
	nClauses := len(clauses)
	ids, scores := pb.ids, pb.scores
	top := &scoreHeap{}
	sums := make([]float64, len(scoreFields)*nClauses)
	matched := make([]int, len(scoreFields)*nClauses)
	// One pass over the lists adds up a document and finds the next one;
	// a list is dropped when it runs out, keeping the others' order (the
	// order sums are added in).
	next := uint64(math.MaxUint64)
	for _, l := range lists {
		next = min(next, ids[l.at])
	}
	for len(lists) > 0 {
		clear(sums)
		clear(matched)
		doc, after := next, uint64(math.MaxUint64)
		for i := 0; i < len(lists); i++ {
			l := &lists[i]
			if ids[l.at] == doc {
				k := l.field*nClauses + l.clause
				sums[k] += scores[l.at]
				matched[k]++
				if l.at++; l.at == l.end {
					lists = slices.Delete(lists, i, i+1)
					i--
					continue
				}
			}
			after = min(after, ids[l.at])
		}
		if allow != nil && !allow.has(doc) {
			next = after
			continue
		}
		score, fieldsMatched := 0.0, 0
		for fi := range scoreFields {
			fieldSum, clausesMatched := 0.0, 0
			for ci, c := range clauses {
				if k := fi*nClauses + ci; matched[k] > 0 {
					fieldSum += sums[k] * float64(matched[k]) / float64(len(c.terms))
					clausesMatched++
				}
			}
			if clausesMatched > 0 {
				score += fieldSum * float64(clausesMatched) / float64(nClauses)
				fieldsMatched++
			}
		}
		score *= float64(fieldsMatched) / float64(len(scoreFields))
		if top.Len() < size {
			heap.Push(top, scored{doc, score})
		} else if (*top)[0].less(scored{doc, score}) {
			(*top)[0] = scored{doc, score}
			heap.Fix(top, 0)
		}
		next = after
	}
	return top
}

// scored is a document's score; scoreHeap keeps the best, the worst of
// them first.
type scored struct {
	id    uint64
	score float64
}

// less orders by score, then the later document first, so that of equal
// scores the earlier document is kept.
func (a scored) less(b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.id > b.id
}

type scoreHeap []scored

func (h scoreHeap) Len() int           { return len(h) }
func (h scoreHeap) Less(i, j int) bool { return h[i].less(h[j]) }
func (h scoreHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoreHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *scoreHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// reader is a snapshot of the index to read postings and stored fields
// from; the caller closes it.
func reader(idx bleve.Index) (bleveindex.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// SentencesOf returns every sentence of the given articles, in article
// order. It reads the index only, not the files.
func (ix *Index) SentencesOf(ctx context.Context, ids []string) ([]briefbot.Snippet, error) {
	ix.mu.RLock()
	var docIDs []string
	for _, id := range ids {
		if e := ix.man.Files[id]; e != nil {
			for i := 0; i < e.Sentences; i++ {
				docIDs = append(docIDs, sentenceDocID(id, i))
			}
		}
	}
	ix.mu.RUnlock()
	if len(docIDs) == 0 {
		return nil, nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(docIDs), len(docIDs), 0, false)
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, err
	}
	hits, err := ix.hits(matchesOf(res.Hits))
	if err != nil {
		return nil, err
	}
	order := make(map[string]int, len(ids))
	for i, id := range ids {
		order[id] = i
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i].Snippet, hits[j].Snippet
		if a.Article.ID != b.Article.ID {
			return order[a.Article.ID] < order[b.Article.ID]
		}
		return a.Position < b.Position
	})
	out := make([]briefbot.Snippet, len(hits))
	for i, h := range hits {
		out[i] = h.Snippet
		out[i].Score = 0
	}
	return out, nil
}

// Analyze returns the terms the index makes of text: lower-cased, stemmed,
// without stop words. Ranking uses it to compare a question with sentences
// the way the index does.
func (ix *Index) Analyze(text string) []string {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil
	}
	a := idx.Mapping().AnalyzerNamed(en.AnalyzerName)
	if a == nil {
		return nil
	}
	toks := a.Analyze([]byte(text))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}

// build makes the Bleve query for q over one text field; nil when q has no
// words to match.
func (ix *Index) build(field string, q Query) query.Query {
	var should []query.Query
	for _, c := range q.Clauses {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		m := bleve.NewMatchQuery(c.Text)
		m.SetField(field)
		m.Analyzer = en.AnalyzerName
		if c.Boost > 0 {
			m.SetBoost(c.Boost)
		}
		should = append(should, m)
	}
	if len(should) == 0 {
		return nil
	}
	bq := query.NewBooleanQuery(nil, should, nil)
	if len(q.Articles) > 0 {
		// The allowed documents drive the search (a filter would walk every
		// match of the clauses); boosted to 0, they add nothing to a score.
		var in query.Query
		if field == "s" {
			var terms []query.Query
			for _, id := range q.Articles {
				t := bleve.NewTermQuery(id)
				t.SetField("art")
				t.SetBoost(0)
				terms = append(terms, t)
			}
			in = articleSentences{ix: ix, ids: q.Articles, terms: query.NewDisjunctionQuery(terms)}
		} else {
			ids := make([]string, len(q.Articles))
			for i, id := range q.Articles {
				ids[i] = "a:" + id
			}
			d := bleve.NewDocIDQuery(ids)
			d.SetBoost(0)
			in = d
		}
		bq.AddMust(in)
		bq.SetMinShould(1)
	}
	if f := filterQuery(q); f != nil {
		bq.AddFilter(f)
	}
	return bq
}

// filterQuery is the query for q's filters (outlet, days), which the
// documents of articles and of their sentences both carry; nil when q has
// none.
func filterQuery(q Query) query.Query {
	var filters []query.Query
	if q.Source != "" {
		// The outlet's whole name, or its first words (briefbot.NamesOutlet).
		name := strings.ToLower(strings.Join(strings.Fields(q.Source), " "))
		whole := bleve.NewTermQuery(name)
		whole.SetField("src")
		first := bleve.NewPrefixQuery(name + " ")
		first.SetField("src")
		filters = append(filters, bleve.NewDisjunctionQuery(whole, first))
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		yes := true
		var start, end time.Time
		if !q.Since.IsZero() {
			start = q.Since
		}
		if !q.Until.IsZero() {
			end = q.Until.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		d := bleve.NewDateRangeInclusiveQuery(start, end, &yes, &yes)
		d.SetField("day")
		filters = append(filters, d)
	}
	switch len(filters) {
	case 0:
		return nil
	case 1:
		return filters[0]
	}
	return query.NewConjunctionQuery(filters)
}

// articleSentences is a sentence search's "these articles only" clause:
// the sentences whose "art" term is one of ids. As the disjunction of those
// terms (boosted to 0) it built a scored term searcher for each article
// in every search, to add 0 to each score; now it walks the sentences'
// document numbers, kept while the segments stay the same, and weighs
// nothing, as the zero boost did (so the query norm and every score stay
// what they were). terms is the disjunction, for a reader that is not a
// scorch snapshot.
type articleSentences struct {
	ix    *Index
	ids   []string
	terms query.Query
}

func (a articleSentences) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	lay := layoutOf(r)
	if lay == nil {
		return a.terms.Searcher(ctx, r, m, opts)
	}
	docs, err := a.ix.sentenceDocs.of(ctx, r, lay, a.ids, nil)
	if err != nil {
		return nil, err
	}
	return &docList{docs: docs}, nil
}

// sentenceDocCache keeps each article's sentence document numbers for
// the segments they were read from (a number changes when segments merge).
type sentenceDocCache struct {
	mu   sync.Mutex
	lay  layout
	docs map[string][]uint64
	size int // numbers held
}

// maxCachedSentenceDocs bounds the cache (8 bytes a number, 512 kB in
// all; an article has about 20 sentences): past it, it starts again empty.
const maxCachedSentenceDocs = 1 << 16

// of appends the sentence document numbers of articles ids in r to dst,
// and returns them in order, once each.
func (c *sentenceDocCache) of(ctx context.Context, r bleveindex.IndexReader, lay layout, ids []string, dst []uint64) ([]uint64, error) {
	for _, id := range ids {
		d, err := c.get(ctx, r, lay, id)
		if err != nil {
			return nil, err
		}
		dst = append(dst, d...)
	}
	slices.Sort(dst)
	return slices.Compact(dst), nil
}

// get returns article id's sentence document numbers in r, in order.
func (c *sentenceDocCache) get(ctx context.Context, r bleveindex.IndexReader, lay layout, id string) ([]uint64, error) {
	c.mu.Lock()
	if c.docs == nil || !slices.Equal(c.lay, lay) {
		c.lay, c.docs, c.size = lay, map[string][]uint64{}, 0
	}
	d, ok := c.docs[id]
	c.mu.Unlock()
	if ok {
		return d, nil
	}
	tfr, err := r.TermFieldReader(ctx, []byte(id), "art", false, false, false)
	if err != nil {
		return nil, fmt.Errorf("index: article %q: %w", id, err)
	}
	defer tfr.Close()
	var tfd bleveindex.TermFieldDoc
	for {
		m, err := tfr.Next(&tfd)
		if err != nil {
			return nil, fmt.Errorf("index: article %q: %w", id, err)
		}
		if m == nil {
			break
		}
		d = append(d, binary.BigEndian.Uint64(m.ID))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if slices.Equal(c.lay, lay) {
		if c.size+len(d) > maxCachedSentenceDocs {
			c.docs, c.size = map[string][]uint64{}, 0
		}
		c.docs[id] = d
		c.size += len(d)
	}
	return d, nil
}

// docList is a searcher over given document numbers, in order, that
// scores and weighs nothing.
type docList struct {
	docs []uint64
	at   int
}

func (l *docList) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if l.at >= len(l.docs) {
		return nil, nil
	}
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = binary.BigEndian.AppendUint64(d.IndexInternalID[:0], l.docs[l.at])
	l.at++
	return d, nil
}

func (l *docList) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	target := binary.BigEndian.Uint64(id)
	for l.at < len(l.docs) && l.docs[l.at] < target {
		l.at++
	}
	return l.Next(ctx)
}

func (l *docList) Close() error               { return nil }
func (l *docList) Weight() float64            { return 0 }
func (l *docList) SetQueryNorm(float64)       {}
func (l *docList) Count() uint64              { return uint64(len(l.docs)) }
func (l *docList) Min() int                   { return 0 }
func (l *docList) Size() int                  { return 64 + 8*len(l.docs) }
func (l *docList) DocumentMatchPoolSize() int { return 1 }

func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil, ErrClosed
	}
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	return res, nil
}

// stored is what a sentence hit needs of its stored fields; its article
// and position are in its document ID (see sentenceDocID).
type stored struct {
	text       string
	start, end int
}

// match is a sentence document a search found: its ID, its number in the
// index (when numbered) and its score.
type match struct {
	id       string
	num      uint64
	numbered bool
	score    float64
}

// matchesOf is the matches of Bleve's hits.
func matchesOf(dm search.DocumentMatchCollection) []match {
	out := make([]match, len(dm))
	for i, d := range dm {
		out[i] = match{id: d.ID, score: d.Score}
		if len(d.IndexInternalID) == 8 {
			out[i].num, out[i].numbered = d.IndexInternalID.Value(), true
		}
	}
	return out
}

// hits turns matches of sentence documents into snippets.
func (ix *Index) hits(dm []match) ([]Hit, error) {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil, ErrClosed
	}
	fields, err := loadStored(idx, dm)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]Hit, 0, len(dm))
	for i, h := range dm {
		f := fields[i]
		id, pos := strings.TrimPrefix(h.id, "s:"), ""
		if i := strings.LastIndexByte(id, '#'); i >= 0 {
			id, pos = id[:i], id[i+1:]
		}
		e := ix.man.Files[id]
		if !e.indexed() || f.text == "" {
			continue // an article removed since the search began
		}
		p, _ := strconv.Atoi(pos)
		out = append(out, Hit{
			Snippet: briefbot.Snippet{Text: f.text, Article: ix.article(id, e), Position: p, Start: f.start, End: f.end, Score: h.score},
			Score:   h.score,
		})
	}
	return out, nil
}

// loadStored reads the hits' stored text and offsets straight from their
// segments. Asking the search for the fields instead made Bleve look each
// document up by its ID again and build a whole Document of copies: a
// quarter of what an answer allocated. A hit whose number no longer names
// it (a batch landed since the search) is looked up by its ID.
func loadStored(idx bleve.Index, dm []match) ([]stored, error) {
	out := make([]stored, len(dm))
	if len(dm) == 0 {
		return out, nil
	}
	r, err := reader(idx)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	defer r.Close()
	snap, _ := r.(*scorch.IndexSnapshot)
	var segs []*scorch.SegmentSnapshot
	var offsets []uint64
	if snap != nil {
		segs = snap.Segments()
		var n uint64
		for _, s := range segs {
			offsets = append(offsets, n)
			n += s.Segment().Count()
		}
	}
	for i, h := range dm {
		f := &out[i]
		visit := func(name string, _ byte, val []byte, _ []uint64) bool {
			switch name {
			case "s":
				f.text = string(val)
			case "start", "end":
				v, err := numeric.PrefixCoded(val).Int64()
				if err == nil {
					n := int(numeric.Int64ToFloat64(v))
					if name == "start" {
						f.start = n
					} else {
						f.end = n
					}
				}
			}
			return true
		}
		found := false
		if snap != nil && h.numbered {
			num := h.num
			si := sort.Search(len(offsets), func(k int) bool { return offsets[k] > num }) - 1
			if si >= 0 {
				local := num - offsets[si]
				if docID, err := segs[si].DocID(local); err == nil && string(docID) == h.id {
					found = segs[si].VisitDocument(local, visit) == nil
				}
			}
		}
		if !found {
			*f = stored{}
			doc, err := r.Document(h.id)
			if err != nil {
				return nil, fmt.Errorf("index: load %s: %w", h.id, err)
			}
			if doc != nil {
				doc.VisitFields(func(fl bleveindex.Field) { visit(fl.Name(), 0, fl.Value(), nil) })
			}
		}
	}
	return out, nil
}

// SentenceFreq returns how many sentences contain each analysed term, and
// how many sentences the index holds: what ranking needs to tell a telling
// word from one that is everywhere.
func (ix *Index) SentenceFreq(ctx context.Context, terms []string) (map[string]int, int, error) {
	ix.mu.RLock()
	idx, total := ix.idx, ix.sentences
	ix.mu.RUnlock()
	if idx == nil {
		return nil, 0, ErrClosed
	}
	r, err := reader(idx)
	if err != nil {
		return nil, 0, fmt.Errorf("index: %w", err)
	}
	defer r.Close()
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(t), "s", false, false, false)
		if err != nil {
			return nil, 0, fmt.Errorf("index: term %q: %w", t, err)
		}
		out[t] = int(tfr.Count())
		tfr.Close()
	}
	return out, total, nil
}

// Generation changes whenever the indexed articles do: what a caller that
// keeps figures about the corpus (how many articles, which outlets) checks
// before using them again.
func (ix *Index) Generation() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.gen
}

// EachArticle calls fn for every indexed article, in no particular order,
// without copying or sorting the list: what answering needs to count the
// articles and outlets a question's filters allow on a large corpus. The
// articles' Path is left empty (Article gives it). fn must not call back
// into the index.
func (ix *Index) EachArticle(fn func(briefbot.Article)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, e := range ix.man.Files {
		if e.indexed() {
			a := e.Article
			a.AlsoIn = e.AlsoIn
			fn(a)
		}
	}
}
