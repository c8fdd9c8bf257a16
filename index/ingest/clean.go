package ingest

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Page furniture is whatever a saved web page carries that is not the
// article: bylines, share buttons, photo credits, comment counters, section
// links, sign-offs and language pickers. Each rule looks at one whole line;
// most only apply to short lines, so that a real sentence which happens to
// start with "Published" or "Source" is kept.
type furnitureRule struct {
	name string
	re   *regexp.Regexp
	// maxLen is the longest line (in bytes) the rule applies to.
	maxLen int
	// lead, when not nil, holds what can match a line's first rune: re is
	// anchored at the line's start, and a line no lead matches is not
	// tried (see leadRunes).
	lead []*syntax.Inst
	// quick, when not nil, is a cheap test every line re matches passes,
	// for a rule that lead cannot help.
	quick func(line string) bool
}

// rule compiles a furniture rule.
func rule(name, expr string, maxLen int) furnitureRule {
	re := regexp.MustCompile(expr)
	return furnitureRule{name: name, re: re, maxLen: maxLen, lead: leadRunes(re)}
}

// needing adds a quick test to a rule.
func (r furnitureRule) needing(quick func(line string) bool) furnitureRule {
	r.quick = quick
	return r
}

// matches reports whether the rule marks line.
func (r *furnitureRule) matches(line string) bool {
	if len(line) > r.maxLen || r.quick != nil && !r.quick(line) {
		return false
	}
	if r.lead != nil && line != "" {
		first, _ := utf8.DecodeRuneInString(line)
		if !slices.ContainsFunc(r.lead, func(in *syntax.Inst) bool { return in.MatchRune(first) }) {
			return false
		}
	}
	return r.re.MatchString(line)
}

// leadRunes returns the instructions of re's program that can match the
// first rune of a match, when re can only match from the start of the text
// and must consume a rune there; else nil. Most lines are prose, which
// most rules reject by their first letter; asking the regexp costs a
// microsecond a rule even then, and that was a fifth of reading a file.
func leadRunes(re *regexp.Regexp) []*syntax.Inst {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(tree.Simplify())
	if err != nil {
		return nil
	}
	var lead []*syntax.Inst
	type state struct {
		pc       uint32
		anchored bool
	}
	seen := map[state]bool{}
	// walk follows the instructions that consume nothing from pc,
	// anchored once the start of the text has been asserted.
	var walk func(pc uint32, anchored bool) bool
	walk = func(pc uint32, anchored bool) bool {
		if seen[state{pc, anchored}] {
			return true
		}
		seen[state{pc, anchored}] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstNop, syntax.InstCapture:
			return walk(in.Out, anchored)
		case syntax.InstAlt, syntax.InstAltMatch:
			return walk(in.Out, anchored) && walk(in.Arg, anchored)
		case syntax.InstEmptyWidth:
			return syntax.EmptyOp(in.Arg) == syntax.EmptyBeginText && walk(in.Out, true)
		case syntax.InstFail:
			return true
		case syntax.InstRune, syntax.InstRune1:
			lead = append(lead, in)
			return anchored
		}
		return false // a match of nothing, any rune, or a word boundary
	}
	if !walk(uint32(prog.Start), false) {
		return nil
	}
	return lead
}

