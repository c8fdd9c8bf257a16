// Package ingest reads article files: front matter, the headline, page
// furniture taken out, sentences with their exact byte offsets, and the
// MinHash signature that tells a syndicated copy of a story. It knows
// nothing of the index that stores what it reads.
package ingest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
	"go.yaml.in/yaml/v3"

	"briefbot"
)

// Reasons a file is not an article. Ingestion skips such files with one
// warning naming the file and the reason.
var (
	ErrEmpty    = errors.New("the file has no article text")
	ErrBinary   = errors.New("the file is binary, not text")
	ErrNotUTF8  = errors.New("the file is not valid UTF-8 text")
	ErrTooLarge = errors.New("the file is larger than an article can be")
)

// maxArticleBytes is the largest file read as an article.
const maxArticleBytes = 8 << 20

// Sentence is one sentence of an article: exactly the bytes Start:End of its
// file.
type Sentence struct {
	Text       string
	Start, End int
}

// Parsed is what ingestion makes of one article file.
type Parsed struct {
	Article briefbot.Article
	// Body is the cleaned article text: the lines that are not page
	// furniture, paragraphs separated by blank lines.
	Body      string
	Sentences []Sentence
	// Dropped lists the furniture lines removed, each with the rule that
	// removed it, as "rule: line".
	Dropped []string
}

// frontMatter is the optional YAML header of an article file.
type frontMatter struct {
	Title     string   `yaml:"title"`
	Source    string   `yaml:"source"`
	URL       string   `yaml:"url"`
	Published string   `yaml:"published"`
	Date      string   `yaml:"date"`
	Author    string   `yaml:"author"`
	AlsoIn    []string `yaml:"also_in"`
}

// parser turns article files into articles and sentences. It is not safe
// for concurrent use: give each goroutine its own.
type Parser struct {
	seg *sentences.DefaultSentenceTokenizer
}

func NewParser() (*Parser, error) {
	seg, err := englishModel()
	if err != nil {
		return nil, fmt.Errorf("load the English sentence model: %w", err)
	}
	return &Parser{seg: seg}, nil
}

// englishModel is the sentence splitter with its English model, loaded
// once: decoding the model took about 25 ms of CPU and 3 MB for every parser,
// and a sync makes one per core. Splitting only reads the model, so the
// parsers share it.
var englishModel = sync.OnceValues(func() (*sentences.DefaultSentenceTokenizer, error) {
	return english.NewSentenceTokenizer(nil)
})

// line is one non-blank line of a file, trimmed, with its byte offsets.
type line struct {
	text       string
	start, end int
	// kind is "" for prose, "heading", or the furniture rule's name.
	kind string
}

// parse reads one article file. id is its path relative to the articles
// folder; modTime is the date used when neither front matter nor text gives
// one.
func (p *Parser) Parse(id string, data []byte, modTime time.Time) (Parsed, error) {
	switch {
	case len(data) > maxArticleBytes:
		return Parsed{}, ErrTooLarge
	case bytes.IndexByte(data, 0) >= 0:
		return Parsed{}, ErrBinary
	case !utf8.Valid(data):
		return Parsed{}, ErrNotUTF8
	}
	fm, bodyStart, err := splitFrontMatter(data)
	if err != nil {
		return Parsed{}, err
	}
	lines := splitLines(data, bodyStart)
	if len(lines) == 0 {
		return Parsed{}, ErrEmpty
	}
	art := briefbot.Article{ID: id, Title: fm.Title, Source: fm.Source, URL: fm.URL, Author: fm.Author, AlsoIn: fm.AlsoIn}
	if art.Published, err = parseDate(cmp.Or(fm.Published, fm.Date)); err != nil {
		return Parsed{}, fmt.Errorf("front matter: published: %w", err)
	}
	headline := classify(lines)
	art.Title = cmp.Or(art.Title, headline, strings.TrimSuffix(path.Base(id), path.Ext(id)))

	out := p.prose(data, lines)
	if len(out.Sentences) == 0 {
		out.Sentences = statements(lines, art.Title)
	}
	if len(out.Sentences) == 0 {
		return Parsed{}, ErrEmpty
	}
	if art.Published.IsZero() {
		art.Published = dateInText(out.Body)
	}
	if art.Published.IsZero() {
		art.Published = time.Date(modTime.Year(), modTime.Month(), modTime.Day(), 0, 0, 0, 0, time.UTC)
	}
	out.Article = art
	return out, nil
}

