// Package schedule owns daily briefings on a timetable: which channels are
// subscribed and at what local time, a durable log of what was posted, and
// the loop that posts each channel's briefing for the previous local day
// exactly once. It knows nothing about Discord or the index: a Poster sends
// (and can look for) a briefing, and a Refresh hook brings the index up to
// date before each post. Both are wired in cmd/bot.
package schedule

import (
	_ "time/tzdata" // zone names work on machines without a zone database

	"fmt"
	"time"

	"briefbot"
)

// Subscription is one channel's daily briefing.
type Subscription struct {
	// Channel is the Discord channel ID.
	Channel string
	// Guild is the server the channel belongs to, when known: /subscribe
	// records it; config subscriptions leave it empty.
	Guild string
	// Time is the local time of day to post, "HH:MM" (24-hour clock).
	Time string
	// Timezone is the IANA zone Time is read in; it also says which
	// calendar day "yesterday" is.
	Timezone string
	// Static subscriptions come from the config file; the commands cannot
	// change or remove them.
	Static bool
	// Since is when the subscription was made; posts due before it are not
	// owed. Zero for static subscriptions, which are owed from the start.
	Since time.Time
}

// An InputError is a request the person asking must fix. Its message names
// the problem and is fit to show them as it is.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{msg: fmt.Sprintf(format, args...)}
}

// checkChannel says whether id looks like a Discord channel ID.
func checkChannel(id string) error {
	if !briefbot.IsDiscordID(id) {
		return inputErrorf("channel %q is not a Discord channel ID (a number like 123456789012345678)", id)
	}
	return nil
}

// normalized checks s and returns it with Time written as HH:MM ("7:30"
// becomes "07:30"). Errors are InputErrors naming the bad field.
func (s Subscription) normalized() (Subscription, error) {
	if err := checkChannel(s.Channel); err != nil {
		return s, err
	}
	h, m, err := briefbot.ParseClock(s.Time)
	if err != nil {
		return s, inputErrorf("time %s", err)
	}
	s.Time = fmt.Sprintf("%02d:%02d", h, m)
	if _, err := loadZone(s.Timezone); err != nil {
		return s, err
	}
	return s, nil
}

// Validate says what is wrong with s, if anything, as an *InputError.
func (s Subscription) Validate() error {
	_, err := s.normalized()
	return err
}

func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, inputErrorf("time zone %q is not an IANA zone name (for example Europe/Kyiv)", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, inputErrorf("time zone %q is not an IANA zone name (for example Europe/Kyiv)", name)
	}
	return loc, nil
}

// A slot is one scheduled post: the instant it is due and the calendar day
// (midnight UTC, like briefbot.DateLayout parses) its briefing covers.
type slot struct {
	due time.Time
	day time.Time
}

func (sl slot) String() string { return sl.day.Format(briefbot.DateLayout) }

// slots returns the latest slot due at or before now and the first one due
// after it. s must be valid and loc its zone.
func (s Subscription) slots(now time.Time, loc *time.Location) (last, next slot) {
	h, m, _ := briefbot.ParseClock(s.Time)
	y, mo, d := now.In(loc).Date()
	// A clock change can move a post across local midnight, so look at the
	// days around today rather than assuming today's or tomorrow's.
	for i := -2; i <= 1; i++ {
		sl := slot{
			due: wallTime(y, mo, d+i, h, m, loc),
			day: time.Date(y, mo, d+i-1, 0, 0, 0, 0, time.UTC),
		}
		if !sl.due.After(now) {
			last = sl
		} else if next.due.IsZero() {
			next = sl
		}
	}
	return last, next
}

// wallTime is the instant a clock in loc reads the given date and time. A
// time that a clock change repeats is its first occurrence; a time that a
// clock change skips is read as if the clock had not changed yet, which is
// the moment the clock shows it plus the jump (02:30 on a spring-forward
// night in New York is 03:30 daylight time). time.Date leaves both choices
// to the zone, so they are made here.
func wallTime(y int, mo time.Month, d, h, m int, loc *time.Location) time.Time {
	wall := time.Date(y, mo, d, h, m, 0, 0, time.UTC)
	var first, latest time.Time
	for _, probe := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := wall.Add(probe).In(loc).Zone()
		c := wall.Add(-time.Duration(off) * time.Second)
		if latest.IsZero() || c.After(latest) {
			latest = c
		}
		local := c.In(loc)
		if local.Year() == wall.Year() && local.YearDay() == wall.YearDay() && local.Hour() == h && local.Minute() == m {
			if first.IsZero() || c.Before(first) {
				first = c
			}
		}
	}
	if !first.IsZero() {
		return first.In(loc)
	}
	return latest.In(loc)
}
