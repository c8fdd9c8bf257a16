package bot

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"briefbot"
	"briefbot/briefs"
)

// Discord's limits on one message, in characters (UTF-16 code units, the
// stricter of the ways "characters" is counted).
const (
	maxContent      = 2000
	maxTitle        = 256
	maxDescription  = 4096
	maxFields       = 25
	maxFieldName    = 256
	maxFieldValue   = 1024
	maxFooter       = 2048
	maxEmbeds       = 10
	maxMessageTotal = 6000 // titles, descriptions, fields, footers and authors of all embeds
)

const embedColor = 0x2f6f9f

// Message is one Discord message as briefbot renders it: a reply, the
// edit of an interaction's original response, or a follow-up.
type Message struct {
	Content    string                       `json:"content,omitempty"`
	Embeds     []*discordgo.MessageEmbed    `json:"embeds,omitempty"`
	Components []discordgo.MessageComponent `json:"components,omitempty"`
	// Ephemeral messages are seen only by the user who asked.
	Ephemeral bool `json:"ephemeral,omitempty"`
}

// noMentions is attached to everything briefbot sends: text quoted from an
// article or typed in a question never pings anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// RenderAnswer renders an answer as embeds: its quotes point by point
// (see briefs.Sections), every quote cited, "N of M outlets" per point,
// and a footer with the number of articles searched.
func RenderAnswer(a briefbot.Answer) []Message {
	all := make([]int, len(a.Snippets))
	for i := range all {
		all[i] = i
	}
	return renderAnswer(a, all, 0)
}

// renderAnswer renders the snippets of a listed in show (indexes into
// a.Snippets, in rank order), numbering them from first+1.
func renderAnswer(a briefbot.Answer, show []int, first int) []Message {
	title := a.Question
	if first > 0 {
		title = "More on: " + a.Question
	}
	if a.NoAnswer || len(show) == 0 {
		return []Message{{Embeds: []*discordgo.MessageEmbed{{
			Title:       truncate(escape(title), maxTitle),
			Description: fmt.Sprintf("Nothing in the %d articles searched answers this question.", a.Searched),
			Footer:      &discordgo.MessageEmbedFooter{Text: searched(a.Searched)},
			Color:       embedColor,
		}}}}
	}
	number := map[int]int{}
	for k, i := range show {
		number[i] = first + k + 1
	}
	var blocks []string
	done := map[int]bool{}
	group := func(head string, idx []int) {
		var quotes []string
		for _, i := range idx {
			if _, ok := number[i]; ok && !done[i] {
				done[i] = true
				quotes = append(quotes, quoteBlock(a.Snippets[i], number[i]))
			}
		}
		if len(quotes) == 0 {
			return
		}
		// The heading travels with its first quote, so a split never
		// leaves it alone at the bottom of an embed.
		if head != "" {
			quotes[0] = head + "\n" + quotes[0]
		}
		blocks = append(blocks, quotes...)
	}
	for k, sec := range briefs.Sections(a) {
		head := "**Also**" // quotes no point holds, after the points
		switch {
		case sec.Point != nil:
			head = fmt.Sprintf("**%s** · %s", escape(truncate(sec.Point.Label, 200)), outletsPhrase(sec.Point.Outlets, sec.Point.Of))
		case k == 0:
			head = "" // the best quotes, before any point
		}
		group(head, sec.Snippets)
	}

	footer := fmt.Sprintf("%s · %s", quotesPhrase(first, len(show)), searched(a.Searched))
	return messages(pack([]part{{title: title, blocks: blocks}}, footer), "")
}

