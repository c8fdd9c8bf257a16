package briefs

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"briefbot"
)

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Citation is how a snippet names its source: outlet, title and date; an
// article with no known outlet is named by its title alone.
func Citation(s briefbot.Snippet) string {
	var parts []string
	if s.Article.Source != "" {
		parts = append(parts, s.Article.Source)
	}
	parts = append(parts, "“"+s.Article.Title+"”")
	if d := s.Article.Day(); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, ", ")
}

// Section is a run of an answer's quotes as they are read: a point's
// (Point set) or quotes no point holds (Point nil).
type Section struct {
	Point    *briefbot.Point
	Snippets []int // indexes into Answer.Snippets
}

// Sections orders an answer's quotes for reading: the points, each with
// its quotes, then the quotes no point holds. Those of them that outrank
// every point come first instead: the best quote is read first, whether
// or not others make its point.
func Sections(a briefbot.Answer) []Section {
	inPoint := map[int]bool{}
	firstInPoint := len(a.Snippets)
	for _, p := range a.Points {
		for _, i := range p.Snippets {
			inPoint[i] = true
			firstInPoint = min(firstInPoint, i)
		}
	}
	var lead, rest []int
	for i := range a.Snippets {
		switch {
		case inPoint[i]:
		case i < firstInPoint:
			lead = append(lead, i)
		default:
			rest = append(rest, i)
		}
	}
	var out []Section
	if len(lead) > 0 {
		out = append(out, Section{Snippets: lead})
	}
	for k := range a.Points {
		out = append(out, Section{Point: &a.Points[k], Snippets: a.Points[k].Snippets})
	}
	if len(rest) > 0 {
		out = append(out, Section{Snippets: rest})
	}
	return out
}

// WriteAnswerText renders an answer for a terminal: the question, then its
// quotes with their citations, point by point (see Sections).
func WriteAnswerText(w io.Writer, a briefbot.Answer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Q: %s\n", a.Question)
	if a.NoAnswer || len(a.Snippets) == 0 {
		fmt.Fprintf(&b, "\nNothing in the %d articles searched answers this question.\n", a.Searched)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%d quotes from %d articles searched\n", len(a.Snippets), a.Searched)
	for k, sec := range Sections(a) {
		switch {
		case sec.Point != nil:
			fmt.Fprintf(&b, "\n● %s — %s\n", sec.Point.Label, outletsPhrase(sec.Point.Outlets, sec.Point.Of))
		case k > 0:
			// Quotes no point holds are set apart, so they do not read
			// as more of the last point.
			b.WriteString("\n● Other quotes\n")
		default:
			b.WriteString("\n")
		}
		for _, i := range sec.Snippets {
			writeSnippet(&b, i, a.Snippets[i])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSnippet(b *strings.Builder, i int, s briefbot.Snippet) {
	fmt.Fprintf(b, "  %d. “%s”\n     — %s\n", i+1, s.Text, Citation(s))
	if e := s.Explain; e != nil {
		keys := make([]string, 0, len(e.Components))
		for k := range e.Components {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %.3f", k, e.Components[k]))
		}
		fmt.Fprintf(b, "     why: score %.3f from %s\n", s.Score, strings.Join(parts, ", "))
		if len(e.Matched) > 0 {
			fmt.Fprintf(b, "          terms: %s\n", strings.Join(e.Matched, ", "))
		}
		if len(e.Cues) > 0 {
			fmt.Fprintf(b, "          cues: %s\n", strings.Join(e.Cues, ", "))
		}
		if len(e.Entities) > 0 {
			fmt.Fprintf(b, "          entities: %s\n", strings.Join(e.Entities, ", "))
		}
	}
}

// outletsPhrase says how many outlets carry a point: "3 of 5 outlets".
func outletsPhrase(n, of int) string {
	if of <= 1 {
		return fmt.Sprintf("%d outlet", n)
	}
	return fmt.Sprintf("%d of %d outlets", n, of)
}
