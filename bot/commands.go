package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot"
)

// handlerTimeout bounds one answer; an interaction's token lasts 15 min.
const handlerTimeout = time.Minute

// maxQuotes is the most quotes "More" goes to for one question: as many
// as any limit may ask for.
const maxQuotes = briefbot.MaxLimit

// The most characters Discord lets a member type into an option: a
// question or a feed's address (a sentence or two; longer is a paste
// gone wrong), an outlet's name and an IANA time zone's name (the
// longest is about 30). A day is as long as DateLayout.
const (
	maxTextOption = 500
	maxNameOption = 100
	maxZoneOption = 64
)

// handler runs an interaction and returns what to send.
type handler struct {
	// slow handlers are deferred first: Discord wants a response within
	// 3 s, and answering may take longer. The answer then replaces the
	// deferred response.
	slow bool
	// update replaces the message the button is on instead of posting.
	update bool
	// asks counts against the member's fair share of questions.
	asks bool
	run  func(ctx context.Context, r request) ([]Message, error)
}

// command is a slash command: its definition as registered with Discord
// and its handler.
type command struct {
	def *discordgo.ApplicationCommand
	handler
}

// table is every command and button the bot answers. A button's custom
// ID is "name:argument"; buttons are found by name. To add a command,
// add it to the list in commands: it is registered and dispatched from
// there.
type table struct {
	commands []command
	buttons  map[string]handler
}

// request is one interaction as a handler sees it.
type request struct {
	id      string            // the interaction's ID, unique
	options map[string]string // slash command options
	arg     string            // what follows "name:" in a button's custom ID
	// Where it came from and who asked.
	channel, guild, user string
	// perms are the asker's permissions in the channel; 0 outside a guild.
	perms int64
	// channelGuild finds the server a channel belongs to; "" when unknown.
	channelGuild func(ctx context.Context, channel string) string
}

func (b *Bot) commands() table {
	str := func(name, desc string, required bool, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required, MaxLength: maxLen}
	}
	t := table{
		commands: []command{
			{def: &discordgo.ApplicationCommand{
				Name:        "ask",
				Description: "Answer a question with quotes from the news articles",
				Options: []*discordgo.ApplicationCommandOption{
					str("question", "What you want to know", true, maxTextOption),
					str("source", "Only quote this outlet", false, maxNameOption),
					str("since", "Only articles published on or after this day (YYYY-MM-DD)", false, len(briefbot.DateLayout)),
				},
			}, handler: handler{slow: true, asks: true, run: b.askCommand}},
			{def: &discordgo.ApplicationCommand{
				Name:        "brief",
				Description: "Post the daily briefing",
				Options: []*discordgo.ApplicationCommandOption{
					str("date", "The day (YYYY-MM-DD); default yesterday", false, len(briefbot.DateLayout)),
				},
			}, handler: handler{slow: true, run: b.briefCommand}},
			{def: &discordgo.ApplicationCommand{
				Name:        "sources",
				Description: "List the indexed articles",
			}, handler: handler{run: b.sourcesCommand}},
		},
		buttons: map[string]handler{
			"more":    {slow: true, asks: true, run: b.moreButton},
			"cited":   {run: b.citedButton},
			"sources": {update: true, run: b.sourcesButton},
		},
	}
	if b.Schedule != nil {
		t.commands = append(t.commands, b.scheduleCommands()...)
	}
	if b.Feeds != nil {
		t.commands = append(t.commands, b.feedsCommand())
	}
	return t
}

// userError is a problem the user can fix; its text is shown as is.
type userError string

func (e userError) Error() string { return string(e) }

func (b *Bot) limit() int {
	if b.Config.Limit > 0 {
		return min(b.Config.Limit, maxQuotes)
	}
	return briefbot.DefaultLimit
}

