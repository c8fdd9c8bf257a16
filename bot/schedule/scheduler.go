package schedule

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/jonboulle/clockwork"
)

// Poster sends briefings to channels; the Discord side implements it.
//
// Exactly-once posting rests on Posted: the scheduler records a post as
// claimed before calling PostBrief and as sent after it returns, and when a
// crash or an error leaves a claim without a "sent", it asks Posted before
// sending again.
type Poster interface {
	// PostBrief renders the briefing for day (the calendar day it covers,
	// at midnight UTC) and sends it to channel, returning the message's
	// ID. A day without articles is posted as "No new articles for DATE.".
	PostBrief(ctx context.Context, channel string, day time.Time) (messageID string, err error)
	// Posted says whether channel already holds this bot's briefing for
	// day, for example by reading the channel's recent messages for the
	// briefing's header. An error means it cannot tell; the briefing is
	// then not sent until it can.
	Posted(ctx context.Context, channel string, day time.Time) (bool, error)
}

// Defaults for Options.
const (
	// DefaultCatchUp is how late a post may still be made after the bot
	// was not running at its time.
	DefaultCatchUp = 6 * time.Hour
	// DefaultRetry is how long the scheduler waits after a failed send or
	// an unanswered Posted before trying again.
	DefaultRetry = time.Minute
	// posterTimeout bounds each call to the Poster.
	posterTimeout = time.Minute
	// recheck is the longest the scheduler sleeps, so a suspended machine
	// or a clock that was set catches up within the hour.
	recheck = time.Hour
)

// Options are what a Scheduler needs. Store and Poster are required.
type Options struct {
	Store  *Store
	Poster Poster
	// Static are the subscriptions from the config file. They win over a
	// stored subscription of the same channel, and the commands cannot
	// change them.
	Static []Subscription
	// Refresh, when set, is called before each post to bring the index up
	// to date with the articles folder. If it fails the post is made from
	// the index as it is.
	Refresh func(context.Context) error
	// Clock defaults to the real clock; tests pass a fake one.
	Clock   clockwork.Clock
	Logger  *slog.Logger
	CatchUp time.Duration // default DefaultCatchUp
	Retry   time.Duration // default DefaultRetry
}

// Scheduler posts each subscribed channel's briefing for the previous local
// day at the channel's local time, once per day. Run does the posting;
// Subscribe, Unsubscribe and List serve the chat commands and may be called
// from any goroutine.
type Scheduler struct {
	store   *Store
	poster  Poster
	static  []Subscription
	refresh func(context.Context) error
	clock   clockwork.Clock
	log     *slog.Logger
	catchUp time.Duration
	retry   time.Duration
	wake    chan struct{}
	// retryAt is when to try a channel again after a failure; only Run
	// touches it.
	retryAt map[string]time.Time
}

// New checks the static subscriptions and builds a Scheduler.
func New(o Options) (*Scheduler, error) {
	if o.Store == nil || o.Poster == nil {
		return nil, errors.New("schedule: a Store and a Poster are required")
	}
	s := &Scheduler{
		store:   o.Store,
		poster:  o.Poster,
		refresh: o.Refresh,
		clock:   cmp.Or[clockwork.Clock](o.Clock, clockwork.NewRealClock()),
		log:     cmp.Or(o.Logger, slog.New(slog.DiscardHandler)).With("component", "schedule"),
		catchUp: cmp.Or(o.CatchUp, DefaultCatchUp),
		retry:   cmp.Or(o.Retry, DefaultRetry),
		wake:    make(chan struct{}, 1),
		retryAt: map[string]time.Time{},
	}
	for i, sub := range o.Static {
		n, err := sub.normalized()
		if err != nil {
			return nil, fmt.Errorf("briefings[%d]: %w", i, err)
		}
		if _, dup := s.staticSub(n.Channel); dup {
			return nil, fmt.Errorf("briefings[%d]: channel %s is subscribed twice", i, n.Channel)
		}
		n.Static, n.Since = true, time.Time{}
		s.static = append(s.static, n)
	}
	return s, nil
}

func (s *Scheduler) staticSub(channel string) (Subscription, bool) {
	i := slices.IndexFunc(s.static, func(sub Subscription) bool { return sub.Channel == channel })
	if i < 0 {
		return Subscription{}, false
	}
	return s.static[i], true
}

