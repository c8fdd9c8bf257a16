//go:build ignore

// gen distils the embedded lexical table from WordNet 3.0 as Debian's
// wordnet-base package installs it. Only this generator needs WordNet; the
// table it writes is committed and embedded, so building and testing
// briefbot do not.
//
//	apt-get install -y wordnet-base
//	go generate ./briefs/lexical   (runs: go run gen.go -out table.bin)
//
// What it keeps, so the table stays small and its relations common:
//   - lemmas of one word (letters, perhaps with inner hyphens or
//     apostrophes); multi-word collocations are left out;
//   - for each lemma, the senses WordNet's sense-tagged corpus saw (index
//     files list senses most frequent first and count the tagged ones); a
//     synset is kept when it is a tagged sense of any of its lemmas, and
//     then relates all its lemmas (open's tagged sense "not brought to a
//     conclusion" brings in unresolved, whose own senses were not tagged);
//   - word families: derivationally related forms (+), pertainyms (\) and
//     participles (<) between lemmas of kept synsets;
//   - near meanings: the direct hypernyms (@) of kept synsets, unless too
//     general (maxHyponyms), and similar (&) and see-also (^) adjectives
//     and verbs; a word is also near what its family is near;
//   - the irregular forms of the *.exc files (paid -> pay, went -> go).
//
// The file's layout is described at type table below; lexical.go reads it
// in place.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/go-porterstemmer"
)

var posNames = []string{"noun", "verb", "adj", "adv"}

type synsetKey struct {
	pos    byte // n, v, a, r (satellites s are stored as a)
	offset int
}

type synset struct {
	words []string // lemma per word number (1-based in pointers)
	ptrs  []pointer
}

type pointer struct {
	sym            string
	to             synsetKey
	source, target int // word numbers; 0,0 is a semantic pointer
}

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "WordNet 3.0 database folder (Debian: wordnet-base)")
	out := flag.String("out", "table.bin", "table file to write")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		log.Fatal(err)
	}
}

func run(dir, out string) error {
	synsets := map[synsetKey]*synset{}
	for _, p := range posNames {
		if err := readData(filepath.Join(dir, "data."+p), synsets); err != nil {
			return err
		}
	}
	kept := map[synsetKey]bool{}
	for _, p := range posNames {
		if err := readIndex(filepath.Join(dir, "index."+p), kept); err != nil {
			return err
		}
	}
	v := relate(synsets, kept)
	for _, p := range posNames {
		if err := readExc(filepath.Join(dir, p+".exc"), v.syn, v.exc); err != nil {
			return err
		}
	}
	v.number()
	t, err := v.layout()
	if err != nil {
		return err
	}
	raw := t.bytes(uint32(v.maxLemmas))
	if err := os.WriteFile(out, raw, 0o644); err != nil {
		return err
	}
	fmt.Printf("%d words, %d synsets, %d irregular forms, %d stems (at most %d lemmas a stem): %d bytes\n",
		len(v.words), len(v.synID), len(v.exc), len(v.stemKeys), v.maxLemmas, len(raw))
	return nil
}

// vocab is what the table holds, as it is worked out.
type vocab struct {
	syn  map[string]map[synsetKey]bool // word -> its kept synsets
	fam  map[string]map[string]bool    // word -> its word family
	near map[string]map[synsetKey]bool // word -> synsets near in meaning
	exc  map[string]map[string]bool    // irregular form -> its lemmas

	words      []string
	wordID     map[string]uint32
	synID      map[synsetKey]uint32
	stemKeys   []string
	stemIdx    map[string]uint32
	irregStems map[uint32]map[uint32]bool // lemma -> stems of its irregular forms
	stemLemmas [][]uint32
	maxLemmas  int
}

