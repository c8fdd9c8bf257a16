package index

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeFile writes an article file under dir, with a modification time
// that moves by a second each call so changes are seen.
func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Second)
	if err := os.Chtimes(p, clock, clock); err != nil {
		t.Fatal(err)
	}
}

var clock = time.Date(2025, 12, 8, 0, 0, 0, 0, time.UTC)

func article(title, source, day string, sentences ...string) string {
	return "---\ntitle: " + title + "\nsource: " + source + "\npublished: " + day + "\n---\n\n" + strings.Join(sentences, "\n\n") + "\n"
}

func open(t *testing.T, articles, dir string) (*Index, Stats, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	ix, st, err := Open(context.Background(), Options{Articles: articles, Dir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, st, &logs
}

func find(t *testing.T, ix *Index, text string) []string {
	t.Helper()
	hits, err := ix.Sentences(context.Background(), Query{Clauses: []Clause{{Text: text}}, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.Snippet.Article.ID+": "+h.Snippet.Text)
	}
	return out
}

func TestIncrementalSync(t *testing.T) {
	arts, dir := t.TempDir(), t.TempDir()
	writeFile(t, arts, "a.md", article("Harbour", "Coast News", "2025-12-08", "The harbour reopened after the storm.", "Fishing boats returned on Monday."))
	writeFile(t, arts, "b.md", article("Bridge", "City Paper", "2025-12-08", "The old bridge will be repaired next spring."))
	ix, st, _ := open(t, arts, dir)
	if st.Indexed != 2 || st.Sentences != 3 {
		t.Fatalf("first build: %+v, want 2 articles and 3 sentences", st)
	}
	if got := find(t, ix, "harbour"); len(got) != 1 {
		t.Fatalf("harbour: %v", got)
	}

	// Nothing changed: nothing is read again.
	st, err := ix.Sync(context.Background())
	if err != nil || st.Indexed != 0 || st.Deleted != 0 {
		t.Fatalf("unchanged sync: %+v %v", st, err)
	}

	// Touched but not changed: hashed, not re-indexed.
	clock = clock.Add(time.Second)
	os.Chtimes(filepath.Join(arts, "b.md"), clock, clock)
	if st, _ = ix.Sync(context.Background()); st.Indexed != 0 {
		t.Fatalf("touched file was re-indexed: %+v", st)
	}

	// Changed (shorter), added and deleted files.
	writeFile(t, arts, "a.md", article("Harbour", "Coast News", "2025-12-08", "The harbour stays closed for repairs."))
	writeFile(t, arts, "sub/c.txt", "Ferry services\n\nThe ferry timetable changes in January.\n")
	os.Remove(filepath.Join(arts, "b.md"))
	st, err = ix.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Indexed != 2 || st.Deleted != 1 {
		t.Fatalf("after changes: %+v, want 2 indexed and 1 deleted", st)
	}
	if got := find(t, ix, "boats"); len(got) != 0 {
		t.Errorf("a sentence of the old version is still found: %v", got)
	}
	if got := find(t, ix, "bridge"); len(got) != 0 {
		t.Errorf("the deleted article is still found: %v", got)
	}
	if got := find(t, ix, "ferry timetable"); len(got) != 1 || !strings.HasPrefix(got[0], "sub/c.txt: ") {
		t.Errorf("the added article: %v", got)
	}
	if got := find(t, ix, "harbour repairs"); len(got) != 1 {
		t.Errorf("the changed article: %v", got)
	}
	if n := len(ix.Articles()); n != 2 {
		t.Errorf("%d articles listed, want 2", n)
	}
	ix.Close()

	// A new process sees the same index without re-indexing.
	ix2, st, _ := open(t, arts, dir)
	if st.Indexed != 0 {
		t.Errorf("reopen re-indexed: %+v", st)
	}
	if got := find(t, ix2, "ferry"); len(got) != 1 {
		t.Errorf("after reopen: %v", got)
	}
}

func TestBadFilesAreSkippedWithOneWarning(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "good.md", article("Good", "Paper", "2025-12-08", "This article is fine and has words."))
	writeFile(t, arts, "empty.md", "")
	writeFile(t, arts, "blank.txt", "\n\n   \n")
	writeFile(t, arts, "binary.txt", "PNG\x00\x01\x02 not text")
	writeFile(t, arts, "latin1.txt", "Caf\xe9 society returns to the square.\n")
	writeFile(t, arts, "badyaml.md", "---\ntitle: [unclosed\n---\nBody text is here.\n")
	writeFile(t, arts, "baddate.md", "---\npublished: yesterday\n---\nBody text is here.\n")
	writeFile(t, arts, "unclosed.md", "---\ntitle: x\nBody text is here.\n")
	writeFile(t, arts, "notes.pdf", "ignored: not an article extension")
	unreadable := filepath.Join(arts, "secret.md")
	writeFile(t, arts, "secret.md", "Secret text here.")
	os.Chmod(unreadable, 0)

	ix, st, logs := open(t, arts, t.TempDir())
	bad := []string{"empty.md", "blank.txt", "binary.txt", "latin1.txt", "badyaml.md", "baddate.md", "unclosed.md"}
	want := 2 // good.md, and secret.md for root, who reads anything
	if os.Geteuid() != 0 {
		bad = append(bad, "secret.md")
		want = 1
	}
	if got := len(ix.Articles()); got != want {
		t.Fatalf("%d articles indexed, want %d", got, want)
	}
	for _, name := range bad {
		if n := strings.Count(logs.String(), name); n != 1 {
			t.Errorf("%s: %d warnings, want 1\n%s", name, n, logs.String())
		}
	}
	if st.Skipped < len(bad) {
		t.Errorf("skipped %d, want at least %d", st.Skipped, len(bad))
	}
	// Bad files are not read or warned about again until they change.
	logs.Reset()
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 0 {
		t.Errorf("second sync warned again:\n%s", logs.String())
	}
}

func TestQuerySyntaxIsTakenAsWords(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("Talks", "Paper", "2025-12-08", "The talks ended without a deal on territory."))
	ix, _, _ := open(t, arts, t.TempDir())
	for _, q := range []string{`+territory -deal`, `title:talks`, `deal^5 "territory`, `(ended) * ? ~`, `:`, `"`, `\`, `AND OR NOT`} {
		if _, err := ix.Sentences(context.Background(), Query{Clauses: []Clause{{Text: q}}, Size: 5}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	if got := find(t, ix, "+territory -deal"); len(got) != 1 {
		t.Errorf("query-syntax characters should be ignored, got %v", got)
	}
}

func TestFilters(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("One", "Coast News", "2025-12-01", "Storm damage closed the harbour."))
	writeFile(t, arts, "b.md", article("Two", "City Paper", "2025-12-08", "Storm damage closed the bridge."))
	ix, _, _ := open(t, arts, t.TempDir())
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	cases := []struct {
		name string
		q    Query
		want int
	}{
		{"all", Query{}, 2},
		{"source, any case", Query{Source: "coast news"}, 1},
		{"unknown source", Query{Source: "Nowhere"}, 0},
		{"first word of the outlet", Query{Source: "COAST"}, 1},
		{"part of a word is not the outlet", Query{Source: "coa"}, 0},
		{"since", Query{Since: day("2025-12-05")}, 1},
		{"until", Query{Until: day("2025-12-01")}, 1},
		{"range", Query{Since: day("2025-12-01"), Until: day("2025-12-08")}, 2},
	}
	for _, c := range cases {
		c.q.Clauses = []Clause{{Text: "storm damage"}}
		c.q.Size = 10
		hits, err := ix.Sentences(context.Background(), c.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != c.want {
			t.Errorf("%s: %d hits, want %d", c.name, len(hits), c.want)
		}
	}
}

func TestInterruptedBuildFinishesNextRun(t *testing.T) {
	arts, dir := t.TempDir(), t.TempDir()
	for i := range 50 {
		writeFile(t, arts, filepath.Join("d", string(rune('a'+i%26))+string(rune('a'+i/26))+".md"),
			article("T", "S", "2025-12-08", "Sentence number one is here.", "Another sentence follows it."))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stopped before it could do anything
	if ix, _, err := Open(ctx, Options{Articles: arts, Dir: dir}); err == nil {
		ix.Close()
	}
	ix, _, _ := open(t, arts, dir)
	if n := len(ix.Articles()); n != 50 {
		t.Fatalf("after an interrupted build, the next run indexed %d of 50", n)
	}
}

func TestMissingFolder(t *testing.T) {
	_, _, err := Open(context.Background(), Options{Articles: filepath.Join(t.TempDir(), "nope"), Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("want an error naming the folder, got %v", err)
	}
}

func TestDateAndTitleFallbacks(t *testing.T) {
	p, err := newParser()
	if err != nil {
		t.Fatal(err)
	}
	mod := time.Date(2024, 3, 9, 15, 0, 0, 0, time.UTC)
	cases := []struct{ name, body, title, day string }{
		{"front matter wins", "---\ntitle: Given\npublished: 2025-01-02T10:00:00Z\n---\nHeadline here\n\nText on December 8, 2025 here.\n", "Given", "2025-01-02"},
		{"date in text", "Headline here\n\nTalks closed on December 8, 2025, in Miami.\n", "Headline here", "2025-12-08"},
		{"day month year", "Headline here\n\nTalks closed on 8 December 2025 in Miami.\n", "Headline here", "2025-12-08"},
		{"modification time", "Headline here\n\nTalks closed in Miami.\n", "Headline here", "2024-03-09"},
		{"label before headline", "World\n\nThe Real Headline\n\nSome text follows here.\n", "The Real Headline", "2024-03-09"},
		{"no headline", strings.Repeat("word ", 40) + "ends here.\n", "x", "2024-03-09"},
	}
	for _, c := range cases {
		got, err := p.parse("x.md", []byte(c.body), mod)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.Article.Title != c.title || got.Article.Day() != c.day {
			t.Errorf("%s: title %q day %s, want %q %s", c.name, got.Article.Title, got.Article.Day(), c.title, c.day)
		}
	}
}

func TestFurniture(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{"James Thompson3 min read", true},
		{"By Jane Doe", true},
		{"Published", true},
		{"Updated: 3 March 2025", true},
		{"Listen to this article0:00 min", true},
		{"Share this article:", true},
		{"Source: worldnews.whatfinger.com", true},
		{"Sources: United States Department of State, Bloomberg, Reuters.", true},
		{"AI generated illustration", true},
		{"Photo: Denys Kostyuchenko / Unsplash", true},
		{"Andrew Harnik/Getty Images/AFP", true},
		{"Comments ()", true},
		{"12 Comments", true},
		{"More in World", true},
		{"Discussion", true},
		{"- Advertisement -", true},
		{"Written by Nick Ravenshade for NENC Media Group, original article and analysis.", true},
		{"Nederlands", true},
		{"Português", true},
		{"Published reports say the talks ended without a deal on territory or guarantees.", false},
		{"Sources familiar with the talks said no deal was reached.", false},
		{"Photographs of the meeting were released on Monday by the ministry.", false},
		{"By the end of the week, negotiators had agreed on a framework for talks.", false},
		{"Share prices rose sharply after the announcement on Monday morning.", false},
		// Photo captions, by shape.
		{"FILE - In this Thursday, April 26, 2018, file photo, Michael Avenatti talks to reporters.", true},
		{"FILE – This undated picture shows a portrait of George Washington.", true},
		{"This undated picture shows a portrait of George Washington.", true},
		{"In this photo taken Monday, a man walks by the ruins.", true},
		{"In this Oct. 3, 2018 image made from video, the senator speaks.", true},
		{"The senator speaks in Washington. (AP Photo/Evan Vucci)", true},
		{"The museum's new gallery opens on Friday. (Photo: Don Hurlbert, Smithsonian)", true},
		{"(PHOTOS: 8 key players in IRS scandal story)", true},
		{"Photos: Photos: Crisis in Ukraine Crisis in Ukraine – Ukrainian tanks are transported from their base on Wednesday, March 26. After Russian troops seized most of Ukraine's bases in Crimea, the president ordered the withdrawal of armed forces from the peninsula, citing Russian threats to the lives of servicemen. Hide Caption 1 of 132 Photos: Photos: Crisis in Ukraine", true},
		{"Hide Caption 4 of 132 Photos: Photos: Crisis in Ukraine Crisis in Ukraine – Soldiers sit atop an armored personnel carrier.", true},
		{"Photo 3 of 12", true},
		{"A flight information screen displays canceled flights at Midway airport in Chicago, Thursday, Dec. 20, 2012. The first widespread snowstorm of the season crawled across the Midwest on... (Associated Press)", true},
		{"The minister said the talks would go on (and on...) for weeks (officials agreed).", false},
		{"In this case the court said no, and the photo was never shown.", false},
		{"File sharing services were blamed for the fall in sales.", false},
		{"This photograph of the minister became famous.", false},
		{"The photo released by the agency shows the damage.", false},
		{"The senator (a former photographer) spoke.", false},
	}
	for _, c := range cases {
		if got := furniture(c.line) != ""; got != c.want {
			t.Errorf("furniture(%q) = %v (%s), want %v", c.line, got, furniture(c.line), c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: x\n---\nHello world. Second one.",
		"World\n\nHeadline\n\nBy Jo Smith\nText U.S. officials said. More 'quoted speech.' here.",
		"---\n---\n",
		"\ufeff---\r\ntitle: t\r\n---\r\nCRLF text here.\r\n",
	} {
		f.Add([]byte(s))
	}
	p, err := newParser()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := p.parse("f.md", data, time.Now())
		if err != nil {
			return
		}
		for _, s := range got.Sentences {
			if s.Start < 0 || s.End > len(data) || s.Start >= s.End || string(data[s.Start:s.End]) != s.Text {
				t.Fatalf("sentence %q is not the bytes %d:%d of the file", s.Text, s.Start, s.End)
			}
		}
	})
}

func FuzzFurniture(f *testing.F) {
	for _, s := range []string{"By Jane Doe", "Share this article:", "Comments ()", "Nederlands", "Photo: x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		furniture(line)
		isHeading(line)
		endsSentence(line)
	})
}

// An article of short lines only, such as a table of results, is still an
// article: its lines are what can be quoted.
func TestLinesOnlyArticle(t *testing.T) {
	p, err := newParser()
	if err != nil {
		t.Fatal(err)
	}
	body := "---\ntitle: Acme Corp 1st Qtr Net\n---\n\nAcme Corp 1st Qtr Net\n\nShr 33 cts vs 30 cts\n\nNet 13.0 mln vs 11.9 mln\n\nRecord March 23\n"
	got, err := p.parse("t.md", []byte(body), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range got.Sentences {
		if body[s.Start:s.End] != s.Text {
			t.Errorf("%q is not bytes %d:%d", s.Text, s.Start, s.End)
		}
		texts = append(texts, s.Text)
	}
	want := []string{"Shr 33 cts vs 30 cts", "Net 13.0 mln vs 11.9 mln", "Record March 23"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("sentences %q, want %q", texts, want)
	}
}
