package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// FeedList is what /feeds shows and changes: the news feeds briefbot
// follows. Feeds from the config file are listed but changed only there.
type FeedList interface {
	List() ([]FeedInfo, error)
	// Add checks that url is a feed that works and follows it; the
	// summary says what the check found (outlet, items).
	Add(ctx context.Context, url, name string) (summary string, err error)
	// Remove stops following a feed added with /feeds, named by its URL
	// or name, and says whether there was one.
	Remove(urlOrName string) (bool, error)
}

// FeedInfo is one followed feed.
type FeedInfo struct {
	URL, Name string
	// FromConfig is set for feeds listed in the config file.
	FromConfig bool
}

// feedsCommand is /feeds add|remove|list, for members who may manage the
// server. It is deferred, as adding a feed fetches it, so its replies are
// seen by the channel.
func (b *Bot) feedsCommand() command {
	perm := int64(discordgo.PermissionManageGuild)
	str := func(name, desc string, required bool, maxLen int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required, MaxLength: maxLen}
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	return command{def: &discordgo.ApplicationCommand{
		Name:        "feeds",
		Description: "Follow RSS, Atom and JSON news feeds",
		Options: []*discordgo.ApplicationCommandOption{
			sub("add", "Follow a news feed",
				str("url", "The feed's address (http or https)", true, maxTextOption),
				str("name", "The outlet its articles are credited to (default: the feed's title)", false, maxNameOption)),
			sub("remove", "Stop following a feed added with /feeds add",
				str("feed", "The feed's address or name", true, maxTextOption)),
			sub("list", "List the feeds briefbot follows"),
		},
		DefaultMemberPermissions: &perm,
		Contexts:                 &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
	}, handler: handler{slow: true, run: b.feedsRun}}
}

func (b *Bot) feedsRun(ctx context.Context, r request) ([]Message, error) {
	if r.perms&manageServer == 0 {
		return nil, userError("Only members with the Manage Server permission can see and change the feeds.")
	}
	switch r.options["subcommand"] {
	case "add":
		summary, err := b.Feeds.Add(ctx, strings.TrimSpace(r.options["url"]), strings.TrimSpace(r.options["name"]))
		if err != nil {
			return nil, userError(fmt.Sprintf("I can't follow that feed: %v.", err))
		}
		return []Message{{Content: truncate("Following it: "+summary+". Its articles arrive within a minute or two.", maxContent)}}, nil
	case "remove":
		ok, err := b.Feeds.Remove(strings.TrimSpace(r.options["feed"]))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, userError("No feed added with /feeds add has that address or name (feeds in the config file are changed there).")
		}
		return []Message{{Content: "Stopped following it. The articles already fetched stay."}}, nil
	case "list":
		list, err := b.Feeds.List()
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return []Message{{Content: "briefbot follows no feeds yet. Add one with /feeds add."}}, nil
		}
		lines := []string{fmt.Sprintf("**Feeds (%d)**", len(list))}
		for _, f := range list {
			line := "<" + f.URL + ">" // no link preview
			if f.Name != "" {
				line = f.Name + " · " + line
			}
			if f.FromConfig {
				line += " · set in the config file"
			}
			lines = append(lines, line)
		}
		return []Message{{Content: truncate(strings.Join(lines, "\n"), maxContent)}}, nil
	}
	return nil, userError("Use /feeds add, /feeds remove or /feeds list.")
}