// List returns every subscription, static and stored, by channel. A stored
// subscription of a channel the config file also names is left out.
func (s *Scheduler) List(ctx context.Context) ([]Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stored, err := s.store.Subscriptions()
	if err != nil {
		return nil, err
	}
	subs := slices.Clone(s.static)
	for _, sub := range stored {
		if _, shadowed := s.staticSub(sub.Channel); !shadowed {
			subs = append(subs, sub)
		}
	}
	slices.SortFunc(subs, func(a, b Subscription) int { return cmp.Compare(a.Channel, b.Channel) })
	return subs, nil
}

// Subscribe saves sub (replacing the channel's earlier subscription) and
// reschedules at once. It returns the subscription as saved. A bad
// channel, time or zone, or a channel the config file subscribes, is an
// *InputError.
func (s *Scheduler) Subscribe(ctx context.Context, sub Subscription) (Subscription, error) {
	if err := ctx.Err(); err != nil {
		return sub, err
	}
	sub, err := sub.normalized()
	if err != nil {
		return sub, err
	}
	if st, ok := s.staticSub(sub.Channel); ok {
		return st, inputErrorf("channel %s is subscribed in the config file (%s %s); change it there", st.Channel, st.Time, st.Timezone)
	}
	stored, err := s.store.Subscriptions()
	if err != nil {
		return sub, err
	}
	// Changing the time keeps the original start, so a time moved to
	// earlier today still owes today's post.
	sub.Static, sub.Since = false, s.clock.Now()
	if i := slices.IndexFunc(stored, func(o Subscription) bool { return o.Channel == sub.Channel }); i >= 0 {
		sub.Since = stored[i].Since
	}
	if err := s.store.Put(sub); err != nil {
		return sub, err
	}
	s.log.Info("subscribed", "channel", sub.Channel, "time", sub.Time, "timezone", sub.Timezone)
	s.poke()
	return sub, nil
}

// Unsubscribe removes channel's stored subscription and reschedules at
// once. A channel that is not subscribed, or is subscribed by the config
// file, is an *InputError.
func (s *Scheduler) Unsubscribe(ctx context.Context, channel string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkChannel(channel); err != nil {
		return err
	}
	if _, ok := s.staticSub(channel); ok {
		return inputErrorf("channel %s is subscribed in the config file; remove it there", channel)
	}
	found, err := s.store.Delete(channel)
	if err != nil {
		return err
	}
	if !found {
		return inputErrorf("channel %s is not subscribed", channel)
	}
	s.log.Info("unsubscribed", "channel", channel)
	s.poke()
	return nil
}

// poke wakes Run to reschedule.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run posts briefings as they fall due until ctx is cancelled. On start it
// first makes any post that was missed by less than the catch-up window,
// and settles posts a crash left unconfirmed.
func (s *Scheduler) Run(ctx context.Context) {
	s.log.Info("scheduler started", "catch_up", s.catchUp)
	for {
		next := s.tick(ctx)
		if ctx.Err() != nil {
			break
		}
		t := s.clock.NewTimer(next.Sub(s.clock.Now()))
		select {
		case <-ctx.Done():
		case <-t.Chan():
		case <-s.wake:
		}
		t.Stop()
		if ctx.Err() != nil {
			break
		}
	}
	s.log.Info("scheduler stopped")
}

// tick makes every post that is due and says when to look again.
func (s *Scheduler) tick(ctx context.Context) time.Time {
	now := s.clock.Now()
	next := now.Add(recheck)
	soonest := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	subs, err := s.List(ctx)
	if err != nil {
		s.log.Error("cannot read subscriptions; will try again", "err", err)
		return now.Add(s.retry)
	}
	for _, sub := range subs {
		if ctx.Err() != nil {
			return next
		}
		loc, err := loadZone(sub.Timezone)
		if err != nil {
			s.log.Error("subscription has a bad time zone", "channel", sub.Channel, "err", err)
			continue
		}
		last, upcoming := sub.slots(now, loc)
		soonest(upcoming.due)
		if last.due.Before(sub.Since) {
			continue // subscribed after it was due
		}
		if at, ok := s.retryAt[sub.Channel]; ok && at.After(now) {
			soonest(at)
			continue
		}
		delete(s.retryAt, sub.Channel)
		if s.post(ctx, sub, last, now) {
			s.retryAt[sub.Channel] = now.Add(s.retry)
			soonest(now.Add(s.retry))
		}
	}
	return next
}

