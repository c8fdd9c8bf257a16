package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot"
	"briefbot/bot/fakediscord"
)

// askDiscord sends a slash command to the running bot and returns the
// text of its answer.
func askDiscord(t *testing.T, fake *fakediscord.Server, cmd string, opts map[string]string) string {
	t.Helper()
	in, err := fake.SlashCommand(cmd, opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := fake.WaitRequest(20*time.Second, func(r fakediscord.Request) bool {
		return r.Method == http.MethodPatch && r.Path == in.Original()
	})
	if err != nil {
		t.Fatalf("/%s: %v", cmd, err)
	}
	var m struct {
		Embeds []struct {
			Description string `json:"description"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(r.Body, &m); err != nil || len(m.Embeds) == 0 {
		t.Fatalf("/%s: %v\n%s", cmd, err, r.Body)
	}
	var text string
	for _, e := range m.Embeds {
		text += e.Description + "\n"
	}
	return text
}

// With the bot running, the command line answers through it: at once,
// with the bot's answers, and the bot goes on answering and stops cleanly.
func TestCommandLineBesideTheRunningBot(t *testing.T) {
	fake, err := fakediscord.Start("x", "")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	t.Cleanup(func() { bot.SetAPIURL("") })
	articles := filepath.Join("..", "..", "articles")
	indexDir := t.TempDir()
	files := []string{"--articles", articles, "--index", indexDir}
	env := map[string]string{"DISCORD_TOKEN": "x", "DISCORD_API_URL": fake.APIURL()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &lockedBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, files, io.Discard, stderr, func(k string) string { return env[k] })
	}()
	if err := fake.WaitReady(30 * time.Second); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	sock := socketPath(indexDir)
	for path, want := range map[string]os.FileMode{filepath.Dir(sock): 0o700, sock: 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, mode %v, want %v", path, err, fi.Mode().Perm(), want)
		}
	}
	const question = "what remained unresolved?"
	botAnswer := askDiscord(t, fake, "ask", map[string]string{"question": question})

	calls := []struct {
		name string
		args []string
	}{
		{"query", []string{"--query", question, "--format", "json"}},
		{"brief", []string{"--brief", "--date", "2025-12-08", "--format", "json"}},
	}
	viaBot := map[string]string{}
	for _, c := range calls {
		start := time.Now()
		n, out, errs := runBot(t, nil, append(files, c.args...)...)
		took := time.Since(start)
		if n != 0 || took > time.Second {
			t.Fatalf("%s beside the bot: exit %d after %s (want 0 within 1 s): %s", c.name, n, took, errs)
		}
		t.Logf("bot %s: exit %d in %s, %d bytes of JSON", strings.Join(c.args, " "), n, took.Round(time.Millisecond), len(out))
		viaBot[c.name] = out
	}
	var a jsonAnswer
	if err := json.Unmarshal([]byte(viaBot["query"]), &a); err != nil || len(a.Snippets) == 0 {
		t.Fatalf("query: %v\n%s", err, viaBot["query"])
	}
	t.Logf("%d snippets via the bot's socket; the first: %q", len(a.Snippets), a.Snippets[0].Text)
	for i, s := range a.Snippets[:min(3, len(a.Snippets))] {
		// The bot's embed quotes the same sentences (long ones cut short).
		if head := s.Text[:min(40, len(s.Text))]; !strings.Contains(botAnswer, head) {
			t.Errorf("snippet %d %q is not in the bot's answer:\n%s", i, head, botAnswer)
		}
	}
	if n, out, errs := runBot(t, nil, append(files, "--reindex")...); n != 0 || !strings.Contains(out, "indexed 5 articles") {
		t.Errorf("--reindex beside the bot: exit %d: %s%s", n, out, errs)
	}

	// The bot still answers, and stops cleanly.
	if again := askDiscord(t, fake, "ask", map[string]string{"question": question}); again != botAnswer {
		t.Errorf("the bot's answer changed after the command-line calls:\n%s\nwas\n%s", again, botAnswer)
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("bot exit %d:\n%s", c, stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("bot still running 5 s after it was stopped")
	}
	if _, err := os.Stat(sock); err == nil {
		t.Error("the socket outlived the bot")
	}

	// Without the bot the command line opens the same index and says the
	// same.
	for _, c := range calls {
		n, out, errs := runBot(t, nil, append(files, c.args...)...)
		if n != 0 || out != viaBot[c.name] {
			t.Errorf("%s without the bot (exit %d, %s) differs from the bot's:\n%s\nbot's:\n%s", c.name, n, errs, out, viaBot[c.name])
		}
	}
}

// A socket a bot left behind when it died is not a bot: the command line
// opens the index itself.
func TestStaleSocketIsIgnored(t *testing.T) {
	args := sample(t)
	indexDir := args[3]
	path := socketPath(indexDir)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the stale socket is gone: %v", err)
	}
	code, out, errs := runBot(t, nil, append(args, "--query", "what remained unresolved?")...)
	if code != 0 || !strings.Contains(out, "Q: what remained unresolved?") {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
}

// bot --fetch beside the running bot polls through the bot's own fetcher
// and index: what it fetched is answered from at once.
func TestFetchBesideTheRunningBot(t *testing.T) {
	srv := harbourFeed(t)
	fake, err := fakediscord.Start("x", "")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	t.Cleanup(func() { bot.SetAPIURL("") })
	dir := t.TempDir()
	articles := filepath.Join(dir, "articles")
	os.MkdirAll(articles, 0o755)
	cfg := filepath.Join(dir, "briefbot.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("articles: %s\nfeeds:\n  - url: %s/rss.xml\n    name: Harbour Herald\n", articles, srv.URL)), 0o644)
	files := []string{"--config", cfg, "--index", filepath.Join(dir, "index")}
	env := map[string]string{"DISCORD_TOKEN": "x", "DISCORD_API_URL": fake.APIURL()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &lockedBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, files, io.Discard, stderr, func(k string) string { return env[k] })
	}()
	if err := fake.WaitReady(30 * time.Second); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	n, out, errs := runBot(t, nil, append(files, "--fetch")...)
	if n != 0 || !strings.Contains(out, "Harbour Herald: 1 items") || !strings.Contains(out, "index: ") {
		t.Fatalf("--fetch beside the bot: exit %d:\n%s%s", n, out, errs)
	}
	n, out, errs = runBot(t, nil, append(files, "--query", "who retired?")...)
	if n != 0 || !strings.Contains(out, "lighthouse keeper at Porthmellin retired") {
		t.Errorf("the fetched article is not answered from (exit %d):\n%s%s", n, out, errs)
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("bot exit %d:\n%s", c, stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("bot still running 5 s after it was stopped")
	}
}
