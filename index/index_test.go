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
