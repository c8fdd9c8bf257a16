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
// The table is read where it lies in the binary, never decoded as a whole:
// New only checks its header and offsets, so a one-question run of the bot
// pays well under a millisecond for it, not the tens of milliseconds that
// inflating and decoding a compressed table cost. It is compactly coded
// instead (sorted keys, lists of 16-bit ids read in place): about 1.6 MB.
//
// The table and its provenance are described in gen.go, which rebuilds it
// from Debian's wordnet-base; WordNet's licence is in LICENSE-WordNet.
package lexical

//go:generate go run gen.go -out table.bin

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
)

//go:embed table.bin
var tableBin string

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

const magic = "briefbot-lexical-6\n"

// The table's sections, in file order (see gen.go).
const (
	secLemmas    = iota // key: lemma; data: synsets, family, near synsets, own stem, irregular forms' stems
	secIrregular        // key: irregular form; data: its lemmas
	secStems            // key: Porter stem; data: its lemmas
	secSynsets          // no key; data: member lemmas, lemmas near it
	sections
)

// maxLemmas bounds the lemmas one term stands for ("left": left, leave;
// the stem "gener" more); the generator checks the table keeps to it.
const maxLemmas = 16

// maxWord is the longest surface word looked up; longer ones are in no
// WordNet lemma this table keeps, and a fixed buffer keeps lookups free of
// allocation.
const maxWord = 40

// Table answers lexical questions. Build one with New and share it: it is
// read-only and safe for concurrent use.
type Table struct {
	s     string        // the whole table
	n     [sections]int // records per section
	index [sections]int // where each section's offset array starts
}

// New checks the embedded table and returns it. It reads no more than its
// header and offsets (well under a millisecond); call it once at start and
// share the Table.
func New() (*Table, error) {
	t, err := open(tableBin)
	if err != nil {
		return nil, fmt.Errorf("lexical: the embedded WordNet table: %w", err)
	}
	return t, nil
}

var errCorrupt = errors.New("corrupt table")

func le32(s string, at int) int {
	return int(uint32(s[at]) | uint32(s[at+1])<<8 | uint32(s[at+2])<<16 | uint32(s[at+3])<<24)
}

func open(s string) (*Table, error) {
	if len(s) < len(magic) || s[:len(magic)] != magic {
		return nil, errors.New("not a lexical table of this version")
	}
	t := &Table{s: s}
	at := len(magic)
	if len(s) < at+4*(sections+1) {
		return nil, errCorrupt
	}
	for i := range t.n {
		t.n[i] = le32(s, at)
		at += 4
	}
	if le32(s, at) > maxLemmas {
		return nil, errors.New("a term stands for more lemmas than this code allows")
	}
	at += 4
	for i := range t.n {
		t.index[i] = at
		if t.n[i] > len(s) || at+4*(t.n[i]+1) > len(s) {
			return nil, errCorrupt
		}
		at += 4 * (t.n[i] + 1)
	}
	// Every record lies inside the table, in order, and holds its key.
	for i := range t.n {
		prev := at
		for j := 0; j <= t.n[i]; j++ {
			o := le32(s, t.index[i]+4*j)
			if o < prev || o > len(s) || j > 0 && prev+1+int(s[prev]) > o {
				return nil, errCorrupt
			}
			prev = o
		}
		at = prev
	}
	return t, nil
}

// start is where record i of section sec begins.
func (t *Table) start(sec, i int) int { return le32(t.s, t.index[sec]+4*i) }

// key is record i's key.
func (t *Table) key(sec, i int) string {
	a := t.start(sec, i)
	n := int(t.s[a])
	if a+1+n > len(t.s) {
		return ""
	}
	return t.s[a+1 : a+1+n]
}

// data is a cursor on record i's data.
func (t *Table) data(sec, i int) cursor {
	a := t.start(sec, i)
	return cursor{s: t.s[:t.start(sec, i+1)], at: a + 1 + int(t.s[a])}
}

// find returns the record of key k in a sorted section, by halving. It
// does not allocate.
func (t *Table) find(sec int, k []byte) (int, bool) {
	lo, hi := 0, t.n[sec]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.key(sec, m) < string(k) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < t.n[sec] && t.key(sec, lo) == string(k)
}

// cursor reads lists from a record's data; reading past the record yields
// zeros and empty lists.
type cursor struct {
	s  string
	at int
}

