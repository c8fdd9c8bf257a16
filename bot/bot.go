// Package bot is briefbot in Discord: it connects to the gateway with
// discordgo, registers the slash commands (/ask, /brief, /sources), answers
// them, @mentions and the buttons under its answers, and renders answers
// and briefings as embeds within Discord's limits. It answers through the
// small interfaces below and knows nothing of the index or of ranking.
// Nothing it sends can ping anyone.
package bot

import (
	"cmp"
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

// Of shutdownWait, answers in flight get all but inflightMargin, and the
// gateway must have closed inflightMargin-closeMargin after that: closing
// a shard takes about a second (discordgo waits for the close handshake).
const (
	inflightMargin = 2 * time.Second
	closeMargin    = 500 * time.Millisecond
)

// restTimeout bounds one REST call to Discord. Discord answers in well
// under a second; a call still waiting after this is not coming back, and
// an interaction's first reply is due in 3 s anyway.
const restTimeout = 20 * time.Second

// answersKept is how many recent questions the "More" and "Sources"
// buttons can still find: each keeps its question and the quotes shown
// (at most MaxLimit), so memory stays bounded while buttons under any
// recent answer keep working; older ones ask the member to ask again.
const answersKept = 500

// minRedactedToken is the shortest token hidden in log lines: a test
// token of a letter or two would only mangle words.
const minRedactedToken = 8

// botToken is the bot token with spaces and any "Bot " prefix trimmed,
// after pointing discordgo at apiURL (empty: Discord's own). Both the bot
// and the Poster start here, so they refuse a missing token alike.
func botToken(raw, apiURL string) (string, error) {
	token := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(raw), "Bot "))
	if token == "" {
		return "", errors.New("DISCORD_TOKEN is not set: put the bot token in the environment or in .env")
	}
	return token, SetAPIURL(apiURL)
}

// restSession is a discordgo session authenticated with token whose REST
// calls give up after restTimeout.
func restSession(token string) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	s.Client = &http.Client{Timeout: restTimeout}
	return s, nil
}

// Run connects to Discord, registers the commands and answers until ctx
// is done; then it closes the gateway, waiting at most shutdownWait for
// answers in flight. It returns ErrTokenRejected when Discord refuses the
// token.
func (b *Bot) Run(ctx context.Context) error {
	base := cmp.Or(b.Log, slog.New(slog.DiscardHandler))
	log := base.With("component", "bot")
	b.Log = log
	if b.Answerer == nil || b.Library == nil {
		return errors.New("bot: an Answerer and a Library are required")
	}
	token, err := botToken(b.Config.Token, b.Config.APIURL)
	if err != nil {
		return err
	}
	redact := redactor(token)
	logDiscordgo(ctx, base.With("component", "discordgo"), redact)

	b.answers = &answers{max: answersKept}
	b.inflight = &inflight{}
	b.access = newAccess(b.Config, log)
	table := b.commands()
	sessions, err := b.openSessions(ctx, token, table, redact)
	if err != nil {
		return err
	}
	if err := b.register(sessions, table, redact); err != nil {
		closeAll(sessions)
		return err
	}
	<-ctx.Done()
	b.shutdown(sessions)
	return nil
}

// redactor hides the token wherever a message could carry it.
func redactor(token string) *strings.Replacer {
	if len(token) < minRedactedToken {
		return strings.NewReplacer()
	}
	return strings.NewReplacer(token, "[token]")
}

// logDiscordgo sends discordgo's own log lines to log, token hidden.
func logDiscordgo(ctx context.Context, log *slog.Logger, redact *strings.Replacer) {
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
		log.Log(ctx, l, redact.Replace(fmt.Sprintf(format, a...)))
	}
}