func (b *Bot) askCommand(ctx context.Context, r request) ([]Message, error) {
	q := briefbot.Question{Text: r.options["question"], Source: r.options["source"]}
	if s := r.options["since"]; s != "" {
		t, err := time.Parse(briefbot.DateLayout, s)
		if err != nil {
			return nil, userError(fmt.Sprintf("since: %q is not a date like 2025-12-08.", s))
		}
		q.Since = t
	}
	return b.ask(ctx, r.id, q)
}

// ask answers q and remembers it under key, for its buttons.
func (b *Bot) ask(ctx context.Context, key string, q briefbot.Question) ([]Message, error) {
	if strings.TrimSpace(q.Text) == "" {
		return nil, userError("Ask a question, for example: what remained unresolved?")
	}
	q.Limit = b.limit()
	ans, err := b.Answerer.Answer(ctx, q)
	if err != nil {
		return nil, err
	}
	msgs := RenderAnswer(ans)
	if !ans.NoAnswer && len(ans.Snippets) > 0 {
		b.answers.put(key, q, ans.Snippets)
		attach(msgs, answerButtons(key))
	}
	return msgs, nil
}

func (b *Bot) moreButton(ctx context.Context, r request) ([]Message, error) {
	a, ok := b.answers.get(r.arg)
	if !ok {
		return nil, userError("I no longer have that answer (the bot may have restarted); ask again.")
	}
	if len(a.shown) >= maxQuotes {
		return nil, userError("That's all the quotes I show for one question.")
	}
	q := a.q
	q.Limit = min(len(a.shown)+b.limit(), maxQuotes)
	ans, err := b.Answerer.Answer(ctx, q)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, s := range a.shown {
		seen[snippetKey(s)] = true
	}
	var show []int
	var fresh []briefbot.Snippet
	for i, s := range ans.Snippets {
		if !seen[snippetKey(s)] && len(show) < b.limit() {
			show = append(show, i)
			fresh = append(fresh, s)
		}
	}
	if len(show) == 0 {
		return nil, userError("There are no more quotes for this question.")
	}
	first := b.answers.add(r.arg, fresh)
	msgs := renderAnswer(ans, show, first)
	attach(msgs, answerButtons(r.arg))
	return msgs, nil
}

func (b *Bot) citedButton(_ context.Context, r request) ([]Message, error) {
	a, ok := b.answers.get(r.arg)
	if !ok {
		return nil, userError("I no longer have that answer (the bot may have restarted); ask again.")
	}
	var arts []briefbot.Article
	seen := map[string]bool{}
	for _, s := range a.shown {
		if !seen[s.Article.ID] {
			seen[s.Article.ID] = true
			arts = append(arts, s.Article)
		}
	}
	msgs := renderArticles("Sources cited", arts, fmt.Sprintf("%d articles cited", len(arts)))
	for i := range msgs {
		msgs[i].Ephemeral = true
	}
	return msgs, nil
}

func (b *Bot) briefCommand(ctx context.Context, r request) ([]Message, error) {
	if b.Briefer == nil {
		return nil, userError("Daily briefings are not available in this version of briefbot yet.")
	}
	now := time.Now
	if b.Config.Now != nil {
		now = b.Config.Now
	}
	day := briefbot.Yesterday(now(), cmp.Or(b.Config.Location, time.UTC))
	if s := r.options["date"]; s != "" {
		t, err := time.Parse(briefbot.DateLayout, s)
		if err != nil {
			return nil, userError(fmt.Sprintf("date: %q is not a date like 2025-12-08.", s))
		}
		day = t
	}
	br, err := b.Briefer.Brief(ctx, day)
	if err != nil {
		return nil, err
	}
	return RenderBrief(br), nil
}

func (b *Bot) sourcesCommand(_ context.Context, _ request) ([]Message, error) {
	return b.sourcesPage(0), nil
}

func (b *Bot) sourcesButton(_ context.Context, r request) ([]Message, error) {
	p, _ := strconv.Atoi(r.arg)
	return b.sourcesPage(p), nil
}

