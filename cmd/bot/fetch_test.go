package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefbot/configs"
)

// harbourFeed serves one feed at /rss.xml, on loopback, until the test
// ends: one item whose text the feed carries.
func harbourFeed(t *testing.T) *httptest.Server {
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
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	srv := harbourFeed(t)
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
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != "Harbour Herald: 1 items, 1 new, 0 updated, 1 from the feed's text" ||
		!strings.HasPrefix(lines[1], "Gone Post: failed: ") || !strings.HasPrefix(lines[2], "index: 1 new or changed articles (0 of them copies") {
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

func TestFeedList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title><item><title>One</title><guid>1</guid><description>One.</description></item></channel></rss>`)
	}))
	defer srv.Close()
	cfg := configs.Default()
	cfg.Articles = t.TempDir()
	cfg.Feeds = []configs.Feed{{URL: "https://wire.example/rss", Name: "Wire"}}
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()

	// A feed added from Discord on an internal address is refused, and
	// the refusal says why.
	f, err := newFetcher(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	l := &feedList{cfg: cfg, store: feedStore(cfg), fetcher: f, log: log}
	if _, err := l.Add(ctx, srv.URL+"/rss.xml", ""); err == nil || !strings.Contains(err.Error(), "loopback address") {
		t.Errorf("add of a loopback feed: %v, want refused", err)
	}
	if list, _ := l.List(); len(list) != 1 {
		t.Errorf("a refused feed was stored: %+v", list)
	}

	// The operator can open it (fetch.allow).
	cfg.Fetch.Allow = []string{"127.0.0.1"}
	if f, err = newFetcher(cfg, log); err != nil {
		t.Fatal(err)
	}
	l = &feedList{cfg: cfg, store: feedStore(cfg), fetcher: f, log: log}
	if _, err := l.Add(ctx, "https://wire.example/rss", ""); err == nil {
		t.Error("a config feed was added again")
	}
	if _, err := l.Add(ctx, "not a url", ""); err == nil {
		t.Error("a bad URL was added")
	}
	if got, err := l.Add(ctx, srv.URL+"/rss.xml", ""); err != nil || got != "Harbour Herald, 1 items" {
		t.Errorf("add: %q %v", got, err)
	}
	list, err := l.List()
	if err != nil || len(list) != 2 || !list[0].FromConfig || list[1].URL != srv.URL+"/rss.xml" {
		t.Errorf("list: %+v %v", list, err)
	}
	if n := len(l.feeds()); n != 2 {
		t.Errorf("%d feeds polled, want 2", n)
	}
	if ok, err := l.Remove(srv.URL + "/rss.xml"); !ok || err != nil {
		t.Errorf("remove: %v %v", ok, err)
	}
	if n := len(l.feeds()); n != 1 {
		t.Errorf("%d feeds polled after remove, want 1", n)
	}
}
