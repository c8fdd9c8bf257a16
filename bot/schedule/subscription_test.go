package schedule

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"briefbot"
)

// Bad input is refused with an *InputError that names the problem, and the
// store is left as it was.
func TestSubscribeRefusesBadInput(t *testing.T) {
	static := Subscription{Channel: "123456", Time: "07:30", Timezone: "Europe/Kyiv"}
	h := newHarness(t, utc("2025-06-01T00:00"), static)
	h.open()
	ctx := context.Background()
	tests := []struct {
		sub  Subscription
		want string
	}{
		{Subscription{Channel: "222222", Time: "25:00", Timezone: "UTC"}, `time "25:00" is not HH:MM`},
		{Subscription{Channel: "222222", Time: "12:60", Timezone: "UTC"}, `time "12:60" is not HH:MM`},
		{Subscription{Channel: "222222", Time: "7.30", Timezone: "UTC"}, `time "7.30" is not HH:MM`},
		{Subscription{Channel: "222222", Time: "", Timezone: "UTC"}, `time "" is not HH:MM`},
		{Subscription{Channel: "222222", Time: "07:30", Timezone: "Mars/Olympus"}, `time zone "Mars/Olympus" is not an IANA zone name`},
		{Subscription{Channel: "222222", Time: "07:30", Timezone: ""}, `time zone "" is not an IANA zone name`},
		{Subscription{Channel: "222222", Time: "07:30", Timezone: "Local"}, `time zone "Local" is not an IANA zone name`},
		{Subscription{Channel: "", Time: "07:30", Timezone: "UTC"}, `channel "" is not a Discord channel ID`},
		{Subscription{Channel: "#general", Time: "07:30", Timezone: "UTC"}, `channel "#general" is not a Discord channel ID`},
		{Subscription{Channel: "123456", Time: "09:00", Timezone: "UTC"}, `channel 123456 is subscribed in the config file (07:30 Europe/Kyiv)`},
	}
	for _, tt := range tests {
		_, err := h.sched.Subscribe(ctx, tt.sub)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Subscribe(%+v) = %v, want an InputError containing %q", tt.sub, err, tt.want)
		}
	}
	for _, tt := range []struct{ channel, want string }{
		{"", `channel "" is not a Discord channel ID`},
		{"222222", "channel 222222 is not subscribed"},
		{"123456", "channel 123456 is subscribed in the config file"},
	} {
		err := h.sched.Unsubscribe(ctx, tt.channel)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Unsubscribe(%q) = %v, want an InputError containing %q", tt.channel, err, tt.want)
		}
	}
	subs, err := h.sched.List(ctx)
	if err != nil || len(subs) != 1 || subs[0] != (Subscription{Channel: "123456", Time: "07:30", Timezone: "Europe/Kyiv", Static: true}) {
		t.Errorf("List = %+v, %v; want only the static subscription", subs, err)
	}
}

