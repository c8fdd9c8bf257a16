package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"briefbot"
)

// recorder is a Poster that remembers every briefing it was asked to send.
// Before, when set, runs before a post is recorded; an error from it fails
// the post without sending. After runs once the post is recorded; an error
// from it fails the call although the message went out (a lost reply).
type recorder struct {
	clock  clockwork.Clock
	mu     sync.Mutex
	posts  []string // "channel day at", at in UTC
	before func(channel string, day time.Time) error
	after  func(channel string, day time.Time) error
	// postedErr, when set, is what Posted fails with.
	postedErr error
	asked     int // calls to Posted
}

func (r *recorder) PostBrief(ctx context.Context, channel string, day time.Time) (string, error) {
	r.mu.Lock()
	before, after := r.before, r.after
	r.mu.Unlock()
	if before != nil {
		if err := before(channel, day); err != nil {
			return "", err
		}
	}
	r.mu.Lock()
	r.posts = append(r.posts, fmt.Sprintf("%s %s %s", channel, day.Format(briefbot.DateLayout), r.clock.Now().UTC().Format("01-02T15:04Z")))
	id := fmt.Sprint(len(r.posts))
	r.mu.Unlock()
	if after != nil {
		if err := after(channel, day); err != nil {
			return "", err
		}
	}
	return id, nil
}

func (r *recorder) Posted(ctx context.Context, channel string, day time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked++
	if r.postedErr != nil {
		return false, r.postedErr
	}
	prefix := channel + " " + day.Format(briefbot.DateLayout) + " "
	return slices.ContainsFunc(r.posts, func(p string) bool { return strings.HasPrefix(p, prefix) }), nil
}

func (r *recorder) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.posts)
}

// harness runs a Scheduler on a fake clock over a real store in a temp
// folder, and can stop and start it again as a restart would.
type harness struct {
	t      *testing.T
	path   string
	clock  *clockwork.FakeClock
	poster *recorder
	static []Subscription
	opts   func(*Options)

	store  *Store
	sched  *Scheduler
	cancel context.CancelFunc
	done   chan struct{}
	ctx    context.Context // cancelled by cancel; for the fake clock's waits
}

func newHarness(t *testing.T, start time.Time, static ...Subscription) *harness {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	h := &harness{t: t, path: Path(t.TempDir()), clock: clock, poster: &recorder{clock: clock}, static: static}
	t.Cleanup(h.stop)
	return h
}

// open opens the store and builds a scheduler without running it.
func (h *harness) open() {
	h.t.Helper()
	st, err := OpenStore(h.path)
	if err != nil {
		h.t.Fatal(err)
	}
	o := Options{Store: st, Poster: h.poster, Static: h.static, Clock: h.clock, Logger: testLogger(h.t)}
	if h.opts != nil {
		h.opts(&o)
	}
	s, err := New(o)
	if err != nil {
		st.Close()
		h.t.Fatal(err)
	}
	h.store, h.sched = st, s
}

// start runs the scheduler and waits until it sleeps.
func (h *harness) start() {
	h.t.Helper()
	if h.sched == nil {
		h.open()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.ctx, h.cancel, h.done = ctx, cancel, make(chan struct{})
	go func() {
		defer close(h.done)
		h.sched.Run(ctx)
	}()
	h.settle()
}

// settle waits until the scheduler sleeps on its timer, or has stopped.
func (h *harness) settle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil && h.ctx.Err() == nil {
		h.t.Fatal("the scheduler never went to sleep")
	}
}

// stop cancels Run, waits for it and closes the store: a clean shutdown.
func (h *harness) stop() {
	if h.cancel == nil && h.store == nil {
		return
	}
	if h.cancel != nil {
		h.cancel()
		<-h.done
		h.cancel = nil
	}
	if err := h.store.Close(); err != nil {
		h.t.Error(err)
	}
	h.store, h.sched = nil, nil
}

func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	h.start()
}

