// Package bot is briefbot in Discord: it connects to the gateway with
// discordgo, registers the slash commands (/ask, /brief, /sources), answers
// them, @mentions and the buttons under its answers, and renders answers
// and briefings as embeds within Discord's limits. It answers through the
// small interfaces below and knows nothing of the index or of ranking.
// Nothing it sends can ping anyone.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"briefbot"
)

// Answerer answers a question with cited snippets.
type Answerer interface {
	Answer(ctx context.Context, q briefbot.Question) (briefbot.Answer, error)
}

// Briefer makes the daily briefing for a day.
type Briefer interface {
	Brief(ctx context.Context, day time.Time) (briefbot.Brief, error)
}

// Library lists the indexed articles.
type Library interface {
	Articles() []briefbot.Article
}

// Config is what the bot is told at start.
type Config struct {
	// Token is the bot token (DISCORD_TOKEN), with or without "Bot ".
	Token string
	// GuildID registers the commands in one guild instead of globally.
	GuildID string
	// MessageContent asks for the privileged MessageContent intent, so
	// @mentions are answered.
	MessageContent bool
	// APIURL is the REST base (DISCORD_API_URL); empty means Discord's.
	APIURL string
	// Location says what "yesterday" is for /brief; nil means UTC.
	Location *time.Location
	// Limit is how many quotes an answer (and each "More") shows.
	Limit int
	// Shards is how many gateway connections to run (DISCORD_SHARDS);
	// 0 means as many as Discord recommends.
	Shards int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Guilds, when set, are the only servers the bot answers in; it
	// ignores every other server and direct messages.
	Guilds []string
	// AsksPerMinute is how many questions one member may ask a minute
	// (/ask, "More" and mentions together); 0 means no limit.
	AsksPerMinute int
}

// Bot is briefbot's Discord bot. Set the fields, then call Run.
type Bot struct {
	Config   Config
	Answerer Answerer
	// Briefer may be nil: /brief then says briefings are not available.
	Briefer Briefer
	Library Library
	// Schedule may be nil: /subscribe, /unsubscribe and /subscriptions
	// are then not offered.
	Schedule Schedule
	// Feeds may be nil: /feeds is then not offered.
	Feeds FeedList
	Log   *slog.Logger

	answers  *answers
	inflight *inflight
	access   *access
}

// ErrTokenRejected is returned by Run when Discord refuses the token.
var ErrTokenRejected = errors.New("Discord rejected the bot token: check DISCORD_TOKEN (Developer Portal → your application → Bot → Reset Token)")

// shutdownWait bounds how long Run takes to close after ctx is done.
const shutdownWait = 5 * time.Second

