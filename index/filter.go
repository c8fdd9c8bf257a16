package index

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// docSet is a set of document numbers, one bit each.
type docSet []uint64

func (s docSet) has(d uint64) bool {
	return d>>6 < uint64(len(s)) && s[d>>6]&(1<<(d&63)) != 0
}

func (s *docSet) add(d uint64) {
	for d>>6 >= uint64(len(*s)) {
		*s = append(*s, 0)
	}
	(*s)[d>>6] |= 1 << (d & 63)
}

// filterKey is a query's filters.
type filterKey struct {
	source       string
	since, until int64 // Unix seconds; 0 for none
}

func filterKeyOf(q Query) filterKey {
	k := filterKey{source: q.Source}
	if !q.Since.IsZero() {
		k.since = q.Since.Unix()
	}
	if !q.Until.IsZero() {
		k.until = q.Until.Unix()
	}
	return k
}

// filterCache keeps the documents that the filters asked lately keep, while
// the index's segments stay as they are: the scored searches take them
// from here instead of walking the filter beside every posting they read,
// which made a question with "source:" or "since:" cost five to ten times
// one without.
type filterCache struct {
	mu   sync.Mutex
	lay  layout
	sets map[filterKey]docSet
}

// maxCachedFilters bounds the cache (a set is a bit per document: 16 kB
// at 19k articles): past it, it starts again empty.
const maxCachedFilters = 16

// filterDocs returns the documents q's filters keep in r (lay is its
// layout; nil keeps nothing), and nil when q has no filters. The set is
// what Bleve's own search of the filters finds, so it means what the
// filters mean in a search.
func (ix *Index) filterDocs(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, lay layout, q Query) (docSet, error) {
	fq := filterQuery(q)
	if fq == nil {
		return nil, nil
	}
	key := filterKeyOf(q)
	c := &ix.filters
	if lay != nil {
		c.mu.Lock()
		set, ok := c.sets[key]
		if ok && slices.Equal(c.lay, lay) {
			c.mu.Unlock()
			return set, nil
		}
		c.mu.Unlock()
	}
	s, err := fq.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("index: filter: %w", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	set := docSet{}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("index: filter: %w", ctx.Err())
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("index: filter: %w", err)
		}
		if d == nil {
			break
		}
		set.add(d.IndexInternalID.Value())
		sctx.DocumentMatchPool.Put(d)
	}
	if lay != nil {
		c.mu.Lock()
		if c.sets == nil || !slices.Equal(c.lay, lay) || len(c.sets) >= maxCachedFilters {
			c.lay, c.sets = lay, map[filterKey]docSet{}
		}
		c.sets[key] = set
		c.mu.Unlock()
	}
	return set, nil
}