// advanceTo moves the clock forward a minute at a time (every post is due
// on a whole minute), letting the scheduler work after each step.
func (h *harness) advanceTo(end time.Time) {
	h.t.Helper()
	for {
		now := h.clock.Now()
		if !now.Before(end) {
			return
		}
		h.clock.Advance(min(time.Minute, end.Sub(now)))
		h.settle()
		if h.ctx.Err() != nil {
			return
		}
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func assertPosts(t *testing.T, got, want []string) {
	t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("posts:\n got %q\nwant %q", got, want)
	}
}

// Two channels in different zones, three days, a restart in the middle:
// each channel gets each day's briefing once, at its local time.
func TestPostsOncePerDayAcrossRestart(t *testing.T) {
	kyiv := Subscription{Channel: "111111", Time: "07:30", Timezone: "Europe/Kyiv"}
	h := newHarness(t, utc("2025-06-01T00:00"), kyiv)
	h.open()
	ny := Subscription{Channel: "222222", Time: "2:30", Timezone: "America/New_York"}
	if _, err := h.sched.Subscribe(context.Background(), ny); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.advanceTo(utc("2025-06-02T05:00"))
	h.restart()
	h.restart() // twice, for good measure
	h.advanceTo(utc("2025-06-03T12:00"))

	assertPosts(t, h.poster.sent(), []string{
		// Kyiv is UTC+3 in summer: 07:30 there is 04:30Z.
		"111111 2025-05-31 06-01T04:30Z",
		"111111 2025-06-01 06-02T04:30Z",
		"111111 2025-06-02 06-03T04:30Z",
		// New York is UTC-4: 02:30 there is 06:30Z.
		"222222 2025-05-31 06-01T06:30Z",
		"222222 2025-06-01 06-02T06:30Z",
		"222222 2025-06-02 06-03T06:30Z",
	})
	posts, err := h.store.Posts()
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	for _, p := range posts {
		log = append(log, fmt.Sprintf("%s %s %s", p.Channel, p.Day.Format(briefbot.DateLayout), p.State))
		if p.State == Sent && p.MessageID == "" {
			t.Errorf("log entry %+v has no message ID", p)
		}
	}
	assertPosts(t, log, []string{
		// The config subscription was 19.5 hours overdue at the first start.
		"111111 2025-05-30 skipped",
		"111111 2025-05-31 sent", "111111 2025-06-01 sent", "111111 2025-06-02 sent",
		"222222 2025-05-31 sent", "222222 2025-06-01 sent", "222222 2025-06-02 sent",
	})
}

// Across both clock changes of a year, a time the change skips (02:30 in
// spring), a time it repeats (01:30 in autumn) and an ordinary time each
// post once a day, with a restart just after the repeated hour begins.
func TestDaylightSaving(t *testing.T) {
	subs := []Subscription{
		{Channel: "100001", Time: "02:30", Timezone: "America/New_York"},
		{Channel: "100002", Time: "01:30", Timezone: "America/New_York"},
		{Channel: "100003", Time: "07:30", Timezone: "America/New_York"},
		{Channel: "100004", Time: "03:30", Timezone: "Europe/Kyiv"},
	}
	t.Run("spring forward", func(t *testing.T) {
		h := newHarness(t, utc("2025-03-08T00:00"), subs...)
		h.start()
		h.advanceTo(utc("2025-03-09T07:00"))
		h.restart()
		h.advanceTo(utc("2025-03-11T00:00"))
		assertPosts(t, h.poster.sent(), []string{
			"100001 2025-03-07 03-08T07:30Z", // EST, UTC-5
			"100001 2025-03-08 03-09T07:30Z", // 02:30 does not exist: 03:30 EDT
			"100001 2025-03-09 03-10T06:30Z", // EDT, UTC-4
			"100002 2025-03-07 03-08T06:30Z",
			"100002 2025-03-08 03-09T06:30Z",
			"100002 2025-03-09 03-10T05:30Z",
			"100003 2025-03-07 03-08T12:30Z",
			"100003 2025-03-08 03-09T11:30Z",
			"100003 2025-03-09 03-10T11:30Z",
			"100004 2025-03-07 03-08T01:30Z", // Kyiv changes on 30 March
			"100004 2025-03-08 03-09T01:30Z",
			"100004 2025-03-09 03-10T01:30Z",
		})
	})
	t.Run("fall back", func(t *testing.T) {
		h := newHarness(t, utc("2025-11-01T00:00"), subs...)
		h.start()
		// 06:45Z is 01:45 EST, in the second 01:00-02:00 hour.
		h.advanceTo(utc("2025-11-02T06:45"))
		h.restart()
		h.advanceTo(utc("2025-11-04T00:00"))
		assertPosts(t, h.poster.sent(), []string{
			"100001 2025-10-31 11-01T06:30Z",
			"100001 2025-11-01 11-02T07:30Z",
			"100001 2025-11-02 11-03T07:30Z",
			"100002 2025-10-31 11-01T05:30Z",
			"100002 2025-11-01 11-02T05:30Z", // the first 01:30 (EDT), not both
			"100002 2025-11-02 11-03T06:30Z",
			"100003 2025-10-31 11-01T11:30Z",
			"100003 2025-11-01 11-02T12:30Z",
			"100003 2025-11-02 11-03T12:30Z",
			"100004 2025-10-31 11-01T01:30Z", // Kyiv fell back on 26 October
			"100004 2025-11-01 11-02T01:30Z",
			"100004 2025-11-02 11-03T01:30Z",
		})
	})
	t.Run("Kyiv", func(t *testing.T) {
		h := newHarness(t, utc("2025-03-29T00:00"), subs[3])
		h.start()
		h.advanceTo(utc("2025-03-31T00:00"))
		h.stop()
		h = newHarness(t, utc("2025-10-25T00:00"), subs[3])
		h.start()
		h.advanceTo(utc("2025-10-26T00:10")) // 03:10 EEST, before the repeated hour
		h.restart()
		h.advanceTo(utc("2025-10-27T00:00"))
		assertPosts(t, h.poster.sent(), []string{
			"100004 2025-10-24 10-25T00:30Z",
			"100004 2025-10-25 10-26T00:30Z", // the first 03:30 (EEST)
		})
	})
}

func TestWallTime(t *testing.T) {
	tests := []struct {
		zone, day, clock string
		want             string // UTC
	}{
		{"America/New_York", "2025-03-09", "02:30", "2025-03-09T07:30"}, // skipped: read as 03:30 EDT
		{"America/New_York", "2025-03-09", "02:00", "2025-03-09T07:00"},
		{"America/New_York", "2025-03-09", "03:00", "2025-03-09T07:00"},
		{"America/New_York", "2025-11-02", "01:30", "2025-11-02T05:30"}, // repeated: the first
		{"America/New_York", "2025-11-02", "02:00", "2025-11-02T07:00"},
		{"Europe/Kyiv", "2025-03-30", "03:30", "2025-03-30T01:30"}, // skipped: read as 04:30 EEST
		{"Europe/Kyiv", "2025-10-26", "03:30", "2025-10-26T00:30"}, // repeated: the first
		{"Asia/Kolkata", "2025-06-01", "07:30", "2025-06-01T02:00"},
		{"UTC", "2025-06-01", "00:00", "2025-06-01T00:00"},
	}
	for _, tt := range tests {
		d, _ := time.Parse(briefbot.DateLayout, tt.day)
		h, m, _ := briefbot.ParseClock(tt.clock)
		got := wallTime(d.Year(), d.Month(), d.Day(), h, m, mustZone(tt.zone))
		if !got.Equal(utc(tt.want)) {
			t.Errorf("%s %s %s = %s, want %sZ", tt.zone, tt.day, tt.clock, got.UTC(), tt.want)
		}
	}
}

// A bot that was down at the scheduled time posts on start when less than
// six hours late, and otherwise skips the day for good.
func TestCatchUp(t *testing.T) {
	sub := Subscription{Channel: "333333", Time: "07:30", Timezone: "UTC"}
	tests := []struct {
		start string
		want  []string
		state State
	}{
		{"2025-06-01T08:30", []string{"333333 2025-05-31 06-01T08:30Z"}, Sent},
		{"2025-06-01T13:29", []string{"333333 2025-05-31 06-01T13:29Z"}, Sent},
		{"2025-06-01T13:30", nil, Skipped},
		{"2025-06-01T23:59", nil, Skipped},
	}
	for _, tt := range tests {
		t.Run(tt.start, func(t *testing.T) {
			h := newHarness(t, utc(tt.start), sub)
			h.start()
			h.restart()
			h.advanceTo(utc(tt.start).Add(time.Hour))
			assertPosts(t, h.poster.sent(), tt.want)
			p, ok, err := h.store.Post(sub.Channel, utc("2025-05-31T00:00"))
			if err != nil || !ok || p.State != tt.state {
				t.Errorf("log entry = %+v, %v, %v; want state %s", p, ok, err, tt.state)
			}
			// The next day is posted on time either way.
			h.advanceTo(utc("2025-06-02T08:00"))
			assertPosts(t, h.poster.sent(), append(tt.want, "333333 2025-06-01 06-02T07:30Z"))
		})
	}
}

// A process killed after claiming a post (between rendering and sending, or
// after sending but before recording it) posts at most once after restart.
func TestInterruptedPost(t *testing.T) {
	sub := Subscription{Channel: "444444", Time: "07:30", Timezone: "UTC"}
	tests := []struct {
		name   string
		sent   bool // whether the message went out before the "kill"
		resume string
		want   []string
		state  State
	}{
		{"killed before sending", false, "2025-06-01T07:40", []string{"444444 2025-05-31 06-01T07:40Z"}, Sent},
		{"killed after sending", true, "2025-06-01T07:40", []string{"444444 2025-05-31 06-01T07:30Z"}, Sent},
		{"killed before sending, back too late", false, "2025-06-01T14:00", nil, Skipped},
		{"killed after sending, back too late", true, "2025-06-01T14:00", []string{"444444 2025-05-31 06-01T07:30Z"}, Sent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, utc("2025-06-01T07:00"), sub)
			h.start()
			kill := func(string, time.Time) error {
				h.cancel() // the process is gone: Run writes nothing more
				return errors.New("killed")
			}
			if tt.sent {
				h.poster.after = kill
			} else {
				h.poster.before = kill
			}
			h.advanceTo(utc("2025-06-01T07:30"))
			<-h.done
			p, _, _ := h.store.Post(sub.Channel, utc("2025-05-31T00:00"))
			if p.State != Claimed {
				t.Fatalf("after the kill the log says %+v, want claimed", p)
			}
			h.stop()
			h.poster.before, h.poster.after = nil, nil
			h.clock.Advance(utc(tt.resume).Sub(h.clock.Now()))
			h.start()
			h.advanceTo(utc("2025-06-01T20:00"))
			assertPosts(t, h.poster.sent(), tt.want)
			if h.poster.asked != 1 {
				t.Errorf("Posted was asked %d times, want 1", h.poster.asked)
			}
			p, _, _ = h.store.Post(sub.Channel, utc("2025-05-31T00:00"))
			if p.State != tt.state {
				t.Errorf("log entry %+v, want %s", p, tt.state)
			}
		})
	}
}

