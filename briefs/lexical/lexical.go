// Package lexical says whether two English words mean the same or nearly
// the same, from a small table distilled from WordNet 3.0 and embedded in
// the binary. It owns the table and its lookups; how much a relation counts
// towards an answer is the ranker's business (briefs).
//
// Words are matched in two forms:
//   - surface words as written ("paying", "left", "Unresolved"): reduced to
//     WordNet lemmas by its irregular-forms lists and its suffix rules
//     (paying -> pay, left -> leave and left);
//   - index terms, the Porter stems the index's English analyser makes
//     ("unresolv", "pai"): a stem stands for every lemma with that stem.
//
// The table and its provenance are described in gen.go, which rebuilds it
// from Debian's wordnet-base; WordNet's licence is in LICENSE-WordNet.
package lexical

//go:generate go run gen.go -out table.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed table.gz
var tableGz []byte

// Relation is how closely two words are related, weakest first, so a
// caller may compare with >=.
type Relation uint8

const (
	// None: the table relates the words in no way (or knows neither).
	None Relation = iota
	// Sibling: the words' meanings are near one more general meaning
	// ("price" and "payment", both a cost).
	Sibling
	// Near: one's meaning is a direct generalisation of the other's
	// ("price" and "cost"), or similar adjectives ("open", "unsettled").
	Near
	// Synonym: the words share a common sense ("unresolved", "open").
	Synonym
	// Family: the words are forms of one word family, derivational or
	// inflectional ("payment", "pay"; "decide", "decision").
	Family
	// Same: the words have a lemma in common ("paying", "paid").
	Same
)

func (r Relation) String() string {
	switch r {
	case Sibling:
		return "sibling"
	case Near:
		return "near"
	case Synonym:
		return "synonym"
	case Family:
		return "family"
	case Same:
		return "same"
	}
	return "none"
}

// entry is what the table knows of one lemma. Each list is sorted.
type entry struct {
	fam  []uint32 // lemma ids of the word family, the lemma's own included
	syn  []uint32 // synset ids of the common senses
	near []uint32 // synset ids one step away (hypernyms, similar, see also)
}

// index maps sorted keys to lists of lemma ids; it is searched by halving,
// so a table loads without building maps.
type index struct {
	keys []string
	ids  [][]uint32
}

// find returns the ids of key k, or nil. It does not allocate.
func (x *index) find(k []byte) []uint32 {
	lo, hi := 0, len(x.keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.keys[m] < string(k) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(x.keys) && x.keys[lo] == string(k) {
		return x.ids[lo]
	}
	return nil
}

// Table answers lexical questions. Build one with New and share it: it is
// read-only and safe for concurrent use.
type Table struct {
	words  []string // lemma by id, sorted
	lemmas []entry  // by lemma id
	irreg  index    // irregular form -> lemmas
	stems  index    // Porter stem -> lemmas
	stemOf []string // lemma id -> its Porter stem
	// Built on the first Expand: synset id -> lemma ids, and lemma id ->
	// its Porter stem.
	once    sync.Once
	members [][]uint32
	nearOf  [][]uint32
	keysOf  [][]uint32 // lemma id -> stems index positions
}

const magic = "briefbot-lexical-4\n"

// maxWord is the longest surface word looked up; longer ones are in no
// WordNet lemma this table keeps, and a fixed buffer keeps lookups free of
// allocation.
const maxWord = 40

// New decodes the embedded table (about 430 KB compressed, 680 KB raw).
// It takes a few milliseconds: call it once at start and share the Table.
func New() (*Table, error) {
	t, err := decode(tableGz)
	if err != nil {
		return nil, fmt.Errorf("lexical: decode the embedded WordNet table: %w", err)
	}
	return t, nil
}

var errTruncated = errors.New("truncated table")

// reader decodes the table: varints, front-coded keys gathered into one
// buffer, and sorted id lists gathered into one arena.
type reader struct {
	s     string
	at    int
	keys  []byte
	arena []uint32
	err   error
}

// span is a key's place in reader.keys.
type span struct{ a, b int }

func (r *reader) uvarint() uint64 {
	var v uint64
	for shift := 0; r.err == nil; shift += 7 {
		if r.at >= len(r.s) || shift > 63 {
			r.err = errTruncated
			break
		}
		c := r.s[r.at]
		r.at++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	return 0
}

func (r *reader) str() string {
	n := r.uvarint()
	if r.err != nil || uint64(len(r.s)-r.at) < n {
		r.err = errTruncated
		return ""
	}
	s := r.s[r.at : r.at+int(n)]
	r.at += int(n)
	return s
}

// key reads a front-coded key: the length of the prefix it shares with
// prev, then the rest.
func (r *reader) key(prev span) span {
	n := r.uvarint()
	rest := r.str()
	if n > uint64(prev.b-prev.a) {
		r.err = errors.New("corrupt key")
		return span{}
	}
	a := len(r.keys)
	r.keys = append(r.keys, r.keys[prev.a:prev.a+int(n)]...)
	r.keys = append(r.keys, rest...)
	return span{a, len(r.keys)}
}

// list reads a delta-coded sorted list into the arena and returns its part;
// with self >= 0 it adds that id in order.
func (r *reader) list(self int64) []uint32 {
	n := int(r.uvarint())
	start := len(r.arena)
	prev := uint32(0)
	for i := 0; i < n && r.err == nil; i++ {
		prev += uint32(r.uvarint())
		if self >= 0 && int64(prev) > self && (i == 0 || int64(r.arena[len(r.arena)-1]) < self) {
			r.arena = append(r.arena, uint32(self))
		}
		r.arena = append(r.arena, prev)
	}
	if self >= 0 && (len(r.arena) == start || int64(r.arena[len(r.arena)-1]) < self) {
		r.arena = append(r.arena, uint32(self))
	}
	return r.arena[start:len(r.arena):len(r.arena)]
}

// count reads a count of things each at least one byte long.
func (r *reader) count() int {
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.s)-r.at) {
		r.err = errTruncated
	}
	return int(n)
}