func (c *cursor) u16() int {
	if c.at+2 > len(c.s) {
		c.at = len(c.s)
		return 0
	}
	v := int(c.s[c.at]) | int(c.s[c.at+1])<<8
	c.at += 2
	return v
}

// list reads a list and leaves the cursor after it.
func (c *cursor) list() list {
	n := c.u16()
	if c.at+2*n > len(c.s) {
		n = (len(c.s) - c.at) / 2
	}
	l := list{s: c.s[c.at : c.at+2*n]}
	c.at += 2 * n
	return l
}

// list is a sorted id list read in place: little-endian uint16s.
type list struct {
	s   string
	cur uint32
}

// next moves to the next id; false at the end.
func (l *list) next() bool {
	if len(l.s) < 2 {
		return false
	}
	l.cur = uint32(l.s[0]) | uint32(l.s[1])<<8
	l.s = l.s[2:]
	return true
}

// meets reports whether two sorted lists share an id.
func meets(a, b list) bool {
	if !a.next() || !b.next() {
		return false
	}
	for {
		switch {
		case a.cur == b.cur:
			return true
		case a.cur < b.cur:
			if !a.next() {
				return false
			}
		default:
			if !b.next() {
				return false
			}
		}
	}
}

// lemmaLists are one lemma's lists.
type lemmaLists struct {
	syn, fam, near, irrStems list
	ownStem                  int
}

func (t *Table) lemmaLists(id uint32) lemmaLists {
	c := t.data(secLemmas, int(id))
	var l lemmaLists
	l.syn = c.list()
	l.fam = c.list()
	l.near = c.list()
	l.ownStem = c.u16()
	l.irrStems = c.list()
	return l
}

// Len is the number of lemmas the table knows.
func (t *Table) Len() int { return t.n[secLemmas] }

// Term is a word or index term looked up once, to be related to many
// others with Between: the lemmas it stands for. The zero Term knows no
// lemma. It is a small value; copying it is cheap.
type Term struct {
	ids [maxLemmas]uint32
	n   uint8
}

// Known reports whether the table has the term.
func (x Term) Known() bool { return x.n > 0 }

func (x *Term) add(id uint32) {
	for _, y := range x.ids[:x.n] {
		if y == id {
			return
		}
	}
	if int(x.n) < maxLemmas {
		x.ids[x.n] = id
		x.n++
	}
}

// LookupStem looks up an index term (a Porter stem). It does not allocate.
func (t *Table) LookupStem(stem string) Term {
	var x Term
	if len(stem) > maxWord {
		return x
	}
	var k [maxWord]byte
	i, ok := t.find(secStems, append(k[:0], stem...))
	if !ok {
		return x
	}
	c := t.data(secStems, i)
	l := c.list()
	for l.next() {
		x.add(l.cur)
	}
	return x
}

// Lookup looks up a surface word as written, in any letter case. It does
// not allocate.
func (t *Table) Lookup(word string) Term {
	var b [maxWord]byte
	w, ok := lower(b[:0], word)
	if !ok {
		return Term{}
	}
	return t.lemmasOf(w)
}

// StemRelation relates two index terms (Porter stems, as the index's
// English analyser makes them): the closest relation between any lemmas
// the two stems stand for. It does not allocate.
func (t *Table) StemRelation(a, b string) Relation {
	if a == b {
		return Same
	}
	return t.Between(t.LookupStem(a), t.LookupStem(b))
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
	if string(la) == string(lb) {
		return Same
	}
	return t.Between(t.lemmasOf(la), t.lemmasOf(lb))
}

// Between relates two looked-up terms: the closest relation between a
// lemma of one and a lemma of the other. Two unknown terms are None, even
// if spelt alike (compare the strings first). It does not allocate; to
// relate one question term to many sentences' terms, RelatedStems is
// cheaper still.
func (t *Table) Between(a, b Term) Relation {
	for _, i := range a.ids[:a.n] {
		for _, j := range b.ids[:b.n] {
			if i == j {
				return Same
			}
		}
	}
	if a.n == 0 || b.n == 0 {
		return None
	}
	// Each lemma's lists are found once, not once a pair.
	var la, lb [maxLemmas]lemmaLists
	for k, i := range a.ids[:a.n] {
		la[k] = t.lemmaLists(i)
	}
	for k, j := range b.ids[:b.n] {
		lb[k] = t.lemmaLists(j)
	}
	best := None
	for k := range a.n {
		for m := range b.n {
			if best = max(best, relate(&la[k], &lb[m])); best == Family {
				return best
			}
		}
	}
	return best
}

