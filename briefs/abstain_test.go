package briefs

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"briefbot"
	"briefbot/briefs/lexical"
)

// Over a large corpus every question shares a word with some sentence;
// a question about what the corpus does not cover must still get "nothing
// answers", and one it covers an answer.
func TestAbstainLargeCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes a thousand generated articles")
	}
	dir := t.TempDir()
	goods := []string{"coffee", "cocoa", "sugar", "wheat", "copper", "tin", "rubber", "cotton"}
	places := []string{"Brazil", "Ghana", "Malaysia", "Chile", "Kenya", "Peru", "Egypt", "India"}
	verbs := []string{"rose", "fell", "steadied", "climbed", "eased"}
	// Each article mixes its facts with words drawn at random from a
	// large vocabulary, so no two are near copies (the index would fold
	// those into one story).
	rng := rand.New(rand.NewPCG(1, 2))
	filler := func(n int) string { return fillerWords(rng, n, "lex") }
	for i := range 1000 {
		g, p, v := goods[i%len(goods)], places[(i/len(goods))%len(places)], verbs[i%len(verbs)]
		body := fmt.Sprintf("---\ntitle: \"%s prices %s in %s\"\nsource: \"Wire %d\"\npublished: 1987-%02d-%02d\n---\n\n"+
			"World %s prices %s %d pct on Monday as traders in %s weighed %s.\n\n"+
			"Exporters in %s said the %s harvest was %d tonnes, while %s.\n\n"+
			"Dealers said %s would decide the price over the next %d weeks.\n",
			g, v, p, i%7, 1+i%9, 1+i%28, g, v, 1+i%12, p, filler(8), p, g, 1000*(1+i%50), filler(10), filler(8), 2+i%5)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("a%04d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	an := newAnswerer(t, dir, "")
	for _, tc := range []struct {
		q      string
		answer bool
	}{
		{"what did Comey say about the memo?", false},
		{"how much did Oculus cost Facebook?", false},
		{"why did the tea auction in Kenya collapse?", false},
		{"who won the football final in India?", false},
		{"what did the exporters in Ghana say about the cocoa harvest?", true},
		{"how many tonnes was the Kenya coffee harvest?", true},
	} {
		ans, err := an.Answer(context.Background(), briefbot.Question{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := !ans.NoAnswer && len(ans.Snippets) > 0; got != tc.answer {
			t.Errorf("%q: answered %v (%d snippets), want %v", tc.q, got, len(ans.Snippets), tc.answer)
		}
		if ans.Searched != 1000 {
			t.Errorf("%q: searched %d articles, want 1000", tc.q, ans.Searched)
		}
	}
}

// "What did X say about Y" is answered only by a sentence in which X is
// the speaker and which says something of Y; X named elsewhere, or X on
// another subject, does not answer it.
func TestAbstainUnspoken(t *testing.T) {
	dir := t.TempDir()
	body := "Sony announced a similar headset for its PlayStation 4 console last week.\n\n" +
		"Facebook is paying $2 billion in cash and stock for Oculus, Zuckerberg said on Tuesday.\n\n" +
		"Sony shares fell on the news, while Facebook shares were little changed.\n"
	writeArticle(t, dir, "a.md", "Facebook buys Oculus", "Wire", "2014-03-26", body)
	an := newAnswerer(t, dir, "")
	checkAnswered(t, an, []answerCase{
		{"what did Sony say about Facebook buying Oculus?", false},
		{"what did Zuckerberg say about Oculus?", true},
		{"what did Sony say?", true},
	})
}

// A multi-word name's last word stands for it as that word, not as
// anything that stems like it: "the Bowling Center" is no mention of the
// Super Bowl, while "Macron" is one of Emmanuel Macron.
func TestShortNameIsItsWord(t *testing.T) {
	dir := t.TempDir()
	docs := map[string]string{
		"bowl.md":   "Showboat Inc said its Hotel and Bowling Center won approval for a low-bet day.\n\nThe casino said the day would bring in new players.\n",
		"macron.md": "Macron said the talks on the budget would resume in the spring.\n\nThe president spoke in Paris.\n",
	}
	for name, body := range docs {
		writeArticle(t, dir, name, "Report", "Wire", "2013-12-27", body)
	}
	an := newAnswerer(t, dir, "")
	checkAnswered(t, an, []answerCase{
		{"who won the Super Bowl?", false},
		{"what did Emmanuel Macron say about the budget talks?", true},
	})
}

// "How did X react to Y" is answered only by a quote that names X and
// says something of Y: X quoted on another matter, or others quoted on
// Y, do not answer it.
func TestAbstainReactionNeedsBoth(t *testing.T) {
	dir := t.TempDir()
	body := "Sinn Fein said its bill on emigrant voting would be debated tomorrow evening.\n\n" +
		"The health minister said the court ruling would be answered with emergency legislation.\n\n" +
		"Labour said the court ruling left a gap in the drug laws that must be closed.\n"
	writeArticle(t, dir, "a.md", "Drug law struck down", "Wire", "2015-03-10", body)
	an := newAnswerer(t, dir, "")
	checkAnswered(t, an, []answerCase{
		{"how did Sinn Fein react to the court's ruling?", false},
		{"how did Labour react to the court's ruling?", true},
		{"what did Sinn Fein say about its bill?", true},
	})
}

// "How much" and "how many" are answered only by a sentence that shows
// a quantity: money for a question about paying, any measure for one
// about snow, a count for "how many". Articles that tell who bought the
// rifle, and how many were killed with it, do not say what it cost.
func TestAbstainWithoutQuantity(t *testing.T) {
	dir := t.TempDir()
	body := "Nancy Lanza bought the rifle her son used from a gun shop in 2010.\n\n" +
		"The gunman fired 154 rounds from the rifle in less than five minutes.\n\n" +
		"The storm dropped 8 to 12 inches of snow on Chicago.\n"
	writeArticle(t, dir, "a.md", "Lawsuit filed", "Wire", "2014-12-15", body)
	an := newAnswerer(t, dir, "")
	checkAnswered(t, an, []answerCase{
		{"how much did Nancy Lanza pay for the rifle?", false},
		{"how much snow fell on Chicago?", true},
		{"how many rounds did the gunman fire?", true},
	})
}

// answerCase is a question and whether the corpus answers it.
type answerCase struct {
	q      string
	answer bool
}

// checkAnswered asks each question and checks that it is answered, or
// refused with "nothing answers", as the case says.
func checkAnswered(t *testing.T, an *Answerer, cases []answerCase) {
	t.Helper()
	for _, tc := range cases {
		ans, err := an.Answer(context.Background(), briefbot.Question{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if got := !ans.NoAnswer && len(ans.Snippets) > 0; got != tc.answer {
			t.Errorf("%q: answered %v (%d snippets), want %v", tc.q, got, len(ans.Snippets), tc.answer)
		}
	}
}

// Reach is the share of the question one article has between its
// candidates; a name shared with one article and the rest of the question
// with others reach little.
func TestReach(t *testing.T) {
	r := retrieval{
		contentIDF:  map[string]float64{"lerner": 4, "accus": 2},
		contentMass: 6,
		entityIDF:   []float64{4},
		entityMass:  4,
	}
	an := Analysis{Entities: []Entity{{Text: "Lerner"}}}
	cand := func(article string, matched ...string) *candidate {
		c := &candidate{snip: briefbot.Snippet{Article: briefbot.Article{ID: article}}, matched: matched}
		if slices.Contains(matched, "lerner") {
			c.entities = []string{"Lerner"}
		}
		return c
	}
	for _, tc := range []struct {
		name  string
		cands []*candidate
		want  float64
	}{
		{"one article has all of it in two sentences", []*candidate{cand("a", "lerner"), cand("a", "accus")}, 1},
		{"the name in one article, the rest in another", []*candidate{cand("a", "lerner"), cand("b", "accus")}, 0.8},
		{"only the rest", []*candidate{cand("b", "accus")}, 0.2},
		{"nothing", nil, 0},
	} {
		if got := reach(tc.cands, r, an); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: reach %g, want %g", tc.name, got, tc.want)
		}
	}
}

// A word no sentence has is said otherwise when a word of its meaning or
// family is in the corpus: the question's "quit" is the articles'
// "resigned", its "Irish" their "Ireland". A word with neither is not,
// and a name only by a form of itself: Bush is no shrub.
func TestSaidOtherwise(t *testing.T) {
	dir := t.TempDir()
	writeArticle(t, dir, "a.md", "Clerk resigns", "Wire", "2014-12-15",
		"The city clerk resigned on Monday after months of complaints in Ireland.\n\n"+
			"Shrubs lined the road to the town hall.\n")
	an := newAnswerer(t, dir, "")
	ctx := context.Background()
	terms := an.analyze("clerk quit Irish zebra Bush")
	freq, _, err := an.sentenceFreq(ctx, terms)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rel  lexical.Relation
		want map[string]bool
	}{
		{lexical.Synonym, map[string]bool{"clerk": false, "quit": true, "irish": true, "zebra": false, "bush": true}},
		{lexical.Family, map[string]bool{"quit": false, "irish": true, "bush": false}},
	} {
		said, err := an.saidOtherwise(ctx, terms, freq, tc.rel)
		if err != nil {
			t.Fatal(err)
		}
		for term, want := range tc.want {
			if said[term] != want {
				t.Errorf("%v: %q said otherwise: %v, want %v (said %v)", tc.rel, term, said[term], want, said)
			}
		}
	}
}
