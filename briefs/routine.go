package briefs

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// This file recognises routine items: results and dividend tables, price
// ticks, market open and close reports and notices of new issues. They
// are news of a kind, but a briefing that quotes them tells no story, and
// on a wire they outnumber the stories. They are recognised by their
// shape (figures set against figures, a price moving by so many units, a
// payable and a record date), not by a list of outlets' headlines.

// shape is a regular expression over lower-cased text, tried only when
// the text holds one of its cue strings (most sentences hold none, and
// the expressions are slow): what a routine line looks like.
type shape struct {
	cues  []string
	digit bool // the text must hold a figure
	re    *regexp.Regexp
}

// newShape makes a shape; cues are separated by "|".
func newShape(cues string, digit bool, pattern string) shape {
	return shape{cues: strings.Split(cues, "|"), digit: digit, re: regexp.MustCompile(pattern)}
}

func (s shape) match(lower string, digit bool) bool {
	if s.digit && !digit {
		return false
	}
	for _, c := range s.cues {
		if strings.Contains(lower, c) {
			return s.re.MatchString(lower)
		}
	}
	return false
}

// Words that say a price moved or how a market traded.
const (
	moveWords    = `(?:higher|lower|steady|firmer|easier|mixed|unchanged|weaker|stronger|quiet|flat)`
	sessionVerbs = `(?:opened|closed|ended|finished|settled)`
	unitWords    = `(?:cents?|cts|points?|ticks?|yen|pfennigs?|centimes|stg|basis points)`
)

// routineSentenceShapes are sentences that read as routine wherever they
// appear. They are compiled when a briefing first needs them: the
// bounded repeats make them slow to compile, and a query never uses them.
var routineSentenceShapes = sync.OnceValue(func() []shape {
	return []shape{
		// a table line: "Shr 12 cts vs 10 cts", "Net 1.2 mln vs 900,000"
		newShape(" vs", true, `\d\S*\s+(?:mln|billion|bln|dlrs?|cts?|pct|pence|yen|marks)?\s*vs\.?\s+\S*\d`),

		// dividends and their dates
		newShape("payable|record", false, `\b(?:dividend|div|payout|distribution)\b.{0,120}\b(?:payable|record)\b`),
		newShape("record", true, `\b(?:payable|pay)\s+(?:on\s+)?[a-z]+\s+\d{1,2}\b.{0,60}\brecord\b`),
		newShape(" div", false, `\b(?:qtly|quarterly|qtrly)\s+div\b`),
		// a price moving by so many units, a market opening or closing
		newShape("cent|cts|point|tick|yen|pfennig|centime|stg", true, `\b(?:rose|fell|gained|lost|eased|firmed|dropped|climbed|slipped|declined|advanced|edged|was|were|up|down|off)\s+(?:up\s+|down\s+)?[\d.,/ -]*\d\s*`+unitWords+`\b`),
		newShape("lower|higher|easier|firmer|weaker|stronger", true, `\d\s*(?:cents?|cts|points?|dlrs?|pct)\s+(?:lower|higher|easier|firmer|weaker|stronger)\b`),
		newShape("opened|closed|ended|finished|settled", false, `\b(?:futures|prices|index|shares|stocks|bonds|dollar|sterling|yen|market|bourse|gold|silver)\b.{0,60}\b`+sessionVerbs+`\b.{0,30}\b`+moveWords+`\b`),
		newShape("opened|closed|ended|finished|settled", false, `\b`+sessionVerbs+`\s+(?:the\s+day\s+|the\s+session\s+)?(?:sharply\s+|slightly\s+|marginally\s+)?`+moveWords+`\b`),
		newShape("in quiet|in thin|in light|in active|in moderate|in heavy|in dull|in nervous|in hectic|in slow", false, `\bin (?:quiet|thin|light|active|moderate|heavy|dull|nervous|hectic|slow) (?:early |late |afternoon |morning )?(?:trading|trade|session|dealings)\b`),
		newShape("futures|contract", true, `\b(?:futures|contracts?)\b.{0,80}\b(?:cents?|cts|points?)\b.{0,20}\b(?:higher|lower|up|down|off)\b`),
		// results against the year before
		newShape("year earlier|year ago|year before|year-|last year|prior year", false, `\b(?:net income|net loss|net profit|earnings|profits?|loss|revenues?|sales|turnover)\b.{0,80}\b(?:against|compared with|compared to|versus|from)\b.{0,60}\b(?:a year (?:earlier|ago|before)|year-(?:earlier|ago)|last year|prior year|the year-ago)\b`),
		newShape(" ended", true, `\b(?:quarter|year|months?|weeks?) ended\b.{0,60}\d`),
		// notices: the terms of a new issue, a filing for one, a rating
		newShape("priced at|coupon|lead manag|co-lead|issue price|fee", true, `\b(?:priced at|coupon|lead manag(?:er|ed)|co-lead|issue price|fees? total)\b.{0,80}\d`),
		newShape("issuing|offering", false, `\b(?:issuing|offering)\b.{0,60}\b(?:bonds?|notes|debentures|warrants|eurobonds?)\b.{0,80}\b(?:due|priced|paying|coupon)\b`),
		// a central bank's daily operations in the money market
		newShape("money market", false, `\b(?:provided|gave|given|offered|injected|drained|added|supplied)\b.{0,60}\bmoney market\b.{0,60}\b(?:assistance|help|liquidity)\b`),
		newShape("filed", false, `\bfiled\b.{0,60}\b(?:registration statement|shelf|proposed (?:public )?offering|offering of)\b`),
		newShape("upgrade|downgrade|affirmed|creditwatch", false, `\b(?:may upgrade|may downgrade|upgraded|downgraded|affirmed|placed .{0,40}on creditwatch|reviewing .{0,40}for (?:possible )?(?:upgrade|downgrade))\b.{0,120}\b(?:debt|ratings?|securities|bonds|notes|paper|preferred)\b`),
	}
})

