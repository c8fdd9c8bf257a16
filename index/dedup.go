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

	ids := slices.Sorted(maps.Keys(want))
	batch := idx.NewBatch()
	// flush writes the batch when it is large. The manifest is saved at
	// the end: a crash before leaves it saying what an earlier grouping
	// said, and the next sync that changes anything redoes the writes.
	flush := func() error {
		if batch.Size() < 2000 {
			return nil
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("index: write batch: %w", err)
		}
		batch = idx.NewBatch()
		return nil
	}
	changed := map[string]*entry{}
	var p *ingest.Parser
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("indexing stopped: %w", err)
		}
		e, w := files[id], want[id]
		if w.dupOf != "" {
			if e.DupOf == w.dupOf {
				continue
			}
			if e.DupOf == "" {
				deleteDocs(batch, id, e)
				stats.Syndicated++
				if err := flush(); err != nil {
					return err
				}
			}
			ne := *e
			ne.DupOf, ne.Sentences, ne.AlsoIn = w.dupOf, 0, nil
			changed[id] = &ne
			continue
		}
		if e.DupOf == "" && slices.Equal(e.AlsoIn, w.alsoIn) {
			continue
		}
		// Index the article afresh from its file.
		if p == nil {
			var err error
			if p, err = ingest.NewParser(); err != nil {
				return err
			}
		}
		path := filepath.Join(ix.opts.Articles, filepath.FromSlash(id))
		r := ix.read(p, fileInfo{id: id, path: path}, nil)
		ne := *e
		if r.err != nil {
			// Gone or broken since the walk: the next sync reads it.
			ix.log.Warn("cannot re-read article", "file", path, "reason", r.err)
			ne.ModTime = 0
			changed[id] = &ne
			continue
		}
		if r.hash != e.Hash {
			ne.ModTime = 0 // changed since the walk: the next sync looks again
		}
		r.article.Article.AlsoIn = w.alsoIn
		n, err := addDocs(batch, r.article, e)
		if err != nil {
			return err
		}
		ne.DupOf, ne.AlsoIn, ne.Sentences = "", w.alsoIn, n
		changed[id] = &ne
		if err := flush(); err != nil {
			return err
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if batch.Size() > 0 {
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("index: write batch: %w", err)
		}
	}
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