// Run connects to Discord, registers the commands and answers until ctx
// is done; then it closes the gateway, waiting at most 5 s for answers in
// flight. It returns ErrTokenRejected when Discord refuses the token.
func (b *Bot) Run(ctx context.Context) error {
	base := b.Log
	if base == nil {
		base = slog.New(slog.DiscardHandler)
	}
	log := base.With("component", "bot")
	b.Log = log
	if b.Answerer == nil || b.Library == nil {
		return errors.New("bot: an Answerer and a Library are required")
	}
	token := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(b.Config.Token), "Bot "))
	if token == "" {
		return errors.New("DISCORD_TOKEN is not set: put the bot token in the environment or in .env")
	}
	if err := SetAPIURL(b.Config.APIURL); err != nil {
		return err
	}
	// Hide the token wherever a message could carry it (a test token of
	// a letter or two would only mangle words).
	redact := strings.NewReplacer()
	if len(token) >= 8 {
		redact = strings.NewReplacer(token, "[token]")
	}
	dglog := base.With("component", "discordgo")
	discordgo.Logger = func(level, _ int, format string, a ...any) {
		l := slog.LevelDebug
		switch level {
		case discordgo.LogError:
			l = slog.LevelError
		case discordgo.LogWarning:
			l = slog.LevelWarn
		case discordgo.LogInformational:
			l = slog.LevelInfo
		}
		dglog.Log(ctx, l, redact.Replace(fmt.Sprintf(format, a...)))
	}

	b.answers = &answers{max: 500}
	b.inflight = &inflight{}
	b.access = newAccess(b.Config, log)
	table := b.commands()
	// An answer under way when shutdown begins is let finish (within
	// shutdownWait), so handlers do not inherit ctx's cancellation.
	hctx := context.WithoutCancel(ctx)
	newSession := func() (*discordgo.Session, error) {
		s, err := discordgo.New("Bot " + token)
		if err != nil {
			return nil, fmt.Errorf("discord: %w", err)
		}
		s.LogLevel = discordgo.LogWarning
		s.Client = &http.Client{Timeout: 20 * time.Second}
		s.Identify.Intents = discordgo.IntentsGuilds
		if b.Config.MessageContent {
			s.Identify.Intents |= discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentMessageContent
		}
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			if b.inflight.start() {
				defer b.inflight.done()
				b.onInteraction(hctx, s, ic.Interaction, table)
			}
		})
		s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
			if b.Config.MessageContent && b.inflight.start() {
				defer b.inflight.done()
				b.onMessage(hctx, s, m.Message)
			}
		})
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) {
			log.Warn("rate limited by Discord; waiting before retrying", "route", route(r.URL), "retry_after", r.RetryAfter, "bucket", r.Bucket)
		})
		return s, nil
	}
	s, err := newSession()
	if err != nil {
		return err
	}

	// /gateway/bot needs the token, so a bad one fails here, before the
	// websocket is opened. It also says how many shards to run.
	gw, err := s.GatewayBot()
	if err != nil {
		return connectError(err, redact)
	}
	count := b.Config.Shards
	if count <= 0 {
		count = max(1, gw.Shards)
	}
	sessions := []*discordgo.Session{s}
	for range count - 1 {
		next, err := newSession()
		if err != nil {
			return err
		}
		sessions = append(sessions, next)
	}
	defer func() {
		// Closed here only when Run fails part way; a clean stop closes
		// them below.
		for _, s := range sessions {
			if s != nil {
				s.Close()
			}
		}
	}()
	if err := openShards(ctx, sessions, gw.SessionStartLimit.MaxConcurrency, log); err != nil {
		return connectError(err, redact)
	}

	// Commands are registered once, for every shard, with the first's
	// session: registration is REST, not tied to a shard.
	if s.State.User == nil {
		return errors.New("discord: the gateway did not say who the bot is (no READY)")
	}
	appID := s.State.User.ID
	if s.State.Application != nil && s.State.Application.ID != "" {
		appID = s.State.Application.ID
	}
	defs := make([]*discordgo.ApplicationCommand, len(table.commands))
	for i, c := range table.commands {
		defs[i] = c.def
	}
	if _, err := s.ApplicationCommandBulkOverwrite(appID, b.Config.GuildID, defs); err != nil {
		return fmt.Errorf("discord: register slash commands: %s", redact.Replace(err.Error()))
	}
	scope := "globally (new commands can take a while to show)"
	if b.Config.GuildID != "" {
		scope = "in guild " + b.Config.GuildID
	}
	log.Info("connected to Discord", "user", s.State.User.Username, "shards", count, "commands", len(defs), "registered", scope)
	if !b.Config.MessageContent {
		log.Info("mentions are not answered: only slash commands work (set DISCORD_MESSAGE_CONTENT=true and enable the Message Content intent to answer @mentions)")
	}

	<-ctx.Done()
	log.Info("shutting down")
	open := sessions
	sessions = nil
	done := make(chan struct{})
	go func() {
		defer close(done)
		finished := make(chan struct{})
		go func() { b.inflight.wait(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(shutdownWait - 2*time.Second):
			log.Warn("answers still in flight at shutdown were abandoned")
		}
		// Each takes a second (discordgo waits for the close
		// handshake), so the shards close together.
		var wg sync.WaitGroup
		for _, s := range open {
			wg.Go(func() { s.Close() })
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(shutdownWait - 500*time.Millisecond):
		log.Warn("the gateway did not close in time")
	}
	return nil
}

// identifyEvery is how long Discord wants between two rounds of shard
// logins: max_concurrency shards may identify in each 5 s window.
const identifyEvery = 5 * time.Second

// openShards connects every shard's session, each identifying with its
// own [id, count], maxConcurrency at a time, as Discord allows.
func openShards(ctx context.Context, sessions []*discordgo.Session, maxConcurrency int, log *slog.Logger) error {
	maxConcurrency = max(1, maxConcurrency)
	for i, s := range sessions {
		s.ShardID, s.ShardCount = i, len(sessions)
		if i > 0 && i%maxConcurrency == 0 {
			log.Info("waiting before the next shards identify, as Discord asks", "shard", i, "of", len(sessions))
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(identifyEvery):
			}
		}
		if err := s.Open(); err != nil {
			if len(sessions) > 1 {
				return fmt.Errorf("shard %d of %d: %w", i, len(sessions), err)
			}
			return err
		}
	}
	return nil
}