// classify marks each line's kind (furniture by its rule, "heading", or ""
// for prose) and returns the headline it found.
func classify(lines []line) (headline string) {
	for i := range lines {
		lines[i].kind = furniture(lines[i].text)
	}
	headline = markHeadline(lines)
	for i := range lines {
		if lines[i].kind == "" && isHeading(lines[i].text) {
			lines[i].kind = "heading"
		}
	}
	return headline
}

// prose builds the cleaned body (paragraphs kept apart by a blank line)
// and splits its prose into sentences, noting the furniture dropped.
func (p *Parser) prose(data []byte, lines []line) Parsed {
	var out Parsed
	var body strings.Builder
	var block []line
	flush := func() {
		if len(block) > 0 {
			out.Sentences = append(out.Sentences, p.split(data, block[0].start, block[len(block)-1].end)...)
			block = block[:0]
		}
	}
	prevEnd := -1
	for _, l := range lines {
		switch l.kind {
		case "", "heading":
			if body.Len() > 0 {
				if bytes.Count(data[prevEnd:l.start], []byte("\n")) > 1 {
					body.WriteString("\n\n")
				} else {
					body.WriteString("\n")
				}
			}
			body.WriteString(l.text)
			prevEnd = l.end
		default:
			out.Dropped = append(out.Dropped, l.kind+": "+l.text)
		}
		// A block of prose runs until a blank line, a heading, furniture
		// or a line that ends a sentence: one line a paragraph and
		// hard-wrapped paragraphs both split right.
		if l.kind != "" {
			flush()
			continue
		}
		if len(block) > 0 && bytes.Count(data[block[len(block)-1].end:l.start], []byte("\n")) > 1 {
			flush()
		}
		block = append(block, l)
		if (endsSentence(l.text) && !endsWithTitle(l.text)) || introducesList(l.text) {
			flush()
		}
	}
	flush()
	out.Body = body.String()
	return out
}

// statements are the sentences of an article of short lines only (a table
// of results, a list), which has no prose to split: each of its lines but
// the headline is a statement of its own.
func statements(lines []line, title string) []Sentence {
	var out []Sentence
	for _, l := range lines {
		if l.kind == "heading" && !strings.EqualFold(strings.TrimRight(l.text, "."), title) &&
			hasLetters(l.text, minStatementLetters) && len(strings.Fields(l.text)) >= minStatementWords {
			out = append(out, Sentence{Text: l.text, Start: l.start, End: l.end})
		}
	}
	return out
}

// A line of a table is a statement when it has at least these letters and
// words: "Shr 33 cts vs 30 cts" is, a lone "1987" or "--" is not.
const (
	minStatementLetters = 3
	minStatementWords   = 2
)

// split segments data[start:end] into sentences with their offsets in data.
// The statistical splitter's cuts are then corrected where English shape
// says better: a title or an initial never ends a sentence, and a number
// does not hide one.
func (p *Parser) split(data []byte, start, end int) []Sentence {
	var out []Sentence
	text := string(data[start:end])
	spans := splitAfterNumbers(text, joinAfterTitles(text, p.cuts(text)))
	for _, s := range spans {
		a, b := s[0], s[1]
		for a < b && isSpaceByte(text[a]) {
			a++
		}
		for b > a && isSpaceByte(text[b-1]) {
			b--
		}
		t := text[a:b]
		if !hasLetters(t, 3) || len(strings.Fields(t)) < 2 {
			continue
		}
		out = append(out, Sentence{Text: t, Start: start + a, End: start + b})
	}
	return out
}