// When sending fails and the channel cannot be checked, nothing is sent
// until it can: a failed check never turns into a second post.
func TestUncheckablePostIsNotResent(t *testing.T) {
	sub := Subscription{Channel: "555555", Time: "07:30", Timezone: "UTC"}
	h := newHarness(t, utc("2025-06-01T07:00"), sub)
	h.start()
	h.poster.after = func(string, time.Time) error { return errors.New("gateway timeout") }
	h.poster.postedErr = errors.New("cannot read the channel")
	h.advanceTo(utc("2025-06-01T07:35"))
	h.poster.mu.Lock()
	asked := h.poster.asked
	h.poster.after, h.poster.postedErr = nil, nil
	h.poster.mu.Unlock()
	if asked < 3 {
		t.Errorf("Posted was asked %d times in 5 minutes, want a retry each minute", asked)
	}
	h.advanceTo(utc("2025-06-01T09:00"))
	assertPosts(t, h.poster.sent(), []string{"555555 2025-05-31 06-01T07:30Z"})
	if p, _, _ := h.store.Post(sub.Channel, utc("2025-05-31T00:00")); p.State != Sent {
		t.Errorf("log entry %+v, want sent", p)
	}
}

// A failed send that never reached the channel is retried.
func TestFailedSendIsRetried(t *testing.T) {
	sub := Subscription{Channel: "555555", Time: "07:30", Timezone: "UTC"}
	h := newHarness(t, utc("2025-06-01T07:00"), sub)
	fails := 2
	h.poster.before = func(string, time.Time) error {
		if fails > 0 {
			fails--
			return errors.New("503")
		}
		return nil
	}
	h.start()
	h.advanceTo(utc("2025-06-01T08:00"))
	assertPosts(t, h.poster.sent(), []string{"555555 2025-05-31 06-01T07:32Z"})
}

