// Package configs owns briefbot's configuration: the Config struct with its
// defaults, loading it from a YAML file and then the environment, and
// checking it at start. It also carries the example config and the default
// question lexicon, embedded so a fresh clone runs with no setup.
package configs

import (
	_ "time/tzdata" // zone names work on machines without a zone database

	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"briefbot"
)

// DefaultLexicon is the question lexicon used when the config names none.
//
//go:embed lexicon.yaml
var DefaultLexicon []byte

// DefaultRanker is the answer ranker's fitted weights and abstaining
// cut-off (made by `go run ./cmd/train`; see the README).
//
//go:embed ranker.json
var DefaultRanker []byte

// Config is everything briefbot can be told. Secrets (the Discord token)
// come only from the environment.
type Config struct {
	// Articles is the folder of article files.
	Articles string `yaml:"articles"`
	// Index is the index folder; empty means under the user's cache folder.
	Index string `yaml:"index"`
	// Timezone is the IANA zone that says what "yesterday" is for briefings.
	Timezone string `yaml:"timezone"`
	// Limit is how many snippets an answer shows at most.
	Limit int `yaml:"limit"`
	// Stories is how many stories a daily briefing tells at most.
	Stories int `yaml:"stories"`
	// Lexicon is a YAML file of question types and cue phrases; empty
	// means the built-in one (configs/lexicon.yaml).
	Lexicon  string `yaml:"lexicon"`
	LogLevel string `yaml:"log_level"`

	Discord   Discord    `yaml:"discord"`
	Briefings []Briefing `yaml:"briefings"`
	Feeds     []Feed     `yaml:"feeds"`
	// FeedsDir is where fetched feed articles are written; empty means
	// "feeds" inside the articles folder, so they are indexed with it.
	FeedsDir string `yaml:"feeds_dir"`
	Fetch    Fetch  `yaml:"fetch"`
}

// Fetch says where feeds and article pages may be fetched from. Fetches
// stay out of loopback, private and link-local addresses, except the
// config file's feeds' own origins and what Allow opens.
type Fetch struct {
	// Allow lists hosts ("intranet.example"), host:port pairs, IP
	// addresses and CIDR ranges ("10.1.2.0/24") fetches may reach.
	Allow []string `yaml:"allow"`
}

// Discord configures the chat bot.
type Discord struct {
	// Token comes from DISCORD_TOKEN only; a token in the file is refused.
	Token          string `yaml:"token"`
	GuildID        string `yaml:"guild_id"`
	MessageContent bool   `yaml:"message_content"`
	APIURL         string `yaml:"api_url"`
	// Guilds, when set, are the only servers the bot answers in.
	Guilds []string `yaml:"guilds"`
	// AsksPerMinute is how many questions (/ask, "More", mentions) one
	// member may ask a minute; 0 means no limit.
	AsksPerMinute int `yaml:"asks_per_minute"`
	// Shards is how many gateway shards to run; 0 asks Discord.
	Shards int `yaml:"shards"`
}

// Briefing subscribes a channel to the daily briefing.
type Briefing struct {
	Channel  string `yaml:"channel"`
	Time     string `yaml:"time"`
	Timezone string `yaml:"timezone"`
}

// Feed is an RSS, Atom or JSON feed to follow.
type Feed struct {
	URL      string        `yaml:"url"`
	Name     string        `yaml:"name"`
	Interval time.Duration `yaml:"interval"`
}

// DefaultAsksPerMinute is the fair-use limit on one member's questions:
// a person reading answers asks far fewer, and a 2-core machine answers
// everyone else while one member is held to it.
const DefaultAsksPerMinute = 20

// minFeedInterval is the shortest a feed's poll interval may be: news
// feeds change every few minutes at most, and polling one more often only
// loads its server.
const minFeedInterval = time.Minute

// maxAsksPerMinute bounds the setting to what a person could type.
const maxAsksPerMinute = 600

// Default is the configuration with nothing set.
func Default() Config {
	return Config{Articles: "articles", Timezone: "UTC", Limit: briefbot.DefaultLimit, Stories: briefbot.DefaultStories, LogLevel: "info",
		Discord: Discord{AsksPerMinute: DefaultAsksPerMinute}}
}

// Load reads the YAML file at path (none when path is empty), then applies
// the environment through getenv, and validates the result. Errors name the
// key that is wrong.
func Load(path string, getenv func(string) string) (Config, error) {
	c := Default()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return c, fmt.Errorf("config file %s does not exist", path)
			}
			return c, fmt.Errorf("read config file: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fmt.Errorf("config file %s: %w", path, err)
		}
		if c.Discord.Token != "" {
			return c, fmt.Errorf("config file %s: discord.token: secrets are read only from the environment; set DISCORD_TOKEN (or put it in .env) instead", path)
		}
	}
	if err := c.applyEnv(getenv); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Environment variables that override the file.
