package bot

// These tests run the real bot, with a real discordgo Session, against the
// fake Discord in fakediscord. They point discordgo's package
// endpoint variables at the fake, so none of them runs in parallel.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot"
	"briefbot/bot/fakediscord"
)

const testToken = "test-token-MTIzNDU2Nzg5.secret"

// fakeAnswerer answers from a fixed ranked pool, as many quotes as asked.
type fakeAnswerer struct {
	mu        sync.Mutex
	questions []briefbot.Question
	delay     time.Duration // how long answering takes
}

func (f *fakeAnswerer) Answer(ctx context.Context, q briefbot.Question) (briefbot.Answer, error) {
	f.mu.Lock()
	f.questions = append(f.questions, q)
	delay := f.delay
	f.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return briefbot.Answer{}, ctx.Err()
	}
	if strings.Contains(q.Text, "nothing") {
		return briefbot.Answer{Question: q.Text, Searched: 25, NoAnswer: true}, nil
	}
	var pool []briefbot.Snippet
	for i := range 12 {
		s := fixtureSnippets[i%len(fixtureSnippets)]
		s.Position = 100 + i
		s.Text = fmt.Sprintf("Pool quote %d: %s", i+1, s.Text)
		pool = append(pool, s)
	}
	n := min(q.Limit, len(pool))
	a := briefbot.Answer{Question: q.Text, Snippets: pool[:n], Searched: 25}
	var even, odd []int
	for i := range n {
		if i%2 == 0 {
			even = append(even, i)
		} else if i < n-1 {
			odd = append(odd, i)
		}
	}
	a.Points = []briefbot.Point{{Label: "first point", Outlets: 3, Of: 4, Snippets: even}, {Label: "second point", Outlets: 1, Of: 4, Snippets: odd}}
	return a, nil
}

func (f *fakeAnswerer) asked() []briefbot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]briefbot.Question(nil), f.questions...)
}

type fakeBriefer struct{ brief briefbot.Brief }

func (f fakeBriefer) Brief(_ context.Context, day time.Time) (briefbot.Brief, error) {
	b := f.brief
	b.Date = day.Format(briefbot.DateLayout)
	return b, nil
}

type fakeLibrary []briefbot.Article

func (l fakeLibrary) Articles() []briefbot.Article { return l }

func library(n int) fakeLibrary {
	var l fakeLibrary
	for i := range n {
		a := fixtureSnippets[i%len(fixtureSnippets)].Article
		a.ID = fmt.Sprintf("a%02d.md", i)
		a.Title = fmt.Sprintf("Article %02d: %s", i, a.Title)
		l = append(l, a)
	}
	return l
}

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type harness struct {
	fake     *fakediscord.Server
	answerer *fakeAnswerer
	logs     *syncBuffer
	// stop cancels Run's context (SIGINT) and checks Run returned within
	// 5 s; the test's cleanup calls it too.
	stop func()
}

// start runs the bot against a fresh fake Discord until the test ends,
// then checks it shut down within 5 s, that no message it sent could
// ping anyone and that the token never reached the log.
func start(t *testing.T, cfg Config, briefer Briefer, opts ...func(*Bot)) *harness {
	t.Helper()
	fake, err := fakediscord.Start(testToken, "")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{fake: fake, answerer: &fakeAnswerer{}, logs: &syncBuffer{}}
	cfg.Token, cfg.APIURL = testToken, fake.APIURL()
	b := &Bot{Config: cfg, Answerer: h.answerer, Briefer: briefer, Library: library(23),
		Log: slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	for _, o := range opts {
		o(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	h.stop = sync.OnceFunc(func() {
		cancel()
		stopped := time.Now()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(shutdownWait + time.Second):
			t.Errorf("Run still running %s after cancel", shutdownWait+time.Second)
		}
		if took := time.Since(stopped); took > shutdownWait {
			t.Errorf("shutdown took %s, want under %s", took, shutdownWait)
		}
	})
	t.Cleanup(func() {
		h.stop()
		if err := fake.WaitDisconnect(time.Second); err != nil {
			t.Errorf("gateway not closed: %v", err)
		}
		checkNoMentions(t, fake.Requests())
		if strings.Contains(h.logs.String(), testToken) {
			t.Errorf("the token reached the log:\n%s", h.logs.String())
		}
		fake.Close()
		if err := SetAPIURL(""); err != nil {
			t.Error(err)
		}
	})
	if err := fake.WaitReady(5 * time.Second); err != nil {
		select {
		case err := <-done:
			t.Fatalf("Run: %v", err)
		default:
		}
		t.Fatal(err)
	}
	return h
}

// wire is a message body as the fake received it.
type wire struct {
	Type       int                       `json:"type"` // interaction callbacks only
	Content    string                    `json:"content"`
	Embeds     []*discordgo.MessageEmbed `json:"embeds"`
	Components []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
			Label    string `json:"label"`
			Disabled bool   `json:"disabled"`
		} `json:"components"`
	} `json:"components"`
	Flags     int `json:"flags"`
	Reference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
	AllowedMentions *struct {
		Parse       []string `json:"parse"`
		RepliedUser bool     `json:"replied_user"`
	} `json:"allowed_mentions"`
}

