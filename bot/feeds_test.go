package bot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"briefbot/bot/fakediscord"
)

// fakeFeeds keeps feeds in memory; one comes from the config file.
type fakeFeeds struct {
	mu   sync.Mutex
	list []FeedInfo
}

func (f *fakeFeeds) List() ([]FeedInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FeedInfo(nil), f.list...), nil
}

func (f *fakeFeeds) Add(_ context.Context, url, name string) (string, error) {
	if !strings.HasPrefix(url, "https://") {
		return "", errors.New(`"` + url + `" is not an http(s) URL`)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list = append(f.list, FeedInfo{URL: url, Name: name})
	return name + " (3 items)", nil
}

func (f *fakeFeeds) Remove(s string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.list {
		if !x.FromConfig && (x.URL == s || strings.EqualFold(x.Name, s)) {
			f.list = append(f.list[:i], f.list[i+1:]...)
			return true, nil
		}
	}
	return false, nil
}

// feedsInteraction sends /feeds SUB with options, as a member with perms.
func feedsInteraction(t *testing.T, h *harness, perms, sub string, opts map[string]string) fakediscord.Interaction {
	t.Helper()
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	inner := []any{}
	for _, k := range keys {
		inner = append(inner, map[string]any{"name": k, "type": 3, "value": opts[k]})
	}
	id := strconv.Itoa(len(h.fake.Requests()) + 990000)
	in := fakediscord.Interaction{ID: id, Token: "itoken-" + id + strings.Repeat("x", 60)}
	err := h.fake.Dispatch("INTERACTION_CREATE", map[string]any{
		"id": in.ID, "application_id": fakediscord.AppID, "token": in.Token, "version": 1, "type": 2,
		"guild_id": fakediscord.GuildID, "channel_id": fakediscord.ChannelID,
		"member": map[string]any{"user": map[string]any{"id": fakediscord.UserID, "username": "alice", "discriminator": "0"}, "roles": []any{}, "permissions": perms},
		"data": map[string]any{"id": "cmd-feeds", "name": "feeds", "type": 1,
			"options": []any{map[string]any{"name": sub, "type": 1, "options": inner}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestFeedsCommand(t *testing.T) {
	feeds := &fakeFeeds{list: []FeedInfo{{URL: "https://wire.example/rss", Name: "Wire", FromConfig: true}}}
	h := start(t, Config{}, nil, func(b *Bot) { b.Feeds = feeds })

	var defs []discordgo.ApplicationCommand
	if err := json.Unmarshal(h.wait(t, http.MethodPut, "/applications/"+fakediscord.AppID+"/commands").Body, &defs); err != nil {
		t.Fatal(err)
	}
	var subs []string
	for _, d := range defs {
		if d.Name != "feeds" {
			continue
		}
		if d.DefaultMemberPermissions == nil || *d.DefaultMemberPermissions != discordgo.PermissionManageGuild {
			t.Errorf("/feeds registered for %v, want Manage Server", d.DefaultMemberPermissions)
		}
		for _, o := range d.Options {
			subs = append(subs, o.Name)
		}
	}
	if strings.Join(subs, " ") != "add remove list" {
		t.Fatalf("/feeds subcommands %q, want add remove list", subs)
	}

	const manage = "32"
	for _, tc := range []struct {
		perms, sub string
		opts       map[string]string
		want       string
		failed     bool // said to the asker alone
	}{
		{"0", "add", map[string]string{"url": "https://city.example/atom.xml"}, "Only members with the Manage Server permission", true},
		{manage, "add", map[string]string{"url": "ftp://city.example/feed"}, `I can't follow that feed: "ftp://city.example/feed" is not an http(s) URL.`, true},
		{manage, "add", map[string]string{"url": "https://city.example/atom.xml", "name": "City Paper"}, "Following it: City Paper (3 items).", false},
		{"8", "list", nil, "**Feeds (2)**\nWire · <https://wire.example/rss> · set in the config file\nCity Paper · <https://city.example/atom.xml>", false},
		{manage, "remove", map[string]string{"feed": "Wire"}, "No feed added with /feeds add has that address or name", true},
		{manage, "remove", map[string]string{"feed": "city paper"}, "Stopped following it.", false},
	} {
		in := feedsInteraction(t, h, tc.perms, tc.sub, tc.opts)
		h.wait(t, http.MethodPost, in.Callback()) // deferred
		var w wire
		if tc.failed {
			w = decode(t, h.wait(t, http.MethodPost, in.Followups()))
		} else {
			w = decode(t, h.wait(t, http.MethodPatch, in.Original()))
		}
		if !strings.Contains(w.Content, tc.want) || (w.Flags == int(discordgo.MessageFlagsEphemeral)) != tc.failed {
			t.Errorf("/feeds %s %v (permissions %s) said %q (flags %d), want %q", tc.sub, tc.opts, tc.perms, w.Content, w.Flags, tc.want)
		}
	}
	if l, _ := feeds.List(); len(l) != 1 {
		t.Errorf("feeds after the commands: %+v", l)
	}
}