func (c *Config) applyEnv(getenv func(string) string) error {
	str := func(key string, dst *string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	str("BRIEFBOT_ARTICLES", &c.Articles)
	str("BRIEFBOT_INDEX", &c.Index)
	str("BRIEFBOT_TIMEZONE", &c.Timezone)
	str("BRIEFBOT_LEXICON", &c.Lexicon)
	str("BRIEFBOT_LOG_LEVEL", &c.LogLevel)
	str("BRIEFBOT_FEEDS_DIR", &c.FeedsDir)
	str("DISCORD_TOKEN", &c.Discord.Token)
	str("DISCORD_GUILD_ID", &c.Discord.GuildID)
	str("DISCORD_API_URL", &c.Discord.APIURL)
	list := func(key string, dst *[]string) {
		if v := getenv(key); v != "" {
			*dst = nil
			for _, f := range strings.Split(v, ",") {
				if f = strings.TrimSpace(f); f != "" {
					*dst = append(*dst, f)
				}
			}
		}
	}
	list("DISCORD_GUILDS", &c.Discord.Guilds)
	list("BRIEFBOT_FETCH_ALLOW", &c.Fetch.Allow)
	integer := func(key string, dst *int) error {
		if v := getenv(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%s: %q is not a whole number", key, v)
			}
			*dst = n
		}
		return nil
	}
	if err := integer("BRIEFBOT_ASKS_PER_MINUTE", &c.Discord.AsksPerMinute); err != nil {
		return err
	}
	if err := integer("BRIEFBOT_LIMIT", &c.Limit); err != nil {
		return err
	}
	if v := getenv("DISCORD_SHARDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("DISCORD_SHARDS: %q is not a shard count (0 asks Discord)", v)
		}
		c.Discord.Shards = n
	}
	if v := getenv("BRIEFBOT_STORIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("BRIEFBOT_STORIES: %q is not a whole number", v)
		}
		c.Stories = n
	}
	if v := getenv("DISCORD_MESSAGE_CONTENT"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("DISCORD_MESSAGE_CONTENT: %q is not true or false", v)
		}
		c.Discord.MessageContent = b
	}
	return nil
}

// checkAllow says what is wrong with a fetch.allow entry: it must be a
// host, host:port, IP address or CIDR range, not a URL.
func checkAllow(a string) error {
	if _, err := netip.ParsePrefix(a); err == nil {
		return nil
	}
	if strings.TrimSpace(a) == "" || strings.ContainsAny(a, "/?#@ ") {
		return fmt.Errorf("%q is not a host, host:port, IP address or CIDR range (for example intranet.example:8080 or 10.1.2.0/24)", a)
	}
	return nil
}

// Validate checks every setting and names the first key that is wrong.
func (c Config) Validate() error {
	if c.Discord.Shards < 0 {
		return fmt.Errorf("discord.shards: %d is not a shard count (0 asks Discord)", c.Discord.Shards)
	}
	if strings.TrimSpace(c.Articles) == "" {
		return errors.New("articles: must name the articles folder")
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		return fmt.Errorf("timezone: %q is not an IANA time zone (for example Europe/Kyiv)", c.Timezone)
	}
	if err := briefbot.CheckLimit(c.Limit); err != nil {
		return fmt.Errorf("limit: %w", err)
	}
	if c.Stories < 1 || c.Stories > briefbot.MaxStories {
		return fmt.Errorf("stories: %d is outside 1 to %d", c.Stories, briefbot.MaxStories)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log_level: %q is not debug, info, warn or error", c.LogLevel)
	}
	if c.Discord.APIURL != "" {
		if _, err := briefbot.ParseHTTPURL(c.Discord.APIURL); err != nil {
			return fmt.Errorf("discord.api_url: %w", err)
		}
	}
	for i, g := range c.Discord.Guilds {
		if !briefbot.IsDiscordID(g) {
			return fmt.Errorf("discord.guilds[%d]: %q is not a Discord server ID", i, g)
		}
	}
	if c.Discord.AsksPerMinute < 0 || c.Discord.AsksPerMinute > maxAsksPerMinute {
		return fmt.Errorf("discord.asks_per_minute: %d is outside 0 (no limit) to %d", c.Discord.AsksPerMinute, maxAsksPerMinute)
	}
	for i, a := range c.Fetch.Allow {
		if err := checkAllow(a); err != nil {
			return fmt.Errorf("fetch.allow[%d]: %w", i, err)
		}
	}
	for i, b := range c.Briefings {
		key := fmt.Sprintf("briefings[%d]", i)
		if !briefbot.IsDiscordID(b.Channel) {
			return fmt.Errorf("%s.channel: %q is not a Discord channel ID", key, b.Channel)
		}
		if _, _, err := briefbot.ParseClock(b.Time); err != nil {
			return fmt.Errorf("%s.time: %w", key, err)
		}
		if _, err := time.LoadLocation(b.Timezone); err != nil || b.Timezone == "" {
			return fmt.Errorf("%s.timezone: %q is not an IANA time zone (for example Europe/Kyiv)", key, b.Timezone)
		}
	}
	for i, f := range c.Feeds {
		key := fmt.Sprintf("feeds[%d]", i)
		if _, err := briefbot.ParseHTTPURL(f.URL); err != nil {
			return fmt.Errorf("%s.url: %w", key, err)
		}
		if f.Interval != 0 && f.Interval < minFeedInterval {
			return fmt.Errorf("%s.interval: %s is shorter than a minute", key, f.Interval)
		}
	}
	return nil
}

// Location is the configured time zone.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
