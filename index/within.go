package index

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// sentencesWithin is Sentences for a query kept to given articles: what
// every answer to a question with a topic asks. It
// scores as the Bleve search does (each term's BM25 times its boost, idf
// and the query norm; for each clause and for the query, the share of its
// parts matched) but reads only the articles' sentences in each term's
// postings. The search stepped through every posting of a term up to the
// last of those sentences, one by one, to skip it: on 19k articles, a
// common word ("bank", "rate") made that most of an answer's time. The
// postings come from a cache, with their weights, while the index's
// segments stay as they are, and so do the documents the query's filters
// keep (see filterDocs). ok is false when the index is not a scorch
// index scored by BM25, which this reads (the caller then searches).
func (ix *Index) sentencesWithin(ctx context.Context, q Query) (hits []Hit, ok bool, err error) {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil, true, ErrClosed
	}
	r, err := reader(idx)
	if err != nil {
		return nil, true, fmt.Errorf("index: %w", err)
	}
	defer r.Close()
	lay := layoutOf(r)
	br, isBM25 := r.(bleveindex.BM25Reader)
	if im, ok := idx.Mapping().(*mapping.IndexMappingImpl); !ok || im.ScoringModel != bleveindex.BM25Scoring {
		isBM25 = false
	}
	if lay == nil || !isBM25 {
		return nil, false, nil
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, true, fmt.Errorf("index: %w", err)
	}
	card, err := br.FieldCardinality("s")
	if err != nil {
		return nil, true, fmt.Errorf("index: %w", err)
	}
	if docs == 0 {
		return nil, true, nil
	}
	avgLen := math.Ceil(float64(card) / float64(docs))

	buf, _ := ix.within.Get().(*withinBuf)
	if buf == nil {
		buf = &withinBuf{}
	}
	defer ix.within.Put(buf)
	cands, err := ix.sentenceDocs.of(ctx, r, lay, q.Articles, buf.cands[:0])
	if err != nil {
		return nil, true, err
	}
	allow, err := ix.filterDocs(ctx, r, idx.Mapping(), lay, q)
	if err != nil {
		return nil, true, err
	}
	if allow != nil {
		cands = slices.DeleteFunc(cands, func(d uint64) bool { return !allow.has(d) })
	}
	buf.cands = cands

	// A clause is a match query: a term for each word the analyser keeps,
	// repeats and all, as Bleve's match query makes them.
	type clause struct {
		terms []*termPostings
		boost float64
	}
	var clauses []clause
	sumSquares, n := 0.0, 0
	for _, c := range q.Clauses {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		// A clause of stop words alone matches nothing but still counts
		// in the query's share of clauses matched, as in the search.
		n++
		words := ix.Analyze(c.Text)
		if len(words) == 0 {
			continue
		}
		cl := clause{boost: c.Boost}
		if cl.boost <= 0 {
			cl.boost = 1
		}
		for _, w := range words {
			tp, err := ix.sentencePostings(ctx, r, lay, w, docs, avgLen)
			if err != nil {
				return nil, true, err
			}
			cl.terms = append(cl.terms, tp)
			bw := cl.boost * tp.idf
			sumSquares += bw * bw
		}
		clauses = append(clauses, cl)
	}
	if len(clauses) == 0 || len(cands) == 0 {
		return nil, true, nil
	}
	norm := 1 / math.Sqrt(sumSquares)

	// Each clause's sum and matched terms for each candidate sentence,
	// added term by term.
	nc := len(clauses)
	sums := slices.Grow(buf.sums[:0], len(cands)*nc)[:len(cands)*nc]
	matched := slices.Grow(buf.matched[:0], len(cands)*nc)[:len(cands)*nc]
	clear(sums)
	clear(matched)
	buf.sums, buf.matched = sums, matched
	for ci, cl := range clauses {
		for _, tp := range cl.terms {
			weight := cl.boost * tp.idf * norm
			at := 0
			for k, d := range cands {
				if at = seek(tp.ids, at, d); at == len(tp.ids) {
					break
				}
				if tp.ids[at] == d {
					sums[k*nc+ci] += tp.weights[at] * weight
					matched[k*nc+ci]++
				}
			}
		}
	}
	size := max(q.Size, 1)
	top := buf.top[:0]
	defer func() { buf.top = top }()
	for k, d := range cands {
		score, clausesMatched := 0.0, 0
		for ci, cl := range clauses {
			if m := matched[k*nc+ci]; m > 0 {
				score += sums[k*nc+ci] * (float64(m) / float64(len(cl.terms)))
				clausesMatched++
			}
		}
		if clausesMatched == 0 {
			continue
		}
		score *= float64(clausesMatched) / float64(n)
		if s := (scored{d, score}); top.Len() < size {
			heap.Push(&top, s)
		} else if top[0].less(s) {
			top[0] = s
			heap.Fix(&top, 0)
		}
	}
	// Best first; of equal scores the earlier sentence, as the search
	// orders them.
	slices.SortFunc(top, func(a, b scored) int {
		switch {
		case b.less(a):
			return -1
		case a.less(b):
			return 1
		}
		return 0
	})
	dm := make([]match, len(top))
	var num [8]byte
	for i, s := range top {
		binary.BigEndian.PutUint64(num[:], s.id)
		ext, err := r.ExternalID(num[:])
		if err != nil {
			return nil, true, fmt.Errorf("index: %w", err)
		}
		dm[i] = match{id: ext, num: s.id, numbered: true, score: s.score}
	}
	hits, err = ix.hits(dm)
	return hits, true, err
}

