// Package feeds fetches news from RSS, Atom and JSON feeds into a folder of
// article files that index/ reads like any other: one Markdown file with
// YAML front matter per article, named after its URL. For each new or
// changed item it fetches the linked page and extracts the article text
// with readability, falling back to the feed's own text. It fetches
// politely (conditional GET, a minimum gap per host, backoff with jitter
// on errors, 429 and 503, Retry-After, a timeout and a size cap on every
// request, robots.txt for pages) and keeps what it knows about each feed in
// a state file beside the articles, so a restart neither refetches nor
// forgets. It does not index anything and does not recognise syndicated
// copies: index/ does both.
package feeds

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// UserAgent is what briefbot says it is: the software and what it does.
// It names no web site, because briefbot has none of its own to point to.
const UserAgent = "briefbot/0.1 (self-hosted news briefing bot; reads feeds and the articles they link)"

// robotsAgent is the name robots.txt rules are matched against.
const robotsAgent = "briefbot"

// Feed is one feed to follow.
type Feed struct {
	URL string `json:"url"`
	// Name is the outlet its articles are credited to; empty means the
	// feed's own title.
	Name string `json:"name,omitempty"`
	// Interval is how often Run polls it; 0 means DefaultInterval.
	Interval time.Duration `json:"interval,omitempty"`
}

// Label names the feed in logs and summaries.
func (f Feed) Label() string {
	if f.Name != "" {
		return f.Name
	}
	return f.URL
}

// DefaultInterval is how often a feed is polled when it does not say.
const DefaultInterval = 30 * time.Minute

// The defaults a zero Options field means, each with its reason.
const (
	// defaultMaxBytes admits the largest feed or article page (rarely
	// over 1 MB) while a broken or hostile server cannot fill memory.
	defaultMaxBytes = 5 << 20
	// defaultTimeout is Go's own dial timeout: a news site answers in
	// seconds, and one that has not in 30 s will not, while a worker waits.
	defaultTimeout = 30 * time.Second
	// defaultHostInterval keeps requests to one host 2 s apart, so many
	// feeds of one outlet stay well below what sites rate-limit.
	defaultHostInterval = 2 * time.Second
	// defaultRetries, defaultRetryBase and defaultMaxBackoff: three more
	// tries, 2, 4 and 8 s apart (plus jitter), ride out a restart or a
	// brief 503 without stalling a poll; no wait exceeds 2 minutes.
	defaultRetries    = 3
	defaultRetryBase  = 2 * time.Second
	defaultMaxBackoff = 2 * time.Minute
	// defaultMaxItems takes a whole busy feed (most list their latest
	// 10 to 50 items) and caps a runaway one.
	defaultMaxItems = 100
	// defaultWorkers: polling is mostly waiting on the network, so 4 at
	// once overlap the waits without crowding the bot's answers on 2 cores.
	defaultWorkers = 4
)

// maxRedirects is how many redirects a fetch follows, as Go's default
// client does: more is a loop.
const maxRedirects = 10

// failureShift sets how long a failing feed rests: after its first
// failure it is polled again after RetryBase<<(1+failureShift) (about a
// minute at the default 2 s), the wait doubling with each failure in a
// row, up to its interval. A feed that is down is not hammered, and one
// that was briefly down is back within minutes.
const failureShift = 4

// maxShift bounds a doubling backoff's exponent, so the shift cannot
// overflow; 2 s<<16 is 36 h, beyond any interval or MaxBackoff anyway.
const maxShift = 16

// Options configures a Fetcher. Zero values mean the defaults shown.
type Options struct {
	// Dir is the folder articles are written to (created when missing);
	// the state file lives in it as .feeds-state.json.
	Dir string
	// Client makes the requests (default: a plain http.Client). Its
	// redirect policy is replaced by one that stops after 10 redirects,
	// and its transport (nil or an *http.Transport) by one that connects
	// only to public addresses, as Allow and Trusted say.
	Client *http.Client
	// Allow opens addresses fetches otherwise stay out of (loopback,
	// private, link-local, ...): "host", "host:port", an IP address or a
	// CIDR range such as "10.1.2.0/24".
	Allow []string
	// Trusted are URLs (the config file's feeds) whose origins (scheme,
	// host and port) are fetched wherever they resolve.
	Trusted []string
	// Clock defaults to the real clock; tests pass a fake one, as the
	// scheduler's do.
	Clock  clockwork.Clock
	Logger *slog.Logger
	// UserAgent (UserAgent) is sent with every request.
	UserAgent string
	// MaxBytes (5 MB) is the most read of any response; the rest is cut.
	MaxBytes int64
	// Timeout (30s) bounds every request, body included.
	Timeout time.Duration
	// HostInterval (2s) is the least time between two requests to one
	// host.
	HostInterval time.Duration
	// Retries (3) is how often a request that failed in a way that may
	// pass is repeated, waiting RetryBase (2s), doubled each time, with
	// jitter, at most MaxBackoff (2m); a Retry-After longer than that
	// postpones the feed instead.
	Retries    int
	RetryBase  time.Duration
	MaxBackoff time.Duration
	// MaxItems (100) is the most items read from one feed per poll.
	MaxItems int
	// Workers (4) is how many feeds are polled at once.
	Workers int
}

