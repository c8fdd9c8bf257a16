package main

import (
	"context"
	"errors"

	"briefbot/bot"
	"briefbot/configs"
)

// runDiscord runs the Discord bot until ctx is done (SIGINT or SIGTERM);
// the caller closes the index after it returns.
func runDiscord(ctx context.Context, cfg configs.Config, svc *service) error {
	ix, log := svc.ix, svc.log
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
			Guilds:         cfg.Discord.Guilds,
			AsksPerMinute:  cfg.Discord.AsksPerMinute,
			Shards:         cfg.Discord.Shards,
		},
		Answerer: svc.answerer,
		Briefer:  svc.briefer,
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
	svc.fetcher = feeds.fetcher
	stopLocal, err := serveLocal(ctx, svc)
	if err != nil {
		return err
	}
	defer stopLocal()
	// The scheduler and the feeds stop when the bot does, also when it
	// fails to connect: cancel runs before the stops deferred above.
	defer cancel()
	return b.Run(ctx)
}