var furnitureRules = sync.OnceValue(func() []furnitureRule {
	return []furnitureRule{
		// "James Thompson3 min read", "By Jane Doe · 5 minute read"
		rule("read time", `(?i)\d+\s*(min|mins|minute|minutes)\.?\s+read\s*$`, 120).needing(func(line string) bool {
			s := strings.TrimRight(line, "\t\n\f\r ")
			return len(s) >= 4 && strings.EqualFold(s[len(s)-4:], "read")
		}),
		rule("byline", `^(?i:by)\s+\p{Lu}[\p{L}.'’-]*(\s+(\p{Lu}[\p{L}.'’-]*|and|&|de|van|von))*\s*(,.*|\|.*|·.*)?$`, 120),
		// "Published", "Updated: 3 March 2025 14:02 GMT", "Posted 2 hours ago"
		rule("published", `(?i)^(published|updated|last updated|posted)(\s*(on|at)?\s*[:\-–—]?\s*\S*\d[\p{L}\d ,.:/\-]*)?$`, 60),
		rule("listen", `(?i)^listen to (this|the) (article|story|episode)`, 120),
		rule("share", `(?i)^(share|tweet|email|print|save)( (this|the))?( (article|story|page|post|on \w+))?\s*:?$`, 60),
		rule("source line", `(?i)^(image |photo |picture |video )?(sources?|credits?|via)\s*:`, 200),
		rule("caption", `(?i)^(ai[- ]generated (illustration|image|photo)|illustration|file photo|photo|image|picture|photograph|credit)s?\s*(:|by\b|©|$)`, 200),
		// Wire-photo captions, by their shape (a full stop inside one is only
		// allowed before a day: "Oct. 3"): "FILE - In this Jan. 5, 2017,
		// file photo, ...", "In this photo taken ...", "This undated picture
		// shows ..."; see also photoCredit.
		rule("file photo", `^FILE\s*[-–—]+\s`, 800),
		rule("caption", `^(In this|This|These)\b(?:[^.]|\.\s\d){0,160}?\b(photos?|images?|pictures?|file photo|frame grab|handout photo|video still)\b(,| (taken|made|released|provided|obtained|shows|showing|from|by)\b)`, 800),
		// A photo gallery's text, captions run together with its counter:
		// "Photos: Crisis in Ukraine – ... Hide Caption 1 of 132 Photos: ...".
		// Such a line may be any length.
		rule("gallery", `^(((Hide|Show)\s+)?(Caption|Photo|Image|Slide)s?\s+\d+\s+of\s+\d+\b|(Photos|Images|Gallery)\s*:)`, maxArticleBytes),
		// A video player's controls run into its caption or a gallery's:
		// "CLOSE Skip in Skip x Embed x Share Late Wednesday afternoon, the
		// president spoke with ...", "AP 1 of 68 Skip in Skip x Embed x
		// Share CLOSE ...". Such a line may be any length.
		rule("video player", `\bSkip in Skip x Embed x Share\b`, maxArticleBytes).needing(func(line string) bool {
			return strings.Contains(line, "Embed x Share")
		}),
		// A parenthesised pointer to other pages: "(PHOTOS: 8 key players in
		// the story)", "(READ: the full statement)".
		rule("aside", `^\(\p{Lu}{2,}[\p{Lu} ]*:[^()]*\)$`, 200),
		rule("photo agency", `(?i)^[\p{L} .'-]+(/[\p{L} .'-]+)*/\s*(getty images|afp|reuters|ap|unsplash|shutterstock|epa|alamy|pexels)(/[\p{L} .'-]+)*$`, 120).needing(func(line string) bool {
			return strings.Contains(line, "/")
		}),
		rule("comments", `(?i)^(\d+\s+)?comments?\s*(\(\d*\))?$`, 40),
		rule("section links", `(?i)^(more (in|from|on) [\p{L}\d &'-]+|related( articles| stories| content)?|read more|recommended|trending( now)?|most read|see also|advertisement|- advertisement -|sponsored( content)?|discussion|join the (conversation|discussion)|sign up( for [\p{L} ]+)?|subscribe( now)?|newsletter|follow us( on [\p{L} ]+)?)\s*:?$`, 60),
		rule("sign-off", `(?i)^(written|reported|edited|compiled|produced|additional reporting|reporting) by\b`, 240),
		rule("copyright", `(?i)^(©|\(c\)|copyright\b|all rights reserved)`, 160),
		// A newsletter's sign-up box, its text run together: "Sign up here
		// for ... Email Sign Up By signing up you agree to receive email
		// newsletters ... You can unsubscribe at any time."
		rule("sign-up", `(?i)(\bby signing up,? you agree\b|\byou can unsubscribe at any time\b)`, 400).needing(func(line string) bool {
			return strings.Contains(line, "igning up") || strings.Contains(line, "nsubscribe")
		}),
		// A caption ending with its photographer and agency, not a full
		// stop: "... on September 20, 2005. Michael Nagle/Getty Images",
		// "... said on Wednesday. Credit Doug Mills/The New York Times".
		rule("caption", `(\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*)+\s*/\s*(Getty Images|AFP|AP|Reuters|EPA|Bloomberg|Corbis|Shutterstock|Alamy)(/[\p{L} .'-]+)*|\bCredit:?\s+\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*)*\s*/\s*\p{Lu}[\p{L}.'’ -]*)$`, 400).needing(func(line string) bool {
			return strings.Contains(line, "/")
		}),
	}
})

// photoCredit marks a caption by the credit it ends with: the photo's
// "(AP Photo/Evan Vucci)", "(Photo: Jane Doe, The Daily News)", the
// photographer's "(Joe Ellis/The Clarion Ledger, via AP, File)", or a
// gallery's caption cut short before its source: "... with whiteout...
// (Associated Press)". It is tried only on lines that end in ")", as it
// has to scan a line to its end.
var photoCredit = sync.OnceValue(func() furnitureRule {
	return rule("caption", `(\((\p{Lu}[\p{L}.&]*\s+)*(Photo|PHOTO|Photos|Image|Picture)\s*(/|:|by\b)[^()]*|(\.\.\.|…)\s*\(\p{Lu}[^()]*|\(\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*)+/\p{Lu}[^()]*)\)$`, 800)
})

