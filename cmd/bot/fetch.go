package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"

	"briefbot/bot"
	"briefbot/configs"
	"briefbot/index"
	"briefbot/index/feeds"
)

// feedsDir is where fetched articles are written: the configured folder,
// else "feeds" inside the articles folder so they are indexed with it.
func feedsDir(cfg configs.Config) string {
	if cfg.FeedsDir != "" {
		return cfg.FeedsDir
	}
	return filepath.Join(cfg.Articles, "feeds")
}

// feedStore holds the feeds added at run time (Discord /feeds add).
func feedStore(cfg configs.Config) *feeds.Store {
	return feeds.NewStore(filepath.Join(feedsDir(cfg), ".feeds.json"))
}

// allFeeds is the configured feeds and then the stored ones not already
// configured.
func allFeeds(cfg configs.Config, store *feeds.Store, log *slog.Logger) []feeds.Feed {
	var out []feeds.Feed
	seen := map[string]bool{}
	for _, f := range cfg.Feeds {
		out = append(out, feeds.Feed{URL: f.URL, Name: f.Name, Interval: f.Interval})
		seen[f.URL] = true
	}
	stored, err := store.List()
	if err != nil {
		log.Warn("cannot read the feeds added from Discord", "err", err)
	}
	for _, f := range stored {
		if !seen[f.URL] {
			out = append(out, f)
		}
	}
	return out
}

func newFetcher(cfg configs.Config, log *slog.Logger) (*feeds.Fetcher, error) {
	dir := feedsDir(cfg)
	if rel, err := filepath.Rel(cfg.Articles, dir); err != nil || strings.HasPrefix(rel, "..") {
		log.Warn("the feeds folder is outside the articles folder, so fetched articles are not indexed", "feeds_dir", dir, "articles", cfg.Articles)
	}
	// The config file's feeds are the operator's: their origins may be
	// internal. Feeds added from Discord get no such trust.
	trusted := make([]string, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		trusted[i] = f.URL
	}
	return feeds.New(feeds.Options{Dir: dir, Logger: log, Allow: cfg.Fetch.Allow, Trusted: trusted})
}

// fetchFeeds is bot --fetch: poll every feed once, print a line per feed,
// then bring the index up to date. It fails only when every feed failed.
// f is the running bot's fetcher, or nil to make one.
func fetchFeeds(ctx context.Context, cfg configs.Config, f *feeds.Fetcher, ix *index.Index, stdout io.Writer, log *slog.Logger) error {
	list := allFeeds(cfg, feedStore(cfg), log)
	if len(list) == 0 {
		return errors.New("--fetch: no feeds to fetch; list them under feeds: in the config file (see configs/example.yaml)")
	}
	if f == nil {
		var err error
		if f, err = newFetcher(cfg, log); err != nil {
			return err
		}
	}
	failed := 0
	for _, r := range f.Poll(ctx, list) {
		fmt.Fprintln(stdout, r)
		if r.Err != nil {
			failed++
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("--fetch stopped: %w", err)
	}
	st, err := ix.Sync(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "index: %d new or changed articles (%d of them copies of a story already indexed), %d removed, %d files skipped\n", st.Indexed, st.Syndicated, st.Deleted, st.Skipped)
	if failed == len(list) {
		return fmt.Errorf("--fetch: all %d feeds failed (see the warnings above)", failed)
	}
	return nil
}

// startFeeds is what the running bot does besides Discord: it keeps the
// index in step with the articles folder (files dropped in, articles
// fetched) and polls each feed when due, until stop is called or ctx
// ends. The FeedList is what /feeds changes.
func startFeeds(ctx context.Context, cfg configs.Config, ix *index.Index, log *slog.Logger) (list *feedList, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := ix.Watch(ctx, index.WatchOptions{}); err != nil {
			log.Error("watching the articles folder stopped", "err", err)
		}
	})
	fl := &feedList{cfg: cfg, store: feedStore(cfg), log: log}
	f, err := newFetcher(cfg, log)
	if err != nil {
		log.Error("feeds are not fetched", "err", err)
	} else {
		fl.fetcher = f
		// What it writes is indexed by Watch.
		wg.Go(func() { f.Run(ctx, fl.feeds, nil) })
	}
	return fl, func() { cancel(); wg.Wait() }
}

// feedList is the feeds the bot follows: the config file's and those
// added with /feeds, kept in the store.
type feedList struct {
	cfg     configs.Config
	store   *feeds.Store
	fetcher *feeds.Fetcher
	log     *slog.Logger
}

func (l *feedList) feeds() []feeds.Feed { return allFeeds(l.cfg, l.store, l.log) }

func (l *feedList) List() ([]bot.FeedInfo, error) {
	stored, err := l.store.List()
	if err != nil {
		return nil, err
	}
	var out []bot.FeedInfo
	seen := map[string]bool{}
	for _, f := range l.cfg.Feeds {
		out = append(out, bot.FeedInfo{URL: f.URL, Name: f.Name, FromConfig: true})
		seen[f.URL] = true
	}
	for _, f := range stored {
		if !seen[f.URL] {
			out = append(out, bot.FeedInfo{URL: f.URL, Name: f.Name})
		}
	}
	return out, nil
}

func (l *feedList) Add(ctx context.Context, url, name string) (string, error) {
	for _, f := range l.cfg.Feeds {
		if f.URL == url {
			return "", errors.New("it is already followed (set in the config file)")
		}
	}
	if l.fetcher == nil {
		return "", errors.New("feeds cannot be fetched (see the bot's log)")
	}
	fd := feeds.Feed{URL: url, Name: name}
	res := l.fetcher.Check(ctx, fd)
	if res.Err != nil {
		return "", res.Err
	}
	if err := l.store.Add(fd); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, %d items", res.Outlet, res.Items), nil
}

func (l *feedList) Remove(urlOrName string) (bool, error) { return l.store.Remove(urlOrName) }