// sourcesPage is page p (from 0) of the indexed articles, with buttons
// to the pages either side.
func (b *Bot) sourcesPage(p int) []Message {
	arts := b.Library.Articles()
	pages := paginate(arts)
	p = max(0, min(p, len(pages)-1))
	title := fmt.Sprintf("Indexed articles (%d)", len(arts))
	msgs := renderArticles(title, arts[pages[p][0]:pages[p][1]], fmt.Sprintf("Page %d of %d", p+1, len(pages)))
	attach(msgs, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "◀ Previous", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("sources:%d", p-1), Disabled: p == 0},
		discordgo.Button{Label: "Next ▶", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("sources:%d", p+1), Disabled: p == len(pages)-1},
	}})
	return msgs
}

// A page of /sources is at most perPage lines, a screenful to scan, that
// fit one embed's description less pageSlack, a margin so a page never
// runs up against Discord's limit exactly. Each line is counted with
// lineBreak more for what separates it from the next.
const (
	perPage   = 10
	pageSlack = 100
	lineBreak = 2
)

// paginate splits articles into pages of at most perPage lines that fit
// one embed; each page is [from, to).
func paginate(arts []briefbot.Article) [][2]int {
	budget := maxDescription - pageSlack
	var pages [][2]int
	from, size := 0, 0
	for i, a := range arts {
		n := length(articleLine(a)) + lineBreak
		if i > from && (i-from == perPage || size+n > budget) {
			pages = append(pages, [2]int{from, i})
			from, size = i, 0
		}
		size += n
	}
	return append(pages, [2]int{from, len(arts)})
}

func answerButtons(key string) discordgo.ActionsRow {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: "more:" + key},
		discordgo.Button{Label: "Sources", Style: discordgo.SecondaryButton, CustomID: "cited:" + key},
	}}
}

// attach puts a row of buttons under the last message.
func attach(msgs []Message, row discordgo.ActionsRow) {
	if len(msgs) > 0 {
		last := &msgs[len(msgs)-1]
		last.Components = append(last.Components, row)
	}
}

// onInteraction finds the handler for a slash command or button and runs it.
func (b *Bot) onInteraction(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, t table) {
	if !b.access.serves(i.GuildID) {
		return
	}
	r := newRequest(s, i)
	h, name, ok := t.find(i, &r)
	if !ok {
		return
	}
	log := b.Log.With("interaction", name, "user", r.user)
	if h.run == nil {
		log.Warn("unknown command or button")
		b.fail(s, i, false, log, userError("I don't know that one; the bot's commands may have changed."))
		return
	}
	if h.asks {
		if wait, _ := b.access.ask(r.user); wait > 0 {
			log.Info("not answered: over the fair-use limit", "retry_in", wait)
			b.fail(s, i, false, log, slowDown(wait))
			return
		}
	}
	b.serve(ctx, s, i, h, r, log)
}

// newRequest is what a handler is told about interaction i.
func newRequest(s *discordgo.Session, i *discordgo.Interaction) request {
	r := request{id: i.ID, options: map[string]string{}, channel: i.ChannelID, guild: i.GuildID, user: userID(i)}
	if i.Member != nil {
		r.perms = i.Member.Permissions
	}
	r.channelGuild = func(ctx context.Context, channel string) string {
		if c, err := s.State.Channel(channel); err == nil {
			return c.GuildID
		}
		if c, err := s.Channel(channel, discordgo.WithContext(ctx)); err == nil {
			return c.GuildID
		}
		return ""
	}
	return r
}

// find is the handler for a slash command or button, and its name for
// logs, filling r's options or button argument. ok is false for other
// kinds of interaction; an unknown command or button has a nil run.
func (t table) find(i *discordgo.Interaction, r *request) (h handler, name string, ok bool) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		d := i.ApplicationCommandData()
		for _, c := range t.commands {
			if c.def.Name == d.Name {
				h = c.handler
			}
		}
		commandOptions(d.Options, r.options)
		return h, "/" + d.Name, true
	case discordgo.InteractionMessageComponent:
		name, arg, _ := strings.Cut(i.MessageComponentData().CustomID, ":")
		r.arg = arg
		return t.buttons[name], "button " + name, true
	}
	return handler{}, "", false
}

