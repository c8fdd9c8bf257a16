package index

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchOptions tunes Watch. Zero values mean the defaults shown.
type WatchOptions struct {
	// Debounce (500ms) is how long the folder must be quiet after a
	// change before the index is synced, so a burst of writes (a feed
	// poll, a copy of many files) costs one sync.
	Debounce time.Duration
	// Polling scans the folder every Interval instead of asking the
	// system for change notifications: for network folders, which do not
	// send them. Watch also falls back to it when notifications cannot
	// be had.
	Polling bool
	// Interval (5s) is the polling period.
	Interval time.Duration
	// OnSync, when set, is called after every sync Watch makes.
	OnSync func(Stats, error)
}

// Watch keeps the index in step with the articles folder until ctx ends:
// files added, changed or removed anywhere under it are indexed within
// about a second, with no restart. It returns nil when ctx ends.
func (ix *Index) Watch(ctx context.Context, opts WatchOptions) error {
	if opts.Debounce <= 0 {
		opts.Debounce = 500 * time.Millisecond
	}
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	log := ix.log.With("folder", ix.opts.Articles)
	sync := func() {
		st, err := ix.Sync(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("cannot bring the index up to date", "err", err)
		}
		if opts.OnSync != nil && ctx.Err() == nil {
			opts.OnSync(st, err)
		}
	}
	if !opts.Polling {
		w, err := ix.notifier()
		if err == nil {
			defer w.Close()
			log.Debug("watching for changes")
			return ix.watchEvents(ctx, w, opts.Debounce, sync)
		}
		log.Warn("cannot watch the articles folder for changes; scanning it instead", "every", opts.Interval, "err", err)
	}
	t := time.NewTicker(opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			sync()
		}
	}
}

// notifier watches every folder under the articles folder.
func (ix *Index) notifier() (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := addTree(w, ix.opts.Articles); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// addTree watches root and the folders under it, leaving out hidden ones
// as the index does.
func addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable or gone: the sync warns about it
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
}

// watchEvents syncs a quiet moment after each burst of changes.
func (ix *Index) watchEvents(ctx context.Context, w *fsnotify.Watcher, debounce time.Duration, sync func()) error {
	timer := time.NewTimer(debounce)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if strings.HasPrefix(filepath.Base(ev.Name), ".") || ev.Op == fsnotify.Chmod {
				continue // temporary and state files, permission changes
			}
			if ev.Has(fsnotify.Create) {
				// A new folder: watch it and what it already holds (the
				// sync walks it anyway).
				if err := addTree(w, ev.Name); err != nil && !errors.Is(err, fs.ErrNotExist) {
					ix.log.Warn("cannot watch a new folder", "folder", ev.Name, "err", err)
				}
			}
			timer.Reset(debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// Most often an overflow: events were lost, so look at
			// everything.
			ix.log.Warn("change notifications failed; syncing the whole folder", "err", err)
			timer.Reset(debounce)
		case <-timer.C:
			sync()
		}
	}
}
