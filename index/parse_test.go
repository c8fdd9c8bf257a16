package index

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./index -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

// TestParseSamples pins the cleaned text and sentence split of the sample
// corpus, and checks every sentence is exactly the bytes it claims.
func TestParseSamples(t *testing.T) {
	files, err := filepath.Glob("../articles/*.md")
	if err != nil || len(files) != 5 {
		t.Fatalf("want the 5 sample articles, got %d (%v)", len(files), err)
	}
	p, err := newParser()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		got, err := p.parse(filepath.Base(f), data, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "title: %s\nsource: %s\npublished: %s\n\n", got.Article.Title, got.Article.Source, got.Article.Day())
		for i, s := range got.Sentences {
			if string(data[s.Start:s.End]) != s.Text {
				t.Errorf("%s: sentence %d is not the bytes %d:%d", name, i, s.Start, s.End)
			}
			fmt.Fprintf(&sb, "%d [%d:%d] %s\n", i, s.Start, s.End, s.Text)
		}
		golden(t, name+".sentences.txt", sb.String())
		golden(t, name+".clean.txt", got.Body+"\n\n-- dropped --\n"+strings.Join(got.Dropped, "\n")+"\n")
	}
}
