package main

import (
	"context"
	"errors"
	"log/slog"

	"briefbot/bot"
	"briefbot/briefs"
	"briefbot/configs"
	"briefbot/index"
)

// runDiscord runs the Discord bot until ctx is done (SIGINT or SIGTERM);
// the caller closes the index after it returns.
func runDiscord(ctx context.Context, cfg configs.Config, ix *index.Index, answerer *briefs.Answerer, log *slog.Logger) error {
	if cfg.Discord.Token == "" {
		return errors.New("nothing to do: pass --query, --brief or --reindex, or set DISCORD_TOKEN to run the Discord bot (see --help)")
	}
	b := &bot.Bot{
		Config: bot.Config{
			Token:          cfg.Discord.Token,
			GuildID:        cfg.Discord.GuildID,
			MessageContent: cfg.Discord.MessageContent,
			APIURL:         cfg.Discord.APIURL,
			Location:       cfg.Location(),
			Limit:          cfg.Limit,
		},
		Answerer: answerer,
		Briefer:  &briefs.Briefer{Index: ix, Answerer: answerer, Stories: cfg.Stories, Log: log},
		Library:  ix,
		Log:      log,
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sched, stop, err := startSchedule(ctx, cfg, ix, b.Briefer, log)
	if err != nil {
		return err
	}
	defer stop()
	b.Schedule = sched
	feeds, stopFeeds := startFeeds(ctx, cfg, ix, log)
	defer stopFeeds()
	b.Feeds = feeds
	// The scheduler and the feeds stop when the bot does, also when it
	// fails to connect: cancel runs before the stops deferred above.
	defer cancel()
	return b.Run(ctx)
}