// cuts is the statistical splitter's sentences of text, as spans: what its
// Tokenize returns, made cheaper. Only a word holding sentence punctuation
// can end a sentence, and the splitter's rules look no further than the
// word after it, so only those words are made into tokens (most of a
// build's splitting went on tokens for every other word); text with no
// such punctuation is one sentence without asking.
func (p *Parser) cuts(text string) [][2]int {
	if !hasSentencePunct(text) {
		return [][2]int{{0, len(text)}}
	}
	tokens := p.seg.AnnotateTokens(periodContext(text), p.seg.Annotations...)
	var spans [][2]int
	last := 0
	for _, t := range tokens {
		if t.SentBreak {
			spans = append(spans, [2]int{last, t.Position})
			last = t.Position
		}
	}
	if last != len(text) {
		spans = append(spans, [2]int{last, len(text)})
	}
	return spans
}

// periodContext is what the splitter's word tokenizer returns for text
// when asked for the period context only (DefaultWordTokenizer.Tokenize
// with onlyPeriodContext): each word holding sentence punctuation and the
// word after it, as tokens ending at their offsets. It is that function
// step for step, but it looks for the punctuation once per word, not six
// times, and tells ASCII spaces without decoding runes: the tokenizer was
// half of what splitting cost.
func periodContext(text string) []*sentences.Token {
	var tokens []*sentences.Token
	lastSpace, getNextWord := 0, false
	for i := 0; i < len(text); {
		char, n := rune(text[i]), 1
		if char >= utf8.RuneSelf {
			char, n = utf8.DecodeRuneInString(text[i:])
		}
		at := i
		i += n
		cjk := sentences.IsCjkPunct(char)
		if !cjk && at != len(text)-1 && !isSpaceRune(char) {
			continue
		}
		cursor := at
		if cjk {
			cursor += len(string(char))
		}
		if cursor == len(text)-1 {
			cursor = len(text)
		}
		word := strings.TrimSpace(text[lastSpace:cursor])
		if word == "" {
			continue
		}
		punct := hasSentencePunct(word)
		if punct || getNextWord {
			t := sentences.NewToken(word)
			t.Position = cursor
			tokens = append(tokens, t)
		}
		lastSpace, getNextWord = cursor, punct
	}
	if len(tokens) == 0 {
		t := sentences.NewToken(text)
		t.Position = len(text)
		tokens = append(tokens, t)
	}
	return tokens
}

// isSpaceRune is unicode.IsSpace, quicker for ASCII.
func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// hasSentencePunct reports whether text has what the splitter counts as
// sentence punctuation (its DefaultPunctStrings.HasSentencePunct): . ! ?
// and their CJK forms, looked for apart because strings.ContainsAny is
// slow when its set is not all ASCII.
func hasSentencePunct(text string) bool {
	return strings.ContainsAny(text, ".!?") ||
		strings.Contains(text, "。") || strings.Contains(text, "！") || strings.Contains(text, "？")
}

// joinAfterTitles joins each span that ends in a title or an initial ("Ms.",
// "Gov.", "W.") to the span after it: "Ms. Lerner has done nothing wrong."
// is one sentence, never "Ms." and "Lerner has ...".
func joinAfterTitles(text string, spans [][2]int) [][2]int {
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && endsWithTitle(text[out[n-1][0]:out[n-1][1]]) {
			out[n-1][1] = s[1]
			continue
		}
		out = append(out, s)
	}
	return out
}

// splitAfterNumbers cuts a span where a number ends a sentence and a
// capitalised word starts the next ("... rose 5.2%. The company ...", "...
// in 1987. He said ..."): the splitter takes such a full stop for part of
// the number.
func splitAfterNumbers(text string, spans [][2]int) [][2]int {
	var out [][2]int
	for _, s := range spans {
		a := s[0]
		for i := s[0]; i < s[1]; i++ {
			if text[i] != '.' {
				continue
			}
			if cut := sentenceEndAfterNumber(text[:s[1]], i); cut > 0 {
				out = append(out, [2]int{a, cut})
				a = cut
			}
		}
		out = append(out, [2]int{a, s[1]})
	}
	return out
}

