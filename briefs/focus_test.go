package briefs

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"briefbot"
)

// A question that names a month is answered from the articles of that
// month, read against the corpus's dates, when other months' articles
// say much the same.
func TestFocusOnNamedMonth(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	filler := func(n int) string { return fillerWords(rng, n, "word") }
	for i := range 60 {
		month, deal := 2, "raise their official prices"
		if i%2 == 1 {
			month, deal = 3, "cut their combined output"
		}
		body := fmt.Sprintf("---\ntitle: \"Oil ministers meet %d\"\nsource: \"Wire %d\"\npublished: 1987-%02d-%02d\n---\n\n"+
			"The oil ministers agreed at their meeting to %s, officials said after %s.\n\n"+
			"Delegates said %s.\n", i, i, month, 1+i%27, deal, filler(6), filler(12))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("m%02d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	an := newAnswerer(t, dir, "")
	ans, err := an.Answer(context.Background(), briefbot.Question{Text: "what did the oil ministers agree at the March meeting?"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Snippets) == 0 {
		t.Fatalf("no answer")
	}
	for _, s := range ans.Snippets {
		if s.Article.Published.Month() != time.March {
			t.Errorf("quoted %s of %s: want March's articles", s.Article.ID, s.Article.Day())
		}
	}
}
