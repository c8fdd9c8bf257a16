package main

import (
	"context"
	"errors"
	"slices"
	"time"

	"briefbot/bot"
	"briefbot/configs"
)

// feedsStopWait bounds stopping the feeds at shutdown, as the bot's
// shutdownWait bounds closing the gateway: a fetch under way sees ctx
// end at once, but an index sync of what it wrote may take longer, and
// the next start's sync picks up whatever it did not finish.
const feedsStopWait = 5 * time.Second

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
	// The scheduler, the feeds and the local socket stop when the bot
	// does, also when it fails to connect: ctx is cancelled first, then
	// each is stopped, the last started first, each within its limit.
	ctx, cancel := context.WithCancel(ctx)
	var stops []func()
	defer func() {
		cancel()
		for _, stop := range slices.Backward(stops) {
			stop()
		}
	}()
	sched, stopSchedule, err := startSchedule(ctx, cfg, ix, b.Briefer, log)
	if err != nil {
		return err
	}
	stops = append(stops, stopSchedule)
	b.Schedule = sched
	feeds, stopFeeds := startFeeds(ctx, cfg, ix, log)
	stops = append(stops, func() { stopWithin(feedsStopWait, "stopping the feeds", log, stopFeeds) })
	b.Feeds = feeds
	svc.fetcher = feeds.fetcher
	stopLocal, err := serveLocal(ctx, svc)
	if err != nil {
		return err
	}
	stops = append(stops, stopLocal)
	return b.Run(ctx)
}