// The index is refreshed before every post, and a failed refresh does not
// stop the post.
func TestRefreshBeforePost(t *testing.T) {
	sub := Subscription{Channel: "666666", Time: "07:30", Timezone: "UTC"}
	h := newHarness(t, utc("2025-06-01T07:00"), sub)
	var refreshed []string
	h.opts = func(o *Options) {
		o.Refresh = func(context.Context) error {
			refreshed = append(refreshed, h.clock.Now().UTC().Format("01-02T15:04Z"))
			if len(refreshed) == 2 {
				return errors.New("disk on fire")
			}
			return nil
		}
	}
	h.poster.before = func(string, time.Time) error {
		if len(refreshed) == 0 {
			return errors.New("posted before refreshing")
		}
		return nil
	}
	h.start()
	h.advanceTo(utc("2025-06-02T08:00"))
	assertPosts(t, h.poster.sent(), []string{"666666 2025-05-31 06-01T07:30Z", "666666 2025-06-01 06-02T07:30Z"})
	if want := []string{"06-01T07:30Z", "06-02T07:30Z"}; !slices.Equal(refreshed, want) {
		t.Errorf("refreshed at %q, want %q", refreshed, want)
	}
}

// Subscribing and unsubscribing while running take effect at once; a new
// subscription does not owe the post that was due before it was made.
func TestSubscribeWhileRunning(t *testing.T) {
	h := newHarness(t, utc("2025-06-01T10:00"))
	h.start()
	ctx := context.Background()
	if _, err := h.sched.Subscribe(ctx, Subscription{Channel: "777777", Time: "10:30", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sched.Subscribe(ctx, Subscription{Channel: "888888", Time: "09:00", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	h.advanceTo(utc("2025-06-01T11:00"))
	// Moving 888888 to earlier today than its first post keeps the day owed.
	if _, err := h.sched.Subscribe(ctx, Subscription{Channel: "888888", Time: "10:45", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	h.advanceTo(utc("2025-06-01T12:00"))
	if err := h.sched.Unsubscribe(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	h.advanceTo(utc("2025-06-02T12:00"))
	// The catch-up post follows the wake-up at once; when exactly depends
	// on goroutine timing, so only channels and days are compared.
	var got []string
	for _, p := range h.poster.sent() {
		got = append(got, p[:strings.LastIndexByte(p, ' ')])
	}
	assertPosts(t, got, []string{
		"777777 2025-05-31", // 10:30, after it subscribed at 10:00
		"888888 2025-05-31", // not at 09:00 (before it subscribed) but after the move to 10:45
		"888888 2025-06-01",
	})
}
