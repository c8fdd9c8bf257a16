package briefs

import (
	"fmt"
	"io"
	"strings"

	"briefbot"
)

// WriteBriefText renders a briefing for a terminal: a heading, then each
// section with its quotes, each quote followed by its citation and, when
// more than one outlet carries the point, how many do.
func WriteBriefText(w io.Writer, b briefbot.Brief) error {
	var sb strings.Builder
	if b.Articles == 0 {
		fmt.Fprintf(&sb, "No articles for %s\n", b.Date)
		_, err := io.WriteString(w, sb.String())
		return err
	}
	fmt.Fprintf(&sb, "Briefing for %s: %d %s\n", b.Date, b.Articles, plural(b.Articles, "article", "articles"))
	n := 0
	for _, sec := range b.Sections {
		fmt.Fprintf(&sb, "\n%s\n", sec.Title)
		if len(sec.Snippets) == 0 {
			fmt.Fprintf(&sb, "  %s\n", sec.Note)
			continue
		}
		for _, s := range sec.Snippets {
			n++
			quote := "“" + s.Text + "”"
			if s.Label != "" {
				quote = s.Label + ": " + quote
			}
			fmt.Fprintf(&sb, "  %d. %s\n     — %s", n, quote, Citation(s))
			if s.Outlets > 1 {
				fmt.Fprintf(&sb, " (%s)", outletCount(s.Outlets, s.Of))
			}
			sb.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// outletCount says how many outlets carry a point: "3 of 5 outlets".
func outletCount(n, of int) string {
	if of < n {
		of = n
	}
	return fmt.Sprintf("%d of %d outlets", n, of)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