// commandOptions copies a slash command's options into dst as text;
// "/feeds add url:..." is subcommand "add" with its own options.
func commandOptions(opts []*discordgo.ApplicationCommandInteractionDataOption, dst map[string]string) {
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			dst["subcommand"] = o.Name
			for _, so := range o.Options {
				dst[so.Name] = fmt.Sprint(so.Value)
			}
			continue
		}
		dst[o.Name] = fmt.Sprint(o.Value)
	}
}

// serve runs h within handlerTimeout, acknowledging first when it is slow,
// and sends what it returns or says what went wrong.
func (b *Bot) serve(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, h handler, r request, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, handlerTimeout)
	defer cancel()
	start := time.Now()
	if h.slow {
		err := s.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{AllowedMentions: noMentions()},
		})
		if err != nil {
			log.Error("could not acknowledge the interaction", "err", err)
			return
		}
	}
	msgs, err := h.run(ctx, r)
	if err != nil {
		b.fail(s, i, h.slow, log, err)
		return
	}
	if err := respond(s, i, h, msgs); err != nil {
		log.Error("could not send the response", "err", err)
		return
	}
	log.Info("answered", "messages", len(msgs), "took", time.Since(start).Round(time.Millisecond))
}

// respond sends msgs for an interaction: the first as the response (or
// the edit of the deferred one), the rest as follow-ups.
func respond(s *discordgo.Session, i *discordgo.Interaction, h handler, msgs []Message) error {
	for k, m := range msgs {
		embeds, comps := m.Embeds, m.Components
		if embeds == nil {
			embeds = []*discordgo.MessageEmbed{}
		}
		if comps == nil {
			comps = []discordgo.MessageComponent{}
		}
		var flags discordgo.MessageFlags
		if m.Ephemeral {
			flags = discordgo.MessageFlagsEphemeral
		}
		var err error
		switch {
		case k == 0 && h.slow:
			_, err = s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &m.Content, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions()})
		case k == 0:
			typ := discordgo.InteractionResponseChannelMessageWithSource
			if h.update {
				typ = discordgo.InteractionResponseUpdateMessage
			}
			err = s.InteractionRespond(i, &discordgo.InteractionResponse{Type: typ, Data: &discordgo.InteractionResponseData{
				Content: m.Content, Embeds: embeds, Components: comps, Flags: flags, AllowedMentions: noMentions(),
			}})
		default:
			_, err = s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
				Content: m.Content, Embeds: embeds, Components: comps, Flags: flags, AllowedMentions: noMentions(),
			})
		}
		if err != nil {
			return fmt.Errorf("message %d of %d: %w", k+1, len(msgs), err)
		}
	}
	return nil
}

// fail tells the user, in a short message only they see, that their
// request failed; the details go to the log.
func (b *Bot) fail(s *discordgo.Session, i *discordgo.Interaction, deferred bool, log *slog.Logger, err error) {
	text := userMessage(err)
	var ue userError
	if errors.As(err, &ue) {
		log.Info("not answered", "err", err)
	} else {
		log.Error("failed", "err", err)
	}
	data := &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}
	if !deferred {
		err = s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data})
	} else {
		// The deferred response is public; remove it and say what went
		// wrong to the user alone.
		if err := s.InteractionResponseDelete(i); err != nil {
			log.Warn("could not remove the deferred response", "err", err)
		}
		_, err = s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: text, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()})
	}
	if err != nil {
		log.Error("could not send the error message", "err", err)
	}
}

