package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "briefbot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Articles != "articles" || c.Limit != 5 || c.Timezone != "UTC" || c.Location() != time.UTC {
		t.Errorf("defaults: %+v", c)
	}
}

func TestExampleConfigLoads(t *testing.T) {
	if _, err := Load("example.yaml", env(nil)); err != nil {
		t.Fatalf("configs/example.yaml: %v", err)
	}
}

// The environment wins over the file, and the file over the defaults.
func TestEnvOverridesFile(t *testing.T) {
	p := writeConfig(t, "articles: news\nlimit: 7\ntimezone: Europe/Kyiv\ndiscord:\n  guild_id: \"111\"\n")
	c, err := Load(p, env(map[string]string{"BRIEFBOT_LIMIT": "3", "DISCORD_GUILD_ID": "222", "DISCORD_TOKEN": "secret", "DISCORD_MESSAGE_CONTENT": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Articles != "news" || c.Limit != 3 || c.Timezone != "Europe/Kyiv" || c.Discord.GuildID != "222" || c.Discord.Token != "secret" || !c.Discord.MessageContent {
		t.Errorf("got %+v", c)
	}
}

// A briefing's time is read as /subscribe reads it: the hour's leading
// zero may be left out.
func TestBriefingTimeWithoutLeadingZero(t *testing.T) {
	p := writeConfig(t, "briefings:\n  - channel: \"123456789012345678\"\n    time: \"7:30\"\n    timezone: UTC\n")
	if _, err := Load(p, env(nil)); err != nil {
		t.Errorf("time 7:30: %v", err)
	}
}

// Lists from the environment are comma-separated and replace the file's.
func TestEnvLists(t *testing.T) {
	p := writeConfig(t, "discord:\n  guilds: [\"111111\"]\n  asks_per_minute: 5\nfetch:\n  allow: [intranet.example:8080]\n")
	c, err := Load(p, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Discord.Guilds, ",") != "111111" || c.Discord.AsksPerMinute != 5 || strings.Join(c.Fetch.Allow, ",") != "intranet.example:8080" {
		t.Errorf("from the file: %+v", c)
	}
	c, err = Load(p, env(map[string]string{"DISCORD_GUILDS": "222222, 333333", "BRIEFBOT_FETCH_ALLOW": "10.1.2.0/24", "BRIEFBOT_ASKS_PER_MINUTE": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Discord.Guilds, ",") != "222222,333333" || c.Discord.AsksPerMinute != 0 || strings.Join(c.Fetch.Allow, ",") != "10.1.2.0/24" {
		t.Errorf("from the environment: %+v", c)
	}
	if Default().Discord.AsksPerMinute != DefaultAsksPerMinute {
		t.Errorf("no fair-use limit by default")
	}
}

// Every bad setting stops the start with a message naming its key.
func TestInvalidConfigNamesTheKey(t *testing.T) {
	tests := []struct {
		name, file string
		env        map[string]string
		want       string
	}{
		{"limit", "limit: 0\n", nil, "limit"},
		{"stories", "stories: 40\n", nil, "stories"},
		{"timezone", "timezone: Mars/Olympus\n", nil, "timezone"},
		{"log level", "log_level: loud\n", nil, "log_level"},
		{"unknown key", "artciles: x\n", nil, "artciles"},
		{"not yaml", "limit: [\n", nil, "briefbot.yaml"},
		{"api url", "discord:\n  api_url: ftp://x\n", nil, "discord.api_url"},
		{"token in file", "discord:\n  token: abc\n", nil, "discord.token"},
		{"briefing channel", "briefings:\n  - channel: general\n    time: \"07:30\"\n    timezone: UTC\n", nil, "briefings[0].channel"},
		{"briefing time", "briefings:\n  - channel: \"123456789012345678\"\n    time: \"7.30\"\n    timezone: UTC\n", nil, "briefings[0].time"},
		{"briefing hour 24", "briefings:\n  - channel: \"123456789012345678\"\n    time: \"24:00\"\n    timezone: UTC\n", nil, "briefings[0].time"},
		{"limit past the max", "limit: 51\n", nil, "limit"},
		{"briefing zone", "briefings:\n  - channel: \"123456789012345678\"\n    time: \"07:30\"\n    timezone: Atlantis\n", nil, "briefings[0].timezone"},
		{"feed url", "feeds:\n  - url: not-a-url\n", nil, "feeds[0].url"},
		{"feed interval", "feeds:\n  - url: https://example.com/rss\n    interval: 5s\n", nil, "feeds[0].interval"},
		{"env limit", "", map[string]string{"BRIEFBOT_LIMIT": "many"}, "BRIEFBOT_LIMIT"},
		{"env stories", "", map[string]string{"BRIEFBOT_STORIES": "all"}, "BRIEFBOT_STORIES"},
		{"env bool", "", map[string]string{"DISCORD_MESSAGE_CONTENT": "maybe"}, "DISCORD_MESSAGE_CONTENT"},
		{"env zone", "", map[string]string{"BRIEFBOT_TIMEZONE": "Nowhere/Land"}, "timezone"},
		{"guild", "discord:\n  guilds: [\"my server\"]\n", nil, "discord.guilds[0]"},
		{"env guild", "", map[string]string{"DISCORD_GUILDS": "123456789012345678, x"}, "discord.guilds[1]"},
		{"asks per minute", "discord:\n  asks_per_minute: -1\n", nil, "discord.asks_per_minute"},
		{"env asks per minute", "", map[string]string{"BRIEFBOT_ASKS_PER_MINUTE": "lots"}, "BRIEFBOT_ASKS_PER_MINUTE"},
		{"fetch allow url", "fetch:\n  allow: [\"http://intranet.example/\"]\n", nil, "fetch.allow[0]"},
		{"env fetch allow", "", map[string]string{"BRIEFBOT_FETCH_ALLOW": "10.0.0.0/8,a b"}, "fetch.allow[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, tt.file), env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// The token never comes from the file, and an error about the file never
// repeats it.
func TestTokenInFileIsRefusedWithoutEcho(t *testing.T) {
	_, err := Load(writeConfig(t, "discord:\n  token: very-secret-token\n"), env(nil))
	if err == nil || strings.Contains(err.Error(), "very-secret-token") {
		t.Fatalf("error %v: want a refusal that does not repeat the token", err)
	}
}

func TestMissingConfigFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.yaml"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("error %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{"limit: 3\n", "briefings:\n  - channel: \"1\"\n", "feeds: [{url: x}]\n", ": :\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(p, env(nil))
		if err == nil {
			if verr := c.Validate(); verr != nil {
				t.Fatalf("Load accepted a config that Validate refuses: %v", verr)
			}
		}
	})
}
