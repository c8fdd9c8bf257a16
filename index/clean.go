package index

import (
	"regexp"
	"strings"
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
}

var furnitureRules = []furnitureRule{
	// "James Thompson3 min read", "By Jane Doe · 5 minute read"
	{"read time", regexp.MustCompile(`(?i)\d+\s*(min|mins|minute|minutes)\.?\s+read\s*$`), 120},
	{"byline", regexp.MustCompile(`^(?i:by)\s+\p{Lu}[\p{L}.'’-]*(\s+(\p{Lu}[\p{L}.'’-]*|and|&|de|van|von))*\s*(,.*|\|.*|·.*)?$`), 120},
	// "Published", "Updated: 3 March 2025 14:02 GMT", "Posted 2 hours ago"
	{"published", regexp.MustCompile(`(?i)^(published|updated|last updated|posted)(\s*(on|at)?\s*[:\-–—]?\s*\S*\d[\p{L}\d ,.:/\-]*)?$`), 60},
	{"listen", regexp.MustCompile(`(?i)^listen to (this|the) (article|story|episode)`), 120},
	{"share", regexp.MustCompile(`(?i)^(share|tweet|email|print|save)( (this|the))?( (article|story|page|post|on \w+))?\s*:?$`), 60},
	{"source line", regexp.MustCompile(`(?i)^(image |photo |picture |video )?(sources?|credits?|via)\s*:`), 200},
	{"caption", regexp.MustCompile(`(?i)^(ai[- ]generated (illustration|image|photo)|illustration|file photo|photo|image|picture|photograph|credit)s?\s*(:|by\b|©|$)`), 200},
	{"photo agency", regexp.MustCompile(`(?i)^[\p{L} .'-]+(/[\p{L} .'-]+)*/\s*(getty images|afp|reuters|ap|unsplash|shutterstock|epa|alamy|pexels)(/[\p{L} .'-]+)*$`), 120},
	{"comments", regexp.MustCompile(`(?i)^(\d+\s+)?comments?\s*(\(\d*\))?$`), 40},
	{"section links", regexp.MustCompile(`(?i)^(more (in|from|on) [\p{L}\d &'-]+|related( articles| stories| content)?|read more|recommended|trending( now)?|most read|see also|advertisement|- advertisement -|sponsored( content)?|discussion|join the (conversation|discussion)|sign up( for [\p{L} ]+)?|subscribe( now)?|newsletter|follow us( on [\p{L} ]+)?)\s*:?$`), 60},
	{"sign-off", regexp.MustCompile(`(?i)^(written|reported|edited|compiled|produced|additional reporting|reporting) by\b`), 240},
	{"copyright", regexp.MustCompile(`(?i)^(©|\(c\)|copyright\b|all rights reserved)`), 160},
}

// languageNames are the names language pickers show, in their own language.
var languageNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Split("english|deutsch|français|francais|español|espanol|português|portugues|italiano|nederlands|polski|русский|українська|український|беларуская|български|čeština|cestina|dansk|svenska|norsk|suomi|magyar|română|romana|ελληνικά|türkçe|turkce|עברית|العربية|فارسی|हिन्दी|বাংলা|日本語|中文|简体中文|繁體中文|한국어|bahasa indonesia|bahasa melayu|tiếng việt|ไทย|hrvatski|srpski|slovenčina|slovenščina|eesti|latviešu|lietuvių|català|galego|euskara|gaeilge|kiswahili|filipino", "|") {
		m[n] = true
	}
	return m
}()

// furniture reports which rule, if any, marks line (already trimmed) as
// page furniture.
func furniture(line string) string {
	if languageNames[strings.ToLower(line)] {
		return "language list"
	}
	for _, r := range furnitureRules {
		if len(line) <= r.maxLen && r.re.MatchString(line) {
			return r.name
		}
	}
	return ""
}

// endsSentence reports whether line ends like a sentence does: with a full
// stop, question or exclamation mark, or an ellipsis, perhaps followed by
// closing quotes or brackets.
func endsSentence(line string) bool {
	s := strings.TrimRightFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'”’»)]`, r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!' || r == '…'
}

// isHeading reports whether a line reads as a headline, section heading or
// label rather than prose: short and without sentence-ending punctuation.
func isHeading(line string) bool {
	if endsSentence(line) || len(line) > 150 {
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