func decode(t *testing.T, r fakediscord.Request) wire {
	t.Helper()
	var w wire
	if strings.HasSuffix(r.Path, "/callback") {
		var cb struct {
			Type int  `json:"type"`
			Data wire `json:"data"`
		}
		if err := json.Unmarshal(r.Body, &cb); err != nil {
			t.Fatalf("%s %s: %v\n%s", r.Method, r.Path, err, r.Body)
		}
		w, w.Type = cb.Data, cb.Type
		return w
	}
	if err := json.Unmarshal(r.Body, &w); err != nil {
		t.Fatalf("%s %s: %v\n%s", r.Method, r.Path, err, r.Body)
	}
	return w
}

func (w wire) buttons() map[string]string {
	m := map[string]string{}
	for _, row := range w.Components {
		for _, c := range row.Components {
			m[c.Label] = c.CustomID
		}
	}
	return m
}

func (w wire) text() string {
	var b strings.Builder
	b.WriteString(w.Content)
	for _, e := range w.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	return b.String()
}

// checkNoMentions checks that every message the bot sent, however it sent
// it, parses no mentions.
func checkNoMentions(t *testing.T, reqs []fakediscord.Request) {
	t.Helper()
	for _, r := range reqs {
		message := strings.HasSuffix(r.Path, "/callback") || strings.HasPrefix(r.Path, "/webhooks/") || strings.HasPrefix(r.Path, "/channels/")
		if !message || r.Method == http.MethodDelete || r.Method == http.MethodGet {
			continue
		}
		if !bytes.Contains(r.Body, []byte(`"allowed_mentions":{"parse":[]`)) {
			t.Errorf("%s %s went out without allowed_mentions parsing nothing:\n%s", r.Method, r.Path, r.Body)
		}
	}
}

func (h *harness) wait(t *testing.T, method, path string) fakediscord.Request {
	t.Helper()
	r, err := h.fake.WaitRequest(5*time.Second, func(r fakediscord.Request) bool {
		return r.Method == method && r.Path == path && r.Status < 300
	})
	if err != nil {
		t.Fatalf("waiting for %s %s: %v", method, path, err)
	}
	return r
}