// index reads a key -> lemma ids index; with stems, each key has two lists
// (the lemmas it is the stem of, and those of its irregular forms), and
// stemOf learns each lemma's own stem.
func (r *reader) index(words int, stems bool) (x index, spans []span, stemOf []int) {
	n := r.count()
	x.ids = make([][]uint32, n)
	spans = make([]span, n)
	if stems {
		stemOf = make([]int, words)
	}
	prev := span{}
	for i := 0; i < n && r.err == nil; i++ {
		spans[i] = r.key(prev)
		prev = spans[i]
		x.ids[i] = r.list(-1)
		if stems {
			for _, id := range x.ids[i] {
				if int(id) < words {
					stemOf[id] = i
				}
			}
			if irr := r.list(-1); len(irr) > 0 {
				start := len(r.arena)
				r.arena = append(append(r.arena, x.ids[i]...), irr...)
				ids := r.arena[start:]
				slices.Sort(ids)
				ids = slices.Compact(ids)
				r.arena = r.arena[:start+len(ids)]
				x.ids[i] = r.arena[start:len(r.arena):len(r.arena)]
			}
		}
		for _, id := range x.ids[i] {
			if int(id) >= words {
				r.err = errors.New("an index entry names no lemma")
			}
		}
	}
	return x, spans, stemOf
}