// RenderBrief renders a daily briefing story by story: one embed per
// story (more when a story is long), as many messages as Discord's limits
// need. Every quote carries its own citation in the same block, and a
// section's heading travels with its first quote, so a split never parts
// a quote from its source.
func RenderBrief(b briefbot.Brief) []Message {
	head := fmt.Sprintf("%s · %d articles", briefHead(b.Date), b.Articles)
	var parts []part
	for k, st := range b.Stories {
		p := part{title: fmt.Sprintf("%d. %s", k+1, st.Title)}
		p.blocks = append(p.blocks, "_"+escape(briefs.StoryLine(st))+"_")
		for _, s := range st.Sections {
			p.blocks = append(p.blocks, sectionBlocks(s)...)
		}
		parts = append(parts, p)
	}
	if b.Markets != nil {
		parts = append(parts, part{title: b.Markets.Title, blocks: sectionBlocks(*b.Markets)})
	}
	if len(parts) == 0 {
		return []Message{{Content: head + "\nNo articles for " + b.Date + "."}}
	}
	return messages(pack(parts, ""), head)
}

// sectionBlocks are a section's quotes, its heading joined to the first,
// or its note when it quotes nothing.
func sectionBlocks(s briefbot.Section) []string {
	var blocks []string
	for _, sn := range s.Snippets {
		blocks = append(blocks, quoteBlock(sn, 0))
	}
	if len(blocks) == 0 {
		note := s.Note
		if note == "" {
			note = "Nothing to report."
		}
		blocks = []string{"_" + escape(truncate(note, 1000)) + "_"}
	}
	blocks[0] = "**" + escape(s.Title) + "**\n" + blocks[0]
	return blocks
}

// renderArticles lists articles one line each (outlet, title, date),
// under title, with footer.
func renderArticles(title string, arts []briefbot.Article, footer string) []Message {
	blocks := make([]string, 0, len(arts))
	for _, a := range arts {
		blocks = append(blocks, articleLine(a))
	}
	if len(blocks) == 0 {
		blocks = []string{"No articles are indexed."}
	}
	return messages(pack([]part{{title: title, blocks: blocks}}, footer), "")
}

// messages turns packed embeds into messages; content heads each one,
// numbered when there are several.
func messages(groups [][]*discordgo.MessageEmbed, content string) []Message {
	out := make([]Message, len(groups))
	for i, g := range groups {
		out[i].Embeds = g
		if content != "" {
			out[i].Content = content
			if len(groups) > 1 {
				out[i].Content = fmt.Sprintf("%s (%d/%d)", content, i+1, len(groups))
			}
			out[i].Content = truncate(out[i].Content, maxContent)
		}
	}
	return out
}

// part is a titled run of blocks; a block (a quote with its citation) is
// never split.
type part struct {
	title  string
	blocks []string
}

