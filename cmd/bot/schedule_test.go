package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot"
	"briefbot/bot"
	"briefbot/bot/fakediscord"
)

// The acceptance: a config subscription whose time was an hour
// ago is posted once by a fresh start, and a restart does not post it
// again. (A real kill -9 at each point of a post is in bot/schedule.)
func TestConfigSubscriptionPostsOnceAcrossRestarts(t *testing.T) {
	fake, err := fakediscord.Start("x", "")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	t.Cleanup(func() { bot.SetAPIURL("") })
	const channel = "123456789012345678"
	due := time.Now().UTC().Add(-time.Hour)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "briefbot.yaml")
	cfg := fmt.Sprintf("briefings:\n  - channel: %q\n    time: %q\n    timezone: UTC\n", channel, due.Format("15:04"))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DISCORD_TOKEN": "x", "DISCORD_API_URL": fake.APIURL()}
	args := []string{"--config", cfgPath, "--articles", filepath.Join("..", "..", "articles"), "--index", filepath.Join(dir, "index")}
	posts := func() []fakediscord.Request {
		var out []fakediscord.Request
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPost && r.Path == "/channels/"+channel+"/messages" {
				out = append(out, r)
			}
		}
		return out
	}
	registrations := 0
	runOnce := func() {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		stderr := &lockedBuffer{}
		code := make(chan int, 1)
		go func() {
			code <- run(ctx, args, io.Discard, stderr, func(k string) string { return env[k] })
		}()
		registrations++
		if _, err := fake.WaitRequests(30*time.Second, registrations, func(r fakediscord.Request) bool {
			return r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands")
		}); err != nil {
			cancel()
			t.Fatalf("%v\n%s", err, stderr)
		}
		// The scheduler's first look at the schedule runs alongside the
		// gateway's start; give it a moment to post (or not).
		fake.WaitRequest(2*time.Second, func(r fakediscord.Request) bool {
			return r.Method == http.MethodPost && r.Path == "/channels/"+channel+"/messages"
		})
		time.Sleep(200 * time.Millisecond)
		cancel()
		select {
		case c := <-code:
			if c != 0 {
				t.Errorf("exit %d, want 0:\n%s", c, stderr)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("bot still running 10 s after SIGINT")
		}
	}
	runOnce()
	runOnce()

	got := posts()
	if len(got) != 1 {
		t.Fatalf("%d briefings posted to the channel, want 1", len(got))
	}
	var m struct {
		Content string `json:"content"`
	}
	json.Unmarshal(got[0].Body, &m)
	day := briefbot.Yesterday(due, time.UTC).Format(briefbot.DateLayout)
	if !strings.HasPrefix(m.Content, "No new articles for "+day) && !strings.HasPrefix(m.Content, "**Daily briefing for "+day+"**") {
		t.Errorf("posted %q, want the briefing for %s", m.Content, day)
	}
}

func TestBriefNowPostsToTheChannel(t *testing.T) {
	fake, err := fakediscord.Start("x", "")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	t.Cleanup(func() { bot.SetAPIURL("") })
	env := map[string]string{"DISCORD_TOKEN": "x", "DISCORD_API_URL": fake.APIURL()}
	var stdout, stderr strings.Builder
	args := []string{"--articles", filepath.Join("..", "..", "articles"), "--index", t.TempDir(), "--brief-now", "123456789012345678"}
	if c := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] }); c != 0 {
		t.Fatalf("exit %d:\n%s", c, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "posted the briefing for ") || !strings.Contains(stdout.String(), "to channel 123456789012345678") {
		t.Errorf("stdout: %q", stdout.String())
	}
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && r.Path == "/channels/123456789012345678/messages" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d messages posted, want 1", n)
	}
	stderr.Reset()
	args[len(args)-1] = "general"
	if c := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] }); c == 0 || !strings.Contains(stderr.String(), `channel "general" is not a Discord channel ID`) {
		t.Errorf("--brief-now general: exit %d, %q", c, stderr.String())
	}
}