func decode(gz []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	var raw strings.Builder
	raw.Grow(768 << 10)
	if _, err := io.Copy(&raw, zr); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(raw.String(), magic) {
		return nil, errors.New("not a lexical table of this version")
	}
	// Lists hold about one id per three bytes of table, keys about half
	// its bytes.
	r := &reader{s: raw.String(), at: len(magic), arena: make([]uint32, 0, raw.Len()/3), keys: make([]byte, 0, raw.Len())}
	n := r.count()
	if r.err != nil {
		return nil, r.err
	}
	t := &Table{words: make([]string, n), stemOf: make([]string, n), lemmas: make([]entry, n)}
	wordSpans := make([]span, n)
	prev := span{}
	for i := 0; i < n && r.err == nil; i++ {
		wordSpans[i] = r.key(prev)
		prev = wordSpans[i]
		e := &t.lemmas[i]
		e.syn = r.list(-1)
		// The family includes the lemma itself, so one intersection
		// finds both "b is in a's family" and "they share a member".
		e.fam = r.list(int64(i))
		e.near = r.list(-1)
	}
	var irregSpans, stemSpans []span
	var stemOf []int
	t.irreg, irregSpans, _ = r.index(n, false)
	t.stems, stemSpans, stemOf = r.index(n, true)
	nsyn := int(r.uvarint())
	if r.err != nil {
		return nil, r.err
	}
	// One string holds every key; words and index keys are slices of it.
	keys := string(r.keys)
	for i, sp := range wordSpans {
		t.words[i] = keys[sp.a:sp.b]
	}
	t.irreg.keys = make([]string, len(irregSpans))
	for i, sp := range irregSpans {
		t.irreg.keys[i] = keys[sp.a:sp.b]
	}
	t.stems.keys = make([]string, len(stemSpans))
	for i, sp := range stemSpans {
		t.stems.keys[i] = keys[sp.a:sp.b]
	}
	for i, k := range stemOf {
		t.stemOf[i] = t.stems.keys[k]
	}
	for i := range t.lemmas {
		for _, s := range t.lemmas[i].syn {
			if int(s) >= nsyn {
				return nil, errors.New("a lemma names no synset")
			}
		}
		for _, s := range t.lemmas[i].near {
			if int(s) >= nsyn {
				return nil, errors.New("a lemma names no synset")
			}
		}
	}
	return t, nil
}

// expansion builds what only the expanding calls need, once: the lemmas
// of each synset, the lemmas each synset is near, and the index terms of
// each lemma.
func (t *Table) expansion() {
	t.once.Do(func() {
		nsyn := 0
		for i := range t.lemmas {
			for _, s := range t.lemmas[i].syn {
				nsyn = max(nsyn, int(s)+1)
			}
			for _, s := range t.lemmas[i].near {
				nsyn = max(nsyn, int(s)+1)
			}
		}
		t.members = invert(t.lemmas, nsyn, func(e *entry) []uint32 { return e.syn })
		t.nearOf = invert(t.lemmas, nsyn, func(e *entry) []uint32 { return e.near })
		t.keysOf = make([][]uint32, len(t.lemmas))
		for k, ids := range t.stems.ids {
			for _, id := range ids {
				t.keysOf[id] = append(t.keysOf[id], uint32(k))
			}
		}
	})
}

// invert turns lemma -> synsets lists into synset -> lemmas lists, in one
// flat allocation.
func invert(lemmas []entry, nsyn int, list func(*entry) []uint32) [][]uint32 {
	start := make([]int, nsyn+1)
	for i := range lemmas {
		for _, s := range list(&lemmas[i]) {
			start[s+1]++
		}
	}
	for s := 1; s <= nsyn; s++ {
		start[s] += start[s-1]
	}
	flat := make([]uint32, start[nsyn])
	fill := slices.Clone(start)
	for i := range lemmas {
		for _, s := range list(&lemmas[i]) {
			flat[fill[s]] = uint32(i)
			fill[s]++
		}
	}
	out := make([][]uint32, nsyn)
	for s := range out {
		out[s] = flat[start[s]:start[s+1]:start[s+1]]
	}
	return out
}

// RelatedStems returns every index term the table relates to stem, each
// with its closest relation, stem itself as Same: the same answers as
// StemRelation(stem, x) for every x, gathered once. Look up a question's
// terms with it and a sentence's terms cost one map look-up each. It
// allocates the map (tens to a few hundred entries); nil for a stem the
// table does not know.
func (t *Table) RelatedStems(stem string) map[string]Relation {
	x := t.LookupStem(stem)
	if !x.Known() {
		return nil
	}
	t.expansion()
	out := map[string]Relation{}
	// A lemma is reached by its own stem and by the stems of its
	// irregular forms ("paid" for pay).
	put := func(ids []uint32, r Relation) {
		for _, id := range ids {
			for _, k := range t.keysOf[id] {
				if s := t.stems.keys[k]; out[s] < r {
					out[s] = r
				}
			}
		}
	}
	for _, id := range x.ids {
		e := &t.lemmas[id]
		for _, s := range e.near {
			put(t.nearOf[s], Sibling)
			put(t.members[s], Near)
		}
		for _, s := range e.syn {
			put(t.nearOf[s], Near)
			put(t.members[s], Synonym)
		}
		for _, f := range e.fam {
			put(t.lemmas[f].fam, Family)
		}
	}
	put(x.ids, Same)
	return out
}