// connectError words a failure to connect, recognising a rejected token
// (HTTP 401, or gateway close 4004) and refused intents (4014).
func connectError(err error, redact *strings.Replacer) error {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized {
		return ErrTokenRejected
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return ErrTokenRejected
		case 4013, 4014:
			return errors.New("Discord refused the Message Content intent: enable it for the bot (Developer Portal → Bot → Privileged Gateway Intents) or unset DISCORD_MESSAGE_CONTENT")
		}
	}
	return fmt.Errorf("discord: connect: %s", redact.Replace(err.Error()))
}

// SetAPIURL points discordgo's REST endpoints and its gateway lookup at
// apiURL (for example http://127.0.0.1:8080/api/v9/); empty restores
// Discord's own. discordgo keeps these in package variables, computed
// once, so every base one is set here.
func SetAPIURL(apiURL string) error {
	if apiURL == "" {
		apiURL = "https://discord.com/api/v" + discordgo.APIVersion + "/"
	}
	u, err := briefbot.ParseHTTPURL(apiURL)
	if err != nil {
		return fmt.Errorf("DISCORD_API_URL: %w", err)
	}
	api := strings.TrimSuffix(apiURL, "/") + "/"
	root := u.Scheme + "://" + u.Host + "/"
	if i := strings.Index(api, "/api/"); i >= 0 {
		root = api[:i+1]
	}
	if discordgo.EndpointAPI == api && discordgo.EndpointDiscord == root {
		// Already set: writing again would race with requests under way
		// (the scheduler's Poster sets it before the bot starts).
		return nil
	}
	discordgo.EndpointDiscord = root
	discordgo.EndpointAPI = api
	discordgo.EndpointGuilds = api + "guilds/"
	discordgo.EndpointChannels = api + "channels/"
	discordgo.EndpointUsers = api + "users/"
	discordgo.EndpointGateway = api + "gateway"
	discordgo.EndpointGatewayBot = discordgo.EndpointGateway + "/bot"
	discordgo.EndpointWebhooks = api + "webhooks/"
	discordgo.EndpointStickers = api + "stickers/"
	discordgo.EndpointStageInstances = api + "stage-instances"
	discordgo.EndpointSKUs = api + "skus"
	discordgo.EndpointVoice = api + "/voice/"
	discordgo.EndpointVoiceRegions = discordgo.EndpointVoice + "regions"
	discordgo.EndpointNitroStickersPacks = api + "/sticker-packs"
	discordgo.EndpointGuildCreate = api + "guilds"
	discordgo.EndpointApplications = api + "applications"
	discordgo.EndpointOAuth2 = api + "oauth2/"
	discordgo.EndpointOAuth2Applications = discordgo.EndpointOAuth2 + "applications"
	discordgo.EndpointOauth2 = discordgo.EndpointOAuth2
	discordgo.EndpointOauth2Applications = discordgo.EndpointOAuth2Applications
	return nil
}

// route is a request URL's path with long segments (interaction and
// webhook tokens) hidden, for logs.
func route(u string) string {
	if p, err := url.Parse(u); err == nil {
		u = p.Path
	}
	segs := strings.Split(u, "/")
	for i, s := range segs {
		if len(s) > 40 {
			segs[i] = ":token"
		}
	}
	return strings.Join(segs, "/")
}

// inflight counts handlers at work so shutdown can wait for them, and
// turns new ones away once shutdown has begun.
type inflight struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (f *inflight) start() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.wg.Add(1)
	return true
}

func (f *inflight) done() { f.wg.Done() }

func (f *inflight) wait() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.wg.Wait()
}
