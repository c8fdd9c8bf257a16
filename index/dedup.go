package index

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"

	"briefbot"
)

// Syndicated copies: one wire story carried by several outlets is stored
// in the index once. Every article gets a MinHash signature over the word
// 4-grams of its cleaned text; articles whose signatures say they share at
// least dupJaccard of their 4-grams (sameOutletJaccard when both come from
// one outlet) are one story. The story's canonical copy is its earliest
// published article (then the smallest ID); only it has documents in the
// index, and its AlsoIn names the outlets of the other copies. The
// grouping is worked out again over the whole manifest after every change,
// so it does not depend on the order files arrive in, and removing the
// canonical copy promotes the next one.

const (
	// minHashes is the signature length: 64 hashes estimate a Jaccard
	// similarity to within about ±0.06.
	minHashes = 64
	// bandRows is how many hashes make one locality-sensitive band:
	// articles that agree on every hash of any band are compared. With
	// 32 bands of 2, pairs at similarity 0.5 are found with
	// near-certainty and unrelated articles are rarely compared.
	bandRows = 2
	// shingleWords is the length of the word n-grams compared.
	shingleWords = 4
	// minShingles is the fewest n-grams an article needs to take part:
	// shorter texts are too alike by chance.
	minShingles = 20
	// dupJaccard is the estimated similarity from which two articles
	// from different outlets are copies of one story (a wire story an
	// outlet trimmed or topped and tailed still is).
	dupJaccard = 0.5
	// sameOutletJaccard is the bar for two articles from one outlet:
	// there a merely similar article is usually a later version of the
	// story with news in it, which must not be hidden behind the first.
	sameOutletJaccard = 0.9
)

// hashSeeds are the per-hash multipliers and offsets, fixed so signatures
// stored in a manifest stay comparable across runs.
var hashSeeds = func() (s [minHashes][2]uint64) {
	x := uint64(0x9E3779B97F4A7C15)
	next := func() uint64 { // splitmix64
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		return z ^ (z >> 31)
	}
	for i := range s {
		s[i] = [2]uint64{next() | 1, next()}
	}
	return s
}()

// signature is the MinHash signature of an article's text; nil when the
// text is too short to compare.
func signature(text string) []uint32 {
	// Hash each word (letters and digits, lower-cased) with FNV-1a.
	words := make([]uint64, 0, len(text)/5)
	const offset, prime = 14695981039346656037, 1099511628211
	h, in := uint64(offset), false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			for ; r > 0; r >>= 8 {
				h = (h ^ uint64(r&0xff)) * prime
			}
			in = true
		} else if in {
			words = append(words, h)
			h, in = offset, false
		}
	}
	if in {
		words = append(words, h)
	}
	if len(words) < shingleWords+minShingles-1 {
		return nil
	}
	var mins [minHashes]uint32
	for i := range mins {
		mins[i] = math.MaxUint32
	}
	for i := 0; i+shingleWords <= len(words); i++ {
		x := uint64(0)
		for _, w := range words[i : i+shingleWords] {
			x = bits.RotateLeft64(x, 23)*0x9E3779B97F4A7C15 ^ w
		}
		for j := range hashSeeds {
			if v := uint32((x*hashSeeds[j][0] + hashSeeds[j][1]) >> 32); v < mins[j] {
				mins[j] = v
			}
		}
	}
	return mins[:]
}

// similarity estimates the Jaccard similarity of the texts behind two
// signatures.
func similarity(a, b []uint32) float64 {
	if len(a) != minHashes || len(b) != minHashes {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / minHashes
}

// sameStoryAt is the similarity from which articles from these two
// outlets are one story.
func sameStoryAt(a, b string) float64 {
	if a != "" && strings.EqualFold(a, b) {
		return sameOutletJaccard
	}
	return dupJaccard
}

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
	var lsh bandIndex
	item := make([]int, 0, len(ids)) // lsh item -> index in ids
	for i, id := range ids {
		sig := files[id].MinHash
		if len(sig) != minHashes {
			continue
		}
		lsh.each(sig, func(k int) bool {
			j := item[k]
			if find(i) != find(j) && similarity(sig, files[ids[j]].MinHash) >= sameStoryAt(files[id].Article.Source, files[ids[j]].Article.Source) {
				parent[find(i)] = find(j)
			}
			return true
		})
		lsh.add(sig)
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
		also := outlets(files[canon].Article.Source, lists...)
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
	lsh  bandIndex
	arts []briefbot.Article
	sigs [][]uint32
}

// copyOf returns the ID of an earlier article read before that a is a
// copy of, or remembers a and returns "".
func (rs *readStories) copyOf(a briefbot.Article, sig []uint32) string {
	if len(sig) != minHashes {
		return ""
	}
	copyOf := ""
	rs.lsh.each(sig, func(j int) bool {
		if earlier(rs.arts[j], a) && similarity(sig, rs.sigs[j]) >= sameStoryAt(a.Source, rs.arts[j].Source) {
			copyOf = rs.arts[j].ID
			return false
		}
		return true
	})
	if copyOf != "" {
		return copyOf
	}
	rs.arts, rs.sigs = append(rs.arts, a), append(rs.sigs, sig)
	rs.lsh.add(sig)
	return ""
}

// bands is how many bands of bandRows hashes a signature is cut into.
const bands = minHashes / bandRows

// bandIndex finds the signatures that share a band with another: the
// candidates for being the same story. Items are numbered in the order
// added. Each band of each item is one entry, numbered item*bands+band, so
// an entry needs only a link to the previous entry with the same key: with
// 95k articles there are 3M entries, and a slice a bucket cost over 150 MB
// where this costs about 40.
type bandIndex struct {
	head map[uint32]int32 // band key -> the newest entry with it
	prev []int32          // entry -> the previous entry with its key, or -1
}

// bandKey is the bucket of band b of a signature. Two bands can share a
// key by chance; that only adds a candidate that similarity then rejects.
func bandKey(b int, sig []uint32) uint32 {
	h := uint64(b)<<58 ^ uint64(sig[b*bandRows])<<26 ^ uint64(sig[b*bandRows+1])
	h *= 0x9E3779B97F4A7C15
	return uint32(h >> 32)
}

// each calls fn with every earlier item that shares a band with sig (an
// item may come more than once) until fn returns false.
func (x *bandIndex) each(sig []uint32, fn func(item int) bool) {
	for b := range bands {
		e, ok := x.head[bandKey(b, sig)]
		for ok && e >= 0 {
			if !fn(int(e) / bands) {
				return
			}
			e = x.prev[e]
		}
	}
}

// add adds sig as the next item.
func (x *bandIndex) add(sig []uint32) {
	if x.head == nil {
		x.head = map[uint32]int32{}
	}
	for b := range bands {
		k := bandKey(b, sig)
		e := int32(len(x.prev))
		p, ok := x.head[k]
		if !ok {
			p = -1
		}
		x.prev = append(x.prev, p)
		x.head[k] = e
	}
}

// outlets merges outlet lists into one sorted list without duplicates
// (ignoring case) and without own, the article's own outlet.
func outlets(own string, lists ...[]string) []string {
	seen := map[string]bool{strings.ToLower(strings.TrimSpace(own)): true}
	var out []string
	for _, l := range lists {
		for _, o := range l {
			o = strings.TrimSpace(o)
			if k := strings.ToLower(o); o != "" && !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	sort.Strings(out)
	return out
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
	var p *parser
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
			if p, err = newParser(); err != nil {
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
