package bot

import (
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// access says whom the bot serves: the operator's servers only, when the
// operator names them, and each member within a fair share of questions,
// so one member asking as fast as Discord lets them does not slow the
// answers to everyone else.
type access struct {
	guilds map[string]bool // empty: every server
	log    *slog.Logger

	mu      sync.Mutex
	ignored map[string]bool // servers already logged as ignored

	asks *limiter // nil: no limit
}

func newAccess(c Config, log *slog.Logger) *access {
	a := &access{guilds: map[string]bool{}, ignored: map[string]bool{}, log: log}
	for _, g := range c.Guilds {
		a.guilds[g] = true
	}
	if c.AsksPerMinute > 0 {
		now := c.Now
		if now == nil {
			now = time.Now
		}
		a.asks = &limiter{perMinute: c.AsksPerMinute, now: now, members: map[string]*bucket{}}
	}
	return a
}

// serves says whether the bot answers in guild ("" is a direct message).
// It logs each server it ignores once.
func (a *access) serves(guild string) bool {
	if len(a.guilds) == 0 || a.guilds[guild] {
		return true
	}
	a.mu.Lock()
	first := !a.ignored[guild]
	a.ignored[guild] = true
	a.mu.Unlock()
	if first {
		where := "server " + guild
		if guild == "" {
			where = "direct messages"
		}
		a.log.Warn("ignoring "+where+": it is not in discord.guilds (DISCORD_GUILDS)", "guild", guild)
	}
	return false
}

// ask takes one question from member's share. When the share is used up
// it returns how long until the next question is allowed, and whether
// this is the first refusal since the member last asked (so a flood of
// mentions gets one reply, not one per message).
func (a *access) ask(member string) (wait time.Duration, first bool) {
	if a.asks == nil {
		return 0, false
	}
	return a.asks.take(member)
}

// slowDown is what a member over their share reads.
func slowDown(wait time.Duration) userError {
	return userError(fmt.Sprintf("Slow down: you can ask again in %d s.", int(math.Ceil(wait.Seconds()))))
}

// limiter is a token bucket per member: perMinute questions at once, then
// one more every minute/perMinute.
type limiter struct {
	perMinute int
	now       func() time.Time

	mu      sync.Mutex
	members map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
	warned bool      // told to slow down since the last question allowed
}

// maxMembers bounds the buckets kept; past it, full buckets (members who
// have not asked for a minute) are forgotten, which changes nothing.
const maxMembers = 10_000

func (l *limiter) take(member string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	every := time.Minute / time.Duration(l.perMinute)
	b := l.members[member]
	if b == nil {
		if len(l.members) >= maxMembers {
			l.forgetIdle(now)
		}
		b = &bucket{tokens: float64(l.perMinute), at: now}
		l.members[member] = b
	}
	b.tokens = min(float64(l.perMinute), b.tokens+float64(now.Sub(b.at))/float64(every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		b.warned = false
		return 0, false
	}
	first := !b.warned
	b.warned = true
	return time.Duration((1 - b.tokens) * float64(every)), first
}

func (l *limiter) forgetIdle(now time.Time) {
	for m, b := range l.members {
		if now.Sub(b.at) >= time.Minute {
			delete(l.members, m)
		}
	}
}