// relate finds, for the single-word lemmas of kept synsets, their synsets,
// word families and near meanings.
func relate(synsets map[synsetKey]*synset, kept map[synsetKey]bool) *vocab {
	v := &vocab{syn: map[string]map[synsetKey]bool{}, fam: map[string]map[string]bool{},
		near: map[string]map[synsetKey]bool{}, exc: map[string]map[string]bool{}}
	for k := range kept {
		for _, w := range synsets[k].words {
			if oneWord(w) {
				add(v.syn, w, k)
			}
		}
	}
	for k := range kept {
		s := synsets[k]
		for _, p := range s.ptrs {
			switch p.sym {
			case "+", "\\", "<":
				if p.source == 0 || !kept[p.to] {
					continue
				}
				a, b := s.words[p.source-1], synsets[p.to].words[p.target-1]
				if a != b && v.syn[a] != nil && v.syn[b] != nil {
					add(v.fam, a, b)
					add(v.fam, b, a)
				}
			case "@", "&", "^":
				if !kept[p.to] {
					continue
				}
				for _, w := range s.words {
					if v.syn[w] != nil {
						add(v.near, w, p.to)
					}
				}
			}
		}
	}
	v.dropGeneral(synsets, kept)
	v.widen()
	return v
}

// dropGeneral forgets near meanings through a hypernym with many kept
// hyponyms ("act", "person"): too general to say two words under it are
// near in meaning.
func (v *vocab) dropGeneral(synsets map[synsetKey]*synset, kept map[synsetKey]bool) {
	hyponyms := map[synsetKey]int{}
	for k := range kept {
		for _, p := range synsets[k].ptrs {
			if p.sym == "@" {
				hyponyms[p.to]++
			}
		}
	}
	for w, ks := range v.near {
		for k := range ks {
			if hyponyms[k] > maxHyponyms {
				delete(ks, k)
			}
		}
		if len(ks) == 0 {
			delete(v.near, w)
		}
	}
}

// widen makes a word near what its family is near: pay (verb) -> payment
// -> cost.
func (v *vocab) widen() {
	wide := map[string]map[synsetKey]bool{}
	for w := range v.syn {
		for k := range v.near[w] {
			add(wide, w, k)
		}
		for f := range v.fam[w] {
			for k := range v.near[f] {
				add(wide, w, k)
			}
		}
	}
	v.near = wide
}

// number gives words, synsets and index terms their ids.
func (v *vocab) number() {
	v.words = make([]string, 0, len(v.syn))
	for w := range v.syn {
		v.words = append(v.words, w)
	}
	slices.Sort(v.words)
	v.wordID = map[string]uint32{}
	for i, w := range v.words {
		v.wordID[w] = uint32(i)
	}
	// Synsets get dense ids in order of first use; only synsets some word
	// carries can ever match, so near pointers to others are dropped.
	v.synID = map[synsetKey]uint32{}
	for _, w := range v.words {
		for _, k := range sortedKeys(v.syn[w]) {
			if _, ok := v.synID[k]; !ok {
				v.synID[k] = uint32(len(v.synID))
			}
		}
	}
	v.stems()
}

// stems numbers the index terms: each lemma under its Porter stem, and
// each irregular form's lemmas under the form's stem (the index makes
// "paid" of "paid", which is pay as well as the adjective paid).
func (v *vocab) stems() {
	own := map[string]map[uint32]bool{}
	irreg := map[string]map[uint32]bool{}
	for i, w := range v.words {
		add(own, porterstemmer.StemString(w), uint32(i))
	}
	for f, ls := range v.exc {
		for l := range ls {
			add(irreg, porterstemmer.StemString(f), v.wordID[l])
		}
	}
	v.stemKeys = sortedStrings(own)
	for k := range irreg {
		if own[k] == nil {
			v.stemKeys = append(v.stemKeys, k)
		}
	}
	slices.Sort(v.stemKeys)
	v.stemIdx = map[string]uint32{}
	for i, k := range v.stemKeys {
		v.stemIdx[k] = uint32(i)
	}
	// Each lemma's index terms: its own stem, and the stems of its
	// irregular forms.
	v.irregStems = map[uint32]map[uint32]bool{}
	for k, ids := range irreg {
		for id := range ids {
			add(v.irregStems, id, v.stemIdx[k])
		}
	}
	v.stemLemmas = make([][]uint32, len(v.stemKeys))
	for i, k := range v.stemKeys {
		set := map[uint32]bool{}
		for id := range own[k] {
			set[id] = true
		}
		for id := range irreg[k] {
			set[id] = true
		}
		v.stemLemmas[i] = keysOf(set)
		v.maxLemmas = max(v.maxLemmas, len(set))
	}
}

