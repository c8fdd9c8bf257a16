package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"briefbot"
	"briefbot/bot/schedule"
)

// Schedule is what /subscribe, /unsubscribe and /subscriptions change and
// read; *schedule.Scheduler implements it.
type Schedule interface {
	Subscribe(ctx context.Context, sub schedule.Subscription) (schedule.Subscription, error)
	Unsubscribe(ctx context.Context, channel string) error
	List(ctx context.Context) ([]schedule.Subscription, error)
}

// manageServer is the permission /subscribe and /unsubscribe need.
const manageServer = discordgo.PermissionManageGuild | discordgo.PermissionAdministrator

func (b *Bot) scheduleCommands() []command {
	perm := int64(discordgo.PermissionManageGuild)
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	channel := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: "The channel (default: this one)",
		ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews},
	}
	return []command{
		{def: &discordgo.ApplicationCommand{
			Name:        "subscribe",
			Description: "Post the daily briefing in a channel every day at a local time",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "time", Description: "Local time of day, HH:MM (24-hour clock)", Required: true, MaxLength: len("HH:MM")},
				{Type: discordgo.ApplicationCommandOptionString, Name: "timezone", Description: "IANA time zone, for example Europe/Kyiv", Required: true, MaxLength: maxZoneOption},
				channel,
			},
			DefaultMemberPermissions: &perm, Contexts: guildOnly,
		}, handler: handler{run: b.subscribeCommand}},
		{def: &discordgo.ApplicationCommand{
			Name:                     "unsubscribe",
			Description:              "Stop posting the daily briefing in a channel",
			Options:                  []*discordgo.ApplicationCommandOption{channel},
			DefaultMemberPermissions: &perm, Contexts: guildOnly,
		}, handler: handler{run: b.unsubscribeCommand}},
		{def: &discordgo.ApplicationCommand{
			Name:        "subscriptions",
			Description: "List the channels that get the daily briefing, and when",
			Contexts:    guildOnly,
		}, handler: handler{run: b.subscriptionsCommand}},
	}
}

// mayManage refuses members without the Manage Server permission. Discord
// hides the commands from them too, but a server can change that.
func mayManage(r request) error {
	if r.perms&manageServer == 0 {
		return userError("Only members with the Manage Server permission can change the daily briefing schedule.")
	}
	return nil
}

func (b *Bot) subscribeCommand(ctx context.Context, r request) ([]Message, error) {
	if err := mayManage(r); err != nil {
		return nil, err
	}
	sub, err := b.Schedule.Subscribe(ctx, schedule.Subscription{
		Channel:  cmp.Or(r.options["channel"], r.channel),
		Guild:    r.guild,
		Time:     strings.TrimSpace(r.options["time"]),
		Timezone: strings.TrimSpace(r.options["timezone"]),
	})
	if err != nil {
		return nil, scheduleError(err)
	}
	return []Message{{Content: fmt.Sprintf("<#%s> will get the daily briefing every day at %s (%s), covering the day before.", sub.Channel, sub.Time, sub.Timezone)}}, nil
}

func (b *Bot) unsubscribeCommand(ctx context.Context, r request) ([]Message, error) {
	if err := mayManage(r); err != nil {
		return nil, err
	}
	channel := cmp.Or(r.options["channel"], r.channel)
	if err := b.Schedule.Unsubscribe(ctx, channel); err != nil {
		return nil, scheduleError(err)
	}
	return []Message{{Content: fmt.Sprintf("<#%s> will no longer get the daily briefing.", channel)}}, nil
}

// subscriptionsCommand lists this server's subscriptions only: another
// server's channels are none of its business.
func (b *Bot) subscriptionsCommand(ctx context.Context, r request) ([]Message, error) {
	all, err := b.Schedule.List(ctx)
	if err != nil {
		return nil, err
	}
	var subs []schedule.Subscription
	for _, s := range all {
		guild := s.Guild
		if guild == "" && r.channelGuild != nil {
			guild = r.channelGuild(ctx, s.Channel)
		}
		if guild != "" && guild == r.guild {
			subs = append(subs, s)
		}
	}
	if len(subs) == 0 {
		return []Message{{Content: "No channel gets the daily briefing yet. Someone with Manage Server can start it with /subscribe.", Ephemeral: true}}, nil
	}
	lines := []string{"**Daily briefings**"}
	for _, s := range subs {
		line := fmt.Sprintf("<#%s> at %s (%s)", s.Channel, s.Time, s.Timezone)
		if s.Static {
			line += " · set in the config file"
		}
		lines = append(lines, line)
	}
	return []Message{{Content: truncate(strings.Join(lines, "\n"), maxContent), Ephemeral: true}}, nil
}

