package index

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"briefbot/index/ingest"
)

// bbcEntries parses the BBC News corpus named by BRIEFBOT_BENCH_BBC (made
// with ../shared/data/make-corpus --bbc --out DIR) into manifest entries
// without signatures; without it the benchmarks are skipped.
func bbcEntries(b *testing.B) (map[string]*entry, []string) {
	dir := os.Getenv("BRIEFBOT_BENCH_BBC")
	if dir == "" {
		b.Skip("set BRIEFBOT_BENCH_BBC to a folder made by make-corpus --bbc")
	}
	p, err := ingest.NewParser()
	if err != nil {
		b.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	files := map[string]*entry{}
	var bodies []string
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		id := filepath.Base(n)
		pa, err := p.Parse(id, data, time.Time{})
		if err != nil {
			continue
		}
		files[id] = &entry{Article: pa.Article}
		bodies = append(bodies, pa.Body)
	}
	return files, bodies
}

// BenchmarkSignatureBBC is the MinHash signature of every article.
func BenchmarkSignatureBBC(b *testing.B) {
	_, bodies := bbcEntries(b)
	for b.Loop() {
		for _, body := range bodies {
			ingest.Signature(body)
		}
	}
	b.ReportMetric(float64(len(bodies)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkGroupStoriesBBC groups the whole corpus into stories, as every
// sync that changes something does, and reports how many articles were
// found to be copies (the BBC set has repeated articles).
func BenchmarkGroupStoriesBBC(b *testing.B) {
	files, _ := bbcEntries(b)
	p, _ := ingest.NewParser()
	for id, e := range files {
		data, _ := os.ReadFile(filepath.Join(os.Getenv("BRIEFBOT_BENCH_BBC"), id))
		pa, _ := p.Parse(id, data, time.Time{})
		e.MinHash = ingest.Signature(pa.Body)
	}
	var copies int
	for b.Loop() {
		copies = 0
		for _, s := range groupStories(files) {
			if s.dupOf != "" {
				copies++
			}
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(copies), "copies")
}
