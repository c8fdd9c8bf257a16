package briefbot

import (
	"fmt"
	"testing"
	"time"
)

func TestCheckLimit(t *testing.T) {
	for _, tt := range []struct {
		n  int
		ok bool
	}{{0, false}, {1, true}, {DefaultLimit, true}, {MaxLimit, true}, {MaxLimit + 1, false}, {-3, false}} {
		if err := CheckLimit(tt.n); (err == nil) != tt.ok {
			t.Errorf("CheckLimit(%d) = %v, want ok %v", tt.n, err, tt.ok)
		}
	}
}

func TestYesterday(t *testing.T) {
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	for _, tt := range []struct {
		now  string
		loc  *time.Location
		want string
	}{
		{"2025-06-01T22:30:00Z", time.UTC, "2025-05-31"},
		{"2025-06-01T22:30:00Z", kyiv, "2025-06-01"}, // already 2 June there
		{"2025-03-01T00:00:00Z", time.UTC, "2025-02-28"},
		{"2025-01-01T05:00:00Z", time.UTC, "2024-12-31"},
	} {
		now, _ := time.Parse(time.RFC3339, tt.now)
		got := Yesterday(now, tt.loc)
		if got.Format(DateLayout) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("Yesterday(%s, %s) = %s, want %s at midnight UTC", tt.now, tt.loc, got, tt.want)
		}
	}
}

func TestParseHTTPURL(t *testing.T) {
	for _, tt := range []struct {
		s  string
		ok bool
	}{
		{"https://example.com/feed.xml", true},
		{"http://127.0.0.1:8080/api/v9/", true},
		{"ftp://example.com/", false},
		{"example.com/feed", false},
		{"https://", false},
		{"", false},
		{"http://[::1", false},
	} {
		u, err := ParseHTTPURL(tt.s)
		if (err == nil) != tt.ok || (tt.ok && u == nil) {
			t.Errorf("ParseHTTPURL(%q) = %v, %v; want ok %v", tt.s, u, err, tt.ok)
		}
	}
}

func TestParseClock(t *testing.T) {
	for _, tt := range []struct {
		s    string
		h, m int
		ok   bool
	}{
		{"07:30", 7, 30, true},
		{"7:30", 7, 30, true},
		{"00:00", 0, 0, true},
		{"23:59", 23, 59, true},
		{"24:00", 0, 0, false},
		{"12:60", 0, 0, false},
		{"7:5", 0, 0, false},
		{"730", 0, 0, false},
		{"", 0, 0, false},
		{" 07:30", 0, 0, false},
	} {
		h, m, err := ParseClock(tt.s)
		if (err == nil) != tt.ok || h != tt.h || m != tt.m {
			t.Errorf("ParseClock(%q) = %d, %d, %v; want %d, %d, ok %v", tt.s, h, m, err, tt.h, tt.m, tt.ok)
		}
	}
}

// A time ParseClock accepts is read the same once written as HH:MM, and
// nothing it is given makes it panic.
func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"07:30", "7:30", "23:59", "24:00", "", "9:5", "٠٧:٣٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, err := ParseClock(s)
		if err != nil {
			return
		}
		if h < 0 || h > 23 || m < 0 || m > 59 {
			t.Fatalf("ParseClock(%q) = %d:%d, outside the day", s, h, m)
		}
		h2, m2, err := ParseClock(fmt.Sprintf("%02d:%02d", h, m))
		if err != nil || h2 != h || m2 != m {
			t.Fatalf("ParseClock(%q) = %d:%d does not round-trip: %d:%d, %v", s, h, m, h2, m2, err)
		}
	})
}

func TestIsDiscordID(t *testing.T) {
	for s, want := range map[string]bool{"123456789012345678": true, "12345": true, "1234": false, "general": false, "": false, "12345678901234567890123456": false, "<#123456789012345678>": false} {
		if got := IsDiscordID(s); got != want {
			t.Errorf("IsDiscordID(%q) = %v, want %v", s, got, want)
		}
	}
}
