package briefs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A quote that leans on the sentence before it (a pointing word, a
// pronoun saying it) is widened to that sentence when it is in the same
// paragraph, and stays the exact bytes of the file.
func TestPassages(t *testing.T) {
	dir := t.TempDir()
	art := "---\ntitle: \"Red lines\"\nsource: \"Wire\"\npublished: 2025-03-01\n---\n\n" +
		"Kyiv set out three principles for any settlement. These principles represent Ukraine's red lines.\n\n" +
		"It began in a new paragraph, which stands alone.\n\n" +
		"The foreign minister spoke after the meeting. \"We will not give up our land,\" he said.\n\n" +
		"The ministers met in the capital on Monday.\n"
	path := filepath.Join(dir, "a.md")
	if err := os.WriteFile(path, []byte(art), 0o644); err != nil {
		t.Fatal(err)
	}
	an := newAnswerer(t, dir, "")
	ctx := context.Background()
	sents, err := an.Index.SentencesOf(ctx, []string{"a.md"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ sentence, want string }{
		{"These principles represent", "Kyiv set out three principles for any settlement. These principles represent Ukraine's red lines."},
		{"It began in a new paragraph", "It began in a new paragraph, which stands alone."},
		{"\"We will not give up", "The foreign minister spoke after the meeting. \"We will not give up our land,\" he said."},
		{"The ministers met", "The ministers met in the capital on Monday."},
	} {
		var c *candidate
		for _, s := range sents {
			if strings.HasPrefix(s.Text, tc.sentence) {
				c = &candidate{snip: s, words: words(s.Text)}
			}
		}
		if c == nil {
			t.Fatalf("no sentence starts %q among %d", tc.sentence, len(sents))
		}
		an.passages(ctx, []*candidate{c}, nil)
		if c.snip.Text != tc.want {
			t.Errorf("%q: quoted %q, want %q", tc.sentence, c.snip.Text, tc.want)
		}
		if got := art[c.snip.Start:c.snip.End]; got != c.snip.Text {
			t.Errorf("%q: bytes %d:%d are %q, not the quote", tc.sentence, c.snip.Start, c.snip.End, got)
		}
	}
}

func TestLeansBack(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"These principles represent Ukraine's red lines.", true},
		{"It also does not include a binding mechanism.", true},
		{"\"We will not yield,\" she added.", true},
		{"There was widespread agreement.", false},
		{"Both sides agree on one principle.", false},
		{"The talks ended.", false},
	} {
		if got := leansBack(words(tc.text)); got != tc.want {
			t.Errorf("leansBack(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