// sentenceEndAfterNumber reports where a sentence ends when the full stop
// at text[dot] closes a number (digits, perhaps a per cent sign) and
// whitespace and a capitalised word (perhaps after an opening quote)
// follow; else 0. The cut is just past the stop and any closing quotes.
func sentenceEndAfterNumber(text string, dot int) int {
	i := dot - 1
	if i >= 0 && text[i] == '%' {
		i--
	}
	if i < 0 || text[i] < '0' || text[i] > '9' {
		return 0
	}
	j := dot + 1
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !strings.ContainsRune(closingQuotes, r) {
			break
		}
		j += n
	}
	cut := j
	k := j
	for k < len(text) && isSpaceByte(text[k]) {
		k++
	}
	if k == j {
		return 0
	}
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !strings.ContainsRune(openingQuotes, r) {
			break
		}
		k += n
	}
	r, _ := utf8.DecodeRuneInString(text[k:])
	if !unicode.IsUpper(r) {
		return 0
	}
	return cut
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// markHeadline finds the article's headline among its first lines, marks
// section labels above it and later repeats of it (image alt text) as
// furniture, and returns it.
func markHeadline(lines []line) string {
	for i := range lines {
		l := &lines[i]
		if l.kind != "" {
			continue
		}
		// A one- or two-word label ("World") above another short line
		// is a section name, not the headline.
		words := len(strings.Fields(l.text))
		if words <= 2 && isHeading(l.text) && nextIsHeading(lines[i+1:]) {
			l.kind = "section label"
			continue
		}
		if words > 25 {
			return ""
		}
		title := strings.TrimRight(l.text, ".")
		for j := i + 1; j < len(lines); j++ {
			if lines[j].kind == "" && strings.EqualFold(strings.TrimRight(lines[j].text, "."), title) {
				lines[j].kind = "repeated headline"
			}
		}
		return title
	}
	return ""
}

func nextIsHeading(rest []line) bool {
	for _, l := range rest {
		if l.kind == "" {
			return isHeading(l.text)
		}
	}
	return false
}

// splitLines returns the non-blank lines of data from offset from, trimmed.
func splitLines(data []byte, from int) []line {
	var out []line
	for i := from; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		end := len(data)
		if j >= 0 {
			end = i + j
		}
		a, b := i, end
		for a < b && isSpaceByte(data[a]) {
			a++
		}
		for b > a && isSpaceByte(data[b-1]) {
			b--
		}
		if a < b {
			out = append(out, line{text: string(data[a:b]), start: a, end: b})
		}
		i = end + 1
	}
	return out
}

// splitFrontMatter parses a YAML header fenced by "---" lines, if the file
// starts with one, and returns where the body begins.
func splitFrontMatter(data []byte) (frontMatter, int, error) {
	var fm frontMatter
	data0 := data
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	skip := len(data0) - len(data)
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return fm, skip, nil
	}
	first := bytes.IndexByte(data, '\n') + 1
	for i := first; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		end := len(data)
		if j >= 0 {
			end = i + j
		}
		l := bytes.TrimRight(data[i:end], "\r \t")
		if string(l) == "---" || string(l) == "..." {
			var ok bool
			if fm, ok = simpleFrontMatter(data[first:i]); !ok {
				if err := yaml.Unmarshal(data[first:i], &fm); err != nil {
					return fm, 0, fmt.Errorf("front matter does not parse: %w", err)
				}
			}
			return fm, skip + min(end+1, len(data)), nil
		}
		i = end + 1
	}
	return fm, 0, errors.New("front matter has no closing --- line")
}