// Len is the number of lemmas the table knows.
func (t *Table) Len() int { return len(t.words) }

// StemRelation relates two index terms (Porter stems, as the index's
// English analyser makes them): the closest relation between any lemmas
// the two stems stand for. It does not allocate.
func (t *Table) StemRelation(a, b string) Relation {
	if a == b {
		return Same
	}
	if len(a) > maxWord || len(b) > maxWord {
		return None
	}
	var ka, kb [maxWord]byte
	return t.closest(t.stems.find(append(ka[:0], a...)), t.stems.find(append(kb[:0], b...)))
}

// Relation relates two surface words as written, in any letter case. A
// word the table does not know relates only to itself. It does not
// allocate.
func (t *Table) Relation(a, b string) Relation {
	var ba, bb [maxWord]byte
	la, oka := lower(ba[:0], a)
	lb, okb := lower(bb[:0], b)
	if !oka || !okb {
		return None
	}
	if bytes.Equal(la, lb) {
		return Same
	}
	var xa, xb [maxLemmas]uint32
	na := t.lemmasOf(la, &xa)
	nb := t.lemmasOf(lb, &xb)
	return t.closest(xa[:na], xb[:nb])
}

// Term is a word or index term looked up once, to be related to many
// others with Between: the lemmas it stands for. The zero Term knows no
// lemma.
type Term struct {
	ids []uint32
}

// Known reports whether the table has the term.
func (x Term) Known() bool { return len(x.ids) > 0 }

// LookupStem looks up an index term (a Porter stem). It does not allocate.
func (t *Table) LookupStem(stem string) Term {
	if len(stem) > maxWord {
		return Term{}
	}
	var k [maxWord]byte
	return Term{t.stems.find(append(k[:0], stem...))}
}

// Lookup looks up a surface word as written. It allocates one small slice.
func (t *Table) Lookup(word string) Term {
	var b [maxWord]byte
	w, ok := lower(b[:0], word)
	if !ok {
		return Term{}
	}
	var ids [maxLemmas]uint32
	n := t.lemmasOf(w, &ids)
	if n == 0 {
		return Term{}
	}
	return Term{slices.Clone(ids[:n])}
}

// Between relates two looked-up terms; two unknown terms are None, even if
// spelt alike (compare the strings first). It does not allocate, and it is
// the cheap way to relate one question's terms to many sentences' terms:
// look each term up once, then call Between.
func (t *Table) Between(a, b Term) Relation {
	return t.closest(a.ids, b.ids)
}

// closest is the closest relation between a lemma of xs and one of ys.
func (t *Table) closest(xs, ys []uint32) Relation {
	best := None
	for _, i := range xs {
		for _, j := range ys {
			if i == j {
				return Same
			}
			best = max(best, relate(&t.lemmas[i], &t.lemmas[j]))
		}
	}
	return best
}

func relate(x, y *entry) Relation {
	switch {
	case meets(x.fam, y.fam):
		return Family
	case meets(x.syn, y.syn):
		return Synonym
	case meets(x.syn, y.near) || meets(x.near, y.syn):
		return Near
	case meets(x.near, y.near):
		return Sibling
	}
	return None
}

// meets reports whether two sorted lists share an element.
func meets(a, b []uint32) bool {
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] == b[0]:
			return true
		case a[0] < b[0]:
			a = a[1:]
		default:
			b = b[1:]
		}
	}
	return false
}