func TestNewRefusesBadStatic(t *testing.T) {
	st, err := OpenStore(Path(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tt := range []struct {
		static []Subscription
		want   string
	}{
		{[]Subscription{{Channel: "111111", Time: "07:30", Timezone: "UTC"}, {Channel: "222222", Time: "24:00", Timezone: "UTC"}}, `briefings[1]: time "24:00"`},
		{[]Subscription{{Channel: "111111", Time: "07:30", Timezone: "UTC"}, {Channel: "111111", Time: "08:30", Timezone: "UTC"}}, "briefings[1]: channel 111111 is subscribed twice"},
	} {
		_, err := New(Options{Store: st, Poster: &recorder{}, Static: tt.static})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want an error containing %q", tt.static, err, tt.want)
		}
	}
}

// Subscriptions survive closing and reopening the store; the config file
// wins over a stored subscription of the same channel.
func TestSubscriptionsPersist(t *testing.T) {
	h := newHarness(t, utc("2025-06-01T00:00"))
	h.open()
	ctx := context.Background()
	for _, sub := range []Subscription{
		{Channel: "333333", Time: "7:05", Timezone: "Asia/Tokyo"},
		{Channel: "222222", Time: "18:00", Timezone: "America/New_York"},
		{Channel: "111111", Time: "06:00", Timezone: "UTC"},
	} {
		if _, err := h.sched.Subscribe(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.sched.Unsubscribe(ctx, "222222"); err != nil {
		t.Fatal(err)
	}
	h.stop()
	h.static = []Subscription{{Channel: "111111", Time: "09:15", Timezone: "Europe/Kyiv"}}
	h.open()
	subs, err := h.sched.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	since := utc("2025-06-01T00:00")
	want := []Subscription{
		{Channel: "111111", Time: "09:15", Timezone: "Europe/Kyiv", Static: true},
		{Channel: "333333", Time: "07:05", Timezone: "Asia/Tokyo", Since: since},
	}
	if len(subs) != len(want) {
		t.Fatalf("List = %+v, want %+v", subs, want)
	}
	for i := range want {
		if subs[i].Channel != want[i].Channel || subs[i].Time != want[i].Time || subs[i].Timezone != want[i].Timezone ||
			subs[i].Static != want[i].Static || !subs[i].Since.Equal(want[i].Since) {
			t.Errorf("List[%d] = %+v, want %+v", i, subs[i], want[i])
		}
	}
}

// Only one process may use the schedule at a time.
func TestStoreInUse(t *testing.T) {
	path := Path(t.TempDir())
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := OpenStore(path); err == nil || !strings.Contains(err.Error(), "in use by another briefbot process") {
		t.Errorf("second OpenStore = %v, want an in-use error", err)
	}
}

func TestPostNow(t *testing.T) {
	p := &recorder{clock: clockwork.NewFakeClockAt(utc("2025-06-01T12:00"))}
	refreshed := false
	refresh := func(context.Context) error { refreshed = true; return nil }
	day := briefbot.Yesterday(utc("2025-06-01T22:30"), mustZone("Europe/Kyiv")) // already 2 June there
	if _, err := PostNow(context.Background(), p, refresh, "123456", day); err != nil {
		t.Fatal(err)
	}
	if !refreshed {
		t.Error("PostNow did not refresh the index")
	}
	assertPosts(t, p.sent(), []string{"123456 2025-06-01 06-01T12:00Z"})
	if _, err := PostNow(context.Background(), p, nil, "general", day); err == nil {
		t.Error("PostNow to a bad channel ID worked")
	}
	if _, err := PostNow(context.Background(), p, func(context.Context) error { return errors.New("boom") }, "123456", day); err == nil {
		t.Error("PostNow posted after a failed refresh")
	}
}

// Every three hours or so through a year, in zones with and without clock changes,
// every subscription has one post per day: the last one due is at or
// before now, the next after it and for the next day, 23 to 25 hours later.
func TestSlotsThroughAYear(t *testing.T) {
	var subs []Subscription
	for _, zone := range []string{"America/New_York", "Europe/Kyiv", "Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu", "UTC"} {
		for _, at := range []string{"00:00", "00:30", "01:30", "02:30", "03:30", "07:30", "23:59"} {
			subs = append(subs, Subscription{Channel: "123456", Time: at, Timezone: zone})
		}
	}
	for _, sub := range subs {
		loc := mustZone(sub.Timezone)
		for now := utc("2025-01-01T00:00"); now.Year() == 2025; now = now.Add(3*time.Hour + 7*time.Minute) {
			last, next := sub.slots(now, loc)
			gap := next.due.Sub(last.due)
			if last.due.After(now) || !next.due.After(now) || !next.day.Equal(last.day.AddDate(0, 0, 1)) || gap < 23*time.Hour || gap > 25*time.Hour {
				t.Fatalf("%s %s at %s: last %s (%s), next %s (%s)", sub.Time, sub.Timezone, now, last.due, last, next.due, next)
			}
		}
	}
}

func FuzzSubscription(f *testing.F) {
	f.Add("07:30", "Europe/Kyiv", int64(0))
	f.Add("2:30", "America/New_York", int64(1741500000))
	f.Add("25:00", "Mars/Olympus", int64(-1))
	f.Fuzz(func(t *testing.T, at, zone string, unix int64) {
		sub, err := Subscription{Channel: "123456", Time: at, Timezone: zone}.normalized()
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		if err := sub.Validate(); err != nil {
			t.Fatalf("normalized %+v does not validate: %v", sub, err)
		}
		now := time.Unix(unix%(1<<34), 0)
		loc, _ := loadZone(sub.Timezone)
		last, next := sub.slots(now, loc)
		if last.due.After(now) || !next.due.After(now) {
			t.Fatalf("%+v at %s: last %s, next %s", sub, now, last.due, next.due)
		}
	})
}