// Fetcher polls feeds into a folder. It is safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
	clock  clockwork.Clock
	log    *slog.Logger
	hosts  hosts
	robots robots

	mu    sync.Mutex // guards state
	state *state
}

// New makes a Fetcher, reading the state the last one left.
func New(opts Options) (*Fetcher, error) {
	if opts.Dir == "" {
		return nil, errors.New("feeds: no folder to write articles to")
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("feeds: create %s: %w", opts.Dir, err)
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&opts.Timeout, defaultTimeout)
	def(&opts.HostInterval, defaultHostInterval)
	def(&opts.RetryBase, defaultRetryBase)
	def(&opts.MaxBackoff, defaultMaxBackoff)
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = defaultMaxBytes
	}
	if opts.Retries == 0 {
		opts.Retries = defaultRetries
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = defaultMaxItems
	}
	if opts.Workers <= 0 {
		opts.Workers = defaultWorkers
	}
	opts.UserAgent = cmp.Or(opts.UserAgent, UserAgent)
	opts.Clock = cmp.Or(opts.Clock, clockwork.NewRealClock())
	opts.Logger = cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))
	acc, err := newAccess(opts.Allow, opts.Trusted)
	if err != nil {
		return nil, fmt.Errorf("feeds: fetch.allow: %w", err)
	}
	client := &http.Client{}
	if opts.Client != nil {
		c := *opts.Client
		client = &c
	}
	base, ok := client.Transport.(*http.Transport)
	if client.Transport != nil && !ok {
		return nil, fmt.Errorf("feeds: the client's transport is a %T; only an *http.Transport can be limited to public addresses", client.Transport)
	}
	client.Transport = newTransport(base, acc)
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errTooManyRedir
		}
		return nil
	}
	f := &Fetcher{opts: opts, client: client, clock: opts.Clock, log: opts.Logger.With("component", "feeds"),
		hosts: hosts{next: map[string]time.Time{}}, robots: robots{hosts: map[string]robotsEntry{}}}
	if f.state, err = loadState(f.statePath()); err != nil {
		f.log.Warn("feed state unreadable; starting afresh", "file", f.statePath(), "err", err)
		f.state = newState()
	}
	return f, nil
}

// Dir is the folder articles are written to.
func (f *Fetcher) Dir() string { return f.opts.Dir }

func (f *Fetcher) statePath() string { return filepath.Join(f.opts.Dir, ".feeds-state.json") }

// Result is what one poll of one feed did.
type Result struct {
	Feed Feed
	// Outlet is the name the feed's articles were credited to.
	Outlet string
	// Items is how many items the feed listed; NotModified is set when
	// the server said nothing changed since the last poll.
	Items       int
	NotModified bool
	// New and Updated count article files written; FromFeed how many of
	// them hold the feed's text because the page could not be used.
	New, Updated, FromFeed int
	// Warnings counts items skipped or degraded, each logged.
	Warnings int
	// Err is why the feed could not be polled; its last good state is
	// kept and it is tried again later.
	Err error
}

// Changed says whether the poll wrote any article.
func (r Result) Changed() bool { return r.New+r.Updated > 0 }

// String is the one-line summary bot --fetch prints.
func (r Result) String() string {
	name := r.Feed.Label()
	if r.Outlet != "" && r.Feed.Name == "" {
		name = r.Outlet + " (" + r.Feed.URL + ")"
	}
	switch {
	case r.Err != nil:
		return fmt.Sprintf("%s: failed: %v", name, r.Err)
	case r.NotModified:
		return fmt.Sprintf("%s: not modified", name)
	}
	s := fmt.Sprintf("%s: %d items, %d new, %d updated", name, r.Items, r.New, r.Updated)
	if r.FromFeed > 0 {
		s += fmt.Sprintf(", %d from the feed's text", r.FromFeed)
	}
	if r.Warnings > 0 {
		s += fmt.Sprintf(", %d warnings", r.Warnings)
	}
	return s
}