// routineTitleShapes are headlines of routine items: results for a
// period, a dividend, a market's session.
var routineTitleShapes = sync.OnceValue(func() []*regexp.Regexp {
	return compileAll(
		`\b(?:1st|2nd|3rd|4th|first|second|third|fourth|q[1-4]|qtr|quarter|year|mths?|months?|nine|six)\b.*\b(?:net|loss|profit|earnings|results|sales|revenues?)\s*$`,
		`\b(?:net|loss|profit|earnings)\b\s*$`,
		`\b(?:dividend|div|payout|distribution)s?\b`,
		`\b(?:opens?|opened|closes?|closed|midday|midsession|settles?|settled)\b\s+(?:higher|lower|steady|firmer|easier|mixed|quiet|unchanged|weaker|stronger|up|down|off)\b`,
		`\b(?:higher|lower|steady|firmer|easier|mixed|unchanged)\s+(?:at|in)\s+(?:the\s+)?(?:opening|open|close|closing|midday|midsession)\b`,
	)
})

func compileAll(patterns ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(`(?i)` + p)
	}
	return out
}

// routineSentence says whether a sentence reads as a routine item: a
// table line, a price tick, a dividend, results against a year before,
// the terms of an issue.
func routineSentence(text string) bool {
	if figureHeavy(text) {
		return true
	}
	lower := strings.ToLower(text)
	digit := strings.ContainsAny(text, "0123456789")
	if tableLine(lower) {
		return true
	}
	for _, s := range routineSentenceShapes() {
		if s.match(lower, digit) {
			return true
		}
	}
	return false
}

// routineTitle says whether a headline announces a routine item.
func routineTitle(title string) bool {
	for _, re := range routineTitleShapes() {
		if re.MatchString(title) {
			return true
		}
	}
	return false
}

// figureHeavy says a line is more figures than words: one digit for
// every three letters or more.
func figureHeavy(text string) bool {
	letters, digits := 0, 0
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return digits*figuresPerLetter >= letters && digits > 0
}

// figuresPerLetter: a line with a digit for every three letters or more
// is a table of figures, not a statement.
const figuresPerLetter = 3

// routineShare is the part of an article's sentences above which the
// article as a whole is a routine item: most of what it says is ticks,
// tables or terms.
const routineShare = 0.4

// routineArticle says whether an article is a routine item, given its
// title and its sentences' routine flags.
func routineArticle(title string, flags []bool) bool {
	if routineTitle(strings.TrimSpace(title)) {
		return true
	}
	if len(flags) == 0 {
		return true
	}
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	// The lead sets out what an article is: a routine lead with more
	// routine lines after it is a routine item.
	return float64(n) > routineShare*float64(len(flags)) || flags[0] && n*4 >= len(flags)
}

// tableLabels open the lines of a results or dividend table ("Shr 12 cts
// vs 10 cts", "Qtly div 15 cts").
var tableLabels = []string{"shr", "net", "revs", "rev", "sales", "oper", "avg shrs", "qtly div", "div", "note"}

// tableLine says whether a lower-cased line opens with a table label.
func tableLine(lower string) bool {
	lower = strings.TrimSpace(lower)
	for _, l := range tableLabels {
		if strings.HasPrefix(lower, l) {
			rest := lower[len(l):]
			if rest == "" || !unicode.IsLetter([]rune(rest)[0]) {
				return true
			}
		}
	}
	return false
}