func relate(x, y *lemmaLists) Relation {
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
func (t *Table) lemmasOf(w []byte) Term {
	var x Term
	if i, ok := t.find(secLemmas, w); ok {
		x.add(uint32(i))
	}
	if i, ok := t.find(secIrregular, w); ok {
		c := t.data(secIrregular, i)
		l := c.list()
		for l.next() {
			x.add(l.cur)
		}
	}
	isLemma := x.n > 0
	var buf [maxWord + 4]byte
	for _, r := range suffixes {
		if len(w) <= len(r[0])+1 || string(w[len(w)-len(r[0]):]) != r[0] || isLemma && r[1] == "" && r[0][len(r[0])-1] == 's' {
			continue
		}
		c := append(append(buf[:0], w[:len(w)-len(r[0])]...), r[1]...)
		if i, ok := t.find(secLemmas, c); ok {
			x.add(uint32(i))
		}
	}
	return x
}

// Lemmas returns the WordNet lemmas a surface word reduces to ("paying":
// pay), or nil. It allocates its result.
func (t *Table) Lemmas(word string) []string {
	x := t.Lookup(word)
	out := make([]string, x.n)
	for i, id := range x.ids[:x.n] {
		out[i] = t.key(secLemmas, int(id))
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
	return t.relatedStems(stem, Sibling)
}

func (t *Table) relatedStems(stem string, min Relation) map[string]Relation {
	x := t.LookupStem(stem)
	if !x.Known() {
		return nil
	}
	lemmas := map[uint32]Relation{}
	t.gather(x, min, lemmas)
	// A lemma is reached by its own stem and by the stems of its
	// irregular forms ("paid" for pay).
	out := make(map[string]Relation, len(lemmas))
	put := func(stem int, r Relation) {
		if s := t.key(secStems, stem); out[s] < r {
			out[s] = r
		}
	}
	for id, r := range lemmas {
		l := t.lemmaLists(id)
		put(l.ownStem, r)
		for l.irrStems.next() {
			put(int(l.irrStems.cur), r)
		}
	}
	out[stem] = Same
	return out
}

// gather puts in out each lemma related to x at least as closely as min,
// with its closest relation to x.
func (t *Table) gather(x Term, min Relation, out map[uint32]Relation) {
	put := func(l list, r Relation) {
		for l.next() {
			if out[l.cur] < r {
				out[l.cur] = r
			}
		}
	}
	synset := func(id uint32) (members, nearOf list) {
		c := t.data(secSynsets, int(id))
		return c.list(), c.list()
	}
	for _, id := range x.ids[:x.n] {
		e := t.lemmaLists(id)
		if min <= Near {
			for n := e.near; n.next(); {
				members, nearOf := synset(n.cur)
				if min <= Sibling {
					put(nearOf, Sibling)
				}
				put(members, Near)
			}
		}
		for s := e.syn; s.next(); {
			members, nearOf := synset(s.cur)
			if min <= Near {
				put(nearOf, Near)
			}
			if min <= Synonym {
				put(members, Synonym)
			}
		}
		if min <= Family {
			for f := e.fam; f.next(); {
				put(t.lemmaLists(f.cur).fam, Family)
			}
		}
	}
	for _, id := range x.ids[:x.n] {
		out[id] = Same
	}
}

// Expand returns the lemmas related to a surface word at least as closely
// as min (Family: its word family; Synonym: and the lemmas sharing a common
// sense; Near: and those one step away; Sibling: and those near the same
// meanings), sorted, without the word's own lemmas. It allocates; call it
// once per question word, not per sentence.
func (t *Table) Expand(word string, min Relation) []string {
	x := t.Lookup(word)
	if !x.Known() || min == None {
		return nil
	}
	lemmas := map[uint32]Relation{}
	t.gather(x, min, lemmas)
	var out []string
	for id, r := range lemmas {
		if r < Same {
			out = append(out, t.key(secLemmas, int(id)))
		}
	}
	slices.Sort(out)
	return out
}

// ExpandStem is Expand for an index term: it returns the index terms
// (Porter stems) of the related lemmas, and the other terms of its own
// lemmas ("paid" for "pai"), without the term itself, ready to search the
// index with.
func (t *Table) ExpandStem(stem string, min Relation) []string {
	if min == None {
		return nil
	}
	rel := t.relatedStems(stem, min)
	var out []string
	for s, r := range rel {
		if r >= min && s != stem {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
