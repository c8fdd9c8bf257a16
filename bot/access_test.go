package bot

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot/bot/fakediscord"
)

// askAs sends /ask from a member in a server, as the fake's SlashCommand
// does for its one member and server.
func askAs(t *testing.T, f *fakediscord.Server, id, guild, user, question string) fakediscord.Interaction {
	t.Helper()
	in := fakediscord.Interaction{ID: id, Token: "itoken-" + id + strings.Repeat("x", 60)}
	d := map[string]any{
		"id": in.ID, "application_id": fakediscord.AppID, "token": in.Token, "version": 1, "type": 2,
		"guild_id": guild, "channel_id": fakediscord.ChannelID,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "member-" + user, "discriminator": "0"}, "roles": []any{}, "permissions": "0"},
		"data":   map[string]any{"id": "cmd-ask", "name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": question}}},
	}
	if err := f.Dispatch("INTERACTION_CREATE", d); err != nil {
		t.Fatal(err)
	}
	return in
}

// answered says whether the fake got any response to an interaction
// within d.
func answered(f *fakediscord.Server, in fakediscord.Interaction, d time.Duration) bool {
	_, err := f.WaitRequest(d, func(r fakediscord.Request) bool {
		return r.Path == in.Callback() || r.Path == in.Original() || r.Path == in.Followups()
	})
	return err == nil
}

func TestOnlyTheOperatorsServers(t *testing.T) {
	const ours = "900000000000000099"
	h := start(t, Config{Guilds: []string{ours}, MessageContent: true}, nil)
	f := h.fake

	// The fake's own server is not on the list: nothing is answered
	// there, neither /ask nor a mention, and it is logged once.
	for i := range 3 {
		in, err := f.SlashCommand("ask", map[string]string{"question": fmt.Sprintf("what remained unresolved? %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if answered(f, in, 200*time.Millisecond) {
			t.Errorf("/ask in a server not on the list was answered")
		}
	}
	if _, err := f.Mention("what was agreed?"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	for _, r := range f.Requests() {
		if strings.HasPrefix(r.Path, "/channels/") && r.Method == http.MethodPost {
			t.Errorf("a mention in a server not on the list was answered: %s", r.Body)
		}
	}
	if n := strings.Count(h.logs.String(), "ignoring server "+fakediscord.GuildID); n != 1 {
		t.Errorf("%d log lines about the ignored server, want 1:\n%s", n, h.logs)
	}
	if q := h.answerer.asked(); len(q) != 0 {
		t.Errorf("the answerer was asked %d questions from another server", len(q))
	}

	// In the operator's server it answers.
	in := askAs(t, f, "710000000000000001", ours, fakediscord.UserID, "what remained unresolved?")
	h.wait(t, http.MethodPatch, in.Original())
}

// TestFairUse: one member past their share is told to slow down at once,
// only they see it, and another member asking at the same time is
// answered as usual.
func TestFairUse(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 12, 8, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := start(t, Config{AsksPerMinute: 3, MessageContent: true, Now: clock}, nil)
	f := h.fake
	const alice, bob = "800000000000000001", "800000000000000002"

	var ins []fakediscord.Interaction
	for i := range 5 {
		ins = append(ins, askAs(t, f, fmt.Sprintf("71000000000000010%d", i), fakediscord.GuildID, alice, "what remained unresolved?"))
	}
	other := askAs(t, f, "710000000000000200", fakediscord.GuildID, bob, "what was agreed?")
	h.wait(t, http.MethodPatch, other.Original())

	var slowed atomic.Int32
	for _, in := range ins {
		r, err := f.WaitRequest(5*time.Second, func(r fakediscord.Request) bool {
			return r.Path == in.Original() && r.Method == http.MethodPatch ||
				r.Path == in.Callback() && strings.Contains(string(r.Body), "Slow down")
		})
		if err != nil {
			t.Fatalf("interaction %s: %v", in.ID, err)
		}
		if r.Path == in.Callback() {
			w := decode(t, r)
			if w.Flags != int(discordgo.MessageFlagsEphemeral) || w.Content != "Slow down: you can ask again in 20 s." {
				t.Errorf("over the limit: %q (flags %d), want an ephemeral slow-down", w.Content, w.Flags)
			}
			slowed.Add(1)
		}
	}
	if slowed.Load() != 2 {
		t.Errorf("%d of alice's 5 questions were refused, want 2 (3 a minute)", slowed.Load())
	}

	// Mentions share the limit; a flood gets one slow-down reply.
	for range 3 {
		if _, err := f.Mention("and now?"); err != nil { // from the fake's member
			t.Fatal(err)
		}
	}
	// The fake's member had asked nothing before: 3 answers, no refusal.
	// Three more are over: one reply says so.
	for range 3 {
		f.Mention("and now?")
	}
	if _, err := f.WaitRequests(5*time.Second, 4, func(r fakediscord.Request) bool {
		return r.Method == http.MethodPost && r.Path == "/channels/"+fakediscord.ChannelID+"/messages"
	}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	var replies, slowReplies int
	for _, r := range f.Requests() {
		if r.Method == http.MethodPost && r.Path == "/channels/"+fakediscord.ChannelID+"/messages" {
			replies++
			if strings.Contains(string(r.Body), "Slow down") {
				slowReplies++
			}
		}
	}
	if replies != 4 || slowReplies != 1 {
		t.Errorf("%d replies to 6 mentions, %d saying slow down; want 3 answers and 1 slow-down", replies, slowReplies)
	}

	// A minute on, alice may ask again.
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	in := askAs(t, f, "710000000000000300", fakediscord.GuildID, alice, "what remained unresolved?")
	h.wait(t, http.MethodPatch, in.Original())
}

func TestLimiter(t *testing.T) {
	now := time.Date(2025, 12, 8, 9, 0, 0, 0, time.UTC)
	l := &limiter{perMinute: 20, now: func() time.Time { return now }, members: map[string]*bucket{}}
	for i := range 20 {
		if w, _ := l.take("a"); w != 0 {
			t.Fatalf("question %d refused", i+1)
		}
	}
	w, first := l.take("a")
	if w != 3*time.Second || !first {
		t.Errorf("21st: wait %s first %v, want 3s and the first refusal", w, first)
	}
	if _, first := l.take("a"); first {
		t.Error("the second refusal in a row counted as the first")
	}
	if w, _ := l.take("b"); w != 0 {
		t.Error("another member was held back")
	}
	now = now.Add(3 * time.Second)
	if w, _ := l.take("a"); w != 0 {
		t.Errorf("after 3 s: wait %s, want an answer", w)
	}
}
