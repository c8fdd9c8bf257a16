package briefs

import (
	"context"
	"fmt"
	"os"
	"testing"

	"briefbot"
)

// BenchmarkBriefBusyDay times the briefing for 1987-04-07, the busiest day
// of the Reuters corpus (853 articles, 831 of them with text the index
// keeps), and for the first 100, 200 and 400 of them, to show how the time
// grows with a day's size. It needs the corpus:
//
//	../shared/data/make-corpus --out /tmp/reuters
//	BRIEFBOT_BENCH_CORPUS=/tmp/reuters go test ./briefs -run '^$' -bench BriefBusyDay
//
// Indexing 19k articles takes minutes; set BRIEFBOT_BENCH_INDEX to a folder
// to keep the index between runs. Only the briefing is timed.
func BenchmarkBriefBusyDay(b *testing.B) {
	corpus := os.Getenv("BRIEFBOT_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set BRIEFBOT_BENCH_CORPUS to a make-corpus folder (see the comment)")
	}
	dir := os.Getenv("BRIEFBOT_BENCH_INDEX")
	if dir == "" {
		dir = b.TempDir()
	}
	br := newBriefer(b, corpus, dir)
	day := date(b, "1987-04-07")
	ctx := context.Background()
	all := br.Index.Articles()
	onDay := articlesOn(all, day)
	if len(onDay) < 800 {
		b.Fatalf("%d articles on %s, want the busy day's 853", len(onDay), day.Format(briefbot.DateLayout))
	}
	for _, n := range []int{100, 200, 400, len(onDay)} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			drop := map[string]bool{}
			for _, a := range onDay[n:] {
				drop[a.ID] = true
			}
			sub := *br
			sub.Index = fewerArticles{br.Index, drop}
			for b.Loop() {
				brief, err := sub.Brief(ctx, day)
				if err != nil {
					b.Fatal(err)
				}
				if brief.Articles != n {
					b.Fatalf("%d articles, want %d", brief.Articles, n)
				}
			}
		})
	}
}

// fewerArticles is an index without some of its articles.
type fewerArticles struct {
	DayIndex
	drop map[string]bool
}

func (f fewerArticles) Articles() []briefbot.Article {
	var out []briefbot.Article
	for _, a := range f.DayIndex.Articles() {
		if !f.drop[a.ID] {
			out = append(out, a)
		}
	}
	return out
}
