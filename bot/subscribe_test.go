package bot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/jonboulle/clockwork"

	"briefbot"
	"briefbot/bot/fakediscord"
	"briefbot/bot/schedule"
)

const otherChannel = "900000000000000099"

func newScheduler(t *testing.T, path string, p schedule.Poster, clock clockwork.Clock) (*schedule.Scheduler, *schedule.Store) {
	t.Helper()
	st, err := schedule.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := schedule.New(schedule.Options{Store: st, Poster: p, Clock: clock,
		Static: []schedule.Subscription{{Channel: "900000000000000077", Time: "07:30", Timezone: "Europe/Kyiv"}}})
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

// The schedule commands: members without Manage Server are refused, bad
// input is named, and all of it only to the one who asked.
func TestSubscribeCommands(t *testing.T) {
	sched, st := newScheduler(t, schedule.Path(t.TempDir()), fakeBriefPoster{}, clockwork.NewRealClock())
	defer st.Close()
	h := start(t, Config{}, nil, func(b *Bot) { b.Schedule = sched })
	// Another server's channels never show in this server's list: one
	// subscribed there by command, one in the config file.
	const foreign, foreignStatic = "900000000000000555", "900000000000000077"
	if _, err := sched.Subscribe(context.Background(), schedule.Subscription{Channel: foreign, Guild: "900000000000000500", Time: "09:00", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}

	var defs []discordgo.ApplicationCommand
	if err := json.Unmarshal(h.wait(t, http.MethodPut, "/applications/"+fakediscord.AppID+"/commands").Body, &defs); err != nil {
		t.Fatal(err)
	}
	perms := map[string]string{}
	for _, d := range defs {
		perms[d.Name] = "everyone"
		if d.DefaultMemberPermissions != nil {
			perms[d.Name] = strconv.FormatInt(*d.DefaultMemberPermissions, 10)
		}
	}
	if perms["subscribe"] != "32" || perms["unsubscribe"] != "32" || perms["subscriptions"] != "everyone" {
		t.Errorf("registered with default member permissions %v, want /subscribe and /unsubscribe for Manage Server (32)", perms)
	}
	ask := func(perms, cmd string, opts map[string]string) wire {
		t.Helper()
		h.fake.Permissions = perms
		in, err := h.fake.SlashCommand(cmd, opts)
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, h.wait(t, http.MethodPost, in.Callback()))
	}
	const manage = "32"
	for _, tc := range []struct {
		perms, cmd string
		opts       map[string]string
		want       string
		ephemeral  bool
	}{
		{"0", "subscribe", map[string]string{"time": "07:30", "timezone": "Europe/Kyiv"}, "Only members with the Manage Server permission", true},
		{"2048", "unsubscribe", nil, "Only members with the Manage Server permission", true},
		{manage, "subscribe", map[string]string{"time": "25:00", "timezone": "Europe/Kyiv"}, `Time "25:00" is not HH:MM between 00:00 and 23:59.`, true},
		{manage, "subscribe", map[string]string{"time": "07:30", "timezone": "Mars/Olympus"}, `Time zone "Mars/Olympus" is not an IANA zone name (for example Europe/Kyiv).`, true},
		{manage, "subscribe", map[string]string{"time": "07:30", "timezone": "Europe/Kyiv", "channel": "900000000000000077"}, "is subscribed in the config file", true},
		{manage, "subscribe", map[string]string{"time": "7:30", "timezone": "Europe/Kyiv"}, "<#" + fakediscord.ChannelID + "> will get the daily briefing every day at 07:30 (Europe/Kyiv)", false},
		{"8", "subscribe", map[string]string{"time": "18:00", "timezone": "America/New_York", "channel": otherChannel}, "<#" + otherChannel + "> will get the daily briefing every day at 18:00 (America/New_York)", false},
		{"0", "subscriptions", nil, "<#900000000000000077> at 07:30 (Europe/Kyiv) · set in the config file\n<#" + otherChannel + "> at 18:00 (America/New_York)", true},
		{manage, "unsubscribe", map[string]string{"channel": otherChannel}, "<#" + otherChannel + "> will no longer get the daily briefing.", false},
		{manage, "unsubscribe", map[string]string{"channel": otherChannel}, "Channel " + otherChannel + " is not subscribed.", true},
	} {
		w := ask(tc.perms, tc.cmd, tc.opts)
		if eph := w.Flags == int(discordgo.MessageFlagsEphemeral); eph != tc.ephemeral || !strings.Contains(w.Content, tc.want) {
			t.Errorf("/%s %v (permissions %s) said %q (ephemeral %v), want %q (ephemeral %v)", tc.cmd, tc.opts, tc.perms, w.Content, eph, tc.want, tc.ephemeral)
		}
	}
	h.fake.Guilds = map[string]string{foreignStatic: "900000000000000500"}
	if w := ask("0", "subscriptions", nil); strings.Contains(w.Content, foreign) || strings.Contains(w.Content, foreignStatic) {
		t.Errorf("/subscriptions shows another server's channels: %q", w.Content)
	}
	subs, err := sched.List(context.Background())
	if err != nil || len(subs) != 3 || subs[0].Channel != fakediscord.ChannelID {
		t.Errorf("subscriptions after the commands: %+v, %v", subs, err)
	}
}

// fakeBriefPoster stands in where nothing is posted.
type fakeBriefPoster struct{}

func (fakeBriefPoster) PostBrief(context.Context, string, time.Time) (string, error) {
	return "", errors.New("not posting")
}
func (fakeBriefPoster) Posted(context.Context, string, time.Time) (bool, error) { return false, nil }

// dayBriefer has articles on every day but the ones listed.
type dayBriefer struct{ empty []string }

func (d dayBriefer) Brief(_ context.Context, day time.Time) (briefbot.Brief, error) {
	b := briefbot.Brief{Date: day.Format(briefbot.DateLayout)}
	if !slices.Contains(d.empty, b.Date) {
		b.Articles = 3
		b.Stories = []briefbot.Story{{Title: "Talks", Articles: 3, Outlets: 2, Status: "new", Sections: []briefbot.Section{{Title: "Headline", Snippets: fixtureSnippets[:2]}}}}
	}
	return b, nil
}

// crashAfterSend posts, then fails as a process killed before it could
// record the post would, and stops the scheduler.
type crashAfterSend struct {
	*Poster
	stop context.CancelFunc
	once sync.Once
}

func (c *crashAfterSend) PostBrief(ctx context.Context, channel string, day time.Time) (string, error) {
	crashed := false
	c.once.Do(func() { crashed = true })
	id, err := c.Poster.PostBrief(ctx, channel, day)
	if crashed {
		c.stop()
		return "", errors.New("killed")
	}
	return id, err
}

// The scheduler posting through the Discord Poster: over three days, a
// restart, and a crash just after a send, the fake Discord receives one
// briefing per channel per day, and a day without articles says so.
func TestScheduledBriefingsReachDiscord(t *testing.T) {
	fake, err := fakediscord.Start(testToken, "")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	defer SetAPIURL("")
	poster, err := NewPoster(testToken, fake.APIURL(), dayBriefer{empty: []string{"2025-06-01"}})
	if err != nil {
		t.Fatal(err)
	}
	path := schedule.Path(t.TempDir())
	clock := clockwork.NewFakeClockAt(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))

	sched, st := newScheduler(t, path, poster, clock)
	if _, err := sched.Subscribe(context.Background(), schedule.Subscription{Channel: otherChannel, Time: "02:30", Timezone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	run := func(p schedule.Poster, until time.Time) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if cp, ok := p.(*crashAfterSend); ok {
			cp.stop = cancel
		}
		sched, st = newScheduler(t, path, p, clock)
		defer st.Close()
		done := make(chan struct{})
		go func() { sched.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		for clock.Now().Before(until) && ctx.Err() == nil {
			wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
			clock.BlockUntilContext(wctx, 1)
			wcancel()
			clock.Advance(time.Minute)
		}
	}
	st.Close()
	run(poster, time.Date(2025, 6, 2, 3, 0, 0, 0, time.UTC))
	// At 04:30Z (07:30 in Kyiv) the post for 1 June goes out, and the
	// process "dies" before recording it; the restart finds it in the
	// channel. New York's 02:30 (06:30Z) follows after the restart.
	run(&crashAfterSend{Poster: poster}, time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC))
	run(poster, time.Date(2025, 6, 4, 0, 0, 0, 0, time.UTC))

	got := map[string]int{}
	var lines []string
	for _, r := range fake.Requests() {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Path, "/channels/") {
			continue
		}
		w := decode(t, r)
		channel := strings.Split(r.Path, "/")[2]
		head, _, _ := strings.Cut(w.Content, "\n")
		got[channel+" "+head]++
		lines = append(lines, channel+" "+head)
	}
	want := map[string]int{}
	for _, ch := range []string{"900000000000000077", otherChannel} {
		// 31 May is owed to both: Kyiv's static subscription was too late
		// for 30 May at the first start (00:00Z), New York's was made then.
		want[ch+" **Daily briefing for 2025-05-31** · 3 articles"] = 1
		want[ch+" No new articles for 2025-06-01."] = 1
		want[ch+" **Daily briefing for 2025-06-02** · 3 articles"] = 1
	}
	if len(got) != len(want) {
		t.Errorf("posts: %q", lines)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%q posted %d times, want %d (all: %q)", k, got[k], n, lines)
		}
	}
	checkNoMentions(t, fake.Requests())
	st, err = schedule.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, _, err := st.Post("900000000000000077", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || p.State != schedule.Sent || p.MessageID != "" || !strings.Contains(p.Note, "interrupted") {
		t.Errorf("log entry of the interrupted post: %+v, %v", p, err)
	}
}

// Posted finds a briefing already sent by the start RenderBrief gives it;
// the two are written in different places, so this keeps them equal.
func TestBriefHeadMatchesRender(t *testing.T) {
	b, _ := dayBriefer{}.Brief(context.Background(), day("2025-12-08"))
	msgs := RenderBrief(b)
	if len(msgs) == 0 || !strings.HasPrefix(msgs[0].Content, briefHead(b.Date)) {
		t.Fatalf("RenderBrief's first message does not start with %q: %+v", briefHead(b.Date), msgs)
	}
}
