package briefs

import (
	"context"
	"os"
	"strings"

	"briefbot"
)

// A quote that leans on its neighbour reads wrongly alone: "These
// principles represent Ukraine's red lines." without the principles, or
// "..., he added." without who "he" is. Such a quote is widened to the
// adjacent sentences of its paragraph it leans on, at most one either
// side, and stays one exact byte span of the article's file.

// pointingWords open a sentence that refers back to the one before.
var pointingWords = set("this", "these", "those", "that", "such", "it", "its", "they", "their", "them", "he", "she", "his", "her")

// pronounSpeakers are who "..., he said." leaves unnamed.
var pronounSpeakers = set("he", "she", "they", "it")

// leansBack reports whether a sentence (its text and words) needs the one
// before it: it opens with a pointing word, or attributes what it says to
// a pronoun at its end.
func leansBack(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	if pointingWords[ws[0]] {
		return true
	}
	n := len(ws)
	return n >= 2 && pronounSpeakers[ws[n-2]] && reportWord[ws[n-1]]
}

// introduces reports whether a sentence ends with a colon: what it
// introduces follows.
func introduces(text string) bool {
	return strings.HasSuffix(strings.TrimRight(text, " \t\r\n"), ":")
}

// passages widens each chosen snippet that leans on a neighbour in its
// paragraph. A neighbour that is itself chosen is left to stand alone.
// Whether the sentence before ends with a colon is known only when that
// sentence is in the pool: reading an article's sentences for every quote
// would cost more than the rest of answering.
func (a *Answerer) passages(ctx context.Context, chosen, pool []*candidate) {
	type at struct {
		id  string
		pos int
	}
	colon := map[at]bool{}
	for _, c := range pool {
		if introduces(c.snip.Text) {
			colon[at{c.snip.Article.ID, c.snip.Position}] = true
		}
	}
	taken := map[string]map[int]bool{}
	for _, c := range chosen {
		id := c.snip.Article.ID
		if taken[id] == nil {
			taken[id] = map[int]bool{}
		}
		taken[id][c.snip.Position] = true
	}
	for _, c := range chosen {
		back, fwd := leansBack(c.words), introduces(c.snip.Text)
		back = back || colon[at{c.snip.Article.ID, c.snip.Position - 1}]
		if !back && !fwd {
			continue
		}
		c.snip = a.widen(ctx, c.snip, back, fwd, taken[c.snip.Article.ID])
	}
}

// widen joins s with the sentence before it (back, or when that one ends
// with a colon) and the one after it (fwd), when they are in its
// paragraph and not taken. It reads the article's file to quote the
// bytes between them exactly, and leaves s as it is when the file is not
// as the index saw it.
func (a *Answerer) widen(ctx context.Context, s briefbot.Snippet, back, fwd bool, taken map[int]bool) briefbot.Snippet {
	sents, err := a.Index.SentencesOf(ctx, []string{s.Article.ID})
	if err != nil {
		return s
	}
	var prev, next *briefbot.Snippet
	for i := range sents {
		switch sents[i].Position {
		case s.Position - 1:
			prev = &sents[i]
		case s.Position + 1:
			next = &sents[i]
		}
	}
	if prev != nil && (taken[prev.Position] || !(back || introduces(prev.Text))) {
		prev = nil
	}
	if next != nil && (taken[next.Position] || !fwd) {
		next = nil
	}
	if prev == nil && next == nil {
		return s
	}
	data, err := os.ReadFile(s.Article.Path)
	if err != nil || !quotesAt(data, s) {
		return s
	}
	start, end := s.Start, s.End
	if prev != nil && quotesAt(data, *prev) && sameParagraph(data[prev.End:s.Start]) {
		start = prev.Start
	}
	if next != nil && quotesAt(data, *next) && sameParagraph(data[s.End:next.Start]) {
		end = next.End
	}
	s.Start, s.End, s.Text = start, end, string(data[start:end])
	return s
}

// quotesAt reports whether s's text is the bytes it names in data.
func quotesAt(data []byte, s briefbot.Snippet) bool {
	return 0 <= s.Start && s.Start <= s.End && s.End <= len(data) && string(data[s.Start:s.End]) == s.Text
}

// sameParagraph reports whether the bytes between two sentences are
// white space with no blank line: they are of one paragraph.
func sameParagraph(gap []byte) bool {
	if strings.TrimSpace(string(gap)) != "" {
		return false
	}
	lines := strings.Split(string(gap), "\n")
	for i := 1; i+1 < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			return false
		}
	}
	return true
}
