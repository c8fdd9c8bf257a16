package briefs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// busyDay writes a small day of three stories with routine items mixed
// in: a dock strike that three outlets cover, a bridge closure that two
// cover and that began the day before, and a museum reopening that one
// covers; then a results table, a market report and a dividend notice.
func busyDay(t testing.TB) string {
	dir := t.TempDir()
	write := func(name, title, source, day string, paras ...string) {
		writeArticle(t, dir, name, title, source, day, strings.Join(paras, "\n\n"))
	}
	d0, d1 := "2025-04-09", "2025-04-10"
	write("bridge0.md", "Cracks found in Kellner Bridge", "Valley Times", d0,
		"Engineers inspecting the Kellner Bridge over the Aske river found cracks in two of its steel girders on Wednesday.",
		"The county roads office said the bridge would stay open while the engineers finished their survey.",
		"Traffic on the bridge was limited to one lane in each direction.")
	write("strike1.md", "Northport dockworkers walk out over pay", "Coast News", d1,
		"Dockworkers at Northport walked off the job on Thursday after talks between the Harbour Workers Union and the port employers broke down over pay.",
		"Union leader Mara Jensen said the strike would go on until the employers improved their offer of a three percent rise.",
		"Container ships queued outside Northport as cranes stood idle along the quays.",
		"Both sides agreed to keep a skeleton crew on duty for ships carrying medicines.",
		"The pay dispute remains unresolved, and neither side would say when talks could resume.")
	write("strike2.md", "Strike shuts Northport container terminal", "City Paper", d1,
		"A strike by the Harbour Workers Union shut the Northport container terminal on Thursday.",
		"Mara Jensen, who leads the union, said dockworkers had rejected a three percent pay offer from the port employers.",
		"Shipping lines began diverting container ships from Northport to ports further south.",
		"The employers said their offer was fair and that they were ready to return to talks.",
		"Mediators are expected to meet both sides in Northport on Monday.")
	write("strike3.md", "Northport strike strands cargo", "Harbour Herald", d1,
		"Hundreds of containers were stranded at Northport on Thursday as the dockworkers strike entered its first day.",
		"The Harbour Workers Union and the port employers remain far apart on pay, with the union seeking a seven percent rise.",
		"Importers warned that shops could run short of fresh fruit if the Northport strike lasted into next week.",
		"It is still unclear who would pay for the cargo spoiled during the stoppage.")
	write("strike4.md", "Importers count cost of Northport strike", "Coast News", d1,
		"Fruit importers said the Northport strike was costing them thousands of euros a day in spoiled cargo.",
		"The importers asked the Harbour Workers Union and the port employers to settle the pay dispute quickly.",
		"A spokesman for the port employers said no new offer would be made before Monday.")
	write("bridge1.md", "Kellner Bridge closed for repairs", "Valley Times", d1,
		"The county roads office closed the Kellner Bridge over the Aske river on Thursday after engineers found the cracks in its girders had spread.",
		"Drivers were sent on a twenty kilometre detour through Aske Mills.",
		"Repairs to the Kellner Bridge will take at least six weeks, the roads office said.")
	write("bridge2.md", "Detour for drivers as Kellner Bridge shuts", "City Paper", d1,
		"Drivers faced long queues at Aske Mills on Thursday after the Kellner Bridge was shut to traffic.",
		"The roads office said the cracked girders of the Kellner Bridge would be replaced before the bridge reopened.",
		"Shopkeepers in Aske Mills said the detour had brought them more customers.")
	write("museum1.md", "Old Town museum reopens after renovation", "City Paper", d1,
		"The Old Town museum reopened its doors on Thursday after a two-year renovation of its medieval hall.",
		"Curator Ines Moreau said the restored hall would show the town charter for the first time in a decade.",
		"Visitors queued along Castle Street before the museum opened at ten.")
	write("results1.md", "Acme Tools 1st Qtr Net", "Coast News", d1,
		"Shr 42 cts vs 38 cts",
		"Net 12.4 mln vs 10.1 mln",
		"Revs 100.2 mln vs 98.7 mln")
	write("cocoa1.md", "Cocoa Futures Open Steady", "City Paper", d1,
		"Cocoa futures opened steady on Thursday, with the July contract up 12 stg at 1,450 a tonne.",
		"Dealers said the market was quiet ahead of crop figures due next week.",
		"The September contract was unchanged at 1,472 stg in thin early trading.")
	write("div1.md", "Beta Foods Sets Quarterly Dividend", "Harbour Herald", d1,
		"Beta Foods Inc said its board declared a quarterly dividend of 15 cts a share, payable May 15 to holders of record May 1.",
		"The company paid 14 cts a share in the same quarter last year.")
	return dir
}

