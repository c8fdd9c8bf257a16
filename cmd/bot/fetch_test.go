package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rss.xml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>
<item><title>Lighthouse keeper retires</title><guid isPermaLink="false">hh-1</guid>
<pubDate>Tue, 09 Dec 2025 06:00:00 GMT</pubDate>
<description>The lighthouse keeper at Porthmellin retired on Monday after forty years, handing the keys to the harbour trust.</description></item>
</channel></rss>`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	articles := filepath.Join(dir, "articles")
	os.MkdirAll(articles, 0o755)
	cfg := filepath.Join(dir, "briefbot.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("articles: %s\nfeeds:\n  - url: %s/rss.xml\n    name: Harbour Herald\n  - url: %s/gone.xml\n    name: Gone Post\n", articles, srv.URL, srv.URL)), 0o644)
	index := t.TempDir()

	code, out, errs := runBot(t, nil, "--config", cfg, "--index", index, "--fetch")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	t.Logf("stdout:\n%sstderr:\n%s", out, errs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != "Harbour Herald: 1 items, 1 new, 0 updated, 1 from the feed's text" ||
		!strings.HasPrefix(lines[1], "Gone Post: failed: ") || !strings.HasPrefix(lines[2], "index: 1 articles indexed") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(errs, "Gone Post") || strings.Count(errs, "\n") != 1 {
		t.Errorf("want one warning naming the failing feed, got:\n%s", errs)
	}
	code, out, errs = runBot(t, nil, "--config", cfg, "--index", index, "--query", "who retired?")
	if code != 0 || !strings.Contains(out, "lighthouse keeper at Porthmellin retired") {
		t.Errorf("the fetched article is not answered from (exit %d):\n%s%s", code, out, errs)
	}

	// Nothing to fetch is an error a cron job notices.
	os.WriteFile(cfg, []byte("articles: "+articles+"\n"), 0o644)
	if code, _, errs := runBot(t, nil, "--config", cfg, "--index", index, "--fetch"); code == 0 || !strings.Contains(errs, "no feeds") {
		t.Errorf("no feeds: exit %d, %s", code, errs)
	}
}