// newSession makes one shard's session, its handlers dispatching to
// table. An answer under way when shutdown begins is let finish (within
// shutdownWait), so handlers do not inherit ctx's cancellation.
func (b *Bot) newSession(ctx context.Context, token string, table table) (*discordgo.Session, error) {
	s, err := restSession(token)
	if err != nil {
		return nil, err
	}
	hctx := context.WithoutCancel(ctx)
	s.LogLevel = discordgo.LogWarning
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
		b.Log.Warn("rate limited by Discord; waiting before retrying", "route", route(r.URL), "retry_after", r.RetryAfter, "bucket", r.Bucket)
	})
	return s, nil
}

// openSessions makes and opens every shard's session. /gateway/bot needs
// the token, so a bad one fails before any websocket is opened; it also
// says how many shards to run when the config does not. On failure it
// closes what it opened.
func (b *Bot) openSessions(ctx context.Context, token string, table table, redact *strings.Replacer) ([]*discordgo.Session, error) {
	first, err := b.newSession(ctx, token, table)
	if err != nil {
		return nil, err
	}
	gw, err := first.GatewayBot()
	if err != nil {
		return nil, connectError(err, redact)
	}
	count := b.Config.Shards
	if count <= 0 {
		count = max(1, gw.Shards)
	}
	sessions := []*discordgo.Session{first}
	for range count - 1 {
		next, err := b.newSession(ctx, token, table)
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, next)
	}
	if err := openShards(ctx, sessions, gw.SessionStartLimit.MaxConcurrency, b.Log); err != nil {
		closeAll(sessions)
		return nil, connectError(err, redact)
	}
	return sessions, nil
}

// closeAll closes sessions when Run fails part way.
func closeAll(sessions []*discordgo.Session) {
	for _, s := range sessions {
		s.Close()
	}
}

// register registers the commands once, for every shard, with the first
// shard's session (registration is REST, not tied to a shard), and says
// so in the log.
func (b *Bot) register(sessions []*discordgo.Session, table table, redact *strings.Replacer) error {
	s := sessions[0]
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
	b.Log.Info("connected to Discord", "user", s.State.User.Username, "shards", len(sessions), "commands", len(defs), "registered", scope)
	if !b.Config.MessageContent {
		b.Log.Info("mentions are not answered: only slash commands work (set DISCORD_MESSAGE_CONTENT=true and enable the Message Content intent to answer @mentions)")
	}
	return nil
}

// shutdown lets answers in flight finish, then closes every shard
// together, all within shutdownWait.
func (b *Bot) shutdown(sessions []*discordgo.Session) {
	b.Log.Info("shutting down")
	done := make(chan struct{})
	go func() {
		defer close(done)
		finished := make(chan struct{})
		go func() { b.inflight.wait(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(shutdownWait - inflightMargin):
			b.Log.Warn("answers still in flight at shutdown were abandoned")
		}
		var wg sync.WaitGroup
		for _, s := range sessions {
			wg.Go(func() { s.Close() })
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(shutdownWait - closeMargin):
		b.Log.Warn("the gateway did not close in time")
	}
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

// Gateway close codes connectError recognises (Discord's documented
// opcodes and status codes).
const (
	closeAuthenticationFailed = 4004
	closeInvalidIntents       = 4013
	closeDisallowedIntents    = 4014
)

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
		case closeAuthenticationFailed:
			return ErrTokenRejected
		case closeInvalidIntents, closeDisallowedIntents:
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
	apiURL = cmp.Or(apiURL, "https://discord.com/api/v"+discordgo.APIVersion+"/")
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

// maxRouteSegment is the longest path segment route shows: snowflake IDs
// are at most 20 digits, interaction and webhook tokens far longer.
const maxRouteSegment = 40

// route is a request URL's path with long segments (interaction and
// webhook tokens) hidden, for logs.
func route(u string) string {
	if p, err := url.Parse(u); err == nil {
		u = p.Path
	}
	segs := strings.Split(u, "/")
	for i, s := range segs {
		if len(s) > maxRouteSegment {
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