// withinBuf is sentencesWithin's scratch space, reused across searches
// (Index.within): the candidate sentences, each clause's sum and matched
// terms for each, and the best found.
type withinBuf struct {
	cands   []uint64
	sums    []float64
	matched []int32
	top     scoreHeap
}

// seek returns the first position at or after from in ids (in order)
// whose number is at least d: by doubling steps, then halving, so a
// candidate far ahead in a long list costs its logarithm.
func seek(ids []uint64, from int, d uint64) int {
	if from >= len(ids) || ids[from] >= d {
		return from
	}
	step := 1
	lo, hi := from, from+1
	for hi < len(ids) && ids[hi] < d {
		lo = hi
		step *= 2
		hi = from + step
	}
	hi = min(hi, len(ids))
	return lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return ids[lo+1+i] >= d })
}

// sentencePostings returns term's postings in the sentence field with the
// BM25 weight of each (before the boost, idf and query norm a query gives
// it), from the cache when it holds them for these segments. A term is
// kept the second time it is asked for, as the article postings are.
func (ix *Index) sentencePostings(ctx context.Context, r bleveindex.IndexReader, lay layout, term string, docs uint64, avgLen float64) (*termPostings, error) {
	key := postingKey{"s", term}
	if tp := ix.sentenceWeights.get(lay, key, docs, avgLen); tp != nil {
		return tp, nil
	}
	tfr, err := r.TermFieldReader(ctx, []byte(term), "s", true, true, false)
	if err != nil {
		return nil, fmt.Errorf("index: term %q: %w", term, err)
	}
	defer tfr.Close()
	df := tfr.Count()
	tp := &termPostings{
		idf:     math.Log(1 + (float64(docs)-float64(df)+0.5)/(float64(df)+0.5)),
		ids:     make([]uint64, 0, df),
		weights: make([]float64, 0, df),
		docs:    docs,
		avgLen:  avgLen,
	}
	var tfd bleveindex.TermFieldDoc
	for df > 0 {
		d, err := tfr.Next(&tfd)
		if err != nil {
			return nil, fmt.Errorf("index: term %q: %w", term, err)
		}
		if d == nil {
			break
		}
		tf := math.Sqrt(float64(d.Freq))
		fieldLength := 1 / (d.Norm * d.Norm)
		w := tp.idf * (tf * search.BM25_k1) / (tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/avgLen)))
		tp.ids = append(tp.ids, binary.BigEndian.Uint64(d.ID))
		tp.weights = append(tp.weights, w)
	}
	if ix.sentenceWeights.wanted(lay, key) {
		ix.sentenceWeights.put(lay, key, tp)
	}
	return tp, nil
}