// post makes sub's post for sl unless the log says it is done, and says
// whether to try again later.
//
// The protocol: refresh the index, record the post as claimed, send it,
// record it as sent. A crash before the claim leaves nothing behind, so the
// post is simply made later. A crash or an error after the claim leaves it
// unknown whether the message went out, so the next attempt asks the
// Poster first and sends only if the channel does not have it.
func (s *Scheduler) post(ctx context.Context, sub Subscription, sl slot, now time.Time) (retry bool) {
	log := s.log.With("channel", sub.Channel, "day", sl.String())
	p, found, err := s.store.Post(sub.Channel, sl.day)
	if err != nil {
		log.Error("cannot read the post log; will try again", "err", err)
		return true
	}
	if found && p.State != Claimed {
		return false
	}
	late := now.Sub(sl.due)
	entry := Post{Channel: sub.Channel, Day: sl.day, Due: sl.due}
	if found {
		pctx, cancel := context.WithTimeout(ctx, posterTimeout)
		posted, err := s.poster.Posted(pctx, sub.Channel, sl.day)
		cancel()
		switch {
		case err != nil && late < s.catchUp:
			log.Warn("an earlier attempt may have posted the briefing and the channel cannot be checked; will ask again", "err", err)
			return true
		case err != nil:
			entry.State, entry.Note = Skipped, "could not check whether an interrupted post went out: "+err.Error()
			log.Error("giving up on a briefing: an interrupted post could not be checked before the catch-up window closed", "err", err)
			return !s.record(log, entry)
		case posted:
			entry.State, entry.Note = Sent, "found in the channel after an interrupted post"
			log.Info("an interrupted post had gone out; not posting again")
			return !s.record(log, entry)
		}
		log.Info("an interrupted post did not go out")
	}
	if late >= s.catchUp {
		entry.State, entry.Note = Skipped, fmt.Sprintf("%s late: the bot was not running at %s", late.Round(time.Minute), sl.due.Format("2006-01-02 15:04 MST"))
		log.Warn("skipping a briefing: the bot was not running at its time and it is too late to catch up", "due", sl.due, "late", late.Round(time.Minute))
		return !s.record(log, entry)
	}
	if s.refresh != nil {
		if err := s.refresh(ctx); err != nil {
			log.Warn("could not refresh the index; posting from the index as it is", "err", err)
		}
	}
	if ctx.Err() != nil {
		return true // shutting down: leave the post to the next start
	}
	if !found {
		entry.State = Claimed
		if !s.record(log, entry) {
			return true
		}
	}
	pctx, cancel := context.WithTimeout(ctx, posterTimeout)
	id, err := s.poster.PostBrief(pctx, sub.Channel, sl.day)
	cancel()
	if err != nil {
		log.Error("posting the briefing failed; will check the channel and try again", "err", err)
		return true
	}
	entry.State, entry.MessageID = Sent, id
	if !s.record(log, entry) {
		return true // the next attempt finds the message through Posted
	}
	log.Info("posted the briefing", "message", id, "late", late.Round(time.Second))
	return false
}

// record writes p to the log, stamped now, and says whether that worked.
func (s *Scheduler) record(log *slog.Logger, p Post) bool {
	p.At = s.clock.Now()
	if err := s.store.Record(p); err != nil {
		log.Error("cannot write the post log; will try again", "state", p.State, "err", err)
		return false
	}
	return true
}

// PostNow posts day's briefing to channel at once, after refreshing the
// index when refresh is set. It is the admin's "try it now" and stands
// outside the schedule: it neither reads nor writes the post log (the
// running bot holds the database), so it does not replace the day's
// scheduled post.
func PostNow(ctx context.Context, p Poster, refresh func(context.Context) error, channel string, day time.Time) (string, error) {
	if err := checkChannel(channel); err != nil {
		return "", err
	}
	if refresh != nil {
		if err := refresh(ctx); err != nil {
			return "", fmt.Errorf("refresh the index: %w", err)
		}
	}
	return p.PostBrief(ctx, channel, day)
}
