package briefs

import (
	"strings"
	"testing"
	"time"

	"briefbot"
)

// filterText writes q's filters back as inline filters.
func filterText(q briefbot.Question) string {
	var parts []string
	if q.Source != "" {
		parts = append(parts, `source:"`+q.Source+`"`)
	}
	if !q.Since.IsZero() {
		parts = append(parts, "since:"+q.Since.Format(briefbot.DateLayout))
	}
	if !q.Until.IsZero() {
		parts = append(parts, "until:"+q.Until.Format(briefbot.DateLayout))
	}
	return strings.Join(parts, " ")
}

// FuzzParseFilters: any question parses without panicking, and a parsed
// question's filters, written back into its text, parse to the same
// question.
func FuzzParseFilters(f *testing.F) {
	for _, s := range []string{
		"what was agreed?",
		"source:NENC since:2025-12-01 what was agreed?",
		`source:"Herald Times" what remained unresolved? until:2025-12-09`,
		"since:2025-13-01 bad date",
		`source:"unclosed what`,
		"SOURCE:x Since:2025-01-02",
		"source: since: until:",
		`source:"" x`,
		"a:b c:d http://example.com/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := ParseFilters(briefbot.Question{Text: text})
		if err != nil {
			return
		}
		if q.Text != strings.Join(strings.Fields(q.Text), " ") {
			t.Fatalf("text %q is not whitespace-normalised", q.Text)
		}
		for _, d := range []time.Time{q.Since, q.Until} {
			if !d.IsZero() && d.Format(briefbot.DateLayout) == "" {
				t.Fatalf("bad date %v", d)
			}
		}
		if strings.Contains(q.Source, `"`) || strings.ContainsAny(q.Source, "\n") {
			return // cannot be written back as one quoted filter
		}
		again, err := ParseFilters(briefbot.Question{Text: q.Text + " " + filterText(q)})
		if err != nil {
			t.Fatalf("%q: the written-back filters do not parse: %v", text, err)
		}
		if again.Text != q.Text || again.Source != q.Source || !again.Since.Equal(q.Since) || !again.Until.Equal(q.Until) {
			t.Fatalf("%q:\n first  %+v\n again  %+v", text, q, again)
		}
	})
}