func TestBriefBusyDay(t *testing.T) {
	dir := busyDay(t)
	br := newBriefer(t, dir, t.TempDir())
	b, err := br.Brief(context.Background(), date(t, "2025-04-10"))
	if err != nil {
		t.Fatal(err)
	}
	checkBrief(t, b)
	var titles, status []string
	for _, st := range b.Stories {
		titles = append(titles, st.Title)
		status = append(status, st.Status)
	}
	// Three stories, most covered first; the bridge went on from the day
	// before.
	if len(b.Stories) != 3 || !strings.Contains(titles[0], "Northport") || !strings.Contains(titles[1], "Kellner") || !strings.Contains(titles[2], "museum") {
		t.Fatalf("stories %q, want the strike, the bridge, the museum", titles)
	}
	if got := strings.Join(status, " "); got != "new continuing new" {
		t.Errorf("status %s, want new continuing new", got)
	}
	if s := b.Stories[0]; s.Articles != 4 || s.Outlets != 3 {
		t.Errorf("strike: %d articles from %d outlets, want 4 from 3", s.Articles, s.Outlets)
	}
	// The routine items are in no story, and at most one line tells them.
	for _, st := range b.Stories {
		for _, sec := range st.Sections {
			for _, q := range sec.Snippets {
				if routineSentence(q.Text) || strings.Contains(q.Article.Title, "Qtr") || strings.Contains(q.Article.Title, "Dividend") || strings.Contains(q.Article.Title, "Cocoa") {
					t.Errorf("%s quotes a routine item: %q (%s)", st.Title, q.Text, q.Article.Title)
				}
			}
		}
	}
	if m := b.Markets; m != nil && len(m.Snippets) > 1 {
		t.Errorf("markets and figures: %d lines, want at most one", len(m.Snippets))
	}
	// What the strike's articles say is open is told.
	if un, _ := section(b.Stories[0], SectionUnresolved); len(un.Snippets) == 0 {
		t.Errorf("the strike has no open issue, though its articles say the pay dispute remains unresolved")
	}
	var text, js bytes.Buffer
	if err := WriteBriefText(&text, b); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, b); err != nil {
		t.Fatal(err)
	}
	golden(t, "brief", "busy-day-2025-04-10.txt", text.String())
	// The articles' folder is a new temporary one each run.
	golden(t, "brief", "busy-day-2025-04-10.json", strings.ReplaceAll(js.String(), dir, "busy-day"))
}

// TestBriefMainStoryDay: the busy day without the bridge is the strike's
// day (four reports) with one aside (the museum): the strike is told in
// full, as on a one-story day, and the museum short after it.
func TestBriefMainStoryDay(t *testing.T) {
	dir := busyDay(t)
	for _, f := range []string{"bridge0.md", "bridge1.md", "bridge2.md"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	br := newBriefer(t, dir, t.TempDir())
	b, err := br.Brief(context.Background(), date(t, "2025-04-10"))
	if err != nil {
		t.Fatal(err)
	}
	checkBrief(t, b)
	if len(b.Stories) != 2 || !strings.Contains(b.Stories[0].Title, "Northport") || !strings.Contains(b.Stories[1].Title, "museum") {
		t.Fatalf("%d stories, want the strike, then the museum", len(b.Stories))
	}
	var titles []string
	for _, sec := range b.Stories[0].Sections {
		titles = append(titles, sec.Title)
		for _, q := range sec.Snippets {
			if strings.Contains(q.Article.Title, "museum") {
				t.Errorf("the strike's %s quotes the museum's article: %q", sec.Title, q.Text)
			}
		}
	}
	want := []string{SectionHeadline, SectionPoints, SectionAgreed, SectionUnresolved, SectionNext, SectionWho, SectionNew}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("the strike's sections %q, want every section %q", titles, want)
	}
	if len(b.Stories[1].Sections) == 0 || len(b.Stories[1].Sections[0].Snippets) == 0 {
		t.Errorf("the museum has no headline quote")
	}
}

func TestDominant(t *testing.T) {
	st := func(n int) *story { return &story{arts: make([]int, n)} }
	for _, tc := range []struct {
		name    string
		stories []*story
		want    bool
	}{
		{"no story", nil, false},
		{"one story", []*story{st(3)}, true},
		{"a story and a stray page", []*story{st(2), st(1)}, true},
		{"a story and as many asides", []*story{st(2), st(1), st(1)}, false},
		{"two stories with two reports each", []*story{st(4), st(2)}, false},
		{"a busy day", []*story{st(9), st(5), st(3), st(1)}, false},
	} {
		if got := dominant(tc.stories); got != tc.want {
			t.Errorf("%s: dominant = %v, want %v", tc.name, got, tc.want)
		}
	}
}
