package briefs

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"briefbot"
	"briefbot/index"
)

// newBriefer indexes the articles folder into a fresh index and returns a
// briefer over it with the shipped lexicon.
func newBriefer(t testing.TB, articles, dir string) *Briefer {
	t.Helper()
	ix, _, err := index.Open(context.Background(), index.Options{Articles: articles, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	data, err := os.ReadFile("../configs/lexicon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lex, err := LoadLexicon(data)
	if err != nil {
		t.Fatal(err)
	}
	return &Briefer{Index: ix, Answerer: &Answerer{Index: ix, Lexicon: lex}}
}

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(briefbot.DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func quotes(b briefbot.Brief) []briefbot.Snippet {
	var out []briefbot.Snippet
	for _, st := range b.Stories {
		for _, s := range st.Sections {
			out = append(out, s.Snippets...)
		}
	}
	if b.Markets != nil {
		out = append(out, b.Markets.Snippets...)
	}
	return out
}

// section finds a story's section by title.
func section(st briefbot.Story, title string) (briefbot.Section, bool) {
	for _, s := range st.Sections {
		if s.Title == title {
			return s, true
		}
	}
	return briefbot.Section{}, false
}

// contentWords are a quote's lower-case words less the commonest ones.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words(s) {
		if len(w) > 3 {
			out[w] = true
		}
	}
	return out
}

// checkBrief checks what every briefing must satisfy.
func checkBrief(t *testing.T, b briefbot.Brief) {
	t.Helper()
	qs := quotes(b)
	if len(qs) < 6 || len(qs) > 24 {
		t.Errorf("%d quotes, want 6 to 24", len(qs))
	}
	files := map[string][]byte{}
	for i, q := range qs {
		data, ok := files[q.Article.Path]
		if !ok {
			var err error
			if data, err = os.ReadFile(q.Article.Path); err != nil {
				t.Fatal(err)
			}
			files[q.Article.Path] = data
		}
		if q.Start < 0 || q.End > len(data) || q.Start >= q.End || string(data[q.Start:q.End]) != q.Text {
			t.Errorf("quote %d is not the bytes %d:%d of %s: %q", i+1, q.Start, q.End, q.Article.Path, q.Text)
		}
		if len(q.Text) > 1024 {
			t.Errorf("quote %d is %d bytes, over Discord's 1024", i+1, len(q.Text))
		}
		if q.Article.Title == "" || q.Article.Day() != b.Date {
			t.Errorf("quote %d cites %q of %s, not an article of %s", i+1, q.Article.Title, q.Article.Day(), b.Date)
		}
		for j, p := range qs[:i] {
			if p.Text == q.Text {
				t.Errorf("quotes %d and %d are the same sentence: %q", j+1, i+1, q.Text)
				continue
			}
			a, c := contentWords(p.Text), contentWords(q.Text)
			if len(a) > len(c) {
				a, c = c, a
			}
			shared := 0
			for w := range a {
				if c[w] {
					shared++
				}
			}
			if shared*2 > len(a) {
				t.Errorf("quotes %d and %d share %d of %d words:\n  %s\n  %s", j+1, i+1, shared, len(a), p.Text, q.Text)
			}
		}
		if q.Outlets == 1 || q.Outlets > q.Of || (q.Outlets == 0) != (q.Of == 0) {
			t.Errorf("quote %d: %d of %d outlets", i+1, q.Outlets, q.Of)
		}
	}
	var text bytes.Buffer
	if err := WriteBriefText(&text, b); err != nil {
		t.Fatal(err)
	}
	// About two minutes at 238 words a minute (the average for silent
	// reading of non-fiction), citations and headings included.
	if n := len(strings.Fields(text.String())); n > 600 {
		t.Errorf("the briefing is %d words: over two and a half minutes to read", n)
	}
}

func TestBriefSampleDay(t *testing.T) {
	br := newBriefer(t, "../articles", t.TempDir())
	b, err := br.Brief(context.Background(), date(t, "2025-12-08"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Articles != 5 {
		t.Fatalf("%d articles, want the 5 samples", b.Articles)
	}
	// The sample day is one story, told with every section.
	if len(b.Stories) != 1 {
		t.Fatalf("%d stories, want the one story of the sample day", len(b.Stories))
	}
	st := b.Stories[0]
	var titles []string
	for _, s := range st.Sections {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, " | "); got != "Headline | Talking points | Agreed / progress | Still unresolved | What happens next | Who's involved | New since the previous briefing" {
		t.Errorf("sections: %s", got)
	}
	checkBrief(t, b)
	qs := quotes(b)
	if len(qs) > 20 {
		t.Errorf("%d quotes, want at most 20", len(qs))
	}
	arts := map[string]bool{}
	for _, q := range qs {
		arts[q.Article.ID] = true
	}
	if len(arts) < 4 {
		t.Errorf("quotes from %d articles, want at least 4", len(arts))
	}
	// Every distinct open issue the articles name, not one.
	if un, _ := section(st, SectionUnresolved); len(un.Snippets) < 3 {
		t.Errorf("still unresolved: %d quotes, want at least 3", len(un.Snippets))
	}
	for _, title := range []string{SectionHeadline, SectionPoints, SectionAgreed, SectionNext} {
		if s, _ := section(st, title); len(s.Snippets) == 0 {
			t.Errorf("%s: no quote (%s)", title, s.Note)
		}
	}
	// The sample day is the corpus's first: nothing to compare with.
	if n, _ := section(st, SectionNew); len(n.Snippets) != 0 || !strings.Contains(n.Note, "no articles on 2025-12-07") || st.Status != "new" {
		t.Errorf("new since the previous briefing on the first day: %+v (%s)", n, st.Status)
	}
	var text, js bytes.Buffer
	if err := WriteBriefText(&text, b); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, b); err != nil {
		t.Fatal(err)
	}
	golden(t, "brief", "2025-12-08.txt", text.String())
	golden(t, "brief", "2025-12-08.json", js.String())

	// Briefing again gives the same briefing.
	again, err := br.Brief(context.Background(), date(t, "2025-12-08"))
	if err != nil {
		t.Fatal(err)
	}
	var js2 bytes.Buffer
	if err := WriteJSON(&js2, again); err != nil {
		t.Fatal(err)
	}
	if js2.String() != js.String() {
		t.Error("a second briefing of the same day differs")
	}
}

func TestBriefEmptyDay(t *testing.T) {
	br := newBriefer(t, "../articles", t.TempDir())
	b, err := br.Brief(context.Background(), date(t, "2025-12-09"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Articles != 0 || len(b.Stories) != 0 || b.Date != "2025-12-09" {
		t.Errorf("empty day: %+v", b)
	}
	var text, js bytes.Buffer
	if err := WriteBriefText(&text, b); err != nil {
		t.Fatal(err)
	}
	if got := text.String(); got != "No articles for 2025-12-09\n" {
		t.Errorf("text: %q", got)
	}
	if err := WriteJSON(&js, b); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(js.String()), " "); got != `{ "date": "2025-12-09", "articles": 0, "stories": [] }` {
		t.Errorf("json: %s", got)
	}
}

// twoDays writes a small corpus: a storm closes a harbour on the first
// day; on the second the harbour reopens, some of the first day's points
// are repeated, and two outlets report a new one, a flood barrier.
func twoDays(t *testing.T) string {
	dir := t.TempDir()
	write := func(name, title, source, day string, sentences ...string) {
		writeArticle(t, dir, name, title, source, day, strings.Join(sentences, " "))
	}
	d1, d2 := "2025-03-03", "2025-03-04"
	write("a1.md", "Storm shuts Eastby harbour", "Coast News", d1,
		"A winter storm forced the Eastby harbour authority to close the port on Monday.",
		"Fishing boats stayed moored in the inner basin as waves broke over the sea wall.",
		"Harbour master Ellen Varga said the port would reopen once the wind dropped below gale force.",
		"Ferries to the islands were cancelled for the rest of the day.")
	write("b1.md", "Eastby port closed by gales", "City Paper", d1,
		"Gales closed Eastby port on Monday and kept the fishing fleet tied up in the inner basin.",
		"Ellen Varga, the harbour master, said ships would wait until the wind fell below gale force.",
		"Island ferry crossings were cancelled until further notice.",
		"Shopkeepers on the quay put sandbags across their doors.")
	write("c1.md", "Waves top Eastby sea wall", "Valley Times", d1,
		"Waves topped the Eastby sea wall as the storm reached the coast on Monday.",
		"The Eastby Harbour Board closed the port to all shipping for the day.",
		"Forecasters expected the wind to ease overnight.",
		"Residents of the low quay were asked to move their cars to higher ground.")
	write("a2.md", "Eastby harbour reopens after storm", "Coast News", d2,
		"The Eastby harbour reopened on Tuesday after the wind dropped below gale force.",
		"Fishing boats stayed moored in the inner basin as waves broke over the sea wall.",
		"The town council voted to spend twelve million euros on a flood barrier across the harbour mouth.",
		"Work on the barrier is due to start next spring.")
	write("b2.md", "Council backs Eastby flood barrier", "City Paper", d2,
		"Councillors approved a twelve million euro flood barrier to shield the harbour mouth from storm surges.",
		"Mayor Tomas Lindqvist said the barrier would protect homes on the low quay for fifty years.",
		"Island ferry crossings were cancelled until further notice.",
		"Harbour master Ellen Varga said the port was open to all shipping again.")
	write("c2.md", "Eastby counts the cost of the storm", "Valley Times", d2,
		"Insurers estimated the storm damage on the Eastby quay at two million euros.",
		"Shopkeepers on the quay were clearing sand and seaweed from their floors.",
		"Mayor Tomas Lindqvist thanked volunteers who had filled sandbags through the night.",
		"The Eastby Harbour Board said shipping had resumed by midday.")
	return dir
}

func TestBriefNewSincePrevious(t *testing.T) {
	br := newBriefer(t, twoDays(t), t.TempDir())
	ctx := context.Background()

	first, err := br.Brief(ctx, date(t, "2025-03-03"))
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Stories) != 1 {
		t.Fatalf("first day: %d stories, want the storm", len(first.Stories))
	}
	if n, ok := section(first.Stories[0], SectionNew); !ok || len(n.Snippets) != 0 || n.Note == "" {
		t.Errorf("first day: %+v, want an empty section with a note", n)
	}

	second, err := br.Brief(ctx, date(t, "2025-03-04"))
	if err != nil {
		t.Fatal(err)
	}
	checkBrief(t, second)
	// Every story of the second day goes on from the first: each is
	// continuing, and says what is new.
	var fresh []briefbot.Snippet
	for _, st := range second.Stories {
		if st.Status != "continuing" {
			t.Errorf("%q is %s, want continuing", st.Title, st.Status)
		}
		n, _ := section(st, SectionNew)
		fresh = append(fresh, n.Snippets...)
	}
	if len(fresh) == 0 {
		t.Fatalf("second day: nothing new, want the flood barrier")
	}
	barrier := false
	for _, s := range fresh {
		barrier = barrier || strings.Contains(s.Text, "barrier")
		for _, old := range []string{"Fishing boats stayed moored", "Island ferry crossings", "Ellen Varga"} {
			if strings.Contains(s.Text, old) {
				t.Errorf("%q was in the previous briefing's articles, yet listed as new", s.Text)
			}
		}
	}
	if !barrier {
		t.Errorf("the flood barrier is not among the new points: %+v", fresh)
	}
	// The council's vote, which two of the three outlets report, is told
	// as made by two outlets.
	told := false
	for _, st := range second.Stories {
		for _, sec := range st.Sections {
			for _, q := range sec.Snippets {
				told = told || strings.HasPrefix(q.Text, "Councillors approved") && q.Outlets == 2
			}
		}
	}
	if !told {
		t.Errorf("the council's vote is not told as two outlets': %+v", second.Stories)
	}
	var text bytes.Buffer
	if err := WriteBriefText(&text, second); err != nil {
		t.Fatal(err)
	}
	golden(t, "brief", "two-days-2025-03-04.txt", text.String())
}

func TestNamesIn(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"The talks were led by U.S. Special Envoy Steve Witkoff and Ukrainian negotiator Rustem Umerov.", []string{"person:Steve Witkoff", "person:Rustem Umerov"}},
		{"Former President Donald Trump's son-in-law Jared Kushner joined them.", []string{"person:Donald Trump", "person:Jared Kushner"}},
		{"The Bank of Japan and Texaco Inc said NATO would not comment.", []string{"organisation:Bank of Japan", "organisation:Texaco Inc", "organisation:NATO"}},
		{"Will Russia agree to the terms in North America or the United States?", nil},
		{"On Monday Ukrainian officials met in Miami.", nil},
		{"Ukrainian President Volodymyr Zelenskyy has been engaged.", []string{"person:Volodymyr Zelenskyy"}},
		{"Miami Talks End Without Clarity On Ukraine Peace Path.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range namesIn(tt.text) {
			got = append(got, m.kind+":"+m.name)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("namesIn(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestQuotable(t *testing.T) {
	art := briefbot.Article{Title: "Miami Talks End Without Clarity"}
	tests := []struct {
		text string
		want bool
	}{
		{"Negotiators who met in Miami closed a closely watched round of talks.", true},
		{"“We will keep talking,” the envoy said after the meeting ended.", true},
		{"Even if security guarantees were codified, how would they be enforced?", false},
		{"Miami Talks End Without Clarity.", false},
		{"What the Miami framework says and what it does not", false},
		{"and the delegations then left for home on Tuesday.", false},
		{"Too short to say much.", false},
		{"Net profit 12.4 mln vs 10.1 mln, sales 100.2 mln vs 98.7 mln, 1986 1985.", false},
	}
	for _, tt := range tests {
		s := briefbot.Snippet{Text: tt.text, Article: art}
		if got := quotable(s, len(strings.Fields(tt.text))); got != tt.want {
			t.Errorf("quotable(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestUnbalanced(t *testing.T) {
	for text, want := range map[string]bool{
		`"We will keep talking," the envoy said.`:              false,
		`“We will keep talking,” the envoy said.`:              false,
		`"Many of the fans got here early.`:                    true,
		`They recognised it was a collector's item," he said.`: true,
		`“A framework of security arrangements,” but no deal.`: false,
		`The talks ended without a deal.`:                      false,
	} {
		if got := unbalanced(text); got != want {
			t.Errorf("unbalanced(%q) = %v, want %v", text, got, want)
		}
	}
}

// A lexicon without the agreed and unresolved question types, or no
// answerer at all, leaves those sections out with a note; the rest of the
// briefing stands.
func TestBriefWithoutQuestionTypes(t *testing.T) {
	br := newBriefer(t, "../articles", t.TempDir())
	lex, err := LoadLexicon([]byte("kinds:\n  who:\n    ask: [who]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]*Answerer{"no such kinds": {Index: br.Answerer.Index, Lexicon: lex}, "no answerer": nil} {
		b, err := (&Briefer{Index: br.Index, Answerer: a}).Brief(context.Background(), date(t, "2025-12-08"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, title := range []string{SectionAgreed, SectionUnresolved, SectionNext} {
			s, _ := section(b.Stories[0], title)
			if len(s.Snippets) != 0 || !strings.Contains(s.Note, "Left out") {
				t.Errorf("%s: %s: %+v", name, s.Title, s)
			}
		}
		checkBrief(t, b)
	}
}
