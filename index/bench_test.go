package index

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"briefbot/index/ingest"
)

// The benchmarks run on a real corpus named by BRIEFBOT_BENCH_CORPUS, made
// with ../shared/data/make-corpus --out DIR; without it they are skipped.
func benchCorpus(b *testing.B) string {
	dir := os.Getenv("BRIEFBOT_BENCH_CORPUS")
	if dir == "" {
		b.Skip("set BRIEFBOT_BENCH_CORPUS to a folder made by make-corpus")
	}
	return dir
}

// benchIndex opens the index of the benchmark corpus, in
// BRIEFBOT_BENCH_INDEX when set (built there once), else in a new folder.
func benchIndex(b *testing.B) (ix *Index, corpus, dir string) {
	corpus = benchCorpus(b)
	dir = os.Getenv("BRIEFBOT_BENCH_INDEX")
	if dir == "" {
		dir = b.TempDir()
	}
	ix, _, err := Open(context.Background(), Options{Articles: corpus, Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	return ix, corpus, dir
}

// BenchmarkBuild is a first build of the whole corpus: walk, read, parse,
// split sentences and batch-index article and sentence documents.
func BenchmarkBuild(b *testing.B) {
	corpus := benchCorpus(b)
	var st Stats
	cpu := cpuTime()
	for b.Loop() {
		ix, s, err := Open(context.Background(), Options{Articles: corpus, Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		st = s
		ix.Close()
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(st.Indexed)/secs, "articles/s")
	b.ReportMetric(float64(st.Sentences)/secs, "sentences/s")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the CPU time this process has used, user and system: a steadier
// figure than wall time on a machine that is doing other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParse is the parsing part of a build alone: clean, find
// furniture and split sentences in every article of the corpus, read into
// memory first.
func BenchmarkParse(b *testing.B) {
	corpus := benchCorpus(b)
	p, err := ingest.NewParser()
	if err != nil {
		b.Fatal(err)
	}
	var files [][]byte
	filepath.WalkDir(corpus, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files = append(files, data)
		return err
	})
	sentences := 0
	cpu := cpuTime()
	for b.Loop() {
		sentences = 0
		for _, data := range files {
			if pa, err := p.Parse("a.md", data, time.Time{}); err == nil {
				sentences += len(pa.Sentences)
			}
		}
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(files))/secs, "articles/s")
	b.ReportMetric(float64(sentences)/secs, "sentences/s")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkRawBleve batch-indexes the same documents straight into Bleve,
// with the files already parsed: the floor our build is measured against.
func BenchmarkRawBleve(b *testing.B) {
	corpus := benchCorpus(b)
	p, err := ingest.NewParser()
	if err != nil {
		b.Fatal(err)
	}
	var docs []ingest.Parsed
	sentences := 0
	filepath.WalkDir(corpus, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpus, path)
		if pa, err := p.Parse(rel, data, time.Now()); err == nil {
			docs = append(docs, pa)
			sentences += len(pa.Sentences)
		}
		return nil
	})
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		idx, err := bleve.NewUsing(filepath.Join(b.TempDir(), "raw"), newMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			b.Fatal(err)
		}
		batch := idx.NewBatch()
		for _, d := range docs {
			if _, err := addDocs(batch, d, nil); err != nil {
				b.Fatal(err)
			}
			if batch.Size() >= 2000 {
				if err := idx.Batch(batch); err != nil {
					b.Fatal(err)
				}
				batch = idx.NewBatch()
			}
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
		idx.Close()
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(docs))/secs, "articles/s")
	b.ReportMetric(float64(sentences)/secs, "sentences/s")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkQueryWarm is retrieval on an open index: the sentence search and
// the article scores an answer makes, for a spread of questions.
func BenchmarkQueryWarm(b *testing.B) {
	ix, _, _ := benchIndex(b)
	defer ix.Close()
	questions := []string{
		"what did the central bank say about interest rates",
		"oil prices opec output",
		"which companies announced mergers",
		"grain exports to the soviet union",
		"trade deficit with japan",
		"coffee quota talks",
	}
	ctx := context.Background()
	var lat []time.Duration
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; b.Loop(); i++ {
		q := Query{Clauses: []Clause{{Text: questions[i%len(questions)]}}, Size: 150}
		t := time.Now()
		if _, err := ix.Sentences(ctx, q); err != nil {
			b.Fatal(err)
		}
		q.Size = 50
		if _, err := ix.ArticleScores(ctx, q); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkOpenUnchanged is what every `bot --query` pays before it can
// search: open an up-to-date index and check the folder for changes.
func BenchmarkOpenUnchanged(b *testing.B) {
	ix, corpus, dir := benchIndex(b)
	ix.Close()
	b.ResetTimer()
	for b.Loop() {
		ix, st, err := Open(context.Background(), Options{Articles: corpus, Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if st.Indexed+st.Deleted > 0 {
			b.Fatalf("unchanged folder re-indexed: %+v", st)
		}
		ix.Close()
	}
}

// BenchmarkOpenParts splits what opening an up-to-date index costs: reading
// the manifest, making the article table, finding changes in the folder and
// opening Bleve.
func BenchmarkOpenParts(b *testing.B) {
	ix, corpus, dir := benchIndex(b)
	ix.Close()
	manPath := filepath.Join(dir, "manifest")
	b.Run("manifest", func(b *testing.B) {
		for b.Loop() {
			if _, err := loadManifest(manPath); err != nil {
				b.Fatal(err)
			}
		}
	})
	man, _ := loadManifest(manPath)
	b.Run("articles", func(b *testing.B) {
		ix := &Index{opts: Options{Articles: corpus}, man: man}
		for b.Loop() {
			ix.setArticles()
		}
	})
	b.Run("freshness", func(b *testing.B) {
		ix := &Index{opts: Options{Articles: corpus}, man: man, log: ix.log}
		for b.Loop() {
			if !ix.fresh() {
				b.Fatal("an unchanged folder is not fresh")
			}
		}
	})
	b.Run("bleve", func(b *testing.B) {
		for b.Loop() {
			idx, err := bleve.OpenUsing(filepath.Join(dir, "bleve"), map[string]interface{}{"read_only": true})
			if err != nil {
				b.Fatal(err)
			}
			idx.Close()
		}
	})
}
