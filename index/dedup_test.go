package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot"
	"briefbot/index/ingest"
)

// wire is one agency story; outlets carry it with their own top and tail.
var wire = []string{
	"The regional water authority said on Tuesday that reservoir levels had fallen to their lowest point in more than a decade after the driest summer on record.",
	"Engineers warned that without significant autumn rainfall, households in the eastern districts could face rota cuts to their supply from early next year.",
	"The authority has asked residents to limit garden watering and to report leaks, and said a new pipeline from the northern reservoirs would not be ready before 2027.",
	"Farmers' groups said the shortage was already hurting winter crops and called for emergency support from the national government.",
}

func wireCopy(title, outlet, day, extra string) string {
	return article(title, outlet, day, append(append([]string{}, wire...), extra)...)
}

func TestSyndicatedCopies(t *testing.T) {
	arts, dir := t.TempDir(), t.TempDir()
	writeFile(t, arts, "c.md", wireCopy("Reservoirs at decade low", "Valley Times", "2025-12-09", "Valley Times has asked readers to send photographs of the reservoirs."))
	writeFile(t, arts, "a.md", wireCopy("Water cuts loom as reservoirs dry", "Coast News", "2025-12-08", "Coast News will follow the story."))
	writeFile(t, arts, "b.md", wireCopy("Reservoir levels hit record low", "City Paper", "2025-12-08", "Additional reporting by our city desk staff in the capital."))
	writeFile(t, arts, "d.md", article("Bridge", "City Paper", "2025-12-08", "The old bridge will be repaired next spring, the council said on Monday evening after a long meeting about the budget for roads and bridges in the city centre."))
	ix, st, _ := open(t, arts, dir)
	if st.Syndicated != 2 {
		t.Errorf("syndicated = %d, want 2", st.Syndicated)
	}
	check := func(wantID string, wantAlso ...string) {
		t.Helper()
		n := 0
		for _, h := range find(t, ix, "reservoir levels lowest decade") {
			if strings.Contains(h, wire[0]) {
				n++
				if !strings.HasPrefix(h, wantID+": ") {
					t.Fatalf("the wire sentence is quoted from %q, want %s", h, wantID)
				}
			}
		}
		if n != 1 {
			t.Fatalf("the wire sentence is found %d times, want once", n)
		}
		a, ok := ix.Article(wantID)
		if !ok || !slices.Equal(a.AlsoIn, wantAlso) {
			t.Fatalf("%s: also in %q (listed %v), want %q", wantID, a.AlsoIn, ok, wantAlso)
		}
	}
	// The canonical copy is the earliest, then the smallest ID.
	check("a.md", "City Paper", "Valley Times")
	if n := len(ix.Articles()); n != 2 {
		t.Errorf("%d articles listed, want 2 (the story and the bridge)", n)
	}
	// The story is found under any outlet that carried it.
	hits, err := ix.Sentences(context.Background(), Query{Clauses: []Clause{{Text: "reservoir"}}, Source: "valley times", Size: 10})
	if err != nil || len(hits) == 0 {
		t.Errorf("source filter on a copy's outlet: %d hits, %v", len(hits), err)
	}

	// Removing the canonical copy promotes the next one.
	os.Remove(filepath.Join(arts, "a.md"))
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("b.md", "Valley Times")

	// A copy rewritten into another story stands on its own.
	writeFile(t, arts, "c.md", article("Festival", "Valley Times", "2025-12-09", "The winter festival opens on Friday with a parade through the old town, a market on the square and concerts in the cathedral every evening until Sunday."))
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("b.md")
	if n := len(ix.Articles()); n != 3 {
		t.Errorf("%d articles listed, want 3", n)
	}

	// A fresh build of the same folder gives the same answer.
	ix.Close()
	ix2, _, _ := open(t, arts, t.TempDir())
	ix = ix2
	check("b.md")
}

func TestGroupStories(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 12, d, 0, 0, 0, 0, time.UTC) }
	update := strings.Join(append(wire[:3:3], "On Friday the authority confirmed that rota cuts would begin in the eastern districts on 5 January, for twelve hours a day, and published a timetable for each street in the city."), " ")
	art := func(id, source string, d int, text string) *entry {
		return &entry{Article: briefbot.Article{ID: id, Source: source, Published: day(d)}, MinHash: ingest.Signature(text)}
	}
	for _, tc := range []struct {
		name  string
		files []*entry
		want  map[string]story
	}{
		{"a later version from the same outlet stands apart",
			[]*entry{art("a", "City Paper", 8, strings.Join(wire, " ")), art("b", "City Paper", 9, update)},
			map[string]story{"a": {}, "b": {}}},
		{"the same text from another outlet is a copy",
			[]*entry{art("a", "City Paper", 8, strings.Join(wire, " ")), art("b", "Coast News", 9, update)},
			map[string]story{"a": {alsoIn: []string{"Coast News"}}, "b": {dupOf: "a"}}},
		{"a repost from the same outlet is a copy",
			[]*entry{art("b", "City Paper", 8, strings.Join(wire, " ")), art("a", "City Paper", 8, strings.Join(wire, " "))},
			map[string]story{"a": {}, "b": {dupOf: "a"}}},
	} {
		files := map[string]*entry{}
		for _, e := range tc.files {
			files[e.Article.ID] = e
		}
		got := groupStories(files)
		for id, w := range tc.want {
			if g := got[id]; g.dupOf != w.dupOf || !slices.Equal(g.alsoIn, w.alsoIn) {
				t.Errorf("%s: %s is %+v, want %+v", tc.name, id, g, w)
			}
		}
	}
}