// layout writes the vocabulary into the table's sections.
func (v *vocab) layout() (*table, error) {
	if v.maxLemmas > 16 {
		return nil, fmt.Errorf("a stem stands for %d lemmas; raise maxLemmas in lexical.go", v.maxLemmas)
	}
	members := make([][]uint32, len(v.synID))
	nearOf := make([][]uint32, len(v.synID))
	nearIDs := make([][]uint32, len(v.words))
	for i, w := range v.words {
		for k := range v.syn[w] {
			members[v.synID[k]] = append(members[v.synID[k]], uint32(i))
		}
		for k := range v.near[w] {
			if id, ok := v.synID[k]; ok && !v.syn[w][k] {
				nearIDs[i] = append(nearIDs[i], id)
				nearOf[id] = append(nearOf[id], uint32(i))
			}
		}
	}
	t := &table{}
	t.section(v.words, func(d *bytes.Buffer, i int) {
		w := v.words[i]
		var ids []uint32
		for k := range v.syn[w] {
			ids = append(ids, v.synID[k])
		}
		putList(d, ids)
		ids = []uint32{uint32(i)} // a lemma is of its own family
		for f := range v.fam[w] {
			ids = append(ids, v.wordID[f])
		}
		putList(d, ids)
		putList(d, nearIDs[i])
		put16(d, int(v.stemIdx[porterstemmer.StemString(w)]))
		putList(d, keysOf(v.irregStems[uint32(i)]))
	})
	forms := sortedStrings(v.exc)
	t.section(forms, func(d *bytes.Buffer, i int) {
		var ids []uint32
		for l := range v.exc[forms[i]] {
			ids = append(ids, v.wordID[l])
		}
		putList(d, ids)
	})
	t.section(v.stemKeys, func(d *bytes.Buffer, i int) {
		putList(d, v.stemLemmas[i])
	})
	t.section(make([]string, len(v.synID)), func(d *bytes.Buffer, i int) {
		putList(d, members[i])
		putList(d, nearOf[i])
	})
	return t, nil
}

// table lays out the file lexical.go reads: the magic line; a header of
// little-endian uint32s, the number of records in each section and then
// the most lemmas a stem stands for; per section an array of record
// offsets (absolute, one more than the records, the last marking the
// end); then the records. A record is its key (a length byte and the
// bytes; keys are sorted) and its data: lists of ids, each a count and
// the sorted ids, all little-endian uint16s.
type table struct {
	sections [][][]byte
}

func (t *table) section(keys []string, data func(*bytes.Buffer, int)) {
	var recs [][]byte
	for i, k := range keys {
		if len(k) > 255 {
			panic("key too long: " + k)
		}
		var d bytes.Buffer
		d.WriteByte(byte(len(k)))
		d.WriteString(k)
		data(&d, i)
		recs = append(recs, d.Bytes())
	}
	t.sections = append(t.sections, recs)
}

func (t *table) bytes(maxLemmas uint32) []byte {
	le := binary.LittleEndian
	head := len(magic) + 4*(len(t.sections)+1)
	for _, recs := range t.sections {
		head += 4 * (len(recs) + 1)
	}
	out := make([]byte, head)
	copy(out, magic)
	at := len(magic)
	for _, recs := range t.sections {
		le.PutUint32(out[at:], uint32(len(recs)))
		at += 4
	}
	le.PutUint32(out[at:], maxLemmas)
	at += 4
	for _, recs := range t.sections {
		for _, r := range recs {
			le.PutUint32(out[at:], uint32(len(out)))
			at += 4
			out = append(out, r...)
		}
		le.PutUint32(out[at:], uint32(len(out)))
		at += 4
	}
	return out
}

func keysOf(m map[uint32]bool) []uint32 {
	out := make([]uint32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

const magic = "briefbot-lexical-6\n"

// maxHyponyms is the most kept hyponyms a hypernym may have and still make
// its hyponyms near to it and to each other. Counted over kept synsets, a
// hypernym has 1 hyponym at the median, 5 at the 90th percentile, 16 at
// the 99th and 140 at most; 25 keeps "cost" (5: price, payment ...) and
// drops the 27 catch-alls above it.
const maxHyponyms = 25

func oneWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'a' && c <= 'z' {
			continue
		}
		if (c == '-' || c == '\'') && i > 0 && i < len(w)-1 {
			continue
		}
		return false
	}
	return true
}

