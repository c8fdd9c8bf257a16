package index

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2"

	"briefbot"
	"briefbot/index/ingest"
)

// Syndicated copies: one wire story carried by several outlets is stored
// in the index once. ingest says which articles are copies of one story
// (by MinHash signatures of their text); here the story's canonical copy
// is its earliest published article (then the smallest ID); only it has
// documents in the index, and its AlsoIn names the outlets of the other
// copies. The grouping is worked out again over the whole manifest after
// every change, so it does not depend on the order files arrive in, and
// removing the canonical copy promotes the next one.

// story is what grouping decides for one article.
type story struct {
	// dupOf is the canonical article's ID when this article is a copy;
	// empty for a canonical article or one with no copies.
	dupOf string
	// alsoIn is, for a canonical article, its own also_in together with
	// the outlets of its copies, sorted and without its own outlet.
	alsoIn []string
}

// groupStories finds the copies of each story among the manifest's
// articles. It is deterministic: the result depends only on the entries.
func groupStories(files map[string]*entry) map[string]story {
	ids := make([]string, 0, len(files))
	for id, e := range files {
		if e.Article.ID != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	parent := make([]int, len(ids))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var lsh ingest.Candidates
	item := make([]int, 0, len(ids)) // lsh item -> index in ids
	for i, id := range ids {
		sig := files[id].MinHash
		if !ingest.Comparable(sig) {
			continue
		}
		lsh.Each(sig, func(k int) bool {
			j := item[k]
			if find(i) != find(j) && ingest.SameStory(sig, files[ids[j]].MinHash, files[id].Article.Source, files[ids[j]].Article.Source) {
				parent[find(i)] = find(j)
			}
			return true
		})
		lsh.Add(sig)
		item = append(item, i)
	}

	groups := map[int][]int{}
	for i := range ids {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	out := make(map[string]story, len(ids))
	for _, members := range groups {
		sort.Slice(members, func(x, y int) bool {
			return earlier(files[ids[members[x]]].Article, files[ids[members[y]]].Article)
		})
		canon := ids[members[0]]
		var lists [][]string
		for _, m := range members {
			a := files[ids[m]].Article
			if ids[m] != canon {
				lists = append(lists, []string{a.Source})
			}
			lists = append(lists, a.AlsoIn)
		}
		also := ingest.Outlets(files[canon].Article.Source, lists...)
		out[canon] = story{alsoIn: also}
		for _, m := range members[1:] {
			out[ids[m]] = story{dupOf: canon}
		}
	}
	return out
}

// earlier says whether a is the canonical copy when a and b are copies:
// the earlier published, then the smaller ID.
func earlier(a, b briefbot.Article) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.Before(b.Published)
	}
	return a.ID < b.ID
}

// readStories finds, among the articles one sync reads, an earlier one
// that an article is a copy of, so that building a folder full of copies
// does not index each copy only for resolveStories to take it out again.
// Order does not matter for the outcome: resolveStories has the last word.
type readStories struct {
	lsh  ingest.Candidates
	arts []briefbot.Article
	sigs [][]uint32
}

// copyOf returns the ID of an earlier article read before that a is a
// copy of, or remembers a and returns "".
func (rs *readStories) copyOf(a briefbot.Article, sig []uint32) string {
	if !ingest.Comparable(sig) {
		return ""
	}
	copyOf := ""
	rs.lsh.Each(sig, func(j int) bool {
		if earlier(rs.arts[j], a) && ingest.SameStory(sig, rs.sigs[j], a.Source, rs.arts[j].Source) {
			copyOf = rs.arts[j].ID
			return false
		}
		return true
	})
	if copyOf != "" {
		return copyOf
	}
	rs.arts, rs.sigs = append(rs.arts, a), append(rs.sigs, sig)
	rs.lsh.Add(sig)
	return ""
}

// resolveStories regroups syndicated copies after a sync changed the
// manifest: a new copy's documents leave the index, a copy whose canonical
// article went away is indexed in its place, and a canonical article whose
// list of outlets changed is indexed again (its documents carry every
// outlet, so --source finds the story under any of them).
func (ix *Index) resolveStories(ctx context.Context, idx bleve.Index, stats *Stats) error {
	ix.mu.RLock()
	files := maps.Clone(ix.man.Files)
	ix.mu.RUnlock()
	want := groupStories(files)
	rg := &regroup{ix: ix, idx: idx, batch: idx.NewBatch()}
	changed := map[string]*entry{}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("indexing stopped: %w", err)
		}
		e, w := files[id], want[id]
		var ne *entry
		var err error
		switch {
		case w.dupOf != "" && e.DupOf != w.dupOf:
			ne = rg.hide(id, e, w.dupOf, stats)
		case w.dupOf == "" && (e.DupOf != "" || !slices.Equal(e.AlsoIn, w.alsoIn)):
			ne, err = rg.reindex(id, e, w.alsoIn)
		default:
			continue
		}
		if err != nil {
			return err
		}
		changed[id] = ne
		if err := rg.flush(batchDocs); err != nil {
			return err
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if err := rg.flush(1); err != nil {
		return err
	}
	// The manifest is saved at the end: a crash before leaves it saying
	// what an earlier grouping said, and the next sync that changes
	// anything redoes the writes.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for id, ne := range changed {
		if ix.man.Files[id] == files[id] { // not replaced meanwhile
			ix.man.Files[id] = ne
		}
	}
	ix.setArticles()
	return ix.man.save(ix.manPath)
}

// regroup writes what a new grouping of stories changes in the index.
type regroup struct {
	ix    *Index
	idx   bleve.Index
	batch *bleve.Batch
	p     *ingest.Parser // made when the first article is re-read
}

// flush writes the batch once it holds at least n documents.
func (rg *regroup) flush(n int) error {
	if rg.batch.Size() < n {
		return nil
	}
	if err := rg.idx.Batch(rg.batch); err != nil {
		return fmt.Errorf("index: write batch: %w", err)
	}
	rg.batch = rg.idx.NewBatch()
	return nil
}

// hide takes a new copy of a story out of the index: its entry, returned,
// names the story's canonical article.
func (rg *regroup) hide(id string, e *entry, canon string, stats *Stats) *entry {
	if e.DupOf == "" {
		deleteDocs(rg.batch, id, e)
		stats.Syndicated++
	}
	ne := *e
	ne.DupOf, ne.Sentences, ne.AlsoIn = canon, 0, nil
	return &ne
}

// reindex indexes a canonical article afresh from its file, carrying
// alsoIn, and returns its new entry.
func (rg *regroup) reindex(id string, e *entry, alsoIn []string) (*entry, error) {
	if rg.p == nil {
		var err error
		if rg.p, err = ingest.NewParser(); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(rg.ix.opts.Articles, filepath.FromSlash(id))
	r := rg.ix.read(rg.p, fileInfo{id: id, path: path}, nil)
	ne := *e
	if r.err != nil {
		// Gone or broken since the walk: the next sync reads it.
		rg.ix.log.Warn("cannot re-read article", "file", path, "err", r.err)
		ne.ModTime = 0
		return &ne, nil
	}
	if r.hash != e.Hash {
		ne.ModTime = 0 // changed since the walk: the next sync looks again
	}
	r.article.Article.AlsoIn = alsoIn
	n, err := addDocs(rg.batch, r.article, e)
	if err != nil {
		return nil, err
	}
	ne.DupOf, ne.AlsoIn, ne.Sentences = "", alsoIn, n
	return &ne, nil
}
