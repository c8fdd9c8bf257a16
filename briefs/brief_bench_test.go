package briefs

import (
	"context"
	"os"
	"testing"
)

// BenchmarkBriefBusyDay times the briefing for 1987-04-07, the busiest day
// of the Reuters corpus (853 articles). It needs the corpus:
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
	b.ResetTimer()
	for b.Loop() {
		brief, err := br.Brief(ctx, day)
		if err != nil {
			b.Fatal(err)
		}
		if brief.Articles < 800 {
			b.Fatalf("%d articles on %s, want the busy day's 853", brief.Articles, brief.Date)
		}
	}
}
