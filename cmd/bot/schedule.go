package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"briefbot"
	"briefbot/bot"
	"briefbot/bot/schedule"
	"briefbot/configs"
	"briefbot/index"
)

// scheduleStopWait bounds how long shutdown waits for a post under way.
const scheduleStopWait = 5 * time.Second

// startSchedule opens the schedule database beside the index and runs the
// scheduler, posting briefings from briefer, until ctx is done. stop waits
// for it to finish (at most scheduleStopWait) and closes the database. It
// fails when another briefbot already runs on the same index.
func startSchedule(ctx context.Context, cfg configs.Config, ix *index.Index, briefer bot.Briefer, log *slog.Logger) (sched *schedule.Scheduler, stop func(), err error) {
	poster, err := bot.NewPoster(cfg.Discord.Token, cfg.Discord.APIURL, briefer)
	if err != nil {
		return nil, nil, err
	}
	st, err := schedule.OpenStore(schedule.Path(ix.Dir()))
	if err != nil {
		return nil, nil, err
	}
	static := make([]schedule.Subscription, len(cfg.Briefings))
	for i, b := range cfg.Briefings {
		static[i] = schedule.Subscription{Channel: b.Channel, Time: b.Time, Timezone: b.Timezone}
	}
	sched, err = schedule.New(schedule.Options{
		Store:  st,
		Poster: poster,
		Static: static,
		// The same incremental sync as the CLI's, so new and changed
		// article files are in the briefing.
		Refresh: func(ctx context.Context) error { _, err := ix.Sync(ctx); return err },
		Logger:  log,
	})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sched.Run(ctx)
	}()
	stop = func() {
		select {
		case <-done:
		case <-time.After(scheduleStopWait):
			log.Warn("the scheduler did not stop in time; a post it was making is checked at the next start", "component", "schedule")
			return
		}
		if err := st.Close(); err != nil {
			log.Warn("could not close the schedule database", "component", "schedule", "err", err)
		}
	}
	return sched, stop, nil
}

// briefNow posts yesterday's briefing (in the configured time zone) to
// channel at once, for `bot --brief-now`. It stands outside the schedule:
// the day's scheduled post is still made.
func briefNow(ctx context.Context, cfg configs.Config, briefer bot.Briefer, channel string, stdout io.Writer) error {
	poster, err := bot.NewPoster(cfg.Discord.Token, cfg.Discord.APIURL, briefer)
	if err != nil {
		return fmt.Errorf("--brief-now: %w", err)
	}
	day := briefbot.Yesterday(time.Now(), cfg.Location())
	// The index was brought up to date when it was opened.
	id, err := schedule.PostNow(ctx, poster, nil, channel, day)
	if err != nil {
		return fmt.Errorf("--brief-now: %w", err)
	}
	fmt.Fprintf(stdout, "posted the briefing for %s to channel %s (message %s)\n", day.Format(briefbot.DateLayout), channel, id)
	return nil
}