// simpleFrontMatter reads front matter of the shape nearly every article
// has, one `key: value` line for each of its text fields, the value
// double-quoted or a plain word run, and says whether it could. It reads
// them as yaml.Unmarshal does, at a twentieth of the cost (the YAML parser
// was a fifth of reading a Reuters article); anything else (lists,
// comments, escapes, other keys, blank lines, unusual characters) is left
// to yaml.Unmarshal.
func simpleFrontMatter(b []byte) (frontMatter, bool) {
	var fm frontMatter
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		key, raw, ok := bytes.Cut(line, []byte(": "))
		if !ok {
			return fm, false
		}
		var field *string
		switch string(key) {
		case "title":
			field = &fm.Title
		case "source":
			field = &fm.Source
		case "url":
			field = &fm.URL
		case "published":
			field = &fm.Published
		case "date":
			field = &fm.Date
		case "author":
			field = &fm.Author
		default:
			return fm, false
		}
		value, ok := simpleScalar(string(raw))
		if !ok || *field != "" || value == "" {
			return fm, false // a key twice is an error, left to yaml
		}
		*field = value
	}
	return fm, true
}

// simpleScalar reads a YAML value made only of printable ASCII and
// two- and three-byte UTF-8 letters: "double-quoted" with no quote or
// backslash inside, or plain, starting with a letter or digit and holding
// nothing YAML reads as a comment or a mapping. A plain null reads as "".
func simpleScalar(v string) (string, bool) {
	quoted := len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"'
	if quoted {
		v = v[1 : len(v)-1]
	} else if v == "" || !isASCIIAlnum(v[0]) || v[len(v)-1] == ' ' || v[len(v)-1] == ':' ||
		strings.Contains(v, ": ") || strings.Contains(v, " #") {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"' || c == '\\':
			return "", false
		case c >= 0x20 && c < 0x7f:
		case c >= 0xc3 && c <= 0xec: // a letter of Latin-1 and on, up to the surrogates
			n := 2
			if c >= 0xe0 {
				n = 3
			}
			if i+n > len(v) || !utf8.ValidString(v[i:i+n]) || v[i:i+n] == "\u2028" || v[i:i+n] == "\u2029" {
				return "", false // YAML breaks lines at U+2028 and U+2029
			}
			i += n - 1
		default:
			return "", false
		}
	}
	if !quoted && (v == "null" || v == "Null" || v == "NULL") {
		return "", true
	}
	return v, true
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// parseDate reads YYYY-MM-DD or RFC 3339; the empty string is the zero time.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{briefbot.DateLayout, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700 MST"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD or RFC 3339)", s)
}

// datePatterns are the written dates dateInText looks for, compiled when
// first needed: a query that reads no file never pays for them.
var datePatterns = sync.OnceValues(func() (monthDayYear, dayMonthYear *regexp.Regexp) {
	return regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? (\d{1,2}),? (\d{4})\b`),
		regexp.MustCompile(`\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b`)
})

// dateInText finds the first full date written in text ("December 8,
// 2025", "8 December 2025").
func dateInText(text string) time.Time {
	type found struct {
		at             int
		day, mon, year string
	}
	var best *found
	monthDayYear, dayMonthYear := datePatterns()
	if m := monthDayYear.FindStringSubmatchIndex(text); m != nil {
		best = &found{m[0], text[m[4]:m[5]], text[m[2]:m[3]], text[m[6]:m[7]]}
	}
	if m := dayMonthYear.FindStringSubmatchIndex(text); m != nil && (best == nil || m[0] < best.at) {
		best = &found{m[0], text[m[2]:m[3]], text[m[4]:m[5]], text[m[6]:m[7]]}
	}
	if best == nil {
		return time.Time{}
	}
	mon := best.mon
	if len(mon) > 3 {
		mon = mon[:3]
	}
	t, err := time.Parse("2 Jan 2006", best.day+" "+mon+" "+best.year)
	if err != nil {
		return time.Time{}
	}
	return t
}
