package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/joho/godotenv"
	"golang.org/x/term"

	"briefbot"
	"briefbot/briefs"
	"briefbot/configs"
	"briefbot/index"
)

// options are the command-line flags.
type options struct {
	query, format, articles, indexDir, config, source, since, until, date string
	limit                                                                 int
	brief, explain, reindex, fetch                                        bool
	briefNow                                                              string
	set                                                                   map[string]bool
}

const usage = `briefbot answers questions about news articles with quotes from them.

Usage:
  bot --query "QUESTION" [--format text|json] [--limit N] [--source NAME]
      [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--explain]
  bot --brief [--date YYYY-MM-DD] [--format text|json]
  bot --reindex            rebuild the index from scratch
  bot --fetch              poll every configured feed once, then exit
  bot --brief-now CHANNEL  post the briefing to a Discord channel now
  bot                      run the Discord bot (needs DISCORD_TOKEN)

A question may carry its own filters: "source:NENC since:2025-12-01 what was agreed?"

Flags:
`

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bot", flag.ContinueOnError)
	// Flag errors are reported by run in one line; the full usage is
	// printed only for --help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	printUsage := func() {
		fs.SetOutput(stderr)
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nEnvironment: DISCORD_TOKEN, DISCORD_GUILD_ID, DISCORD_MESSAGE_CONTENT, DISCORD_API_URL, DISCORD_GUILDS,\nDISCORD_SHARDS, BRIEFBOT_CONFIG, BRIEFBOT_ARTICLES, BRIEFBOT_INDEX, BRIEFBOT_TIMEZONE, BRIEFBOT_LIMIT,\nBRIEFBOT_LEXICON, BRIEFBOT_LOG_LEVEL, BRIEFBOT_FEEDS_DIR, BRIEFBOT_FETCH_ALLOW,\nBRIEFBOT_ASKS_PER_MINUTE (a .env file in the current folder is read too).\n")
	}
	fs.StringVar(&o.query, "query", "", "answer this `question` with quotes from the articles")
	fs.BoolVar(&o.brief, "brief", false, "print the daily briefing")
	fs.StringVar(&o.date, "date", "", "briefing `day` as YYYY-MM-DD (default: yesterday in the configured time zone)")
	fs.StringVar(&o.format, "format", "text", "output `format`: text or json")
	fs.IntVar(&o.limit, "limit", 0, fmt.Sprintf("show at most `N` snippets, 1 to %d (default %d, or the config's limit)", briefbot.MaxLimit, briefbot.DefaultLimit))
	fs.StringVar(&o.articles, "articles", "", "articles `folder` (default ./articles, or the config's)")
	fs.StringVar(&o.indexDir, "index", "", "index `folder` (default: under the user cache folder, keyed by the articles folder)")
	fs.StringVar(&o.config, "config", "", "YAML config `file` (see configs/example.yaml)")
	fs.StringVar(&o.source, "source", "", "only quote articles from this `outlet`")
	fs.StringVar(&o.since, "since", "", "only articles published on or after this `day` (YYYY-MM-DD)")
	fs.StringVar(&o.until, "until", "", "only articles published on or before this `day` (YYYY-MM-DD)")
	fs.BoolVar(&o.explain, "explain", false, "show why each snippet ranked where it did")
	fs.BoolVar(&o.reindex, "reindex", false, "rebuild the index from scratch")
	fs.BoolVar(&o.fetch, "fetch", false, "poll every configured feed once and exit")
	fs.StringVar(&o.briefNow, "brief-now", "", "post yesterday's briefing to this Discord `channel` ID now")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage()
			return o, err
		}
		return o, fmt.Errorf("%w (see bot --help)", err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (put the question in --query \"...\")", fs.Arg(0))
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.format != "text" && o.format != "json" {
		return o, fmt.Errorf("--format: %q is not text or json", o.format)
	}
	if o.set["limit"] {
		if err := briefbot.CheckLimit(o.limit); err != nil {
			return o, fmt.Errorf("--limit: %w", err)
		}
	}
	if o.set["query"] && strings.TrimSpace(o.query) == "" {
		return o, errors.New("--query: the question is empty")
	}
	if o.set["query"] && o.brief {
		return o, errors.New("--query and --brief: ask one thing at a time")
	}
	return o, nil
}

// run is the whole program; main only wires the process to it. getenv
// is the environment; a .env file in the current folder fills in what it
// leaves unset.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "bot: %v\n", err)
		return 2
	}
	getenv, err = withDotEnv(".env", getenv)
	if err != nil {
		fmt.Fprintf(stderr, "bot: .env: %v\n", err)
		return 2
	}
	if err := execute(ctx, o, stdout, stderr, getenv); err != nil {
		fmt.Fprintf(stderr, "bot: %s\n", oneLine(err))
		return 1
	}
	return 0
}

