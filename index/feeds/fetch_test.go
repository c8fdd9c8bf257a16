package feeds

import (
	"net/url"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestHostGap(t *testing.T) {
	h := hosts{next: map[string]time.Time{}}
	now := time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)
	for i, want := range []time.Duration{0, 2 * time.Second, 4 * time.Second} {
		if got := h.reserve("a.example", now, 2*time.Second); got != want {
			t.Errorf("request %d to one host waits %s, want %s", i, got, want)
		}
	}
	if got := h.reserve("b.example", now, 2*time.Second); got != 0 {
		t.Errorf("another host waits %s, want 0", got)
	}
	if got := h.reserve("a.example", now.Add(time.Minute), 2*time.Second); got != 0 {
		t.Errorf("a host not asked for a minute waits %s", got)
	}
	// A host that said 429 with Retry-After 30 is left alone for 30s.
	h.hold("b.example", now.Add(30*time.Second))
	if got := h.reserve("b.example", now, 2*time.Second); got != 30*time.Second {
		t.Errorf("a held host waits %s, want 30s", got)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"Wed, 10 Dec 2025 12:00:30 GMT": 30 * time.Second,
		"Wed, 10 Dec 2025 11:00:00 GMT": 0,
		"soon":                          0,
	} {
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", h, got, want)
		}
	}
}

func TestBackoff(t *testing.T) {
	f := &Fetcher{opts: Options{RetryBase: time.Second, MaxBackoff: 30 * time.Second}}
	for n, base := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second} {
		for range 20 {
			if d := f.backoff(n); d < base || d > base+base/2 {
				t.Fatalf("backoff(%d) = %s, want %s plus at most half again", n, d, base)
			}
		}
	}
}

func TestCanonicalURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://Example.COM:443/a/b?utm_source=rss&id=3#top": "https://example.com/a/b?id=3",
		"http://example.com/a?fbclid=x":                       "http://example.com/a",
		"http://example.com/a?b=2&a=1":                        "http://example.com/a?a=1&b=2",
	} {
		u, _ := url.Parse(in)
		if got := canonicalURL(u); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
	if a, b := fileName("https://example.com/a"), fileName("https://www.example.com/a"); a == b || a[:12] != "example.com-" || b[:12] != "example.com-" {
		t.Errorf("file names %s and %s", a, b)
	}
}

func TestFeedCharset(t *testing.T) {
	latin1 := "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>M\xe9t\xe9o</title></channel></rss>"
	declared := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>M\xe9t\xe9o</title></channel></rss>"
	for _, tc := range []struct{ name, body, ctype string }{
		{"charset only in the header", latin1, "application/rss+xml; charset=ISO-8859-1"},
		{"encoding in the declaration", declared, "application/rss+xml"},
		{"both", declared, "text/xml; charset=iso-8859-1"},
	} {
		feed, err := gofeed.NewParser().Parse(feedReader([]byte(tc.body), tc.ctype))
		if err != nil || feed.Title != "Météo" {
			t.Errorf("%s: title %q, %v", tc.name, feed.Title, err)
		}
	}
}
