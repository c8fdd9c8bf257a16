package briefs

import (
	"fmt"
	"io"
	"strings"

	"briefbot"
)

// WriteBriefText renders a briefing for a terminal: a heading, then each
// story with its sections, each quote followed by its citation and, when
// more than one outlet carries the point, how many do.
func WriteBriefText(w io.Writer, b briefbot.Brief) error {
	var sb strings.Builder
	if b.Articles == 0 {
		fmt.Fprintf(&sb, "No articles for %s\n", b.Date)
		_, err := io.WriteString(w, sb.String())
		return err
	}
	fmt.Fprintf(&sb, "Briefing for %s: %d %s, %d %s\n", b.Date, b.Articles, plural(b.Articles, "article", "articles"),
		len(b.Stories), plural(len(b.Stories), "story", "stories"))
	n := 0
	section := func(sec briefbot.Section, indent string) {
		fmt.Fprintf(&sb, "%s%s\n", indent, sec.Title)
		if len(sec.Snippets) == 0 {
			fmt.Fprintf(&sb, "%s  %s\n", indent, sec.Note)
			return
		}
		for _, s := range sec.Snippets {
			n++
			quote := "“" + s.Text + "”"
			if s.Label != "" {
				quote = s.Label + ": " + quote
			}
			fmt.Fprintf(&sb, "%s  %d. %s\n%s     — %s", indent, n, quote, indent, Citation(s))
			if s.Outlets > 1 {
				fmt.Fprintf(&sb, " (%s)", outletCount(s.Outlets, s.Of))
			}
			sb.WriteString("\n")
		}
	}
	for k, st := range b.Stories {
		fmt.Fprintf(&sb, "\n%d. %s\n   %s\n", k+1, st.Title, StoryLine(st))
		for _, sec := range st.Sections {
			section(sec, "   ")
		}
	}
	if b.Markets != nil {
		sb.WriteString("\n")
		section(*b.Markets, "")
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// StoryLine says how a story stands: new or continuing, and how many
// articles and outlets cover it.
func StoryLine(st briefbot.Story) string {
	return fmt.Sprintf("%s · %d %s from %d %s", st.Status, st.Articles, plural(st.Articles, "article", "articles"),
		st.Outlets, plural(st.Outlets, "outlet", "outlets"))
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
