package briefs

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot"
	"briefbot/index"
)

func shippedLexicon(t testing.TB) *Lexicon {
	t.Helper()
	data, err := os.ReadFile("../configs/lexicon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lex, err := LoadLexicon(data)
	if err != nil {
		t.Fatal(err)
	}
	return lex
}

// newAnswerer indexes an articles folder into a fresh index under the
// test's temporary folder (or dir, when given) and answers from it.
func newAnswerer(t testing.TB, articles, dir string) *Answerer {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ix, _, err := index.Open(context.Background(), index.Options{Articles: articles, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return &Answerer{Index: ix, Lexicon: shippedLexicon(t)}
}

func parseDay(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(briefbot.DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseFilters(t *testing.T) {
	for _, tc := range []struct {
		in, text, source, since, until, err string
	}{
		{in: "what was agreed?", text: "what was agreed?"},
		{in: "source:NENC since:2025-12-01 what was agreed?", text: "what was agreed?", source: "NENC", since: "2025-12-01"},
		{in: `what was agreed source:"Herald Times" until:2025-12-31`, text: "what was agreed", source: "Herald Times", until: "2025-12-31"},
		{in: "SINCE:2025-01-02 who met?", text: "who met?", since: "2025-01-02"},
		{in: "since:yesterday who met?", err: "since:yesterday: the date must be YYYY-MM-DD"},
		{in: "until:2025-13-01 who met?", err: "until:2025-13-01: the date must be YYYY-MM-DD"},
	} {
		q, err := ParseFilters(briefbot.Question{Text: tc.in})
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		fmtDay := func(d time.Time) string {
			if d.IsZero() {
				return ""
			}
			return d.Format(briefbot.DateLayout)
		}
		if q.Text != tc.text || q.Source != tc.source || fmtDay(q.Since) != tc.since || fmtDay(q.Until) != tc.until {
			t.Errorf("%q: got text %q source %q since %q until %q", tc.in, q.Text, q.Source, fmtDay(q.Since), fmtDay(q.Until))
		}
	}
}

func TestAnalyze(t *testing.T) {
	lx := shippedLexicon(t)
	for _, tc := range []struct {
		q, kind, content string
		entities         []string
	}{
		{"what remained unresolved?", "unresolved", "", nil},
		{"What issues are still open questions?", "unresolved", "issues", nil},
		{"what did the two sides agree on?", "agreed", "two sides on", nil},
		{"who took part in the Miami talks?", "who", "in miami talks", []string{"Miami"}},
		{"when did the Miami talks end?", "when", "miami talks end", []string{"Miami"}},
		{"what did Macron say?", "said", "macron", []string{"Macron"}},
		{"what are the next steps after Miami?", "next", "miami", []string{"Miami"}},
		{"what is Russia's position?", "position", "russia", []string{"Russia"}},
		{"how would a ceasefire be enforced?", "how", "ceasefire be enforced", nil},
		{"What is the capital of Australia?", "free", "capital of australia", []string{"Australia"}},
		{"what was the 28-point plan?", "free", "28-point plan", []string{"28-point"}},
		{"how much is Facebook paying for Oculus?", "amount", "facebook paying for oculus", []string{"Facebook", "Oculus"}},
		{"how many families were evacuated?", "count", "families evacuated", nil},
		{"where will the next round be held?", "where", "will next round be held", nil},
		{"why did the talks collapse?", "why", "talks collapse", nil},
		{"on what grounds did the court strike down the law?", "why", "court strike down law", nil},
		{"what's behind the rise in prices?", "why", "rise in prices", nil},
		{"what's the death toll from the earthquake?", "count", "death from earthquake", nil},
		{"what is the union saying about the deal?", "said", "union deal", nil},
		{"what did the ministers say at the March meeting?", "said", "ministers at march meeting", nil},
	} {
		a := lx.Analyze(tc.q)
		var ents []string
		for _, e := range a.Entities {
			ents = append(ents, e.Text)
		}
		if a.KindName() != tc.kind || a.Content != tc.content || !slices.Equal(ents, tc.entities) {
			t.Errorf("%q: kind %q content %q entities %q; want %q %q %q", tc.q, a.KindName(), a.Content, ents, tc.kind, tc.content, tc.entities)
		}
	}
	// A name is also mentioned by its aliases and, for a full name, its
	// last word.
	a := lx.Analyze("what did Russia and Emmanuel Macron say?")
	if len(a.Entities) != 2 || !slices.Contains(a.Entities[0].Names, "kremlin") || !slices.Contains(a.Entities[1].Names, "macron") {
		t.Errorf("entities %+v: want Russia with its aliases and Emmanuel Macron as Macron", a.Entities)
	}
}

// A question's actor is its subject, between its auxiliary and the
// phrase that gives its type away, with the other names of a name in it;
// a sentence has it as speaker when it is next to a verb of saying.
func TestActor(t *testing.T) {
	lx := shippedLexicon(t)
	for _, tc := range []struct {
		q     string
		actor []string
	}{
		{"what did Macron say?", []string{"macron"}},
		{"how are Republicans in Congress reacting to the news?", []string{"republicans"}},
		{"what did Flynn's lawyer say about the memo?", []string{"flynn", "lawyer"}},
		{"how did the governor respond to Colbert's campaign?", []string{"governor"}},
		{"what is Russia's position?", []string{"russia", "russian", "russians", "moscow", "kremlin"}},
		{"what did she say in her resignation note?", nil},
		{"who took part in the Miami talks?", nil},
		{"when do the defendants next go before a judge?", nil},
		{"What is the capital of Australia?", nil},
	} {
		if got := lx.Analyze(tc.q).Actor; !slices.Equal(got, tc.actor) {
			t.Errorf("%q: actor %q, want %q", tc.q, got, tc.actor)
		}
	}
	for _, tc := range []struct {
		sentence string
		actor    []string
		want     bool
	}{
		{"The White House said the report was false.", []string{"white", "house"}, true},
		{"Flynn's lawyer, Robert Kelner, said he had no comment.", []string{"flynn", "lawyer"}, true},
		{"\"It is a mistake,\" said Sen. Tim Scott.", []string{"tim", "scott"}, true},
		{"According to a Democrat on the panel, the vote was rushed.", []string{"democrats"}, true},
		{"Comey said the president asked him to drop the probe into the White House adviser Michael Flynn.", []string{"white", "house"}, false},
		{"The White House faces questions about the memo.", []string{"white", "house"}, false},
		{"The university will appeal, saying Northwestern players are students, not employees.", []string{"northwestern"}, true},
		{"Moscow hit back on Thursday, warning of retaliation.", []string{"moscow"}, true},
	} {
		if got := speaks(words(tc.sentence), tc.actor); got != tc.want {
			t.Errorf("%q speaks as %q: %v, want %v", tc.sentence, tc.actor, got, tc.want)
		}
	}
}

func TestLoadLexiconErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, err string }{
		{"kinds: [a]", "lexicon: kinds: want a mapping of kind names to their phrases"},
		{"kinds:\n  who:\n    answer: [met]", "lexicon: kinds.who.ask: a kind needs at least one phrase"},
		{"kinds:\n  who:\n    ask: [who]\n    needs: colour", `lexicon: kinds.who.needs: "colour" is not person, date, quote, amount, count, place or reason`},
		{"kinds:\n  who:\n    ask: ['a-b c']\n", ""},
		{"kinds:\n  who:\n    ask: ['don''t+x']\n", `lexicon: kinds.who.ask: "don't+x": "don't+x" is not one word`},
	} {
		_, err := LoadLexicon([]byte(tc.yaml))
		if got := ""; err != nil {
			got = err.Error()
			if got != tc.err {
				t.Errorf("%q: error %q, want %q", tc.yaml, got, tc.err)
			}
		} else if tc.err != "" {
			t.Errorf("%q: no error, want %q", tc.yaml, tc.err)
		}
	}
}

// TestNeeds checks the feature that says whether a sentence shows what a
// question type asks for.
func TestNeeds(t *testing.T) {
	for _, tc := range []struct {
		kind, text string
		want       float64
	}{
		{"date", "The talks concluded on December 8, 2025.", 1},
		{"date", "Presley was born in 1935 in Tupelo.", 1},
		{"date", "The talks concluded without a deal.", 0},
		{"date", "Talks resume on 12 March in Geneva.", 1},
		{"date", "The ministers meet again next Tuesday.", 1},
		{"date", "The decree took effect 2025-12-01.", 1},
		{"date", "Shares fell 2,000 points in May.", 0},
		{"date", "The plan has 28 points.", 0},
		{"quote", `Macron stated, 'Ukraine needs security guarantees.'`, 1},
		{"quote", "Officials said the talks were useful.", 0.5},
		{"quote", "The talks were useful.", 0},
		{"quote", "The White House vehemently denied the report.", 0.5},
		{"quote", "The ministry dismissed the claims as baseless.", 0.5},
		{"quote", "He called it “a turning point”.", 1},
		{"quote", "Ukraine's position hardened, according to diplomats.", 0.5},
		{"quote", "Ukraine's position hardened.", 0},
		{"person", "The talks involve Jared Kushner, envoy Witkoff and Rustem Umerov.", 1},
		{"person", "The talks involve officials.", 0},
		{"amount", "Facebook is paying $2 billion for Oculus.", 1},
		{"amount", "The deal is worth 400 million dlrs.", 1},
		{"amount", "Inflation rose 12% last year.", 1},
		{"amount", "Facebook is paying way too much money.", 0},
		{"amount", "Last year the company spent Pounds 12m on advertising.", 1},
		{"amount", "Net profit rose to 5 mln dlrs.", 1},
		{"amount", "The storm dropped 8 to 12 inches of snow.", 0},
		{"count", "The fire forced 120 families from their homes.", 1},
		{"count", "Hundreds of families were moved.", 1},
		{"count", "Families were moved in 1987.", 0},
		{"place", "The talks were held in Geneva on Monday.", 1},
		{"place", "The talks were held in March.", 0},
		{"reason", "The plant closed because demand fell.", 1},
		{"reason", "Exports dropped due to the strike.", 1},
		{"reason", "Shares rose after the report.", 0.5},
		{"reason", "Shares rose on Monday.", 0},
	} {
		if got := needs(tc.kind, tc.text, words(tc.text)); got != tc.want {
			t.Errorf("needs(%s, %q) = %v, want %v", tc.kind, tc.text, got, tc.want)
		}
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"The U.S. and Russia’s 28-point plan.", "the u.s and russia 28-point plan"},
		{"Kyiv's 'red lines' -- rock-solid?", "kyiv red lines rock-solid"},
		{"Zelenskyy—Trump talks, 2025.", "zelenskyy trump talks 2025"},
		{"", ""},
	} {
		if got := strings.Join(words(tc.text), " "); got != tc.want {
			t.Errorf("words(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestAnalyzeCache checks that analysing a text chunk by chunk, through
// the cache, gives the terms the index gives for the whole text.
func TestAnalyzeCache(t *testing.T) {
	a := newAnswerer(t, "../articles", "")
	ix := a.Index.(*index.Index)
	snips, err := ix.SentencesOf(context.Background(), func() (ids []string) {
		for _, art := range ix.Articles() {
			ids = append(ids, art.ID)
		}
		return ids
	}())
	if err != nil || len(snips) == 0 {
		t.Fatalf("%d sentences, %v", len(snips), err)
	}
	texts := []string{"U.S.-backed  talks\tend;\u00a0Kyiv’s \"red lines\" hold", "  ", ""}
	for _, s := range snips {
		texts = append(texts, s.Text)
	}
	for round := 0; round < 2; round++ { // cold, then warm
		for _, text := range texts {
			terms, ws := a.terms.analyze(text, ix.Analyze, true)
			if want := ix.Analyze(text); !slices.Equal(terms, want) {
				t.Fatalf("terms of %q = %q, want %q", text, terms, want)
			}
			if want := words(text); !slices.Equal(ws, want) && len(ws)+len(want) > 0 {
				t.Fatalf("words of %q = %q, want %q", text, ws, want)
			}
		}
	}
}

// TestCueStrength: a cue phrase whose words are in many sentences counts
// for less than a rare one.
func TestCueStrength(t *testing.T) {
	a := newAnswerer(t, "../articles", "")
	var next *Kind
	for i := range a.Lexicon.Kinds {
		if a.Lexicon.Kinds[i].Name == "next" {
			next = &a.Lexicon.Kinds[i]
		}
	}
	ci, err := a.cueFreq(context.Background(), next)
	if err != nil {
		t.Fatal(err)
	}
	strength := map[string]float64{}
	for i, p := range next.Answer {
		strength[p.Text] = ci.strength[i]
	}
	if !(strength["will"] < strength["next step*"]) || strength["next step*"] != 1 {
		t.Errorf("strength of will %.2f, of next step* %.2f: want the rare phrase full and above the common one", strength["will"], strength["next step*"])
	}
	if ci.searched(len(ci.stems), cueBudget) == "" {
		t.Error("no cue word searched for")
	}
}

// TestWhenNeedsDate: every snippet answering "when" names a date or day.
func TestWhenNeedsDate(t *testing.T) {
	a := newAnswerer(t, "../articles", "")
	ans, err := a.Answer(context.Background(), briefbot.Question{Text: "when did the Miami talks end?"})
	if err != nil || len(ans.Snippets) == 0 {
		t.Fatalf("%d snippets, %v", len(ans.Snippets), err)
	}
	for _, s := range ans.Snippets {
		if !hasDate(words(s.Text)) {
			t.Errorf("snippet without a date: %q", s.Text)
		}
	}
}

func TestMentions(t *testing.T) {
	names := [][]string{{"black", "panther"}, {"bpp"}}
	for _, tc := range []struct {
		seq  []string
		want bool
	}{
		{[]string{"black", "panther", "parti", "found"}, true},
		{[]string{"panther", "black"}, false},
		{[]string{"the", "bpp"}, true},
		{nil, false},
	} {
		if got := mentions(tc.seq, names); got != tc.want {
			t.Errorf("mentions(%q) = %v, want %v", tc.seq, got, tc.want)
		}
	}
}

func TestOutletKeys(t *testing.T) {
	for _, tc := range []struct {
		a    briefbot.Article
		want []string
	}{
		{briefbot.Article{ID: "a.md", Source: "Reuters"}, []string{"reuters"}},
		{briefbot.Article{ID: "a.md"}, []string{"article:a.md"}},
		{briefbot.Article{ID: "a.md", Source: "Reuters", AlsoIn: []string{"AP", "reuters", " ", "Le Monde"}}, []string{"reuters", "ap", "le monde"}},
	} {
		if got := outletKeys(tc.a); !slices.Equal(got, tc.want) {
			t.Errorf("outletKeys(%+v) = %q, want %q", tc.a, got, tc.want)
		}
	}
}

// cand makes a candidate from text with the given score, its terms being
// its lower-cased words.
func cand(id, text string, score float64) *candidate {
	c := &candidate{snip: briefbot.Snippet{Text: text, Article: briefbot.Article{ID: id, Source: id}}, score: score}
	c.seq = words(text)
	c.text = strings.Join(words(text), " ")
	c.terms = slices.Compact(slices.Sorted(slices.Values(c.seq)))
	return c
}

func TestPick(t *testing.T) {
	t.Run("cut-off", func(t *testing.T) {
		got := pick([]*candidate{cand("a", "alpha beta", 1), cand("b", "gamma delta", 0.5), cand("c", "epsilon zeta", 0.2)}, 5, nil, testCover)
		if len(got) != 2 {
			t.Errorf("kept %d snippets, want the 2 above %.2f of the best", len(got), cutoff)
		}
	})
	t.Run("same sentence from two outlets", func(t *testing.T) {
		got := pick([]*candidate{cand("a", "The talks ended.", 1), cand("b", "The  talks ended.", 1), cand("c", "Another point entirely here.", 0.9)}, 5, nil, testCover)
		if len(got) != 2 || got[1].snip.Article.ID != "c" {
			t.Errorf("picked %d: the same text must not be quoted twice", len(got))
		}
	})
	t.Run("points", func(t *testing.T) {
		// With concept weights, a sentence adding a new point beats a
		// slightly stronger one repeating the first.
		cands := []*candidate{
			cand("a", "territory remains unresolved", 1),
			cand("b", "territory is still unresolved today", 0.95),
			cand("c", "reconstruction remains unresolved", 0.9),
		}
		concepts := map[string]float64{"territory": 3, "reconstruction": 2}
		got := pick(cands, 2, concepts, testCover)
		if len(got) != 2 || got[1].snip.Article.ID != "c" {
			t.Errorf("second pick %s, want the one on reconstruction", got[1].snip.Article.ID)
		}
		if got := pick(cands, 2, nil, testCover); got[1].snip.Article.ID != "b" {
			t.Errorf("without concepts the second pick is %s, want the stronger b", got[1].snip.Article.ID)
		}
	})
}

func TestSortCandidatesTies(t *testing.T) {
	old, recent := cand("old.md", "x", 0.5), cand("new.md", "x", 0.5)
	old.snip.Article.Published = parseDay(t, "2025-01-01")
	recent.snip.Article.Published = parseDay(t, "2025-06-01")
	better := cand("z.md", "x", 0.5)
	better.f.Coverage = 1
	cs := []*candidate{old, recent, better}
	sortCandidates(cs)
	if cs[0] != better || cs[1] != recent || cs[2] != old {
		t.Errorf("ties must go by features, then the newer article")
	}
}

// devQuestions are the dev set's questions (../shared/eval/dev.json) and a
// question the sample corpus cannot answer.
var devQuestions = []struct{ id, q string }{
	{"unresolved", "what remained unresolved?"},
	{"participants", "who took part in the Miami talks?"},
	{"agreed", "what did the two sides agree on?"},
	{"macron", "what did Macron say?"},
	{"next", "what are the next steps after Miami?"},
	{"when", "when did the Miami talks end?"},
	{"28point", "what was the 28-point plan?"},
	{"enforce", "how would a ceasefire be enforced?"},
	{"russia", "what is Russia's position?"},
	{"reconstruction", "what about reconstruction and refugees?"},
	{"noanswer", "What is the capital of Australia?"},
}

func render(t *testing.T, ans briefbot.Answer) (text, js string) {
	t.Helper()
	var tb, jb bytes.Buffer
	if err := WriteAnswerText(&tb, ans); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jb, ans); err != nil {
		t.Fatal(err)
	}
	return tb.String(), jb.String()
}

// TestAnswersGolden pins the answers to the dev questions over the sample
// articles, as text and JSON, and checks what every answer promises:
// verbatim quotes, no sentence twice, points that index the snippets.
func TestAnswersGolden(t *testing.T) {
	an := newAnswerer(t, "../articles", "")
	files := map[string][]byte{}
	for _, q := range devQuestions {
		ans, err := an.Answer(context.Background(), briefbot.Question{Text: q.q})
		if err != nil {
			t.Fatalf("%s: %v", q.id, err)
		}
		seen := map[string]bool{}
		inPoints := map[int]bool{}
		for _, p := range ans.Points {
			if p.Outlets < 1 || p.Outlets > p.Of {
				t.Errorf("%s: point %q says %d of %d outlets", q.id, p.Label, p.Outlets, p.Of)
			}
			// A point is made by two snippets or two outlets, and its
			// label is quoted from its snippets.
			if len(p.Snippets) < 2 && p.Outlets < 2 {
				t.Errorf("%s: point %q has %d snippet from %d outlet", q.id, p.Label, len(p.Snippets), p.Outlets)
			}
			quoted := false
			for _, i := range p.Snippets {
				if inPoints[i] {
					t.Errorf("%s: snippet %d in two points", q.id, i)
				}
				inPoints[i] = true
				quoted = quoted || strings.Contains(ans.Snippets[i].Text, p.Label)
			}
			if !quoted {
				t.Errorf("%s: point label %q is not quoted from its snippets", q.id, p.Label)
			}
		}
		for _, s := range ans.Snippets {
			if seen[s.Text] {
				t.Errorf("%s: %q quoted twice", q.id, s.Text)
			}
			seen[s.Text] = true
			if files[s.Article.Path] == nil {
				if files[s.Article.Path], err = os.ReadFile(s.Article.Path); err != nil {
					t.Fatal(err)
				}
			}
			if string(files[s.Article.Path][s.Start:s.End]) != s.Text {
				t.Errorf("%s: %q is not the bytes %d:%d of %s", q.id, s.Text, s.Start, s.End, s.Article.Path)
			}
		}
		if len(ans.Snippets) > 5 {
			t.Errorf("%s: %d snippets, over the default limit", q.id, len(ans.Snippets))
		}
		text, js := render(t, ans)
		golden(t, "answers", q.id+".txt", text)
		golden(t, "answers", q.id+".json", js)
	}
}

func TestNoAnswer(t *testing.T) {
	an := newAnswerer(t, "../articles", "")
	for _, q := range []string{
		"What is the capital of Australia?",
		"Who won the 1998 World Cup?",
		"what did Angela Merkel say about the euro?",
	} {
		ans, err := an.Answer(context.Background(), briefbot.Question{Text: q})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if !ans.NoAnswer || len(ans.Snippets) != 0 || ans.Snippets == nil {
			t.Errorf("%q: no_answer %v with %d snippets; want an honest no answer and an empty list", q, ans.NoAnswer, len(ans.Snippets))
		}
	}
	if _, err := an.Answer(context.Background(), briefbot.Question{Text: " source:NENC "}); err != ErrEmptyQuestion {
		t.Errorf("a question of filters only: %v, want ErrEmptyQuestion", err)
	}
}

func TestAnswerFilters(t *testing.T) {
	an := newAnswerer(t, "../articles", "")
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		q        briefbot.Question
		searched int
		source   string
		none     bool
	}{
		{name: "inline source, first word of the outlet", q: briefbot.Question{Text: "source:NENC what was agreed?"}, searched: 1, source: "NENC Media Group"},
		{name: "inline source, no such outlet", q: briefbot.Question{Text: "source:Nowhere what was agreed?"}, searched: 0, none: true},
		{name: "inline quoted source", q: briefbot.Question{Text: `source:"NENC Media Group" what was agreed?`}, searched: 1, source: "NENC Media Group"},
		{name: "source flag", q: briefbot.Question{Text: "what remained unresolved?", Source: "herald times"}, searched: 1, source: "Herald Times"},
		{name: "since after every article", q: briefbot.Question{Text: "since:2025-12-09 what remained unresolved?"}, searched: 0, none: true},
		{name: "until the day", q: briefbot.Question{Text: "what remained unresolved?", Until: parseDay(t, "2025-12-08")}, searched: 5},
		{name: "until before", q: briefbot.Question{Text: "what remained unresolved?", Until: parseDay(t, "2025-12-07")}, searched: 0, none: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := an.Answer(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if ans.Searched != tc.searched || ans.NoAnswer != tc.none {
				t.Errorf("searched %d no_answer %v, want %d %v", ans.Searched, ans.NoAnswer, tc.searched, tc.none)
			}
			if strings.Contains(ans.Question, ":") {
				t.Errorf("question %q still carries its filters", ans.Question)
			}
			for _, s := range ans.Snippets {
				if tc.source != "" && s.Article.Source != tc.source {
					t.Errorf("snippet from %q, want only %q", s.Article.Source, tc.source)
				}
			}
		})
	}
	if _, err := an.Answer(ctx, briefbot.Question{Text: "since:12/01/2025 what was agreed?"}); err == nil {
		t.Error("a bad inline date must be an error")
	}
}

func TestAnswerExplain(t *testing.T) {
	an := newAnswerer(t, "../articles", "")
	ans, err := an.Answer(context.Background(), briefbot.Question{Text: "when did the Miami talks end?", Explain: true, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Snippets) == 0 {
		t.Fatal("no snippets")
	}
	for _, s := range ans.Snippets {
		e := s.Explain
		if e == nil || len(e.Components) == 0 || !slices.Contains(e.Entities, "Miami") {
			t.Fatalf("snippet %q: explanation %+v, want components and the entity Miami", s.Text, e)
		}
	}
	text, js := render(t, ans)
	golden(t, "answers", "explain.txt", text)
	golden(t, "answers", "explain.json", js)
}

func TestAnswerLimit(t *testing.T) {
	an := newAnswerer(t, "../articles", "")
	for _, limit := range []int{1, 3, 12} {
		ans, err := an.Answer(context.Background(), briefbot.Question{Text: "what remained unresolved?", Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(ans.Snippets) == 0 || len(ans.Snippets) > limit {
			t.Errorf("limit %d: %d snippets", limit, len(ans.Snippets))
		}
	}
}

// TestAnswerMatches: finding a type's answer phrases by their first word
// finds what looking for each phrase everywhere finds.
func TestAnswerMatches(t *testing.T) {
	lex := shippedLexicon(t)
	texts := []string{
		"The talks left core questions unresolved and remain elusive, with no significant breakthrough.",
		"Officials said the next steps are likely to include further talks, and they will resume on Monday.",
		"Both sides agree on a framework; it was led by envoy Witkoff and they reached agreement on monitoring.",
		"",
	}
	for i := range lex.Kinds {
		k := &lex.Kinds[i]
		hit := make([]bool, len(k.Answer))
		for _, text := range texts {
			ws := words(text)
			k.answerMatches(ws, hit)
			for j, p := range k.Answer {
				if want := p.find(ws) >= 0; hit[j] != want {
					t.Errorf("%s: %q in %q: got %v, want %v", k.Name, p.Text, text, hit[j], want)
				}
			}
		}
	}
}

// testCover is what the points a pick adds are worth in the pick tests:
// enough for a new point to outweigh a slightly better score.
const testCover = 0.6

// A point's label does not cut a name short: the run of point words
// "Rustem" takes the rest of "Rustem Umerov" from the snippet it quotes,
// even past the label's length, and stops at the end of the name or
// after more words.
func TestWholeName(t *testing.T) {
	texts := []string{"Delegates include Defense Minister Rustem Umerov and General Oleksandr Hnatov, Chief of Staff."}
	for _, tc := range []struct {
		phrase string
		more   int
		want   string
	}{
		{"Rustem", 2, "Rustem Umerov"},
		{"Minister Rustem", 1, "Minister Rustem Umerov"},
		{"Defense Minister Rustem", 0, "Defense Minister Rustem"},
		{"Defense Minister Rustem", nameRest, "Defense Minister Rustem Umerov"},
		{"Defense", nameRest, "Defense Minister Rustem Umerov"},
		{"Oleksandr", 2, "Oleksandr Hnatov"},
		{"Staff", 2, "Staff"},
		{"delegates", 2, "delegates"},
	} {
		if got := wholeName(texts, tc.phrase, tc.more); got != tc.want {
			t.Errorf("wholeName(%q, %d) = %q, want %q", tc.phrase, tc.more, got, tc.want)
		}
	}
}
