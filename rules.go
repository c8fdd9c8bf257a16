package briefbot

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// DefaultLimit is how many snippets an answer shows when neither the
// config, the environment, a flag nor the question says: five quotes fit
// one Discord message and one terminal screen.
const DefaultLimit = 5

// DefaultStories is how many stories a daily briefing tells when the
// config does not say: a busy day's main news in about two minutes of
// reading. MaxStories is the most: more could not each have a quote within
// a briefing's 24 quotes.
const (
	DefaultStories = 8
	MaxStories     = 20
)

// MaxLimit is the most snippets an answer may be asked for, by the
// config's limit, BRIEFBOT_LIMIT or --limit, and the most the bot's "More"
// button goes to: ten Discord messages of quotes, past which a reader is
// better served by a narrower question.
const MaxLimit = 50

// CheckLimit says what is wrong with a snippet limit, in words that follow
// the name of the setting (for example "limit: 0 is outside 1 to 50").
func CheckLimit(n int) error {
	if n < 1 || n > MaxLimit {
		return fmt.Errorf("%d is outside 1 to %d", n, MaxLimit)
	}
	return nil
}

// Yesterday is the calendar day before now's day in loc, at midnight UTC:
// the day a briefing made at now covers.
func Yesterday(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d-1, 0, 0, 0, 0, time.UTC)
}

// ParseHTTPURL parses an absolute http or https URL with a host, the only
// kind briefbot fetches from or talks to. The error says what s is not.
func ParseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", s)
	}
	return u, nil
}

// clock is a time of day on the 24-hour clock, the hour with or without
// its leading zero.
var clock = regexp.MustCompile(`^(\d{1,2}):(\d{2})$`)

// ParseClock reads a time of day for a daily briefing, "HH:MM" on the
// 24-hour clock between 00:00 and 23:59. The hour's leading zero may be
// left out ("7:30" is 07:30), as people write it, both in /subscribe and
// in the config's briefings. The error says what s is not.
func ParseClock(s string) (hour, minute int, err error) {
	g := clock.FindStringSubmatch(s)
	if g != nil {
		hour, _ = strconv.Atoi(g[1])
		minute, _ = strconv.Atoi(g[2])
		if hour < 24 && minute < 60 {
			return hour, minute, nil
		}
	}
	return 0, 0, fmt.Errorf("%q is not HH:MM between 00:00 and 23:59", s)
}

// snowflake is a Discord ID as people paste it: all digits, a little
// shorter or longer than today's 17 to 20 to allow for old and future IDs.
var snowflake = regexp.MustCompile(`^\d{5,25}$`)

// IsDiscordID says whether s looks like a Discord ID (a channel's, a
// server's), as the config and /subscribe check them.
func IsDiscordID(s string) bool { return snowflake.MatchString(s) }