// lower appends s lower-cased (ASCII letters) to dst; false when s is too
// long to be a lemma the table keeps.
func lower(dst []byte, s string) ([]byte, bool) {
	if len(s) > maxWord {
		return dst, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// maxLemmas bounds the lemmas one surface word reduces to ("left": left,
// leave; "saw": saw, see).
const maxLemmas = 8

// suffixes are WordNet's detachment rules (its morphy), all parts of
// speech together: a word ending in the first string may be a form of the
// lemma ending in the second.
var suffixes = [...][2]string{
	{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"},
	{"men", "man"}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""},
	{"ing", "e"}, {"ing", ""}, {"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"},
}

// lemmasOf finds the lemmas of a lower-cased surface word: the word itself,
// its irregular readings and what WordNet's suffix rules make of it; a
// word that is a lemma itself keeps its plural "s" (news stays news, not
// new; sales stays sales).
func (t *Table) lemmasOf(w []byte, out *[maxLemmas]uint32) int {
	n := 0
	addID := func(id uint32) {
		for _, x := range out[:n] {
			if x == id {
				return
			}
		}
		if n < maxLemmas {
			out[n] = id
			n++
		}
	}
	if id, ok := t.lemma(w); ok {
		addID(id)
	}
	for _, id := range t.irreg.find(w) {
		addID(id)
	}
	isLemma := n > 0
	var buf [maxWord + 4]byte
	for _, r := range suffixes {
		if len(w) <= len(r[0])+1 || !bytes.HasSuffix(w, []byte(r[0])) || isLemma && r[1] == "" && r[0][len(r[0])-1] == 's' {
			continue
		}
		c := append(append(buf[:0], w[:len(w)-len(r[0])]...), r[1]...)
		if id, ok := t.lemma(c); ok {
			addID(id)
		}
	}
	return n
}

// lemma finds a lemma's id by halving the sorted lemmas. It does not
// allocate.
func (t *Table) lemma(w []byte) (uint32, bool) {
	lo, hi := 0, len(t.words)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.words[m] < string(w) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint32(lo), lo < len(t.words) && t.words[lo] == string(w)
}

// Lemmas returns the WordNet lemmas a surface word reduces to ("paying":
// pay), or nil. It allocates its result.
func (t *Table) Lemmas(word string) []string {
	var b [maxWord]byte
	w, ok := lower(b[:0], word)
	if !ok {
		return nil
	}
	var ids [maxLemmas]uint32
	n := t.lemmasOf(w, &ids)
	out := make([]string, n)
	for i, id := range ids[:n] {
		out[i] = t.words[id]
	}
	return out
}

// Expand returns the lemmas related to a surface word at least as closely
// as min (Family: its word family; Synonym: and the lemmas sharing a common
// sense; Near or Sibling: and those of the senses one step away; Expand
// never lists siblings, which are many), sorted, without the
// word's own lemmas. It allocates; call it once per question word, not per
// sentence.
func (t *Table) Expand(word string, min Relation) []string {
	var b [maxWord]byte
	w, ok := lower(b[:0], word)
	if !ok {
		return nil
	}
	var ids [maxLemmas]uint32
	n := t.lemmasOf(w, &ids)
	t.expansion()
	set := map[uint32]bool{}
	for _, id := range ids[:n] {
		t.expand(&t.lemmas[id], min, set)
	}
	for _, id := range ids[:n] {
		delete(set, id)
	}
	return t.names(set, t.words)
}

// ExpandStem is Expand for an index term: it returns the Porter stems of
// the related lemmas, without the term itself, ready to search the index
// with.
func (t *Table) ExpandStem(stem string, min Relation) []string {
	if len(stem) > maxWord {
		return nil
	}
	var k [maxWord]byte
	ids := t.stems.find(append(k[:0], stem...))
	if ids == nil {
		return nil
	}
	t.expansion()
	set := map[uint32]bool{}
	for _, id := range ids {
		t.expand(&t.lemmas[id], min, set)
	}
	seen := map[string]bool{stem: true}
	var out []string
	for id := range set {
		if s := t.stemOf[id]; !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func (t *Table) expand(e *entry, min Relation, set map[uint32]bool) {
	if min > Family {
		return
	}
	for _, id := range e.fam {
		set[id] = true
	}
	if min <= Synonym {
		for _, s := range e.syn {
			for _, id := range t.members[s] {
				set[id] = true
			}
		}
	}
	if min <= Near { // Sibling expands as Near: siblings are too many to list
		for _, s := range e.near {
			for _, id := range t.members[s] {
				set[id] = true
			}
		}
	}
}

func (t *Table) names(set map[uint32]bool, names []string) []string {
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, names[id])
	}
	slices.Sort(out)
	return out
}