// Poll polls every feed once, a few at a time, and returns a result per
// feed in the order given. One feed failing does not stop the others.
func (f *Fetcher) Poll(ctx context.Context, feeds []Feed) []Result {
	out := make([]Result, len(feeds))
	sem := make(chan struct{}, f.opts.Workers)
	var wg sync.WaitGroup
	for i, fd := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i] = Result{Feed: fd, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			out[i] = f.pollFeed(ctx, fd)
		}()
	}
	wg.Wait()
	return out
}

// Run polls each feed when it is due, until ctx ends. list is asked for
// the feeds before every round, so feeds added or removed while running
// are followed; after is called with the results of each round that
// polled something.
func (f *Fetcher) Run(ctx context.Context, list func() []Feed, after func(context.Context, []Result)) error {
	for {
		now := f.clock.Now()
		var due []Feed
		wait := time.Minute
		for _, fd := range list() {
			at := f.nextPoll(fd.URL)
			if !at.After(now) {
				due = append(due, fd)
			} else {
				wait = min(wait, at.Sub(now))
			}
		}
		if len(due) > 0 {
			res := f.Poll(ctx, due)
			if ctx.Err() != nil {
				return nil
			}
			if after != nil {
				after(ctx, res)
			}
			continue
		}
		if err := f.sleep(ctx, wait); err != nil {
			return nil
		}
	}
}

func (f *Fetcher) nextPoll(feedURL string) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.state.Feeds[feedURL]; s != nil {
		return s.NextPoll
	}
	return time.Time{}
}

// pollFeed fetches one feed and stores its new and changed items.
func (f *Fetcher) pollFeed(ctx context.Context, fd Feed) (res Result) {
	res.Feed = fd
	log := f.log.With("feed", fd.Label(), "url", fd.URL)
	f.mu.Lock()
	fs := f.state.feed(fd.URL).clone()
	f.mu.Unlock()
	now := f.clock.Now()
	defer func() { f.settle(log, fd, fs, now, res.Err) }()

	resp, feed, err := f.fetchFeed(ctx, fd, validators{fs.ETag, fs.LastModified})
	if err != nil {
		res.Err = err
		return res
	}
	if feed == nil {
		res.NotModified, res.Outlet = true, fs.Outlet
		return res
	}
	outlet := outletOf(fd, feed, resp)
	res.Outlet, fs.Outlet = outlet, outlet
	log = f.log.With("feed", outlet, "url", fd.URL)
	items := feed.Items
	res.Items = len(items)
	if len(items) > f.opts.MaxItems {
		items = items[:f.opts.MaxItems]
	}
	seen := map[string]bool{}
	for _, it := range items {
		if ctx.Err() != nil {
			res.Err = ctx.Err()
			return res
		}
		key, link := itemKey(it, resp.url)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		f.pollItem(ctx, &poll{log: log, fd: fd, outlet: outlet, fs: fs, now: now, res: &res}, it, key, link)
	}
	// Forget items gone from the feed for a long time; their files stay.
	for k, it := range fs.Items {
		if !seen[k] && now.Sub(it.Seen) > forgetItemsAfter {
			delete(fs.Items, k)
		}
	}
	fs.ETag, fs.LastModified = resp.etag, resp.lastModified
	return res
}

// forgetItemsAfter is how long an item gone from its feed is remembered:
// feeds drop items and re-list them, and an item remembered is not
// fetched again.
const forgetItemsAfter = 90 * 24 * time.Hour

// poll is one poll of one feed under way.
type poll struct {
	log    *slog.Logger
	fd     Feed
	outlet string
	fs     *feedState // what is known of the feed, updated as items are stored
	now    time.Time
	res    *Result
}

// pollItem stores one item of a poll when it is new, changed, or still
// waiting for its page, and counts what happened.
func (f *Fetcher) pollItem(ctx context.Context, p *poll, it *gofeed.Item, key, link string) {
	log, fs, now, res := p.log, p.fs, p.now, p.res
	sig := itemSig(it)
	old := fs.Items[key]
	if old != nil && old.Sig == sig && !(old.FromFeed && old.Tries < maxPageTries) {
		old.Seen = now
		return
	}
	st, err := f.storeItem(ctx, p, it, key, link, old)
	if err != nil {
		res.Warnings++
		log.Warn("item skipped", "item", link, "err", err)
		return
	}
	st.Sig, st.Seen = sig, now
	switch {
	case st.wrote && old == nil:
		res.New++
	case st.wrote:
		res.Updated++
	}
	if st.FromFeed {
		res.FromFeed++
		if st.degraded {
			res.Warnings++
		}
	}
	fs.Items[key] = &st.itemState
}

