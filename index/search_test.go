package index

import (
	"context"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestSearchWithinArticles: Query.Articles keeps only those articles'
// sentences, scores them as the search over every article does, and
// leaves out sentences that match none of the clauses.
func TestSearchWithinArticles(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("One", "Coast News", "2025-12-01", "Storm damage closed the harbour.", "Fishing boats stayed in port."))
	writeFile(t, arts, "b.md", article("Two", "City Paper", "2025-12-08", "Storm damage closed the bridge.", "The storm passed overnight."))
	writeFile(t, arts, "c.md", article("Three", "City Paper", "2025-12-08", "A storm is forecast."))
	ix, _, _ := open(t, arts, t.TempDir())
	ctx := context.Background()
	q := Query{Clauses: []Clause{{Text: "storm damage"}}, Size: 10}
	all, err := ix.Sentences(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, h := range all {
		score[h.Snippet.Text] = h.Score
	}
	q.Articles = []string{"b.md", "c.md"}
	in, err := ix.Sentences(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 3 {
		t.Fatalf("%d hits within b.md and c.md, want their 3 sentences about storms", len(in))
	}
	for _, h := range in {
		if id := h.Snippet.Article.ID; id != "b.md" && id != "c.md" {
			t.Errorf("hit in %s, outside the articles asked for", id)
		}
		if math.Abs(h.Score-score[h.Snippet.Text]) > 1e-9 {
			t.Errorf("%q scores %v within, %v over all", h.Snippet.Text, h.Score, score[h.Snippet.Text])
		}
	}
	arts2, err := ix.ArticleScores(ctx, Query{Clauses: []Clause{{Text: "storm"}}, Articles: []string{"a.md"}, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts2) != 1 || arts2["a.md"] <= 0 {
		t.Errorf("article scores within a.md: %v", arts2)
	}
}

// TestGeneration: the generation changes when the articles do.
func TestGeneration(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("One", "Coast News", "2025-12-01", "Storm damage closed the harbour."))
	ix, _, _ := open(t, arts, t.TempDir())
	g := ix.Generation()
	writeFile(t, arts, "b.md", article("Two", "City Paper", "2025-12-08", "Storm damage closed the bridge."))
	if _, err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ix.Generation() == g {
		t.Error("the generation stayed the same after an article was added")
	}
}

// TestArticleScoresFastPath: without filters, ArticleScores adds the
// postings up itself; its scores must rank and weigh articles as the
// Bleve search does (the same up to one constant factor).
func TestArticleScoresFastPath(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("Storm hits coast", "Coast News", "2025-12-01", "Storm damage closed the harbour.", "Fishing boats stayed in port during the storm."))
	writeFile(t, arts, "b.md", article("Bridge shut", "City Paper", "2025-12-08", "Storm damage closed the bridge.", "Engineers will inspect it."))
	writeFile(t, arts, "c.md", article("Forecast", "City Paper", "2025-12-08", "A storm is forecast for the weekend, with damage to crops feared and harbour walls at risk."))
	writeFile(t, arts, "d.md", article("Markets", "City Paper", "2025-12-08", "Shares rose on Friday."))
	ix, _, _ := open(t, arts, t.TempDir())
	ctx := context.Background()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, q := range []Query{
		{Clauses: []Clause{{Text: "storm damage"}}},
		{Clauses: []Clause{{Text: "storm damage harbour"}, {Text: "coast", Boost: 0.5}}},
		{Clauses: []Clause{{Text: "bridge"}}},
		{Clauses: []Clause{{Text: "storm damage"}}, Source: "city"},
		{Clauses: []Clause{{Text: "storm damage harbour"}}, Source: "Coast News", Until: day("2025-12-01")},
		{Clauses: []Clause{{Text: "storm damage"}, {Text: "shares", Boost: 0.5}}, Since: day("2025-12-02")},
	} {
		clauses := q.Clauses
		q.Size = 10
		fast, err := ix.ArticleScores(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		// Restricted to every article, the query takes Bleve's path.
		q.Articles = []string{"a.md", "b.md", "c.md", "d.md"}
		slow, err := ix.ArticleScores(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(fast) != len(slow) || len(fast) == 0 {
			t.Fatalf("%v: fast %v, search %v", clauses, fast, slow)
		}
		ratio := 0.0
		for id, s := range slow {
			if ratio == 0 {
				ratio = fast[id] / s
			}
			if math.Abs(fast[id]/s-ratio) > 1e-9*ratio {
				t.Errorf("%v: %s scores %v fast, %v by search (ratio %v, want %v)", clauses, id, fast[id], s, fast[id]/s, ratio)
			}
		}
	}
}

// TestArticleScoresCached: a term's postings are kept once it has been
// scored twice; scores from the cache are the same to the bit, and stay
// right when an article is added, changed or removed (new segments,
// deleted documents, merges renumber them).
func TestArticleScoresCached(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("Storm hits coast", "Coast News", "2025-12-01", "Storm damage closed the harbour.", "Fishing boats stayed in port during the storm."))
	writeFile(t, arts, "b.md", article("Bridge shut", "City Paper", "2025-12-08", "Storm damage closed the bridge.", "Engineers will inspect it."))
	ix, _, _ := open(t, arts, t.TempDir())
	ctx := context.Background()
	q := Query{Clauses: []Clause{{Text: "storm damage harbour"}, {Text: "bridge", Boost: 0.5}}, Size: 10}
	slow := func() map[string]float64 {
		t.Helper()
		sq := Query{Clauses: q.Clauses, Size: q.Size}
		for id := range ix.man.Files {
			sq.Articles = append(sq.Articles, id)
		}
		want, err := ix.ArticleScores(ctx, sq)
		if err != nil {
			t.Fatal(err)
		}
		return want
	}
	check := func(when string) {
		t.Helper()
		var first, firstWant map[string]float64
		for i := range 3 { // seen, kept, read from the cache
			// The index merges its segments in the background after a
			// sync, which moves the scores' statistics: compare with
			// Bleve's search when it found the same before and after.
			var got, want map[string]float64
			for range 50 {
				want = slow()
				var err error
				if got, err = ix.ArticleScores(ctx, q); err != nil {
					t.Fatal(err)
				}
				if maps.Equal(want, slow()) {
					break
				}
			}
			if first == nil {
				first, firstWant = got, want
			}
			if maps.Equal(want, firstWant) && !maps.Equal(got, first) {
				t.Errorf("%s: pass %d scored %v, the first %v", when, i, got, first)
			}
			if len(got) != len(want) {
				t.Errorf("%s: pass %d found %v, the search %v", when, i, got, want)
			}
			ratio := 0.0
			for id, s := range want {
				if ratio == 0 {
					ratio = got[id] / s
				}
				if math.Abs(got[id]/s-ratio) > 1e-9*ratio {
					t.Errorf("%s: pass %d scored %s %v, the search %v (ratio %v, want %v)", when, i, id, got[id], s, got[id]/s, ratio)
				}
			}
		}
	}
	check("opened")
	writeFile(t, arts, "c.md", article("Harbour storm", "City Paper", "2025-12-09", "The storm damage to the harbour walls was worse than feared."))
	if _, err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	check("after an article was added")
	writeFile(t, arts, "a.md", article("Calm coast", "Coast News", "2025-12-01", "Boats went out again."))
	if err := os.Remove(filepath.Join(arts, "b.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	check("after one was changed and one removed")
}

// TestSentencesAsBleveSearches: a sentence search within articles (scored
// from the cached postings of the articles' sentences) finds the sentences
// Bleve's search of the same query finds, in the same order and with the
// same scores (to rounding: the sums are added in another order), with
// repeated words, a clause of stop words alone and filters, before and
// after the articles change.
func TestSentencesAsBleveSearches(t *testing.T) {
	arts := t.TempDir()
	writeFile(t, arts, "a.md", article("Storm hits coast", "Coast News", "2025-12-01", "Storm damage closed the harbour.", "Fishing boats stayed in port during the storm."))
	writeFile(t, arts, "b.md", article("Bridge shut", "City Paper", "2025-12-08", "Storm damage closed the bridge.", "Engineers will inspect it.", "The storm passed."))
	writeFile(t, arts, "c.md", article("Forecast", "City Paper", "2025-12-08", "A storm is forecast.", "Storm damage is feared.", "The storm passed."))
	ix, _, _ := open(t, arts, t.TempDir())
	ctx := context.Background()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	bleveSentences := func(q Query) []Hit {
		t.Helper()
		bq := ix.build("s", Query{Clauses: q.Clauses, Source: q.Source, Since: q.Since, Until: q.Until}).(*query.BooleanQuery)
		var terms []query.Query
		for _, id := range q.Articles {
			tq := bleve.NewTermQuery(id)
			tq.SetField("art")
			tq.SetBoost(0)
			terms = append(terms, tq)
		}
		bq.AddMust(query.NewDisjunctionQuery(terms))
		bq.SetMinShould(1)
		res, err := ix.search(ctx, bleve.NewSearchRequestOptions(bq, q.Size, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		hits, err := ix.hits(matchesOf(res.Hits))
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	check := func(when string) {
		t.Helper()
		for _, q := range []Query{
			{Clauses: []Clause{{Text: "storm damage"}}, Articles: []string{"a.md", "b.md", "c.md"}, Size: 10},
			{Clauses: []Clause{{Text: "storm"}, {Text: "bridge harbour", Boost: 0.5}}, Articles: []string{"b.md", "c.md"}, Size: 2},
			{Clauses: []Clause{{Text: "storm passed"}}, Articles: []string{"c.md", "a.md"}, Size: 10},
			{Clauses: []Clause{{Text: "storm damage storm"}, {Text: "of the", Boost: 2}, {Text: "bridge", Boost: 0.3}}, Articles: []string{"a.md", "b.md", "c.md"}, Size: 10},
			{Clauses: []Clause{{Text: "storm damage"}}, Articles: []string{"a.md", "b.md", "c.md"}, Source: "city", Size: 10},
			{Clauses: []Clause{{Text: "storm"}}, Articles: []string{"a.md", "b.md", "c.md"}, Since: day("2025-12-02"), Until: day("2025-12-08"), Size: 10},
			{Clauses: []Clause{{Text: "storm"}}, Articles: []string{"a.md", "b.md", "c.md"}, Source: "Coast News", Until: day("2025-12-01"), Size: 10},
		} {
			for pass := range 3 { // read, read and keep, then from the cache
				// The index merges its segments in the background after a
				// sync, which moves the scores' statistics: compare with
				// Bleve's search when it found the same before and after.
				var want, got []Hit
				for range 50 {
					want = bleveSentences(q)
					var err error
					if got, err = ix.Sentences(ctx, q); err != nil {
						t.Fatal(err)
					}
					if slices.EqualFunc(want, bleveSentences(q), sameHit) {
						break
					}
				}
				if len(got) != len(want) || len(got) == 0 {
					t.Fatalf("%s: %v pass %d: %d hits, Bleve's search %d", when, q.Clauses, pass, len(got), len(want))
				}
				for i := range got {
					g, w := got[i], want[i]
					if !sameHit(g, w) {
						t.Errorf("%s: %v pass %d hit %d: %s#%d %v, Bleve's search %s#%d %v", when, q.Clauses, pass, i,
							g.Snippet.Article.ID, g.Snippet.Position, g.Score, w.Snippet.Article.ID, w.Snippet.Position, w.Score)
					}
				}
			}
		}
	}
	check("opened")
	writeFile(t, arts, "a.md", article("Calm coast", "Coast News", "2025-12-01", "Boats went out again.", "The storm damage was repaired."))
	if err := os.Remove(filepath.Join(arts, "b.md")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, arts, "b.md", article("Bridge open", "City Paper", "2025-12-09", "The storm passed and the bridge opened.", "Storm damage was slight."))
	if _, err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	check("after articles changed")
}

// sameHit reports whether two hits are the same sentence with the same
// score, to rounding.
func sameHit(a, b Hit) bool {
	return a.Snippet.Article.ID == b.Snippet.Article.ID && a.Snippet.Position == b.Snippet.Position &&
		math.Abs(a.Score-b.Score) <= 1e-12*math.Abs(b.Score)
}
