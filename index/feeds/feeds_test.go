package feeds_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"briefbot/index"
	"briefbot/index/feeds"
)

// loopback opens this machine to fetches: the test sites live there.
var loopback = []string{"127.0.0.0/8"}

// fakeClock never really waits: After fires at once and moves the clock
// on, and every wait asked for is recorded. The fetcher asks a clock for
// nothing but Now and After; the rest of clockwork.Clock is the embedded
// one's, nil here, so any other use fails loudly.
type fakeClock struct {
	clockwork.Clock
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// site is a news site on loopback: two outlets carrying one wire story,
// an article edited upstream, a page robots.txt forbids, a page that is
// not an article, a windows-1252 page, a Latin-1 feed behind a 429, a
// malformed feed, a 50 MB feed and a redirect loop.
type site struct {
	*httptest.Server
	mu      sync.Mutex
	version int // 1, then 2 once the bridge story is edited
	hits    map[string]int
}

func newSite(t *testing.T) *site {
	s := &site{version: 1, hits: map[string]int{}}
	fixture := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return bytes.ReplaceAll(b, []byte("{{BASE}}"), []byte(s.URL))
	}
	serve := func(ctype, name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Write(fixture(name))
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/coast/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"coast-1"`)
		if r.Header.Get("If-None-Match") == `"coast-1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(fixture("coast.rss"))
	})
	mux.Handle("/coast/news/water-cuts", serve("text/html; charset=utf-8", "coast-water.html"))
	mux.Handle("/coast/news/harbour", serve("text/html", "coast-harbour.html")) // windows-1252, said only in <meta>
	mux.HandleFunc("/city/atom.xml", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		v := s.version
		s.mu.Unlock()
		mod := fmt.Sprintf("Wed, 10 Dec 2025 0%d:00:00 GMT", v)
		w.Header().Set("Last-Modified", mod)
		if r.Header.Get("If-Modified-Since") == mod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(fixture(fmt.Sprintf("city-v%d.atom", v)))
	})
	mux.Handle("/city/2025/12/08/reservoirs", serve("text/html; charset=utf-8", "city-reservoirs.html"))
	mux.HandleFunc("/city/2025/12/10/bridge", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		v := s.version
		s.mu.Unlock()
		serve("text/html; charset=utf-8", fmt.Sprintf("city-bridge-v%d.html", v))(w, r)
	})
	mux.Handle("/city/live", serve("text/html; charset=utf-8", "city-live.html"))
	mux.Handle("/broken/rss.xml", serve("application/rss+xml", "malformed.rss"))
	mux.HandleFunc("/huge/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title><description>`)
		chunk := bytes.Repeat([]byte("all work and no play "), 50000) // 1 MB
		for range 50 {
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up at its size cap
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/busy/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := s.hits[r.URL.Path]
		s.mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		serve("application/rss+xml; charset=ISO-8859-1", "latin1.rss")(w, r)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "briefbot/") {
			t.Errorf("request with User-Agent %q", ua)
		}
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// warnings counts the warning lines naming each feed.
func warnings(logs string) map[string][]string {
	out := map[string][]string{}
	re := regexp.MustCompile(`feed="?([^"=]+?)"? url=`)
	for _, l := range strings.Split(logs, "\n") {
		if !strings.Contains(l, "level=WARN") {
			continue
		}
		name := "?"
		if m := re.FindStringSubmatch(l); m != nil {
			name = m[1]
		}
		out[name] = append(out[name], l)
	}
	return out
}

func TestPoll(t *testing.T) {
	s := newSite(t)
	articles := t.TempDir()
	dir := filepath.Join(articles, "feeds")
	var logs bytes.Buffer
	clock := &fakeClock{now: time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)}
	f, err := feeds.New(feeds.Options{Allow: loopback, Dir: dir, Client: s.Client(), Clock: clock,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), HostInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	list := []feeds.Feed{
		{URL: s.URL + "/coast/rss.xml", Name: "Coast News"},
		{URL: s.URL + "/city/atom.xml"}, // named by its own title
		{URL: s.URL + "/busy/rss.xml", Name: "Meteo"},
		{URL: s.URL + "/broken/rss.xml", Name: "Broken Gazette"},
		{URL: s.URL + "/huge/rss.xml", Name: "Huge Daily"},
		{URL: s.URL + "/loop", Name: "Loop Times"},
		{URL: "http://127.0.0.1:1/rss.xml", Name: "Gone Post"},
	}
	res := f.Poll(context.Background(), list)
	for _, r := range res {
		t.Log(r)
	}
	type want struct {
		new, fromFeed int
		err           string
	}
	for i, w := range []want{
		{new: 3, fromFeed: 1},
		{new: 3, fromFeed: 1},
		{new: 1, fromFeed: 1},
		{err: "malformed feed"},
		{err: "larger than 5 MB"},
		{err: "redirect"},
		{err: "connection refused"},
	} {
		r := res[i]
		if w.err != "" {
			if r.Err == nil || !strings.Contains(r.Err.Error(), w.err) {
				t.Errorf("%s: error %v, want one saying %q", r.Feed.Label(), r.Err, w.err)
			}
			continue
		}
		if r.Err != nil || r.New != w.new || r.FromFeed != w.fromFeed {
			t.Errorf("%s: %v, want %d new, %d from the feed's text", r.Feed.Label(), r, w.new, w.fromFeed)
		}
	}
	if !errors.Is(res[4].Err, feeds.ErrTooLarge) {
		t.Errorf("huge feed: %v, want ErrTooLarge", res[4].Err)
	}
	// One warning per bad feed, naming it and the reason.
	warn := warnings(logs.String())
	for _, name := range []string{"Broken Gazette", "Huge Daily", "Loop Times", "Gone Post", "Coast News", "City Paper"} {
		if len(warn[name]) != 1 {
			t.Errorf("%s: %d warnings, want 1: %q", name, len(warn[name]), warn[name])
		}
	}
	if len(warn["Meteo"]) != 0 || len(warn["?"]) != 0 {
		t.Errorf("unexpected warnings: %q %q", warn["Meteo"], warn["?"])
	}
	// robots.txt forbids /private/: the page was never asked for.
	if n := s.hitsOf("/private/storm-cost"); n != 0 {
		t.Errorf("a page robots.txt forbids was fetched %d times", n)
	}

	files := mdFiles(t, dir)
	if len(files) != 7 {
		t.Fatalf("%d article files, want 7: %v", len(files), files)
	}
	harbour := readMatching(t, dir, "Porthmellin")
	for _, want := range []string{"source: Coast News", "author: Jenny Tregear", "published: \"2025-12-08T11:00:00Z\"", "the café on the quay", "£2 for a coffee and €2.50", "url: " + s.URL + "/coast/news/harbour\n"} {
		if !strings.Contains(harbour, want) {
			t.Errorf("harbour article lacks %q:\n%s", want, harbour)
		}
	}
	if water := readMatching(t, dir, "Water cuts loom"); strings.Contains(water, "Most read") || strings.Contains(water, "All rights reserved") || strings.Contains(water, "utm_") {
		t.Errorf("page furniture or tracking kept:\n%s", water)
	}
	if meteo := readMatching(t, dir, "Brest"); !strings.Contains(meteo, "Prévisions: pluie à Brest") || !strings.Contains(meteo, "source: Meteo") {
		t.Errorf("Latin-1 feed:\n%s", meteo)
	}

	// Index the folder: the wire story is there once, with both outlets.
	ix, _, err := index.Open(context.Background(), index.Options{Articles: articles, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var wire []string
	for _, a := range ix.Articles() {
		if strings.Contains(a.Title, "eservoir") {
			wire = append(wire, a.Source+" also in "+strings.Join(a.AlsoIn, ","))
		}
	}
	if !slices.Equal(wire, []string{"Coast News also in City Paper"}) {
		t.Errorf("wire story indexed as %q, want once from Coast News, also in City Paper", wire)
	}
	if n := len(ix.Articles()); n != 6 {
		t.Errorf("%d articles indexed, want 6 (7 files, one a syndicated copy)", n)
	}

	// Second poll: the coast feed is not modified (304), the bridge story
	// was edited upstream: its file changes, no article is added.
	s.mu.Lock()
	s.version = 2
	s.mu.Unlock()
	bridgeBefore := readMatching(t, dir, "Victoria Road")
	res = f.Poll(context.Background(), list[:2])
	if !res[0].NotModified {
		t.Errorf("coast feed: %v, want not modified", res[0])
	}
	if r := res[1]; r.Err != nil || r.New != 0 || r.Updated != 1 {
		t.Errorf("city feed: %v, want 1 updated", r)
	}
	if got := mdFiles(t, dir); !slices.Equal(got, files) {
		t.Errorf("files after the edit: %v, want the same %v", got, files)
	}
	bridge := readMatching(t, dir, "Victoria Road")
	if bridge == bridgeBefore || !strings.Contains(bridge, "free parking on Saturdays") {
		t.Errorf("edited article not updated:\n%s", bridge)
	}
	st, err := ix.Sync(context.Background())
	if err != nil || st.Indexed != 1 {
		t.Errorf("sync after the edit: %+v %v, want 1 article re-indexed", st, err)
	}
	if n := len(ix.Articles()); n != 6 {
		t.Errorf("%d articles after the edit, want 6", n)
	}

	// A new fetcher reads the state the last one left: still 304.
	f2, err := feeds.New(feeds.Options{Allow: loopback, Dir: dir, Client: s.Client(), Clock: clock, HostInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res := f2.Poll(context.Background(), list[:1]); !res[0].NotModified {
		t.Errorf("after restart: %v, want not modified", res[0])
	}
}

func mdFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

func readMatching(t *testing.T, dir, s string) string {
	t.Helper()
	for _, name := range mdFiles(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), s) {
			return string(b)
		}
	}
	t.Fatalf("no article file contains %q", s)
	return ""
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // a server that never answers
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	var logs bytes.Buffer
	f, err := feeds.New(feeds.Options{Allow: loopback, Dir: t.TempDir(), Client: srv.Client(), Clock: &fakeClock{now: time.Now()},
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res := f.Poll(context.Background(), []feeds.Feed{{URL: srv.URL + "/rss.xml", Name: "Slow Post"}})
	if !errors.Is(res[0].Err, context.DeadlineExceeded) {
		t.Errorf("slow feed: %v, want a timeout", res[0].Err)
	}
	if w := warnings(logs.String()); len(w["Slow Post"]) != 1 {
		t.Errorf("warnings: %q", w)
	}
}

func TestRun(t *testing.T) {
	s := newSite(t)
	clock := &fakeClock{now: time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)}
	f, err := feeds.New(feeds.Options{Allow: loopback, Dir: t.TempDir(), Client: s.Client(), Clock: clock, HostInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var rounds [][]feeds.Result
	list := func() []feeds.Feed {
		fs := []feeds.Feed{{URL: s.URL + "/coast/rss.xml", Name: "Coast News", Interval: 10 * time.Minute}}
		if len(rounds) > 0 { // a feed added while running
			fs = append(fs, feeds.Feed{URL: s.URL + "/city/atom.xml", Interval: time.Hour})
		}
		return fs
	}
	err = f.Run(ctx, list, func(_ context.Context, res []feeds.Result) {
		rounds = append(rounds, res)
		if len(rounds) == 3 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Round 1: the coast feed. Round 2: the added city feed at once.
	// Round 3: the coast feed again ten minutes on, not modified.
	var got []string
	for _, r := range rounds {
		var line []string
		for _, x := range r {
			line = append(line, x.String())
		}
		got = append(got, strings.Join(line, "; "))
	}
	want := []string{"Coast News: 3 items, 3 new", "City Paper (" + s.URL + "/city/atom.xml): 3 items, 3 new", "Coast News: not modified"}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("rounds:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStore(t *testing.T) {
	s := feeds.NewStore(filepath.Join(t.TempDir(), "sub", ".feeds.json"))
	if l, err := s.List(); err != nil || len(l) != 0 {
		t.Fatalf("empty store: %v %v", l, err)
	}
	if err := s.Add(feeds.Feed{URL: "ftp://example.com/rss"}); err == nil {
		t.Error("a non-http URL was stored")
	}
	s.Add(feeds.Feed{URL: "https://a.example/rss", Name: "A"})
	s.Add(feeds.Feed{URL: "https://b.example/rss", Name: "B"})
	s.Add(feeds.Feed{URL: "https://a.example/rss", Name: "A News"}) // replaces
	if ok, err := s.Remove("b"); !ok || err != nil {
		t.Errorf("remove by name: %v %v", ok, err)
	}
	if ok, _ := s.Remove("https://nowhere.example/"); ok {
		t.Error("removed a feed that was not there")
	}
	l, err := feeds.NewStore(filepath.Join(filepath.Dir(s.Path()), ".feeds.json")).List()
	if err != nil || len(l) != 1 || l[0].Name != "A News" {
		t.Errorf("after add, replace and remove: %+v %v", l, err)
	}
}

func TestCheck(t *testing.T) {
	s := newSite(t)
	dir := t.TempDir()
	f, err := feeds.New(feeds.Options{Allow: loopback, Dir: dir, Client: s.Client(), Clock: &fakeClock{}, HostInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Check(context.Background(), feeds.Feed{URL: s.URL + "/city/atom.xml"}); r.Err != nil || r.Outlet != "City Paper" || r.Items != 3 {
		t.Errorf("check: %+v", r)
	}
	if r := f.Check(context.Background(), feeds.Feed{URL: s.URL + "/broken/rss.xml"}); r.Err == nil {
		t.Error("a malformed feed passed the check")
	}
	if files := mdFiles(t, dir); len(files) != 0 {
		t.Errorf("a check stored articles: %v", files)
	}
}

// A 429 with Retry-After: 3 is retried after exactly three seconds.
func TestRetryAfter(t *testing.T) {
	s := newSite(t)
	clock := &fakeClock{now: time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)}
	f, err := feeds.New(feeds.Options{Allow: loopback, Dir: t.TempDir(), Client: s.Client(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	res := f.Poll(context.Background(), []feeds.Feed{{URL: s.URL + "/busy/rss.xml", Name: "Meteo"}})
	if res[0].Err != nil || res[0].New != 1 {
		t.Errorf("busy feed: %v", res[0])
	}
	if !slices.Equal(clock.waits, []time.Duration{3 * time.Second}) || s.hitsOf("/busy/rss.xml") != 2 {
		t.Errorf("waited %v over %d requests, want 3s between two", clock.waits, s.hitsOf("/busy/rss.xml"))
	}
}