// settle records how a poll ended and when the feed is due again: after
// its interval, or after a backoff that grows with each failure in a row
// (at most the interval, at least what Retry-After asked).
func (f *Fetcher) settle(log *slog.Logger, fd Feed, fs *feedState, now time.Time, err error) {
	interval := cmp.Or(max(fd.Interval, 0), DefaultInterval)
	switch {
	case errors.Is(err, context.Canceled):
		return
	case err != nil:
		log.Warn("feed failed; keeping its last good state", "err", err)
		fs.Failures++
		fs.LastError = err.Error()
		wait := min(f.opts.RetryBase*time.Duration(1<<min(fs.Failures+failureShift, maxShift)), interval)
		var se *statusError
		if errors.As(err, &se) && se.retryAfter > wait {
			wait = se.retryAfter
		}
		fs.NextPoll = now.Add(wait)
	default:
		fs.Failures, fs.LastError = 0, ""
		fs.LastPoll, fs.NextPoll = now, now.Add(interval)
	}
	f.mu.Lock()
	f.state.Feeds[fd.URL] = fs
	saveErr := f.state.save(f.statePath())
	f.mu.Unlock()
	if saveErr != nil {
		log.Warn("cannot save the feed state", "err", saveErr)
	}
}

// maxPageTries is how many polls try an item's page before settling for
// the feed's text.
const maxPageTries = 3

// fetchFeed fetches and parses a feed; the feed is nil when the server
// says it has not changed.
func (f *Fetcher) fetchFeed(ctx context.Context, fd Feed, v validators) (*response, *gofeed.Feed, error) {
	resp, err := f.get(ctx, fd.URL, v, "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8")
	if err != nil {
		return nil, nil, fmt.Errorf("fetch the feed: %w", err)
	}
	if resp.status == http.StatusNotModified {
		return resp, nil, nil
	}
	if resp.cut {
		return nil, nil, fmt.Errorf("the feed is larger than %d MB; reading stopped there (%w)", f.opts.MaxBytes>>20, ErrTooLarge)
	}
	feed, err := gofeed.NewParser().Parse(feedReader(resp.body, resp.contentType))
	if err != nil {
		return nil, nil, fmt.Errorf("malformed feed: %w", err)
	}
	return resp, feed, nil
}

// outletOf is the name a feed's articles are credited to: its configured
// name, else its title, else its host.
func outletOf(fd Feed, feed *gofeed.Feed, resp *response) string {
	if fd.Name != "" {
		return fd.Name
	}
	if t := clean(feed.Title); t != "" {
		return t
	}
	return resp.url.Hostname()
}

// Check fetches and parses a feed without storing anything, to tell
// someone adding it whether it works: the result has the outlet and the
// number of items, or the error.
func (f *Fetcher) Check(ctx context.Context, fd Feed) Result {
	res := Result{Feed: fd}
	resp, feed, err := f.fetchFeed(ctx, fd, validators{})
	switch {
	case err != nil:
		res.Err = err
	case feed == nil:
		res.Err = fmt.Errorf("fetch the feed: the server answered an unconditional request with %d", resp.status)
	default:
		res.Outlet, res.Items = outletOf(fd, feed, resp), len(feed.Items)
	}
	return res
}

// stored is the outcome of storing one item.
type stored struct {
	itemState
	wrote    bool // the file was created or changed
	degraded bool // the page could not be used (warned)
}