func add[K, V comparable](m map[K]map[V]bool, k K, v V) {
	if m[k] == nil {
		m[k] = map[V]bool{}
	}
	m[k][v] = true
}

func sortedKeys(m map[synsetKey]bool) []synsetKey {
	ks := make([]synsetKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b synsetKey) int {
		if a.pos != b.pos {
			return int(a.pos) - int(b.pos)
		}
		return a.offset - b.offset
	})
	return ks
}

func posKey(s string) byte {
	if s == "s" {
		return 'a'
	}
	return s[0]
}

// readData reads a data.POS file: one synset a line.
func readData(path string, synsets map[synsetKey]*synset) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read WordNet (apt-get install wordnet-base): %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue // licence header
		}
		if i := strings.Index(line, " | "); i >= 0 {
			line = line[:i]
		}
		fs := strings.Fields(line)
		off, _ := strconv.Atoi(fs[0])
		key := synsetKey{posKey(fs[2]), off}
		n, _ := strconv.ParseInt(fs[3], 16, 32)
		s := &synset{}
		i := 4
		for j := 0; j < int(n); j++ {
			w := strings.ToLower(fs[i])
			if k := strings.IndexByte(w, '('); k > 0 {
				w = w[:k] // adjective position marker: open(a)
			}
			s.words = append(s.words, w)
			i += 2
		}
		np, _ := strconv.Atoi(fs[i])
		i++
		for j := 0; j < np; j++ {
			to, _ := strconv.Atoi(fs[i+1])
			st := fs[i+3]
			src, _ := strconv.ParseInt(st[:2], 16, 32)
			tgt, _ := strconv.ParseInt(st[2:], 16, 32)
			s.ptrs = append(s.ptrs, pointer{fs[i], synsetKey{posKey(fs[i+2]), to}, int(src), int(tgt)})
			i += 4
		}
		synsets[key] = s
	}
	return sc.Err()
}

// readIndex reads an index.POS file and marks each lemma's kept senses:
// those the tagged corpus saw (listed first), or the first sense.
func readIndex(path string, kept map[synsetKey]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read WordNet (apt-get install wordnet-base): %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		fs := strings.Fields(line)
		if !oneWord(fs[0]) {
			continue
		}
		pos := posKey(fs[1])
		senses, _ := strconv.Atoi(fs[2])
		np, _ := strconv.Atoi(fs[3])
		tagged, _ := strconv.Atoi(fs[5+np])
		offs := fs[6+np:]
		if len(offs) != senses {
			return fmt.Errorf("%s: %s: %d senses, %d offsets", path, fs[0], senses, len(offs))
		}
		for j := 0; j < tagged; j++ {
			off, _ := strconv.Atoi(offs[j])
			kept[synsetKey{pos, off}] = true
		}
	}
	return sc.Err()
}

// readExc reads an irregular-forms file: "form lemma..." a line.
func readExc(path string, syn map[string]map[synsetKey]bool, exc map[string]map[string]bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read WordNet (apt-get install wordnet-base): %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fs := strings.Fields(line)
		if len(fs) < 2 || !oneWord(fs[0]) {
			continue
		}
		for _, l := range fs[1:] {
			if syn[l] != nil && l != fs[0] {
				add(exc, fs[0], l)
			}
		}
	}
	return nil
}

func putUvarint(b *bytes.Buffer, v uint64) {
	b.Write(binary.AppendUvarint(nil, v))
}

func sortedStrings[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// putList writes a set of ids sorted, as a count and then deltas.
func putList(b *bytes.Buffer, ids []uint32) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	put16(b, len(ids))
	for _, id := range ids {
		put16(b, int(id))
	}
}

// put16 writes a little-endian uint16: every id and count in the table
// fits one (fewer than 65536 lemmas, synsets and stems), and a list of
// them is read in place without decoding.
func put16(b *bytes.Buffer, v int) {
	if v < 0 || v > 0xffff {
		panic(fmt.Sprintf("%d does not fit 16 bits", v))
	}
	b.WriteByte(byte(v))
	b.WriteByte(byte(v >> 8))
}