// pack lays parts out as embeds, grouped into messages, within Discord's
// limits: blocks fill an embed's description up to 4096 characters, a part
// that overflows continues in another embed under the same title, and a
// message takes embeds until it has 10 or the next would pass 6000
// characters. The footer goes on the very last embed.
func pack(parts []part, footer string) [][]*discordgo.MessageEmbed {
	footer = truncate(footer, maxFooter)
	reserve := length(footer)
	var (
		msgs [][]*discordgo.MessageEmbed
		cur  []*discordgo.MessageEmbed
		used int // characters of cur counted against maxMessageTotal
	)
	for _, p := range parts {
		var (
			e    *discordgo.MessageEmbed
			desc strings.Builder
			dlen int
		)
		closeEmbed := func() {
			if e == nil {
				return
			}
			e.Description = desc.String()
			cur = append(cur, e)
			used += length(e.Title) + dlen
			e = nil
		}
		for i, b := range p.blocks {
			b = fit(b, maxDescription)
			bl := length(b)
			if e != nil && dlen+2+bl <= maxDescription && used+length(e.Title)+dlen+2+bl+reserve <= maxMessageTotal {
				desc.WriteString("\n\n")
				desc.WriteString(b)
				dlen += 2 + bl
				continue
			}
			closeEmbed()
			title := p.title
			if i > 0 {
				title += " (continued)"
			}
			title = truncate(escape(title), maxTitle)
			if len(cur) == maxEmbeds || used+length(title)+bl+reserve > maxMessageTotal {
				msgs = append(msgs, cur)
				cur, used = nil, 0
			}
			e = &discordgo.MessageEmbed{Title: title, Color: embedColor}
			desc.Reset()
			desc.WriteString(b)
			dlen = bl
		}
		closeEmbed()
	}
	if len(cur) > 0 {
		msgs = append(msgs, cur)
	}
	if footer != "" && len(msgs) > 0 {
		last := msgs[len(msgs)-1]
		last[len(last)-1].Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	return msgs
}

// quoteBlock is one quote with its citation, numbered when n > 0, and the
// outlets that carry its point when that is known.
func quoteBlock(s briefbot.Snippet, n int) string {
	cite := "— " + citation(s.Article)
	if s.Outlets > 0 {
		cite += " · " + outletsPhrase(s.Outlets, s.Of)
	}
	num := ""
	if n > 0 {
		num = fmt.Sprintf("**%d.** ", n)
	}
	text := strings.Join(strings.Fields(s.Text), " ")
	block := "> " + num + "“" + escape(text) + "”\n" + cite
	if over := length(block) - maxDescription; over > 0 {
		// A sentence longer than an embed can hold (none in real
		// articles) is shortened visibly rather than split.
		block = "> " + num + "“" + escape(truncate(text, length(text)-over-40)) + "” (shortened)\n" + cite
	}
	return block
}

// citation names an article: outlet, title (a link when it has a URL) and
// date; an article with no known outlet is named by its title alone.
func citation(a briefbot.Article) string {
	title := "“" + escape(truncate(a.Title, 200)) + "”"
	if u := linkURL(a.URL); u != "" {
		title = "[" + title + "](" + u + ")"
	}
	var parts []string
	if a.Source != "" {
		parts = append(parts, "**"+escape(truncate(a.Source, 100))+"**")
	}
	parts = append(parts, title)
	if d := a.Day(); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, ", ")
}

// articleLine is an article in a list: outlet, title, date.
func articleLine(a briefbot.Article) string {
	return "• " + citation(a)
}

// linkURL is u made safe inside a Markdown link, or "" when it is not an
// http(s) URL or is too long to be worth the space.
func linkURL(u string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") || len(u) > 300 || strings.ContainsAny(u, " \n\t<>") {
		return ""
	}
	return strings.NewReplacer("(", "%28", ")", "%29").Replace(u)
}

// fit shortens a block that cannot fit anywhere (only non-quote blocks
// reach this longer than max; quotes are shortened by quoteBlock).
func fit(b string, max int) string {
	if length(b) <= max {
		return b
	}
	return truncate(b, max)
}

var markdown = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`)

// escape keeps Discord from reading Markdown, links or mentions into
// quoted text: what shows is what the article says.
func escape(s string) string { return markdown.Replace(s) }

// length counts s as Discord counts characters (UTF-16 code units).
func length(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// truncate shortens s to at most max characters, ending with "…", at a
// word boundary when one is near.
func truncate(s string, max int) string {
	if length(s) <= max {
		return s
	}
	if max < 1 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if n+w > max-1 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	out := b.String()
	if i := strings.LastIndexFunc(out, unicode.IsSpace); i > len(out)*3/4 {
		out = out[:i]
	}
	// Never leave a dangling escape backslash.
	if strings.HasSuffix(out, `\`) && !strings.HasSuffix(out, `\\`) {
		out = out[:len(out)-1]
	}
	return strings.TrimRightFunc(out, unicode.IsSpace) + "…"
}

func outletsPhrase(n, of int) string {
	if of <= 1 {
		return fmt.Sprintf("%d outlet", n)
	}
	return fmt.Sprintf("%d of %d outlets", n, of)
}

func searched(n int) string {
	if n == 1 {
		return "1 article searched"
	}
	return fmt.Sprintf("%d articles searched", n)
}

func quotesPhrase(first, n int) string {
	if first > 0 {
		return fmt.Sprintf("quotes %d–%d", first+1, first+n)
	}
	if n == 1 {
		return "1 quote"
	}
	return fmt.Sprintf("%d quotes", n)
}
