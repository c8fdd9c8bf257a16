package lexical

import (
	"slices"
	"testing"

	"github.com/blevesearch/go-porterstemmer"
)

func newTable(tb testing.TB) *Table {
	tb.Helper()
	t, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestRelation(t *testing.T) {
	lx := newTable(t)
	for _, c := range []struct {
		a, b string
		want Relation
	}{
		// Inflections and irregular forms reduce to one lemma.
		{"paying", "pay", Same},
		{"paid", "Pay", Same},
		{"left", "leave", Same},
		{"families", "family", Same},
		{"rose", "rise", Same},
		{"Talks", "talks", Same},
		// Word families.
		{"paid", "payment", Family},
		{"decide", "decision", Family},
		{"decided", "decisions", Family},
		// A common sense shared.
		{"open", "unresolved", Synonym},
		{"unresolved", "open", Synonym},
		{"car", "automobile", Synonym},
		{"talks", "negotiations", Synonym},
		{"price", "cost", Synonym},
		// One step away.
		{"pay", "cost", Near},
		{"rise", "increase", Near},
		// Both near one meaning.
		{"paying", "price", Sibling},
		// Unrelated, unknown, or kept apart on purpose.
		{"news", "new", None},
		{"bank", "river", None},
		{"the", "a", None},
		{"qwzx", "pay", None},
		{"", "pay", None},
	} {
		if got := lx.Relation(c.a, c.b); got != c.want {
			t.Errorf("Relation(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := lx.Relation(c.b, c.a); got != c.want {
			t.Errorf("Relation(%q, %q) = %v, want %v (not symmetric)", c.b, c.a, got, c.want)
		}
	}
}

// TestStemRelation relates index terms, made with the Porter stemmer the
// index's English analyser uses.
func TestStemRelation(t *testing.T) {
	lx := newTable(t)
	stem := porterstemmer.StemString
	for _, c := range []struct {
		a, b string
		want Relation
	}{
		{"unresolved", "open", Synonym},
		{"paid", "payment", Family}, // "paid" is an irregular form of pay
		{"decision", "decide", Family},
		{"negotiations", "talks", Synonym},
		{"price", "cost", Synonym},
		{"paying", "paid", Same},
		{"bank", "river", None},
	} {
		if got := lx.StemRelation(stem(c.a), stem(c.b)); got != c.want {
			t.Errorf("StemRelation(%q, %q) of %q, %q = %v, want %v", stem(c.a), stem(c.b), c.a, c.b, got, c.want)
		}
	}
}

func TestLemmas(t *testing.T) {
	lx := newTable(t)
	for _, c := range []struct {
		word string
		want []string
	}{
		{"paying", []string{"paying", "pay"}},
		{"left", []string{"left", "leave"}},
		{"Families", []string{"family"}},
		{"news", []string{"news"}},
		{"qwzx", []string{}},
	} {
		if got := lx.Lemmas(c.word); !slices.Equal(got, c.want) {
			t.Errorf("Lemmas(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestExpand(t *testing.T) {
	lx := newTable(t)
	for _, c := range []struct {
		word    string
		min     Relation
		has     []string
		hasNot  []string
		stemmed bool
	}{
		{word: "unresolved", min: Synonym, has: []string{"open", "undecided"}, hasNot: []string{"unresolved"}},
		{word: "unresolved", min: Family, hasNot: []string{"open"}},
		{word: "pay", min: Family, has: []string{"payment"}, hasNot: []string{"cost", "pay"}},
		{word: "price", min: Near, has: []string{"cost", "value"}},
		{word: "unresolv", min: Synonym, has: []string{"open", "undecid"}, stemmed: true},
		{word: "pai", min: Family, has: []string{"payment"}, stemmed: true},
	} {
		var got []string
		if c.stemmed {
			got = lx.ExpandStem(c.word, c.min)
		} else {
			got = lx.Expand(c.word, c.min)
		}
		for _, w := range c.has {
			if !slices.Contains(got, w) {
				t.Errorf("Expand(%q, %v) = %q, missing %q", c.word, c.min, got, w)
			}
		}
		for _, w := range c.hasNot {
			if slices.Contains(got, w) {
				t.Errorf("Expand(%q, %v) = %q, should not have %q", c.word, c.min, got, w)
			}
		}
	}
}

// TestLookupsDoNotAllocate: the ranker may call these for every pair of
// question and sentence words.
func TestLookupsDoNotAllocate(t *testing.T) {
	lx := newTable(t)
	if n := testing.AllocsPerRun(100, func() {
		lx.Relation("Paying", "prices")
		lx.StemRelation("unresolv", "open")
		lx.Between(lx.Lookup("talks"), lx.LookupStem("negoti"))
	}); n != 0 {
		t.Errorf("a lookup allocates %v times, want 0", n)
	}
}

func TestCorruptTable(t *testing.T) {
	for _, data := range []string{"", "not a table", magic, tableBin[:len(tableBin)/2], tableBin[:len(magic)+20]} {
		if _, err := open(data); err == nil {
			t.Errorf("decode of %d bytes of a broken table: no error", len(data))
		}
	}
}

// TestExpandStemHasIrregularForms: an index term expands to the terms the
// index makes of its lemmas' irregular forms.
func TestExpandStemHasIrregularForms(t *testing.T) {
	lx := newTable(t)
	if got := lx.ExpandStem("pai", Family); !slices.Contains(got, "paid") {
		t.Errorf("ExpandStem(pai, family) = %q, missing paid", got)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}

var benchWords = []string{"paying", "price", "unresolved", "open", "talks", "negotiations", "said", "families", "government", "qwzx"}

func BenchmarkRelation(b *testing.B) {
	lx := newTable(b)
	n := len(benchWords)
	i := 0
	for b.Loop() {
		lx.Relation(benchWords[i%n], benchWords[(i/n)%n])
		i++
	}
}

func BenchmarkStemRelation(b *testing.B) {
	lx := newTable(b)
	stems := make([]string, len(benchWords))
	for i, w := range benchWords {
		stems[i] = porterstemmer.StemString(w)
	}
	n := len(stems)
	i := 0
	for b.Loop() {
		lx.StemRelation(stems[i%n], stems[(i/n)%n])
		i++
	}
}

func TestBetween(t *testing.T) {
	lx := newTable(t)
	q := lx.LookupStem(porterstemmer.StemString("unresolved"))
	if !q.Known() {
		t.Fatal("unresolved is not in the table")
	}
	for _, c := range []struct {
		term string
		want Relation
	}{
		{"open", Synonym}, {"undecid", Synonym}, {"unresolv", Same}, {"bank", None}, {"qwzx", None},
	} {
		if got := lx.Between(q, lx.LookupStem(c.term)); got != c.want {
			t.Errorf("Between(unresolv, %q) = %v, want %v", c.term, got, c.want)
		}
	}
	if got := lx.Between(lx.Lookup("Paying"), lx.Lookup("payment")); got != Family {
		t.Errorf("Between(Paying, payment) = %v, want family", got)
	}
	if got := lx.Between(Term{}, Term{}); got != None {
		t.Errorf("Between of unknown terms = %v, want none", got)
	}
}

// BenchmarkBetween is the ranker's inner loop: one question term looked up
// once against a sentence's terms each looked up.
func BenchmarkBetween(b *testing.B) {
	lx := newTable(b)
	q := lx.LookupStem("pai")
	stems := make([]string, len(benchWords))
	for i, w := range benchWords {
		stems[i] = porterstemmer.StemString(w)
	}
	i := 0
	for b.Loop() {
		lx.Between(q, lx.LookupStem(stems[i%len(stems)]))
		i++
	}
}

// TestRelatedStemsAgreesWithStemRelation: the gathered map must say what
// the pairwise call says, for every term it lists and for terms it omits.
func TestRelatedStemsAgreesWithStemRelation(t *testing.T) {
	lx := newTable(t)
	probe := []string{"pai", "paid", "unresolv", "open", "price", "cost", "talk", "negoti", "decis", "decid", "rise", "rose", "increas", "bank", "river", "leav", "left", "famili", "govern"}
	for _, q := range probe {
		rel := lx.RelatedStems(q)
		if rel == nil {
			t.Fatalf("RelatedStems(%q) = nil", q)
		}
		for s, r := range rel {
			if got := lx.StemRelation(q, s); got != r {
				t.Errorf("RelatedStems(%q)[%q] = %v, StemRelation = %v", q, s, r, got)
			}
		}
		for _, s := range probe {
			if got := lx.StemRelation(q, s); got != rel[s] {
				t.Errorf("StemRelation(%q, %q) = %v, RelatedStems has %v", q, s, got, rel[s])
			}
		}
	}
	if got := lx.RelatedStems("unresolv")["open"]; got != Synonym {
		t.Errorf("RelatedStems(unresolv)[open] = %v, want synonym", got)
	}
	if lx.RelatedStems("qwzx") != nil {
		t.Error("RelatedStems of an unknown term is not nil")
	}
}

func BenchmarkRelatedStems(b *testing.B) {
	lx := newTable(b)
	lx.RelatedStems("pai") // the one-off expansion index
	i := 0
	for b.Loop() {
		lx.RelatedStems(benchWords[i%len(benchWords)])
		i++
	}
}

// FuzzLookups: question and article words are outside input; no word may
// make a lookup fail, and relations stay symmetric.
func FuzzLookups(f *testing.F) {
	for _, s := range []string{"paying", "Unresolved", "", "ÉTÉ", "x\x00y", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		f.Add(s, "price")
	}
	lx := newTable(f)
	f.Fuzz(func(t *testing.T, a, b string) {
		if r1, r2 := lx.Relation(a, b), lx.Relation(b, a); r1 != r2 {
			t.Fatalf("Relation(%q, %q) = %v but Relation(%q, %q) = %v", a, b, r1, b, a, r2)
		}
		if r1, r2 := lx.StemRelation(a, b), lx.StemRelation(b, a); r1 != r2 {
			t.Fatalf("StemRelation(%q, %q) = %v but the reverse is %v", a, b, r1, r2)
		}
		lx.Lemmas(a)
		lx.Expand(a, Sibling)
		lx.ExpandStem(a, Sibling)
		lx.RelatedStems(a)
	})
}
