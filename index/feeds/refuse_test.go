package feeds_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"briefbot/index/feeds"
)

// secretServer is an internal service on loopback that no fetch may reach;
// it counts the requests it gets.
func secretServer(t *testing.T, network, addr string) (base string, hits *atomic.Int64) {
	t.Helper()
	hits = &atomic.Int64{}
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("no %s listener: %v", network, err)
	}
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "<html><body><article><p>The admin password is hunter2 and the vault code is 0451 for every door in the building.</p></article></body></html>")
	}))
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s.URL, hits
}

// TestInternalAddressesRefused: a feed from the config file, on loopback,
// lists items whose links point (directly, through a redirect, by a name
// that resolves to loopback, and over IPv6) at a second loopback server.
// That server is never contacted, each refusal is logged once with the
// URL and why, and the feed's own articles are still stored.
func TestInternalAddressesRefused(t *testing.T) {
	secret, hits := secretServer(t, "tcp4", "127.0.0.1:0")
	secret6, hits6 := secretServer(t, "tcp6", "[::1]:0")
	secretByName := strings.Replace(secret, "127.0.0.1", "localhost", 1)

	var feedURL string
	mux := http.NewServeMux()
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		item := func(title, link string) string {
			return fmt.Sprintf("<item><title>%s</title><link>%s</link><description>%s, as the feed tells it.</description></item>", title, link, title)
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>%s%s%s%s%s</channel></rss>`,
			item("Own story", feedURL+"/news/own"),
			item("Direct", secret+"/admin"),
			item("Redirected", feedURL+"/go"),
			item("By name", secretByName+"/admin"),
			item("Over IPv6", secret6+"/admin"))
	})
	mux.HandleFunc("/news/own", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Harbour reopens</title></head><body><article><p>The harbour reopened on Monday after a winter of repairs to the sea wall, the trust said.</p><p>Fishing boats returned to their moorings within hours of the announcement, and the harbour master said the new wall should hold against the autumn storms that breached it twice last year.</p><p>Repairs cost the trust more than it had planned, after engineers found the old foundations had shifted, but the council agreed to cover half of the difference from its flood fund.</p><p>Traders on the quay said the closure had cost them the best part of a season, and asked the trust to publish its plans for the outer breakwater before any more work begins.</p></article></body></html>`)
	})
	mux.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, secret+"/admin", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	feedURL = srv.URL

	var logs bytes.Buffer
	f, err := feeds.New(feeds.Options{Dir: t.TempDir(), Trusted: []string{srv.URL + "/rss.xml"}, HostInterval: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	res := f.Poll(context.Background(), []feeds.Feed{{URL: srv.URL + "/rss.xml"}})
	if res[0].Err != nil || res[0].New != 5 || res[0].FromFeed != 4 {
		t.Errorf("poll: %v; want 5 new, 4 of them from the feed's text", res[0])
	}
	if n := hits.Load() + hits6.Load(); n != 0 {
		t.Errorf("the internal server was contacted %d times", n)
	}
	for _, u := range []string{secret + "/admin", secretByName + "/robots.txt", secret6 + "/robots.txt"} {
		if c := strings.Count(logs.String(), "refused to fetch "+u); c != 1 {
			t.Errorf("%d warnings naming %s, want 1; logs:\n%s", c, u, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "is a loopback address") {
		t.Errorf("the log does not say why:\n%s", logs.String())
	}
	if strings.Contains(readAll(t, f.Dir()), "hunter2") {
		t.Errorf("the secret page was stored")
	}
	if !strings.Contains(readAll(t, f.Dir()), "The harbour reopened on Monday") {
		t.Errorf("the config feed's own article is missing")
	}

	// A feed anyone adds (not in the config file) gets no exception, even
	// on the trusted feed's host at another port.
	other := httptest.NewServer(mux)
	defer other.Close()
	r := f.Check(context.Background(), feeds.Feed{URL: other.URL + "/rss.xml"})
	if !errors.Is(r.Err, feeds.ErrRefused) || !strings.Contains(r.Err.Error(), "loopback") {
		t.Errorf("check of an added loopback feed: %v, want refused", r.Err)
	}
	for _, u := range []string{"file:///etc/passwd", "gopher://127.0.0.1/", "http://[::ffff:127.0.0.1]:1/x", "http://0.0.0.0:1/"} {
		if r := f.Check(context.Background(), feeds.Feed{URL: u}); r.Err == nil {
			t.Errorf("check %s: no error", u)
		}
	}
}

// readAll is every article file in dir, joined.
func readAll(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, name := range mdFiles(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
