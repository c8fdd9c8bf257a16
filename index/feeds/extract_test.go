package feeds

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract feeds pages and feed text from anywhere to the extractor:
// it must not panic, and what it keeps is valid UTF-8 without control
// characters, in paragraphs index/ reads.
func FuzzExtract(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/html")
	}
	f.Add([]byte("<p>caf\xe9 \x00 \x1b[31m</p>"), "text/html; charset=utf-8")
	f.Add([]byte("%PDF-1.4"), "application/pdf")
	u, _ := url.Parse("https://example.com/a")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		pg, _ := extract(body, ctype, u)
		for _, s := range []string{pg.Text, pg.Title, pg.Author, htmlText(string(body))} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\t\x1b") || strings.Contains(s, "\n\n\n") {
				t.Fatalf("extracted %q", s)
			}
		}
	})
}
