// Command fakediscord runs the fake Discord on a port, to try the bot end
// to end without a Discord account:
//
//	go run ./bot/fakediscord/cmd/fakediscord -addr 127.0.0.1:8099
//	DISCORD_TOKEN=x DISCORD_API_URL=http://127.0.0.1:8099/api/v9/ bot
//
// When the bot has connected and registered its commands, the fake sends
// /ask (and /brief and a mention when asked to), prints every request the bot made
// and what it answered, and exits: 0 when every answer came, 1 otherwise.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"briefbot/bot/fakediscord"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8099", "`host:port` to listen on")
	token := flag.String("token", "x", "the bot `token` to accept")
	ask := flag.String("ask", "what remained unresolved?", "the `question` to send as /ask")
	brief := flag.String("brief", "", "also send /brief for this `day` (YYYY-MM-DD)")
	mention := flag.String("mention", "", "also send a message mentioning the bot with this `text` (needs DISCORD_MESSAGE_CONTENT=true)")
	wait := flag.Duration("wait", 2*time.Minute, "how long to wait for the bot")
	flag.Parse()

	f, err := fakediscord.Start(*token, *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakediscord:", err)
		os.Exit(2)
	}
	defer f.Close()
	fmt.Printf("fake Discord listening; run the bot with DISCORD_API_URL=%s\n", f.APIURL())
	if err := f.WaitReady(*wait); err != nil {
		fmt.Fprintln(os.Stderr, "fakediscord: the bot did not connect:", err)
		os.Exit(1)
	}
	fmt.Printf("bot connected with intents %d and registered its commands\n", f.Intents())

	code := 0
	send := func(name string, opts map[string]string) {
		in, err := f.SlashCommand(name, opts)
		if err == nil {
			_, err = f.WaitRequest(30*time.Second, func(r fakediscord.Request) bool {
				return r.Path == in.Original() && r.Method == http.MethodPatch
			})
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "fakediscord: /%s: %v\n", name, err)
			code = 1
		}
	}
	send("ask", map[string]string{"question": *ask})
	if *brief != "" {
		send("brief", map[string]string{"date": *brief})
	}
	if *mention != "" {
		_, err := f.Mention(*mention)
		if err == nil {
			_, err = f.WaitRequest(30*time.Second, func(r fakediscord.Request) bool {
				return r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/channels/")
			})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "fakediscord: mention:", err)
			code = 1
		}
	}
	time.Sleep(500 * time.Millisecond) // follow-ups
	for _, r := range f.Requests() {
		fmt.Printf("%s %s -> %d\n", r.Method, shorten(r.Path), r.Status)
		if r.Method == http.MethodPatch || r.Method == http.MethodPost && (strings.HasPrefix(r.Path, "/webhooks/") || strings.HasPrefix(r.Path, "/channels/")) {
			fmt.Println(indent(render(r.Body)))
		}
	}
	os.Exit(code)
}

// render is a message body as plain text.
func render(body []byte) string {
	var m struct {
		Content string `json:"content"`
		Embeds  []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			Footer      *struct {
				Text string `json:"text"`
			} `json:"footer"`
		} `json:"embeds"`
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
		Reference       json.RawMessage `json:"message_reference"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return string(body)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "allowed_mentions: %s\n", m.AllowedMentions)
	if m.Reference != nil {
		fmt.Fprintf(&b, "reply to: %s\n", m.Reference)
	}
	if m.Content != "" {
		b.WriteString(m.Content + "\n")
	}
	for _, e := range m.Embeds {
		fmt.Fprintf(&b, "## %s\n%s\n", e.Title, e.Description)
		if e.Footer != nil {
			fmt.Fprintf(&b, "-- %s\n", e.Footer.Text)
		}
	}
	return b.String()
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// shorten hides interaction tokens in paths.
func shorten(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if len(s) > 40 {
			segs[i] = s[:12] + "…"
		}
	}
	return strings.Join(segs, "/")
}