// languageNames are the names language pickers show, in their own language.
var languageNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Split("english|deutsch|français|francais|español|espanol|português|portugues|italiano|nederlands|polski|русский|українська|український|беларуская|български|čeština|cestina|dansk|svenska|norsk|suomi|magyar|română|romana|ελληνικά|türkçe|turkce|עברית|العربية|فارسی|हिन्दी|বাংলা|日本語|中文|简体中文|繁體中文|한국어|bahasa indonesia|bahasa melayu|tiếng việt|ไทย|hrvatski|srpski|slovenčina|slovenščina|eesti|latviešu|lietuvių|català|galego|euskara|gaeilge|kiswahili|filipino", "|") {
		m[n] = true
	}
	return m
}()

// longestLanguageName is the longest of languageNames in bytes. Lowering
// a line shortens it by at most two thirds (the Kelvin sign, three bytes,
// lowers to k), so a line longer than three times it is no language name
// and is not lowered to look.
var longestLanguageName = func() int {
	n := 0
	for name := range languageNames {
		n = max(n, len(name))
	}
	return n
}()

// furniture reports which rule, if any, marks line (already trimmed) as
// page furniture.
func furniture(line string) string {
	if len(line) <= 3*longestLanguageName && languageNames[strings.ToLower(line)] {
		return "language list"
	}
	for _, r := range furnitureRules() {
		if r.matches(line) {
			return r.name
		}
	}
	if pc := photoCredit(); strings.HasSuffix(line, ")") && len(line) <= pc.maxLen && pc.re.MatchString(line) {
		return pc.name
	}
	return ""
}

// closingQuotes and openingQuotes are the marks that may stand between a
// sentence's full stop and the next sentence's first letter.
const (
	closingQuotes = `"'”’»)]`
	openingQuotes = `"'“‘«([`
)

// titles are the abbreviated titles written before a name (Mr. Lerner,
// Gov. Cuomo, Sen. Schumer, Lt. Gen. Smith): a closed class of English, so
// listed. Each is followed by a full stop that does not end the sentence.
// "Jr." and "Sr." are left out: they follow a name and often do end one.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "messrs": true, "mmes": true, "mme": true, "mlle": true,
	"dr": true, "prof": true, "rev": true, "fr": true, "msgr": true, "hon": true, "atty": true,
	"gov": true, "sen": true, "rep": true, "reps": true, "sens": true, "pres": true, "amb": true,
	"gen": true, "lt": true, "col": true, "capt": true, "cmdr": true, "adm": true, "maj": true,
	"sgt": true, "cpl": true, "pvt": true, "brig": true, "supt": true, "insp": true, "det": true,
	"st": true,
}

// endsWithTitle reports whether s ends with a title ("... said Ms.") or an
// initial ("... George W."), whose full stop does not end a sentence. A
// capital letter is an initial when it opens s or follows a capitalised
// word (a first name, another initial): "on the platform X." ends one.
func endsWithTitle(s string) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if !strings.HasSuffix(s, ".") {
		return false
	}
	before, word := lastWord(s[:len(s)-1])
	r, n := utf8.DecodeRuneInString(word)
	if !unicode.IsUpper(r) {
		return false
	}
	if n == len(word) {
		before = strings.TrimRightFunc(before, unicode.IsSpace)
		if before == "" {
			return true
		}
		_, prev := lastWord(before)
		r, _ := utf8.DecodeRuneInString(prev)
		return unicode.IsUpper(r)
	}
	return len(word) <= 6 && titles[strings.ToLower(word)]
}

// lastWord splits s before its last word, which runs back to a space or an
// opening quote.
func lastWord(s string) (before, word string) {
	i := strings.LastIndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(openingQuotes, r)
	})
	if i < 0 {
		return "", s
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return s[:i+n], s[i+n:]
}

// introducesList reports whether a line ending in a colon reads as a
// sentence that introduces what follows ("The statement lists three
// principles:"), not a label ("Key points:"): it has at least
// minIntroWords words.
func introducesList(line string) bool {
	return strings.HasSuffix(line, ":") && len(strings.Fields(line)) >= minIntroWords
}

// minIntroWords is the fewest words a colon-ended line has to be quoted as
// a sentence: labels and section names ("Key points:", "What we know so
// far:") have fewer than five.
const minIntroWords = 5

// endsSentence reports whether line ends like a sentence does: with a full
// stop, question or exclamation mark, or an ellipsis, perhaps followed by
// closing quotes or brackets.
func endsSentence(line string) bool {
	s := strings.TrimRightFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(closingQuotes, r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!' || r == '…'
}

// isHeading reports whether a line reads as a headline, section heading or
// label rather than prose: short and without sentence-ending punctuation.
func isHeading(line string) bool {
	if endsSentence(line) || introducesList(line) || len(line) > 150 {
		return false
	}
	return len(strings.Fields(line)) <= 16
}

// hasLetters reports whether s has at least n letters.
func hasLetters(s string, n int) bool {
	c := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			c++
			if c >= n {
				return true
			}
		}
	}
	return false
}