// userMessage is what the user reads when their request failed.
func userMessage(err error) string {
	var ue userError
	switch {
	case errors.As(err, &ue):
		return string(ue)
	case errors.Is(err, context.DeadlineExceeded):
		return "Sorry, that took too long. Try a narrower question."
	}
	return truncate("Sorry, I couldn't do that: "+strings.Join(strings.Fields(err.Error()), " "), 300)
}

// onMessage answers a message that mentions the bot, like /ask, as a reply.
func (b *Bot) onMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message) {
	if m.Author == nil || m.Author.Bot || s.State.User == nil {
		return
	}
	me := s.State.User.ID
	mentioned := false
	for _, u := range m.Mentions {
		mentioned = mentioned || u.ID == me
	}
	if !mentioned || !b.access.serves(m.GuildID) {
		return
	}
	log := b.Log.With("interaction", "mention", "user", m.Author.ID)
	if wait, first := b.access.ask(m.Author.ID); wait > 0 {
		log.Info("not answered: over the fair-use limit", "retry_in", wait)
		if first {
			if err := send(s, m.ChannelID, m.Reference(), []Message{{Content: string(slowDown(wait))}}); err != nil {
				log.Error("could not send the reply", "err", err)
			}
		}
		return
	}
	ctx, cancel := context.WithTimeout(ctx, handlerTimeout)
	defer cancel()
	text := strings.TrimSpace(strings.NewReplacer("<@"+me+">", " ", "<@!"+me+">", " ").Replace(m.Content))
	msgs, err := b.ask(ctx, m.ID, briefbot.Question{Text: text})
	if err != nil {
		var ue userError
		if errors.As(err, &ue) {
			log.Info("not answered", "err", err)
		} else {
			log.Error("failed", "err", err)
		}
		msgs = []Message{{Content: userMessage(err)}}
	}
	if err := send(s, m.ChannelID, m.Reference(), msgs); err != nil {
		log.Error("could not send the reply", "err", err)
		return
	}
	log.Info("answered", "messages", len(msgs))
}

// Send posts msgs to a channel. Nothing in them pings anyone.
func Send(s *discordgo.Session, channelID string, msgs []Message) error {
	return send(s, channelID, nil, msgs)
}

// send posts msgs to a channel, the first as a reply to ref when it is set.
func send(s *discordgo.Session, channelID string, ref *discordgo.MessageReference, msgs []Message) error {
	for k, m := range msgs {
		ms := &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}
		if k == 0 {
			ms.Reference = ref
		}
		if _, err := s.ChannelMessageSendComplex(channelID, ms); err != nil {
			return fmt.Errorf("discord: send message %d of %d to channel %s: %w", k+1, len(msgs), channelID, err)
		}
	}
	return nil
}

func userID(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

// answers remembers recent questions and the quotes shown for them, so
// "More" and "Sources" work; the oldest are forgotten past max.
type answers struct {
	mu    sync.Mutex
	max   int
	m     map[string]*asked
	order []string
}

type asked struct {
	q     briefbot.Question
	shown []briefbot.Snippet
}

func snippetKey(s briefbot.Snippet) string { return s.Article.ID + "#" + strconv.Itoa(s.Position) }

func (a *answers) put(key string, q briefbot.Question, shown []briefbot.Snippet) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[string]*asked{}
	}
	if _, ok := a.m[key]; !ok {
		a.order = append(a.order, key)
	}
	a.m[key] = &asked{q: q, shown: append([]briefbot.Snippet(nil), shown...)}
	for len(a.order) > a.max {
		delete(a.m, a.order[0])
		a.order = a.order[1:]
	}
}

func (a *answers) get(key string) (asked, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	x, ok := a.m[key]
	if !ok {
		return asked{}, false
	}
	return asked{q: x.q, shown: append([]briefbot.Snippet(nil), x.shown...)}, true
}

// add records more quotes shown for key and says how many were shown before.
func (a *answers) add(key string, more []briefbot.Snippet) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	x, ok := a.m[key]
	if !ok {
		return 0
	}
	n := len(x.shown)
	x.shown = append(x.shown, more...)
	return n
}