// scheduleError shows the scheduler's word on bad input to the user as a
// sentence; other errors stay errors.
func scheduleError(err error) error {
	var ie *schedule.InputError
	if !errors.As(err, &ie) {
		return err
	}
	msg := ie.Error()
	r, n := utf8.DecodeRuneInString(msg)
	return userError(string(unicode.ToUpper(r)) + msg[n:] + ".")
}

// Poster posts daily briefings to channels through Discord's REST API,
// without a gateway connection. It is the scheduler's schedule.Poster and
// what `bot --brief-now` posts with.
type Poster struct {
	s       *discordgo.Session
	briefer Briefer

	mu sync.Mutex
	me string // the bot's user ID, looked up once
}

// NewPoster makes a Poster that renders briefings from briefer and sends
// them with the bot token (DISCORD_TOKEN) to apiURL (empty: Discord's).
func NewPoster(token, apiURL string, briefer Briefer) (*Poster, error) {
	token, err := botToken(token, apiURL)
	if err != nil {
		return nil, err
	}
	if briefer == nil {
		return nil, errors.New("bot: posting briefings needs a Briefer")
	}
	s, err := restSession(token)
	if err != nil {
		return nil, err
	}
	return &Poster{s: s, briefer: briefer}, nil
}

// briefHead is how the first message of RenderBrief's briefing for date
// begins: Posted recognises a briefing already sent by it, so the two
// must not drift (TestBriefHeadMatchesRender pins them together).
func briefHead(date string) string { return "**Daily briefing for " + date + "**" }

// noArticles is the whole briefing for a day without articles.
func noArticles(date string) string { return "No new articles for " + date + "." }

// PostBrief renders the briefing for day and sends it to channel as one
// message or several, returning the first one's ID. A day without
// articles is the single line "No new articles for DATE.".
func (p *Poster) PostBrief(ctx context.Context, channel string, day time.Time) (string, error) {
	b, err := p.briefer.Brief(ctx, day)
	if err != nil {
		return "", fmt.Errorf("briefing for %s: %w", day.Format(briefbot.DateLayout), err)
	}
	msgs := []Message{{Content: noArticles(day.Format(briefbot.DateLayout))}}
	if b.Articles > 0 {
		msgs = RenderBrief(b)
	}
	var first string
	for k, m := range msgs {
		sent, err := p.s.ChannelMessageSendComplex(channel, &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, AllowedMentions: noMentions()}, discordgo.WithContext(ctx))
		if err != nil {
			return first, fmt.Errorf("discord: send briefing message %d of %d to channel %s: %w", k+1, len(msgs), channel, err)
		}
		if k == 0 {
			first = sent.ID
		}
	}
	return first, nil
}

// messagesPage is the most messages Discord returns for one request.
const messagesPage = 100

// maxPostedPages bounds how many pages of messagesPage messages Posted
// reads: 2,000 messages since the day began is a channel too busy to
// search, and the post is better risked twice than the API hammered.
const maxPostedPages = 20

// Posted says whether channel holds this bot's briefing for day: a message
// by the bot that opens with the briefing's header or says there were no
// articles. It reads back from the newest message to the start of day
// (UTC; no briefing for day can be older), and says it cannot tell rather
// than guess when that is more than 2,000 messages.
func (p *Poster) Posted(ctx context.Context, channel string, day time.Time) (bool, error) {
	me, err := p.botID(ctx)
	if err != nil {
		return false, err
	}
	date := day.Format(briefbot.DateLayout)
	head, none := briefHead(date), noArticles(date)
	before := ""
	for range maxPostedPages {
		msgs, err := p.s.ChannelMessages(channel, messagesPage, before, "", "", discordgo.WithContext(ctx))
		if err != nil {
			return false, fmt.Errorf("discord: read channel %s: %w", channel, err)
		}
		for _, m := range msgs {
			if m.Author != nil && m.Author.ID == me && (strings.HasPrefix(m.Content, head) || m.Content == none) {
				return true, nil
			}
			if !m.Timestamp.IsZero() && m.Timestamp.Before(day) {
				return false, nil
			}
			before = m.ID
		}
		if len(msgs) < messagesPage {
			return false, nil
		}
	}
	return false, fmt.Errorf("channel %s has more than %d messages since %s; not reading further", channel, maxPostedPages*messagesPage, date)
}

func (p *Poster) botID(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.me == "" {
		u, err := p.s.User("@me", discordgo.WithContext(ctx))
		if err != nil {
			return "", fmt.Errorf("discord: who am I: %w", err)
		}
		p.me = u.ID
	}
	return p.me, nil
}
