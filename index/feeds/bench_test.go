package feeds

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bbcPages makes a news web page of each article of the BBC News corpus
// named by BRIEFBOT_BENCH_BBC (made with ../shared/data/make-corpus --bbc
// --out DIR), with the furniture real pages have around the article; it
// returns the pages and each article's paragraphs. Without the variable
// the benchmarks are skipped.
func bbcPages(b *testing.B) (pages [][]byte, paras [][]string) {
	dir := os.Getenv("BRIEFBOT_BENCH_BBC")
	if dir == "" {
		b.Skip("set BRIEFBOT_BENCH_BBC to a folder made by make-corpus --bbc")
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		parts := strings.SplitN(string(data), "\n---\n", 2)
		if len(parts) != 2 {
			continue
		}
		var ps []string
		for _, p := range strings.Split(parts[1], "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				ps = append(ps, p)
			}
		}
		var body bytes.Buffer
		for _, p := range ps {
			fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(p))
		}
		page := fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Story - BBC News</title>
<meta property="og:site_name" content="BBC News"><script>var x = 1;</script></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article><h1>Story</h1><div class="byline">By a BBC reporter</div>
%s</article>
<aside><h2>Top stories</h2><ul><li><a href="/1">Markets rally as rates hold</a></li><li><a href="/2">Storm warning for the north</a></li></ul></aside></main>
<footer><p>Copyright 2025 BBC. The BBC is not responsible for the content of external sites.</p></footer></body></html>`, body.String())
		pages = append(pages, []byte(page))
		paras = append(paras, ps)
	}
	return pages, paras
}

// BenchmarkExtractBBC runs readability over every page, and reports the
// share of the article's paragraphs found in the extracted text (recall)
// and the share of extracted paragraphs that are the article's
// (precision).
func BenchmarkExtractBBC(b *testing.B) {
	pages, paras := bbcPages(b)
	u, _ := url.Parse("https://www.bbc.co.uk/news/story")
	var found, want, kept, got, failed int
	for b.Loop() {
		found, want, kept, got, failed = 0, 0, 0, 0, 0
		for i, p := range pages {
			pg, err := extract(p, "text/html; charset=utf-8", u)
			if err != nil {
				failed++
			}
			out := strings.Split(pg.Text, "\n\n")
			is := map[string]bool{}
			for _, l := range out {
				is[l] = true
			}
			orig := map[string]bool{}
			for _, w := range paras[i] {
				w = clean(w)
				orig[w] = true
				want++
				if is[w] {
					found++
				}
			}
			for _, l := range out {
				got++
				if orig[l] {
					kept++
				}
			}
		}
	}
	b.ReportMetric(float64(len(pages)*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(found)/float64(want), "recall")
	b.ReportMetric(float64(kept)/float64(got), "precision")
	b.ReportMetric(float64(failed), "not-articles")
}
