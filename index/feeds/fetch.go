package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"

	"briefbot"
)

// Reasons a request gives up. They are wrapped with the URL and status.
var (
	ErrTooLarge     = errors.New("size cap reached")
	ErrRobots       = errors.New("robots.txt does not allow fetching this page")
	ErrRetryLater   = errors.New("server asks to retry later")
	errTooManyRedir = errors.New("too many redirects (a redirect loop?)")
)

// response is a finished GET.
type response struct {
	status       int // 200..299 or 304
	body         []byte
	contentType  string
	etag         string
	lastModified string
	url          *url.URL // after redirects
	cut          bool     // the body reached the size cap and was cut there
}

// validators make a GET conditional.
type validators struct {
	ETag, LastModified string
}

// statusError is an HTTP status that is not success.
type statusError struct {
	code       int
	retryAfter time.Duration // from Retry-After; 0 when absent
}

func (e *statusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.code, http.StatusText(e.code))
}

// retryable says whether a request that failed this way may succeed if
// repeated a little later.
func retryable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		switch se.code {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout, http.StatusInternalServerError, http.StatusRequestTimeout:
			return true
		}
		return false
	}
	if errors.Is(err, ErrTooLarge) || errors.Is(err, errTooManyRedir) || errors.Is(err, ErrRefused) || errors.Is(err, context.Canceled) {
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(ue.Err, errTooManyRedir) {
		return false
	}
	return true // network errors and timeouts
}

// hosts spaces out requests to one host.
type hosts struct {
	mu   sync.Mutex
	next map[string]time.Time
}

// reserve returns how long to wait before the next request to host may go.
func (h *hosts) reserve(host string, now time.Time, gap time.Duration) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	at := h.next[host]
	if at.Before(now) {
		at = now
	}
	h.next[host] = at.Add(gap)
	return at.Sub(now)
}

// hold keeps every request to host waiting until at least until: a host
// that asked to slow down is slowed down for all feeds.
func (h *hosts) hold(host string, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.next[host].Before(until) {
		h.next[host] = until
	}
}

// sleep waits for d on the fetcher's clock, or until ctx ends.
func (f *Fetcher) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-f.clock.After(d):
		return nil
	}
}

// drainBytes is how much of an error response's body is read before it
// is closed: reading a short one lets the connection be reused; past
// this, closing is cheaper.
const drainBytes = 64 << 10

// robotsTTL is how long a host's robots.txt is trusted before it is read
// again: a day, as the major crawlers cache it.
const robotsTTL = 24 * time.Hour

// backoff is the wait before retry number n (from 0): exponential, with
// up to half again of jitter, at most maxBackoff.
func (f *Fetcher) backoff(n int) time.Duration {
	d := f.opts.RetryBase << min(n, maxShift)
	if d <= 0 || d > f.opts.MaxBackoff {
		d = f.opts.MaxBackoff
	}
	return d + rand.N(d/2+1)
}

// get fetches u politely: at most one request per host per HostInterval,
// conditional when v is given, retried with backoff on errors, 429 and
// 5xx (honouring Retry-After up to MaxBackoff), with a timeout and the
// body cut at MaxBytes.
func (f *Fetcher) get(ctx context.Context, u string, v validators, accept string) (*response, error) {
	pu, err := briefbot.ParseHTTPURL(u)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if err := f.sleep(ctx, f.hosts.reserve(pu.Host, f.clock.Now(), f.opts.HostInterval)); err != nil {
			return nil, err
		}
		resp, err := f.do(ctx, pu, v, accept)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !retryable(err) || attempt >= f.opts.Retries {
			return nil, err
		}
		wait := f.backoff(attempt)
		var se *statusError
		if errors.As(err, &se) && se.retryAfter > 0 {
			if se.retryAfter > f.opts.MaxBackoff {
				f.hosts.hold(pu.Host, f.clock.Now().Add(se.retryAfter))
				return nil, fmt.Errorf("%w (in %s): %w", ErrRetryLater, se.retryAfter, err)
			}
			wait = se.retryAfter
		}
		// The next attempt, and every other request to the host, waits.
		f.log.Debug("retrying", "url", u, "err", err, "in", wait)
		f.hosts.hold(pu.Host, f.clock.Now().Add(wait))
	}
}

// do makes one request.
func (f *Fetcher) do(ctx context.Context, u *url.URL, v validators, accept string) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", accept)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	res, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, ue.Err // the URL is named by the caller
		}
		return nil, err
	}
	defer res.Body.Close()
	out := &response{status: res.StatusCode, contentType: res.Header.Get("Content-Type"),
		etag: res.Header.Get("ETag"), lastModified: res.Header.Get("Last-Modified"), url: res.Request.URL}
	switch {
	case res.StatusCode == http.StatusNotModified:
		return out, nil
	case res.StatusCode < 200 || res.StatusCode > 299:
		io.Copy(io.Discard, io.LimitReader(res.Body, drainBytes))
		return nil, &statusError{code: res.StatusCode, retryAfter: retryAfter(res.Header.Get("Retry-After"), f.clock.Now())}
	}
	out.body, err = io.ReadAll(io.LimitReader(res.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the response: %w", err)
	}
	if int64(len(out.body)) > f.opts.MaxBytes {
		out.body, out.cut = out.body[:f.opts.MaxBytes], true
	}
	return out, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// robots caches each host's robots.txt.
type robots struct {
	mu    sync.Mutex
	hosts map[string]robotsEntry
}

type robotsEntry struct {
	data    *robotstxt.RobotsData
	fetched time.Time
}

// allowed says whether robots.txt lets briefbot fetch u. A robots.txt
// that cannot be fetched allows everything; one the server fails on (5xx)
// allows nothing, as crawlers agree.
func (f *Fetcher) allowed(ctx context.Context, u string) (bool, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return false, err
	}
	key := pu.Scheme + "://" + pu.Host
	f.robots.mu.Lock()
	e, ok := f.robots.hosts[key]
	f.robots.mu.Unlock()
	if !ok || f.clock.Now().Sub(e.fetched) > robotsTTL {
		e = robotsEntry{fetched: f.clock.Now()}
		if err := f.sleep(ctx, f.hosts.reserve(pu.Host, f.clock.Now(), f.opts.HostInterval)); err != nil {
			return false, err
		}
		res, err := f.do(ctx, &url.URL{Scheme: pu.Scheme, Host: pu.Host, Path: "/robots.txt"}, validators{}, "text/plain")
		var se *statusError
		switch {
		case err == nil:
			e.data, err = robotstxt.FromStatusAndBytes(res.status, res.body)
		case errors.As(err, &se):
			e.data, err = robotstxt.FromStatusAndBytes(se.code, nil)
		}
		if err != nil || e.data == nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			if errors.Is(err, ErrRefused) {
				return false, err // the page is on the same host: refused too
			}
			f.log.Debug("robots.txt unavailable; allowing", "host", pu.Host, "err", err)
			e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		}
		f.robots.mu.Lock()
		f.robots.hosts[key] = e
		f.robots.mu.Unlock()
	}
	path := pu.EscapedPath()
	if pu.RawQuery != "" {
		path += "?" + pu.RawQuery
	}
	if path == "" {
		path = "/"
	}
	return e.data.TestAgent(path, robotsAgent), nil
}
