package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"briefbot/bot"
	"briefbot/bot/fakediscord"
)

// lockedBuffer takes the bot's log lines from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startBot runs `bot` (no flags but the sample corpus and a fresh index)
// with DISCORD_TOKEN=token against fake; the exit code arrives on the
// channel after cancel.
func startBot(t *testing.T, fake *fakediscord.Server, token string) (context.CancelFunc, <-chan int, *lockedBuffer) {
	t.Helper()
	t.Cleanup(func() { bot.SetAPIURL("") })
	env := map[string]string{"DISCORD_TOKEN": token, "DISCORD_API_URL": fake.APIURL()}
	args := []string{"--articles", filepath.Join("..", "..", "articles"), "--index", t.TempDir()}
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &lockedBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, args, io.Discard, stderr, func(k string) string { return env[k] })
	}()
	return cancel, code, stderr
}

// startReady starts a fake Discord and the bot on the sample corpus, and
// waits until the bot is connected.
func startReady(t *testing.T) (*fakediscord.Server, context.CancelFunc, <-chan int, *lockedBuffer) {
	t.Helper()
	fake, err := fakediscord.Start("x", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	cancel, code, stderr := startBot(t, fake, "x")
	if err := fake.WaitReady(30 * time.Second); err != nil {
		cancel()
		t.Fatalf("%v\n%s", err, stderr)
	}
	return fake, cancel, code, stderr
}

func TestDiscordBotAnswersFromTheSampleCorpus(t *testing.T) {
	fake, cancel, code, stderr := startReady(t)
	defer cancel()
	for _, tc := range []struct {
		cmd  string
		opts map[string]string
		want []string
	}{
		{"ask", map[string]string{"question": "what remained unresolved?"}, []string{"5 articles searched", "of 5 outlets", "2025-12-08"}},
		{"brief", map[string]string{"date": "2025-12-08"}, []string{"Daily briefing for 2025-12-08", "5 articles"}},
	} {
		in, err := fake.SlashCommand(tc.cmd, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		r, err := fake.WaitRequest(20*time.Second, func(r fakediscord.Request) bool {
			return r.Method == http.MethodPatch && r.Path == in.Original()
		})
		if err != nil {
			t.Fatalf("/%s: %v\n%s", tc.cmd, err, stderr)
		}
		var m struct {
			Content string `json:"content"`
			Embeds  []struct {
				Description string `json:"description"`
				Footer      struct {
					Text string `json:"text"`
				} `json:"footer"`
			} `json:"embeds"`
		}
		if err := json.Unmarshal(r.Body, &m); err != nil || len(m.Embeds) == 0 {
			t.Fatalf("/%s: %v\n%s", tc.cmd, err, r.Body)
		}
		text := m.Content
		for _, e := range m.Embeds {
			text += "\n" + e.Description + "\n" + e.Footer.Text
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("/%s answer lacks %q:\n%s", tc.cmd, w, text)
			}
		}
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit %d after SIGINT, want 0:\n%s", c, stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("bot still running 5 s after SIGINT")
	}
}

func TestDiscordRejectedTokenExitsWithOneLine(t *testing.T) {
	fake, err := fakediscord.Start("the-right-token", "")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	const token = "a-wrong-token-SECRET"
	cancel, code, stderr := startBot(t, fake, token)
	defer cancel()
	select {
	case c := <-code:
		out := stderr.String()
		if c == 0 || !strings.Contains(out, "bot: Discord rejected the bot token") || strings.Contains(out, token) {
			t.Errorf("exit %d, stderr:\n%s\nwant non-zero, the rejection, and no token", c, out)
		}
		if last := out[strings.LastIndex(strings.TrimRight(out, "\n"), "\n")+1:]; !strings.HasPrefix(last, "bot: ") {
			t.Errorf("the error is not one line: %q", last)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("bot still running with a rejected token")
	}
}

// TestDiscordFeedsAddRefusesInternalAddresses: a member who may manage the
// server adds a feed on loopback; briefbot never fetches it and tells
// them, alone, why.
func TestDiscordFeedsAddRefusesInternalAddresses(t *testing.T) {
	var hits atomic.Int64
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Admin</title></channel></rss>`)
	}))
	defer internal.Close()
	fake, cancel, code, stderr := startReady(t)
	defer cancel()
	const id = "720000000000000001"
	in := fakediscord.Interaction{ID: id, Token: "itoken-" + id + strings.Repeat("x", 60)}
	err := fake.Dispatch("INTERACTION_CREATE", map[string]any{
		"id": in.ID, "application_id": fakediscord.AppID, "token": in.Token, "version": 1, "type": 2,
		"guild_id": fakediscord.GuildID, "channel_id": fakediscord.ChannelID,
		"member": map[string]any{"user": map[string]any{"id": fakediscord.UserID, "username": "alice", "discriminator": "0"}, "roles": []any{}, "permissions": "32"},
		"data": map[string]any{"id": "cmd-feeds", "name": "feeds", "type": 1, "options": []any{map[string]any{"name": "add", "type": 1,
			"options": []any{map[string]any{"name": "url", "type": 3, "value": internal.URL + "/admin/rss.xml"}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := fake.WaitRequest(20*time.Second, func(r fakediscord.Request) bool {
		return r.Method == http.MethodPost && r.Path == in.Followups()
	})
	if err != nil {
		t.Fatalf("no reply to /feeds add: %v\n%s", err, stderr)
	}
	var m struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	}
	json.Unmarshal(r.Body, &m)
	if m.Flags != 64 || !strings.Contains(m.Content, "I can't follow that feed: fetch the feed: refused to fetch "+internal.URL+"/admin/rss.xml") || !strings.Contains(m.Content, "loopback address") {
		t.Errorf("/feeds add said %q (flags %d), want an ephemeral refusal naming the URL and why", m.Content, m.Flags)
	}
	if hits.Load() != 0 {
		t.Errorf("the internal server was contacted %d times", hits.Load())
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d:\n%s", c, stderr)
	}
}
