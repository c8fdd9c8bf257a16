package bot

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The fake's /gateway/bot recommends 2 shards: the bot opens both in one
// process, each identifying with its own [id, count], registers its
// commands once, and answers interactions that arrive on either.
func TestShardsFromGatewayBot(t *testing.T) {
	h := start(t, Config{Limit: 3}, nil)
	f := h.fake
	got := f.Identified()
	slices.SortFunc(got, func(a, b [2]int) int { return a[0] - b[0] })
	if want := [][2]int{{0, 2}, {1, 2}}; !slices.Equal(got, want) {
		t.Errorf("identified as %v, want %v", got, want)
	}
	for shard := range 2 {
		in, err := f.SlashCommandOn(shard, "ask", map[string]string{"question": "what remained unresolved?"})
		if err != nil {
			t.Fatal(err)
		}
		if w := decode(t, h.wait(t, http.MethodPatch, in.Original())); len(w.Embeds) == 0 {
			t.Errorf("shard %d: the answer has no embed", shard)
		}
	}
	puts := 0
	for _, r := range f.Requests() {
		if r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands") {
			puts++
		}
	}
	if puts != 1 {
		t.Errorf("commands registered %d times, want once", puts)
	}
}

// DISCORD_SHARDS overrides Discord's recommendation.
func TestShardsFromConfig(t *testing.T) {
	h := start(t, Config{Shards: 3}, nil)
	var got [][2]int
	if !eventually(func() bool { got = h.fake.Identified(); return len(got) == 3 }) {
		t.Fatalf("identified as %v, want 3 shards", got)
	}
	slices.SortFunc(got, func(a, b [2]int) int { return a[0] - b[0] })
	if want := [][2]int{{0, 3}, {1, 3}, {2, 3}}; !slices.Equal(got, want) {
		t.Errorf("identified as %v, want %v", got, want)
	}
	in, err := h.fake.SlashCommandOn(2, "ask", map[string]string{"question": "what remained unresolved?"})
	if err != nil {
		t.Fatal(err)
	}
	h.wait(t, http.MethodPatch, in.Original())
}
