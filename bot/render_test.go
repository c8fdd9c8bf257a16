package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot"
	"briefbot/index/golden"
)

func day(s string) time.Time {
	t, err := time.Parse(briefbot.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Articles and quotes from the sample corpus (articles/), plus one with
// Markdown and mentions in it.
var (
	artHerald = briefbot.Article{ID: "003_84eab0f723f9fee9.md", Title: "U.S. and Ukrainian envoys call Miami talks productive but see no breakthrough",
		Source: "Herald Times", URL: "https://www.heraldtimes.org/?p=7768", Published: day("2025-12-08")}
	artNENC = briefbot.Article{ID: "002_757e3d8836d01bb2.md", Title: "What the Miami framework says and what it does not",
		Source: "NENC Media Group", Published: day("2025-12-08")}
	artUnknown = briefbot.Article{ID: "000_ac1cda042dc121b7.md", Title: "Ukraine peace talks in Miami ended with unanswered questions over security guarantees and territory issues",
		Published: day("2025-12-08")}
	artTricky = briefbot.Article{ID: "tricky.md", Title: "A [bracketed] *title* (with parens)", Source: "The_Wire",
		URL: "https://example.com/a_(b)", Published: day("2025-12-07")}
)

var fixtureSnippets = []briefbot.Snippet{
	{Text: "Crucially, the framework does not specify the territorial lines that would form the basis of a final settlement.", Article: artNENC, Position: 9},
	{Text: "Despite intensive diplomatic activity, clear resolutions to key issues, such as Moscow’s insistence on keeping captured Ukrainian territory, remain elusive.", Article: artHerald, Position: 4},
	{Text: "Recent peace talks between Ukrainian and international stakeholders held in Miami have concluded without providing firm resolutions to two of the most contentious issues, namely long-term security guarantees for Ukraine and final status of territory currently occupied by foreign forces.", Article: artUnknown, Position: 1},
	{Text: "It also does not include a binding enforcement mechanism that would automatically trigger consequences if one party violated the terms.", Article: artNENC, Position: 10},
	{Text: "A spokesman told @everyone and <@&123> to \"stay calm\" — *nothing* was_agreed ~yet~ `really`.", Article: artTricky, Position: 2},
}

func fixtureAnswer() briefbot.Answer {
	return briefbot.Answer{
		Question: "what remained unresolved?",
		Snippets: fixtureSnippets,
		Points: []briefbot.Point{
			{Label: "territorial lines", Outlets: 3, Of: 4, Snippets: []int{0, 1, 2}},
			{Label: "enforcement mechanism", Outlets: 1, Of: 4, Snippets: []int{3}},
		},
		Kind:     "unresolved",
		Searched: 5,
	}
}

func fixtureBrief() briefbot.Brief {
	withOutlets := func(s briefbot.Snippet, n, of int) briefbot.Snippet {
		s.Outlets, s.Of = n, of
		return s
	}
	return briefbot.Brief{
		Date:     "2025-12-08",
		Articles: 5,
		Stories: []briefbot.Story{{
			Title: "Miami talks end without clarity", Articles: 4, Outlets: 4, Status: "new",
			Sections: []briefbot.Section{
				{Title: "Headline", Snippets: []briefbot.Snippet{withOutlets(fixtureSnippets[1], 3, 4)}},
				{Title: "Talking points", Snippets: []briefbot.Snippet{withOutlets(fixtureSnippets[2], 3, 4)}},
				{Title: "Still unresolved", Snippets: []briefbot.Snippet{withOutlets(fixtureSnippets[0], 2, 4), withOutlets(fixtureSnippets[3], 1, 4)}},
				{Title: "Who's involved", Note: "No attributed quotes that day."},
			},
		}},
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRenderGolden(t *testing.T) {
	ans := RenderAnswer(fixtureAnswer())
	checkMessages(t, ans, fixtureSnippets)
	golden.Check(t, "testdata/golden/answer.json", toJSON(t, ans))

	br := RenderBrief(fixtureBrief())
	checkMessages(t, br, fixtureSnippets[:4])
	golden.Check(t, "testdata/golden/brief.json", toJSON(t, br))

	none := fixtureAnswer()
	none.Snippets, none.Points, none.NoAnswer = nil, nil, true
	golden.Check(t, "testdata/golden/noanswer.json", toJSON(t, RenderAnswer(none)))
}

// bigBrief has many long quotes in several stories, so it needs several
// embeds and several messages; one quote alone is longer than a field and
// close to a whole description.
func bigBrief() (briefbot.Brief, []briefbot.Snippet) {
	b := briefbot.Brief{Date: "2025-12-08", Articles: 40}
	var all []briefbot.Snippet
	for s := range 6 {
		sec := briefbot.Section{Title: fmt.Sprintf("Section %d: %s", s+1, strings.Repeat("long title ", 30))}
		for q := range 12 {
			words := 30 + (s*12+q)*7%120
			text := fmt.Sprintf("Quote %d.%d says", s+1, q+1)
			for w := range words {
				text += fmt.Sprintf(" word%d", w)
			}
			if s == 2 && q == 3 {
				text += strings.Repeat(" very long indeed", 180) // ~3,500 characters
			}
			sn := briefbot.Snippet{Text: text + ".", Article: fixtureSnippets[q%len(fixtureSnippets)].Article, Position: q, Outlets: 2, Of: 5}
			sec.Snippets = append(sec.Snippets, sn)
			all = append(all, sn)
		}
		b.Stories = append(b.Stories, briefbot.Story{Title: sec.Title, Articles: 3, Outlets: 2, Status: "continuing", Sections: []briefbot.Section{sec}})
	}
	return b, all
}

func TestBriefSplitWithinLimits(t *testing.T) {
	b, quotes := bigBrief()
	msgs := RenderBrief(b)
	if len(msgs) < 2 {
		t.Fatalf("a %d-quote briefing fit in %d message; want it split", len(quotes), len(msgs))
	}
	checkMessages(t, msgs, quotes)
}

func TestLongSentenceIsShortenedNotSplit(t *testing.T) {
	s := fixtureSnippets[0]
	s.Text = strings.Repeat("An extremely long sentence. ", 400)
	msgs := RenderAnswer(briefbot.Answer{Question: "q", Snippets: []briefbot.Snippet{s}, Searched: 1})
	if len(msgs) != 1 || len(msgs[0].Embeds) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	d := msgs[0].Embeds[0].Description
	if length(d) > maxDescription || !strings.Contains(d, "(shortened)") || !strings.Contains(d, citation(s.Article)) {
		t.Errorf("description (%d chars) not shortened visibly with its citation:\n%.300s", length(d), d)
	}
}

func TestPaginate(t *testing.T) {
	arts := make([]briefbot.Article, 23)
	for i := range arts {
		arts[i] = briefbot.Article{ID: fmt.Sprint(i), Title: strings.Repeat("t", 10+i*20), Source: "S", URL: "https://example.com/" + strings.Repeat("u", 250)}
	}
	pages := paginate(arts)
	next := 0
	for _, p := range pages {
		if p[0] != next || p[1] <= p[0] || p[1]-p[0] > 10 {
			t.Fatalf("pages %v do not cover the list in order", pages)
		}
		next = p[1]
		msgs := renderArticles("Indexed articles", arts[p[0]:p[1]], "Page")
		if len(msgs) != 1 || len(msgs[0].Embeds) != 1 {
			t.Errorf("page %v needs %d messages", p, len(msgs))
		}
		checkMessages(t, msgs, nil)
	}
	if next != len(arts) {
		t.Errorf("pages %v stop at %d of %d", pages, next, len(arts))
	}
	if got := paginate(nil); len(got) != 1 || got[0] != [2]int{0, 0} {
		t.Errorf("paginate(nil) = %v, want one empty page", got)
	}
}

// checkMessages checks msgs against every Discord limit, and that each of
// quotes appears whole, exactly once, followed by its citation.
func checkMessages(t *testing.T, msgs []Message, quotes []briefbot.Snippet) {
	t.Helper()
	var descs []string
	for i, m := range msgs {
		checkLimits(t, fmt.Sprintf("message %d", i+1), m.Content, m.Embeds)
		for _, e := range m.Embeds {
			descs = append(descs, e.Description)
		}
	}
	checkQuotes(t, descs, quotes)
}

func checkLimits(t *testing.T, what, content string, embeds []*discordgo.MessageEmbed) {
	t.Helper()
	over := func(field string, n, max int) {
		if n > max {
			t.Errorf("%s: %s is %d, over Discord's %d", what, field, n, max)
		}
	}
	over("content", length(content), maxContent)
	over("embeds", len(embeds), maxEmbeds)
	total := 0
	for k, e := range embeds {
		f := fmt.Sprintf("embed %d ", k+1)
		over(f+"title", length(e.Title), maxTitle)
		over(f+"description", length(e.Description), maxDescription)
		over(f+"fields", len(e.Fields), maxFields)
		total += length(e.Title) + length(e.Description)
		for _, fl := range e.Fields {
			over(f+"field name", length(fl.Name), maxFieldName)
			over(f+"field value", length(fl.Value), maxFieldValue)
			total += length(fl.Name) + length(fl.Value)
		}
		if e.Footer != nil {
			over(f+"footer", length(e.Footer.Text), maxFooter)
			total += length(e.Footer.Text)
		}
		if e.Author != nil {
			over(f+"author", length(e.Author.Name), maxTitle)
			total += length(e.Author.Name)
		}
	}
	over("characters in embeds", total, maxMessageTotal)
}

func checkQuotes(t *testing.T, descs []string, quotes []briefbot.Snippet) {
	t.Helper()
	all := strings.Join(descs, "\n\x00\n")
	for _, q := range quotes {
		text := "“" + escape(strings.Join(strings.Fields(q.Text), " ")) + "”\n— " + citation(q.Article)
		if n := strings.Count(all, text); n != 1 {
			t.Errorf("quote %.60q… with its citation appears whole %d times, want once", q.Text, n)
		}
	}
}

func BenchmarkRenderBrief(b *testing.B) {
	br, _ := bigBrief()
	for b.Loop() {
		RenderBrief(br)
	}
}

func BenchmarkRenderAnswer(b *testing.B) {
	a := fixtureAnswer()
	for b.Loop() {
		RenderAnswer(a)
	}
}

// The best quote is read first even when no point holds it: it opens the
// answer with no heading, and the other quotes no point holds follow
// the points under "Also".
func TestRenderBestQuoteFirst(t *testing.T) {
	a := fixtureAnswer()
	a.Points = []briefbot.Point{{Label: "territorial lines", Outlets: 3, Of: 4, Snippets: []int{1, 2}}}
	msgs := RenderAnswer(a)
	checkMessages(t, msgs, fixtureSnippets)
	desc := msgs[0].Embeds[0].Description
	first, point, also, last := strings.Index(desc, "**1.**"), strings.Index(desc, "**territorial lines**"), strings.Index(desc, "**Also**"), strings.Index(desc, "**4.**")
	if first != 2 || !(first < point && point < also && also < last) {
		t.Errorf("want quote 1 first with no heading, then the point, then Also with quote 4; got:\n%s", desc)
	}
}
