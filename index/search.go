package index

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

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
	bq := ix.build("s", q)
	if bq == nil {
		return nil, nil
	}
	req := bleve.NewSearchRequestOptions(bq, max(q.Size, 1), 0, false)
	req.Fields = []string{"s", "art", "pos", "start", "end"}
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, err
	}
	return ix.hits(res.Hits), nil
}

// ArticleScores scores whole articles (title and text) against the query:
// how much each article as a whole is about it. Keyed by article ID; the
// q.Size best.
func (ix *Index) ArticleScores(ctx context.Context, q Query) (map[string]float64, error) {
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
	req.Fields = []string{"s", "art", "pos", "start", "end"}
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, err
	}
	hits := ix.hits(res.Hits)
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
			in = query.NewDisjunctionQuery(terms)
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
	var filters []query.Query
	if q.Source != "" {
		t := bleve.NewTermQuery(strings.ToLower(q.Source))
		t.SetField("src")
		filters = append(filters, t)
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
	case 1:
		bq.AddFilter(filters[0])
	default:
		bq.AddFilter(query.NewConjunctionQuery(filters))
	}
	return bq
}

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

// hits turns Bleve hits on sentence documents into snippets.
func (ix *Index) hits(dm search.DocumentMatchCollection) []Hit {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]Hit, 0, len(dm))
	for _, h := range dm {
		text, _ := h.Fields["s"].(string)
		id, _ := h.Fields["art"].(string)
		a, ok := ix.articles[id]
		if !ok || text == "" {
			continue // an article removed since the search began
		}
		num := func(k string) int { f, _ := h.Fields[k].(float64); return int(f) }
		out = append(out, Hit{
			Snippet: briefbot.Snippet{Text: text, Article: a, Position: num("pos"), Start: num("start"), End: num("end"), Score: h.Score},
			Score:   h.Score,
		})
	}
	return out
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
	adv, err := idx.Advanced()
	if err != nil {
		return nil, 0, fmt.Errorf("index: %w", err)
	}
	r, err := adv.Reader()
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
// articles and outlets a question's filters allow on a large corpus. fn
// must not call back into the index.
func (ix *Index) EachArticle(fn func(briefbot.Article)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, a := range ix.articles {
		fn(a)
	}
}