// withDotEnv is getenv with the variables in the .env file at path
// beneath it: the environment wins, as godotenv.Load would have it, but
// the process environment is left alone so the getenv a test injects is
// the only one read. No file is no change.
func withDotEnv(path string, getenv func(string) string) (func(string) string, error) {
	dot, err := godotenv.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return getenv, nil
	}
	if err != nil {
		return nil, err
	}
	return func(key string) string { return cmp.Or(getenv(key), dot[key]) }, nil
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// indexCloseWait bounds closing the index at exit, as the bot's
// shutdownWait bounds closing the gateway: Close waits for a sync under
// way, and a Ctrl-C should not hang on it. What a write cut short leaves,
// the next start's sync with the folder brings up to date.
const indexCloseWait = 10 * time.Second

func execute(ctx context.Context, o options, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := loadConfig(o, getenv)
	if err != nil {
		return err
	}
	cli := o.set["query"] || o.brief || o.reindex || o.fetch
	log := newLogger(stderr, cfg.LogLevel, cli)
	lex, err := loadLexicon(cfg.Lexicon)
	if err != nil {
		return err
	}
	// Flags are checked here, before any index is opened, so a bad one
	// fails the same way whoever answers.
	for _, f := range []struct{ name, v string }{{"--since", o.since}, {"--until", o.until}, {"--date", o.date}} {
		if _, err := parseDay(f.name, f.v); err != nil {
			return err
		}
	}
	req := request{
		Query: o.query, Ask: o.set["query"], Brief: o.brief, Date: o.date, Format: o.format,
		Limit: o.limit, Source: o.source, Since: o.since, Until: o.until, Explain: o.explain,
		Fetch: o.fetch, Reindex: o.reindex,
	}
	dir := cfg.Index
	if dir == "" {
		if dir, err = index.DefaultDir(cfg.Articles); err != nil {
			return err
		}
	}
	if cli {
		// A running bot owns the index: it answers for us, from the
		// same index and with the same code, and nothing is opened here.
		if served, err := askBot(ctx, dir, req, stdout); served {
			return err
		}
	}

	// The bot is the index's one writer; the rest read until they must write.
	opts := index.Options{Articles: cfg.Articles, Dir: dir, Logger: log, Rebuild: o.reindex, Writer: !cli && o.briefNow == ""}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts.Progress = stderr
	}
	ix, st, err := index.Open(ctx, opts)
	if errors.Is(err, index.ErrInUse) && cli {
		// A bot that was starting when we looked: ask it now.
		if served, aerr := askBot(ctx, dir, req, stdout); served {
			return aerr
		}
	}
	if err != nil {
		return err
	}
	defer stopWithin(indexCloseWait, "closing the index", log, func() { ix.Close() })
	answerer := &briefs.Answerer{Index: ix, Lexicon: lex, Limit: cfg.Limit}
	svc := &service{cfg: cfg, ix: ix, answerer: answerer, briefer: &briefs.Briefer{Index: ix, Answerer: answerer, Stories: cfg.Stories, Log: log}, log: log}
	if o.reindex {
		// Open rebuilt it; the service need not again.
		printIndexed(stdout, st)
		req.Reindex = false
	}
	switch {
	case cli:
		return svc.do(ctx, req, stdout)
	case o.briefNow != "":
		return briefNow(ctx, cfg, svc.briefer, o.briefNow, stdout)
	}
	return runDiscord(ctx, cfg, svc)
}

// loadConfig is the config file (--config, else BRIEFBOT_CONFIG), then
// the environment, then the flags that override them.
func loadConfig(o options, getenv func(string) string) (configs.Config, error) {
	cfg, err := configs.Load(cmp.Or(o.config, getenv("BRIEFBOT_CONFIG")), getenv)
	if err != nil {
		return cfg, err
	}
	cfg.Articles = cmp.Or(o.articles, cfg.Articles)
	cfg.Index = cmp.Or(o.indexDir, cfg.Index)
	if o.limit > 0 {
		cfg.Limit = o.limit
	}
	return cfg, nil
}

// loadLexicon reads the question lexicon at path, or the built-in one.
func loadLexicon(path string) (*briefs.Lexicon, error) {
	data := configs.DefaultLexicon
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
	}
	return briefs.LoadLexicon(data)
}

// stopWithin runs stop, waiting at most wait for it: past that, it logs
// that what was left was abandoned and returns, so shutdown is bounded.
func stopWithin(wait time.Duration, what string, log *slog.Logger, stop func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		stop()
	}()
	select {
	case <-done:
	case <-time.After(wait):
		log.Warn(what+" took too long; exiting without waiting", "waited", wait)
	}
}

// parseDay reads a YYYY-MM-DD flag; empty is the zero time.
func parseDay(flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(briefbot.DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not a date in the form YYYY-MM-DD", flagName, s)
	}
	return t, nil
}

// newLogger logs to stderr; one-shot commands only show warnings and
// worse unless debug logging was asked for.
func newLogger(w io.Writer, level string, cli bool) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	if cli && l < slog.LevelWarn && l > slog.LevelDebug {
		l = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
