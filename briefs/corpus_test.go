package briefs

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeArticle writes an article file with front matter into dir.
func writeArticle(t testing.TB, dir, name, title, source, day, body string) {
	t.Helper()
	text := "---\ntitle: \"" + title + "\"\nsource: \"" + source + "\"\npublished: " + day + "\n---\n\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fillerWords is n made-up words ending in suffix, drawn from rng, so generated
// articles are never near copies (the index would fold those into one
// story).
func fillerWords(rng *rand.Rand, n int, suffix string) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("%c%c%c%s", 'a'+rng.IntN(26), 'a'+rng.IntN(26), 'a'+rng.IntN(26), suffix)
	}
	return strings.Join(ws, " ")
}