// eventually polls ok for up to 2 s.
func eventually(ok func() bool) bool {
	for range 200 {
		if ok() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// order fails unless the requests arrived in the order given.
func order(t *testing.T, rs ...fakediscord.Request) {
	t.Helper()
	for i := 1; i < len(rs); i++ {
		if rs[i].At.Before(rs[i-1].At) {
			t.Errorf("%s %s came before %s %s", rs[i].Method, rs[i].Path, rs[i-1].Method, rs[i-1].Path)
		}
	}
}

func TestRegistersCommands(t *testing.T) {
	for _, tc := range []struct {
		guild, path string
	}{
		{"", "/applications/" + fakediscord.AppID + "/commands"},
		{"123456789012345678", "/applications/" + fakediscord.AppID + "/guilds/123456789012345678/commands"},
	} {
		t.Run("guild="+tc.guild, func(t *testing.T) {
			h := start(t, Config{GuildID: tc.guild}, nil)
			r := h.wait(t, http.MethodPut, tc.path)
			var cmds []struct {
				Name    string `json:"name"`
				Options []struct {
					Name     string `json:"name"`
					Required bool   `json:"required"`
				} `json:"options"`
			}
			if err := json.Unmarshal(r.Body, &cmds); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cmds {
				s := "/" + c.Name
				for _, o := range c.Options {
					s += " " + o.Name
					if !o.Required {
						s += "?"
					}
				}
				got = append(got, s)
			}
			if want := "/ask question source? since?,/brief date?,/sources"; strings.Join(got, ",") != want {
				t.Errorf("registered %q, want %q", strings.Join(got, ","), want)
			}
			if in := h.fake.Intents(); in&int(discordgo.IntentMessageContent) != 0 {
				t.Errorf("asked for the MessageContent intent (%b) without DISCORD_MESSAGE_CONTENT", in)
			}
			if !eventually(func() bool { return strings.Contains(h.logs.String(), "only slash commands work") }) {
				t.Errorf("no log line says mentions are off:\n%s", h.logs)
			}
		})
	}
}

func TestAskAndButtons(t *testing.T) {
	h := start(t, Config{Limit: 5}, nil)
	f := h.fake

	// /ask is deferred at once, then the deferred response is edited.
	sent := time.Now()
	ask, err := f.SlashCommand("ask", map[string]string{"question": "what remained unresolved? @everyone", "source": "Herald Times", "since": "2025-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	cb := h.wait(t, http.MethodPost, ask.Callback())
	edit := h.wait(t, http.MethodPatch, ask.Original())
	order(t, cb, edit)
	if w := decode(t, cb); w.Type != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
		t.Errorf("first response type %d, want deferred (5)", w.Type)
	}
	if cb.At.Sub(sent) > 3*time.Second {
		t.Errorf("first response after %s, over Discord's 3 s", cb.At.Sub(sent))
	}
	q := h.answerer.asked()[0]
	if q.Text != "what remained unresolved? @everyone" || q.Source != "Herald Times" || !q.Since.Equal(day("2025-12-01")) || q.Limit != 5 {
		t.Errorf("asked %+v", q)
	}
	ans := decode(t, edit)
	checkLimits(t, "answer", ans.Content, ans.Embeds)
	text := ans.text()
	for _, want := range []string{"**1.** “Pool quote 1:", "**5.** “Pool quote 5:", "**first point** · 3 of 4 outlets", "5 quotes · 25 articles searched", "[“U.S. and Ukrainian envoys"} {
		if !strings.Contains(text, want) {
			t.Errorf("answer lacks %q:\n%s", want, text)
		}
	}
	btn := ans.buttons()
	if btn["More"] == "" || btn["Sources"] == "" {
		t.Fatalf("answer has buttons %v, want More and Sources", btn)
	}

	// More: the next five quotes, numbered on.
	more, _ := f.Click(btn["More"], "m1")
	more1 := decode(t, h.wait(t, http.MethodPatch, more.Original()))
	text = more1.text()
	if !strings.Contains(text, "**6.** “Pool quote 6:") || !strings.Contains(text, "**10.** “Pool quote 10:") || strings.Contains(text, "Pool quote 5:") {
		t.Errorf("More showed:\n%s", text)
	}
	if q := h.answerer.asked()[1]; q.Limit != 10 || q.Source != "Herald Times" {
		t.Errorf("More asked %+v, want the same question with limit 10", q)
	}
	// Again: the pool has 12, so two more; then none.
	more, _ = f.Click(btn["More"], "m2")
	if text := decode(t, h.wait(t, http.MethodPatch, more.Original())).text(); !strings.Contains(text, "**12.**") || strings.Contains(text, "**13.**") {
		t.Errorf("second More showed:\n%s", text)
	}
	more, _ = f.Click(btn["More"], "m3")
	h.wait(t, http.MethodDelete, more.Original())
	if w := decode(t, h.wait(t, http.MethodPost, more.Followups())); w.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(w.Content, "no more quotes") {
		t.Errorf("third More said %q (flags %d), want an ephemeral 'no more quotes'", w.Content, w.Flags)
	}

	// Sources: the cited articles, to the clicker alone.
	src, _ := f.Click(btn["Sources"], "m1")
	w := decode(t, h.wait(t, http.MethodPost, src.Callback()))
	if w.Type != int(discordgo.InteractionResponseChannelMessageWithSource) || w.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("Sources: type %d flags %d, want an ephemeral message", w.Type, w.Flags)
	}
	for _, a := range []briefbot.Article{artHerald, artNENC, artUnknown, artTricky} {
		if !strings.Contains(w.text(), citation(a)) {
			t.Errorf("Sources lacks %s:\n%s", a.Title, w.text())
		}
	}

	// A button from before a restart.
	old, _ := f.Click("more:123", "m0")
	if w := decode(t, h.wait(t, http.MethodPost, old.Followups())); w.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(w.Content, "ask again") {
		t.Errorf("stale More said %q", w.Content)
	}
}

func TestSourcesPaging(t *testing.T) {
	h := start(t, Config{}, nil)
	in, _ := h.fake.SlashCommand("sources", nil)
	w := decode(t, h.wait(t, http.MethodPost, in.Callback()))
	if w.Type != int(discordgo.InteractionResponseChannelMessageWithSource) {
		t.Errorf("/sources answered with type %d, want 4 at once", w.Type)
	}
	if !strings.Contains(w.text(), "Page 1 of 3") || !strings.Contains(w.text(), "Article 00") || strings.Contains(w.text(), "Article 10") {
		t.Errorf("/sources page 1:\n%s", w.text())
	}
	next := w.buttons()["Next ▶"]
	for page := 2; page <= 3; page++ {
		click, _ := h.fake.Click(next, "m1")
		w = decode(t, h.wait(t, http.MethodPost, click.Callback()))
		if w.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(w.text(), fmt.Sprintf("Page %d of 3", page)) {
			t.Errorf("Next: type %d, want 7 (update) on page %d:\n%s", w.Type, page, w.text())
		}
		next = w.buttons()["Next ▶"]
	}
	if !strings.Contains(w.text(), "Article 22") {
		t.Errorf("last page lacks the last article:\n%s", w.text())
	}
	for _, row := range w.Components {
		for _, c := range row.Components {
			if c.Label == "Next ▶" && !c.Disabled {
				t.Error("Next is enabled on the last page")
			}
		}
	}
}

func TestBriefIsSplitWithinLimits(t *testing.T) {
	b, quotes := bigBrief()
	h := start(t, Config{Location: time.UTC, Now: func() time.Time { return day("2025-12-09").Add(3 * time.Hour) }}, fakeBriefer{b})
	in, _ := h.fake.SlashCommand("brief", nil)
	cb := h.wait(t, http.MethodPost, in.Callback())
	edit := h.wait(t, http.MethodPatch, in.Original())
	order(t, cb, edit)
	want := len(RenderBrief(b)) - 1
	follow, err := h.fake.WaitRequests(5*time.Second, want, func(r fakediscord.Request) bool {
		return r.Method == http.MethodPost && r.Path == in.Followups() && r.Status < 300
	})
	if err != nil || want < 1 {
		t.Fatalf("want %d follow-ups: %v", want, err)
	}
	var descs []string
	for i, r := range append([]fakediscord.Request{edit}, follow...) {
		w := decode(t, r)
		checkLimits(t, fmt.Sprintf("part %d", i+1), w.Content, w.Embeds)
		if !strings.HasPrefix(w.Content, "**Daily briefing for 2025-12-08**") {
			t.Errorf("part %d starts %q, want yesterday's briefing", i+1, w.Content)
		}
		for _, e := range w.Embeds {
			descs = append(descs, e.Description)
		}
	}
	checkQuotes(t, descs, quotes)
}

func TestErrorsAreEphemeral(t *testing.T) {
	h := start(t, Config{}, nil)
	for _, tc := range []struct {
		cmd  string
		opts map[string]string
		want string
	}{
		{"ask", map[string]string{"question": "what?", "since": "2025-13-45"}, `since: "2025-13-45" is not a date`},
		{"brief", nil, "not available"},
		{"nope", nil, "don't know that one"},
	} {
		in, _ := h.fake.SlashCommand(tc.cmd, tc.opts)
		path := in.Followups()
		if tc.cmd == "nope" {
			path = in.Callback()
		}
		w := decode(t, h.wait(t, http.MethodPost, path))
		if w.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(w.Content, tc.want) {
			t.Errorf("/%s said %q (flags %d), want an ephemeral %q", tc.cmd, w.Content, w.Flags, tc.want)
		}
	}
	// A "nothing" answer is an answer, not an error.
	in, _ := h.fake.SlashCommand("ask", map[string]string{"question": "nothing at all"})
	if text := decode(t, h.wait(t, http.MethodPatch, in.Original())).text(); !strings.Contains(text, "Nothing in the 25 articles searched answers this question.") {
		t.Errorf("no-answer reply:\n%s", text)
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	h := start(t, Config{}, nil)
	h.fake.RateLimitNext("/interactions/", 300*time.Millisecond)
	in, _ := h.fake.SlashCommand("ask", map[string]string{"question": "what remained unresolved?"})
	h.wait(t, http.MethodPatch, in.Original())
	var statuses []int
	for _, r := range h.fake.Requests() {
		if r.Path == in.Callback() {
			statuses = append(statuses, r.Status)
		}
	}
	if fmt.Sprint(statuses) != "[429 204]" {
		t.Errorf("callback statuses %v, want a 429 then a retry that succeeded", statuses)
	}
	if !strings.Contains(h.logs.String(), "rate limited by Discord") || strings.Contains(h.logs.String(), in.Token) {
		t.Errorf("the 429 was not logged, or logged with the interaction token:\n%s", h.logs)
	}
}

func TestMentionIsAnsweredAsReply(t *testing.T) {
	h := start(t, Config{MessageContent: true}, nil)
	if in := h.fake.Intents(); in&int(discordgo.IntentMessageContent) == 0 || in&int(discordgo.IntentsGuildMessages) == 0 {
		t.Errorf("intents %b lack MessageContent and GuildMessages", in)
	}
	id, err := h.fake.Mention("what was agreed? @everyone <@&42>")
	if err != nil {
		t.Fatal(err)
	}
	w := decode(t, h.wait(t, http.MethodPost, "/channels/"+fakediscord.ChannelID+"/messages"))
	if w.Reference == nil || w.Reference.MessageID != id {
		t.Errorf("not a reply to message %s: %+v", id, w.Reference)
	}
	if w.AllowedMentions == nil || len(w.AllowedMentions.Parse) != 0 || w.AllowedMentions.RepliedUser {
		t.Errorf("allowed_mentions %+v, want nothing parsed and no ping of the asker", w.AllowedMentions)
	}
	if !strings.Contains(w.text(), "Pool quote 1:") || w.buttons()["More"] == "" {
		t.Errorf("reply:\n%s", w.text())
	}
	if q := h.answerer.asked(); len(q) != 1 || q[0].Text != "what was agreed? @everyone <@&42>" {
		t.Errorf("asked %+v, want the text without the bot's mention", q)
	}
}

func TestRejectedToken(t *testing.T) {
	for _, tc := range []struct {
		name           string
		token          string
		rejectIdentify bool
	}{
		{"401 on /gateway/bot", "wrong-token-MTIzNDU2", false},
		{"4004 on identify", testToken, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, err := fakediscord.Start(testToken, "")
			if err != nil {
				t.Fatal(err)
			}
			defer fake.Close()
			defer SetAPIURL("")
			fake.RejectIdentify = tc.rejectIdentify
			logs := &syncBuffer{}
			b := &Bot{Config: Config{Token: tc.token, APIURL: fake.APIURL()}, Answerer: &fakeAnswerer{}, Library: library(1),
				Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err = b.Run(ctx)
			if !errors.Is(err, ErrTokenRejected) {
				t.Fatalf("Run = %v, want ErrTokenRejected", err)
			}
			if strings.Contains(err.Error(), tc.token) || strings.Contains(logs.String(), tc.token) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q or log shows the token or spans lines:\n%s", err, logs)
			}
		})
	}
}

func TestSetAPIURL(t *testing.T) {
	defer SetAPIURL("")
	if err := SetAPIURL("http://127.0.0.1:9999/api/v9"); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{
		"EndpointDiscord":      discordgo.EndpointDiscord,
		"EndpointAPI":          discordgo.EndpointAPI,
		"EndpointGateway":      discordgo.EndpointGateway,
		"EndpointGatewayBot":   discordgo.EndpointGatewayBot,
		"EndpointChannels":     discordgo.EndpointChannels,
		"EndpointApplications": discordgo.EndpointApplications,
		"interaction callback": discordgo.EndpointInteractionResponse("1", "t"),
		"webhook @original":    discordgo.EndpointInteractionResponseActions("1", "t"),
		"guild commands":       discordgo.EndpointApplicationGuildCommands("1", "2"),
		"channel messages":     discordgo.EndpointChannelMessages("3"),
	} {
		if !strings.HasPrefix(got, "http://127.0.0.1:9999/") {
			t.Errorf("%s = %s, not on the given server", name, got)
		}
	}
	if err := SetAPIURL("ftp://x"); err == nil {
		t.Error("SetAPIURL accepted ftp://x")
	}
	SetAPIURL("")
	if discordgo.EndpointGatewayBot != "https://discord.com/api/v9/gateway/bot" {
		t.Errorf("default gateway lookup %s", discordgo.EndpointGatewayBot)
	}
}

func TestShutdownLetsAnAnswerFinish(t *testing.T) {
	h := start(t, Config{}, nil)
	h.answerer.mu.Lock()
	h.answerer.delay = 700 * time.Millisecond
	h.answerer.mu.Unlock()
	in, _ := h.fake.SlashCommand("ask", map[string]string{"question": "what remained unresolved?"})
	h.wait(t, http.MethodPost, in.Callback())
	h.stop()
	if _, err := h.fake.WaitRequest(time.Second, func(r fakediscord.Request) bool {
		return r.Method == http.MethodPatch && r.Path == in.Original()
	}); err != nil {
		t.Errorf("the answer under way at shutdown was not sent: %v", err)
	}
}