// storeItem fetches an item's page, extracts the article and writes its
// file, with the feed's own text when the page cannot be used.
func (f *Fetcher) storeItem(ctx context.Context, p *poll, it *gofeed.Item, key, link string, old *itemState) (stored, error) {
	log, fd, outlet := p.log, p.fd, p.outlet
	var st stored
	if old != nil {
		st.itemState = *old
	}
	st.File = fileName(key)
	a := article{Title: clean(it.Title), Source: outlet, URL: link, Feed: fd.URL}
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		a.Author = clean(it.Authors[0].Name)
	}
	switch {
	case it.PublishedParsed != nil:
		a.Published = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		a.Published = *it.UpdatedParsed
	}
	// htmlText trims, so a blank content gives way to the description.
	feedText := htmlText(cmp.Or(strings.TrimSpace(it.Content), it.Description))

	if link == "" {
		// Nothing to fetch: the feed's text is the article.
		if feedText == "" {
			return st, errors.New("the item has neither a link nor text")
		}
		a.Text, st.FromFeed, st.Tries = feedText, true, maxPageTries
		if a.Published.IsZero() {
			a.Published = f.clock.Now()
		}
		var err error
		st.wrote, err = writeArticle(filepath.Join(f.opts.Dir, st.File), a)
		return st, err
	}
	pg, err := f.fetchPage(ctx, link)
	switch {
	case err == nil:
		a.Text = pg.Text
		st.FromFeed, st.Tries = false, 0
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return st, err
	default:
		st.FromFeed, st.degraded = true, true
		st.Tries++
		if errors.Is(err, ErrNotArticle) || errors.Is(err, ErrRobots) || errors.Is(err, ErrRefused) {
			st.Tries = maxPageTries // asking again will not help
		}
		if feedText == "" {
			return st, fmt.Errorf("the page cannot be used (%v) and the feed has no text for it", err)
		}
		log.Warn("using the feed's text for an item", "item", link, "err", err)
		a.Text = feedText
	}
	a.Title = cmp.Or(a.Title, pg.Title)
	a.Author = cmp.Or(a.Author, pg.Author)
	if a.Published.IsZero() {
		a.Published = pg.Published
	}
	if a.Published.IsZero() {
		a.Published = f.clock.Now()
	}
	if st.wrote, err = writeArticle(filepath.Join(f.opts.Dir, st.File), a); err != nil {
		return st, err
	}
	return st, nil
}

// fetchPage fetches and extracts one article page.
func (f *Fetcher) fetchPage(ctx context.Context, link string) (page, error) {
	if link == "" {
		return page{}, errors.New("the item has no link")
	}
	ok, err := f.allowed(ctx, link)
	if err != nil {
		return page{}, err
	}
	if !ok {
		return page{}, ErrRobots
	}
	resp, err := f.get(ctx, link, validators{}, "text/html, application/xhtml+xml;q=0.9")
	if err != nil {
		return page{}, err
	}
	if resp.cut {
		return page{}, fmt.Errorf("the page is larger than %d MB; reading stopped there (%w)", f.opts.MaxBytes>>20, ErrTooLarge)
	}
	return extract(resp.body, resp.contentType, resp.url)
}

// feedReader reads a feed body as the parser wants it. An XML feed that
// names its encoding is converted by the parser; one that does not, but
// is served with a charset other than UTF-8, is converted here.
func feedReader(body []byte, contentType string) io.Reader {
	r := bytes.NewReader(body)
	_, params, _ := mime.ParseMediaType(contentType)
	cs := strings.ToLower(params["charset"])
	if cs == "" || cs == "utf-8" || cs == "utf8" {
		return r
	}
	head := body[:min(len(body), xmlDeclBytes)]
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) && bytes.Contains(head[:max(bytes.Index(head, []byte("?>")), 0)], []byte("encoding")) {
		return r
	}
	conv, err := charset.NewReaderLabel(cs, r)
	if err != nil {
		return r
	}
	return conv
}

// itemKey is what identifies an item across polls: its link, made
// absolute and without tracking parameters, else its GUID.
func itemKey(it *gofeed.Item, base *url.URL) (key, link string) {
	raw := strings.TrimSpace(it.Link)
	if raw == "" && len(it.Links) > 0 {
		raw = strings.TrimSpace(it.Links[0])
	}
	if raw == "" && strings.HasPrefix(it.GUID, "http") {
		raw = strings.TrimSpace(it.GUID)
	}
	if raw != "" {
		if u, err := base.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			link = canonicalURL(u)
			return link, link
		}
	}
	if g := strings.TrimSpace(it.GUID); g != "" {
		return base.String() + "#" + g, ""
	}
	return "", ""
}

// xmlDeclBytes is how far into a feed its XML declaration (the first
// line, naming the encoding) is looked for; it is never longer.
const xmlDeclBytes = 200

// canonicalURL drops what does not name the page: the fragment, tracking
// parameters, a default port, case in the scheme and host.
func canonicalURL(u *url.URL) string {
	c := *u
	c.Scheme, c.Host, c.Fragment, c.RawFragment = strings.ToLower(c.Scheme), strings.ToLower(c.Host), "", ""
	c.Host = strings.TrimSuffix(strings.TrimSuffix(c.Host, ":80"), ":443")
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if lk := strings.ToLower(k); strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "mc_cid" || lk == "mc_eid" {
				q.Del(k)
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// itemSig changes when the feed says an item changed.
func itemSig(it *gofeed.Item) string {
	return hashHex(it.Title, it.Link, it.Updated, it.Published, it.Description, it.Content)
}
