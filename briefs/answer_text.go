package briefs

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// This file holds the per-sentence text checks ranking runs on every
// candidate: word splitting, what a question type needs (a date, a quote,
// a person) and the analysed terms of a sentence. They are hand-written
// scanners rather than regular expressions, since they run on every
// candidate of every answer.

// wordSpans calls fn with each word of s: a run of letters and digits,
// with inner apostrophes, dots and hyphens kept ("u.s", "28-point",
// "russia's").
func wordSpans(s string, fn func(w string)) {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		i += n
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				i += n
				continue
			}
			if r == '.' || r == '\'' || r == '’' || r == '-' {
				if r2, n2 := utf8.DecodeRuneInString(s[i+n:]); i+n < len(s) && isWordRune(r2) {
					i += n + n2
					continue
				}
			}
			break
		}
		fn(s[start:i])
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// words lower-cases s and splits it into words, with curly apostrophes
// made straight and possessive 's dropped.
func words(s string) []string {
	var ws []string
	wordSpans(strings.ToLower(s), func(w string) {
		if strings.ContainsRune(w, '’') {
			w = strings.ReplaceAll(w, "’", "'")
		}
		ws = append(ws, strings.TrimSuffix(w, "'s"))
	})
	return ws
}

// reportedSpeech is how far a sentence that reports speech without
// quotation marks ("he said the talks ...") meets a question wanting a
// quote: it says what was said, not in the speaker's words.
const reportedSpeech = 0.5

// fullPeople is how many people a sentence names to fully answer a
// question wanting people: a who-answer lists several.
const fullPeople = 3

// needs scores how well a sentence (its text, and its words as words
// makes them) shows what a question type needs.
func needs(kind, text string, ws []string) float64 {
	switch kind {
	case "date":
		if hasDate(ws) {
			return 1
		}
	case "quote":
		if hasQuote(text) {
			return 1
		}
		if reports(ws) {
			return reportedSpeech
		}
	case "person":
		return math.Min(1, float64(len(people(text)))/fullPeople)
	case "amount":
		return hasAmount(text, ws)
	case "count":
		return hasCount(ws)
	case "place":
		return hasPlace(text)
	case "reason":
		return hasReason(ws)
	}
	return 0
}

var (
	amountUnits = set("million", "billion", "trillion", "mln", "bln", "bn", "percent", "pct", "cents", "cent", "dollars", "dlrs", "euros", "pounds", "yen", "yuan", "francs", "marks", "stg")
	// currencies may also stand before the sum: "Pounds 4m", "stg 12 mln".
	currencies = set("dollars", "dlrs", "euros", "pounds", "yen", "yuan", "francs", "marks", "stg")
	// measures are the units a quantity other than money comes in: how
	// much snow, time or oil.
	measures = set("inch", "inches", "foot", "feet", "mile", "miles", "yards", "meters", "metres", "kilometers", "kilometres", "km", "acres", "hectares",
		"tons", "tonnes", "ounces", "kg", "kilograms", "grams", "gallons", "liters", "litres", "barrels", "bushels", "degrees", "mph",
		"seconds", "minutes", "hours", "days", "weeks", "months", "years")
	numberWords = set("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand", "thousands", "dozen", "dozens", "million", "millions", "billion")
	placeWords  = set("in", "at", "near", "from", "outside", "across", "inside", "to")
	// strongReason and weakReason are the words that give a cause
	// outright, and those that may only give a sequence ("after").
	strongReason = set("because", "citing", "cited", "reason", "reasons", "caused", "owing", "prompted", "triggered", "blamed")
	weakReason   = set("after", "amid", "since", "following", "so")
)

// hasAmount scores a sum or share: a currency sign before a number (1),
// a number before a unit of money or share ("2 billion", "12 pct"), or a
// currency before a number ("Pounds 4m").
func hasAmount(text string, ws []string) float64 {
	for i := 0; i+1 < len(text); i++ {
		if strings.ContainsRune("$£€¥%", rune(text[i])) || strings.HasPrefix(text[i:], "€") || strings.HasPrefix(text[i:], "£") {
			return 1
		}
	}
	for i, w := range ws {
		if i+1 < len(ws) && ((isNumber(w) || numberWords[w]) && amountUnits[ws[i+1]] || currencies[w] && isSum(ws[i+1])) {
			return 1
		}
	}
	return 0
}

// isSum reports whether w is a number, or one with a short unit of
// millions or thousands after it: "4m", "1.2bn", "300k".
func isSum(w string) bool {
	for _, suffix := range []string{"bn", "mln", "bln", "m", "k"} {
		if n, ok := strings.CutSuffix(w, suffix); ok {
			return isNumber(n)
		}
	}
	return isNumber(w)
}

// hasQuantity reports whether a sentence shows how much of anything: a
// sum or share, or a number before a unit of measure ("8 to 12 inches",
// "three years").
func hasQuantity(text string, ws []string) bool {
	if hasAmount(text, ws) > 0 {
		return true
	}
	for i, w := range ws {
		if (isNumber(w) || numberWords[w]) && i+1 < len(ws) && measures[ws[i+1]] {
			return true
		}
	}
	return false
}

// hasCount scores a number of things: a number that is not a year.
func hasCount(ws []string) float64 {
	for i, w := range ws {
		if isNumber(w) && !isYear(w) || numberWords[w] && i+1 < len(ws) && !amountUnits[ws[i+1]] {
			return 1
		}
	}
	return 0
}

func isNumber(w string) bool {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !(w[i] >= '0' && w[i] <= '9' || w[i] == '.' || w[i] == ',') {
			return false
		}
	}
	return true
}

// hasPlace scores a named place: a capitalised word after "in", "at",
// "near" ... that is not a month or a day.
func hasPlace(text string) float64 {
	toks := strings.Fields(text)
	for i := 0; i+1 < len(toks); i++ {
		if placeWords[strings.ToLower(toks[i])] && capitalised(toks[i+1]) && !calendarWord(strings.Trim(toks[i+1], ",.;:")) {
			return 1
		}
	}
	return 0
}

// hasReason scores a cause: 1 for words that give one outright
// ("because", "due to", "as a result of"), a half for those that may only
// tell what came first ("after").
func hasReason(ws []string) float64 {
	r := 0.0
	for i, w := range ws {
		next := ""
		if i+1 < len(ws) {
			next = ws[i+1]
		}
		switch {
		case strongReason[w], w == "due" && next == "to", w == "result" && next == "of", w == "thanks" && next == "to", w == "in" && next == "order":
			return 1
		case weakReason[w]:
			r = weakCause
		}
	}
	return r
}

// weakCause is what a word that may only give a sequence is worth as a
// reason.
const weakCause = 0.5

var (
	monthNames = set("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
	monthAbbrs = set("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
	dayWords   = set("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "tonight")
	// reportWord is the verbs of reported speech, and those by which news
	// reports a reaction ("denied", "dismissed"): the answer to "how did
	// X respond".
	reportWord = set("said", "says", "stated", "states", "told", "tells", "emphasized", "emphasised", "warned", "insisted", "argued", "added", "noted", "stressed", "reiterated", "announced", "declared", "urged", "denied", "denies", "dismissed", "disputed", "responded", "rejected", "criticized", "criticised", "condemned", "claimed", "acknowledged", "admitted", "explained", "asserted", "maintained", "countered", "replied", "wrote", "tweeted", "complained", "conceded", "cautioned",
		"saying", "telling", "adding", "noting", "warning", "insisting", "arguing", "reported", "reporting")
	personTitles = set("President", "Minister", "Secretary", "Envoy", "envoy", "General", "Chancellor", "Premier", "Senator", "Governor", "Mayor", "Chief", "Director", "Ambassador", "King", "Queen", "Prince", "Pope", "Mr", "Mrs", "Ms", "Dr", "negotiator", "spokesman", "spokeswoman", "spokesperson", "adviser", "advisor", "CEO", "chairman", "chairwoman")
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// hasDate reports whether words name a date, a day or a year: "1987",
// "March 3", "3 March", "Tuesday", "2025-12-01", "last week".
func hasDate(ws []string) bool {
	for i, w := range ws {
		switch {
		case dayWords[w]:
			return true
		case isYear(w):
			return true
		case len(w) == 10 && w[4] == '-' && w[7] == '-' && digits(w[:4]) && digits(w[5:7]) && digits(w[8:]) && (w[:2] == "19" || w[:2] == "20"):
			return true
		case (w == "this" || w == "last") && i+1 < len(ws) && ws[i+1] == "week":
			return true
		case monthNames[w] || monthAbbrs[w]:
			if i+1 < len(ws) && dayNumber(ws[i+1]) {
				return true
			}
			if monthNames[w] && i > 0 && dayNumber(ws[i-1]) {
				return true
			}
		}
	}
	return false
}

// isYear: 1500 to 2099.
func isYear(w string) bool {
	return len(w) == 4 && digits(w) && (w[0] == '1' && w[1] >= '5' || w[:2] == "20")
}

func dayNumber(w string) bool { return len(w) <= 2 && digits(w) }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hasQuote reports quotation marks: double ones anywhere, or a single one
// opening before a letter at a word's start or closing after a letter
// (and maybe a stop) at a word's end.
func hasQuote(text string) bool {
	if strings.ContainsAny(text, "\"“”") {
		return true
	}
	var prev, prev2 rune = ' ', ' '
	for i, r := range text {
		next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
		atEnd := i+utf8.RuneLen(r) >= len(text) || unicode.IsSpace(next)
		switch r {
		case '\'', '‘':
			if unicode.IsSpace(prev) && unicode.IsLetter(next) {
				return true
			}
		}
		switch r {
		case '\'', '’':
			if atEnd && (unicode.IsLetter(prev) || strings.ContainsRune(".,!?", prev) && unicode.IsLetter(prev2)) {
				return true
			}
		}
		prev2, prev = prev, r
	}
	return false
}

// reports reports a verb of saying among words, or "according to".
func reports(ws []string) bool {
	for i, w := range ws {
		if reportWord[w] || w == "according" && i+1 < len(ws) && ws[i+1] == "to" {
			return true
		}
	}
	return false
}

// people finds names of people in text: runs of two or more capitalised
// words not at the start of the sentence, or a capitalised word after a
// title ("envoy Witkoff").
func people(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	toks := strings.Fields(text)
	for i := 0; i < len(toks); i++ {
		if !capitalised(toks[i]) || i == 0 {
			continue
		}
		j := i
		for j < len(toks) && capitalised(toks[j]) {
			j++
			if strings.ContainsAny(toks[j-1], ",.;:") {
				break
			}
		}
		if j-i >= 2 {
			name := strings.Trim(strings.Join(toks[i:j], " "), ",.;:'’\"“”")
			if !notAName[strings.Fields(name)[0]] {
				add(name)
			}
		}
		i = j - 1
	}
	for i := 0; i+1 < len(toks); i++ {
		t := strings.TrimSuffix(strings.TrimLeftFunc(toks[i], func(r rune) bool { return !unicode.IsLetter(r) }), ".")
		if !personTitles[t] {
			continue
		}
		next := toks[i+1]
		r, _ := utf8.DecodeRuneInString(next)
		if r < 'A' || r > 'Z' {
			continue
		}
		end := len(next)
		for k, r := range next {
			if !unicode.IsLetter(r) && r != '\'' && r != '-' {
				end = k
				break
			}
		}
		if end > 1 {
			add(next[:end])
		}
	}
	return out
}

var notAName = map[string]bool{"The": true, "A": true, "An": true, "In": true, "On": true, "For": true, "And": true, "But": true, "United": true, "European": true, "State": true, "Department": true}

func capitalised(tok string) bool {
	r := []rune(strings.TrimLeft(tok, "\"“‘'("))
	return len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1])
}

// termCache remembers what the index's analyser makes of each
// whitespace-separated chunk of text, and the chunk's words, so a chunk
// seen in an earlier sentence or answer is not analysed again. The
// analyser's tokens and our words never span whitespace, and the
// analyser's filters (possessive, lower case, stop words, stemming) look
// at one token at a time, so a text's terms are its chunks' terms in
// order.
type termCache struct {
	mu     sync.Mutex
	chunks map[string]chunkTerms
}

type chunkTerms struct{ terms, words []string }

// maxCachedChunks bounds the cache: past it, it starts again empty.
const maxCachedChunks = 200_000

// analyze returns the terms the index makes of text (analyzer is the
// index's) and, when words is true, text's words as words makes them.
func (tc *termCache) analyze(text string, analyzer func(string) []string, withWords bool) (terms, ws []string) {
	chunks := strings.Count(text, " ") + 1 // about one word each
	terms = make([]string, 0, chunks)
	if withWords {
		ws = make([]string, 0, chunks+chunks/4)
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.chunks == nil || len(tc.chunks) > maxCachedChunks {
		tc.chunks = make(map[string]chunkTerms, 4096)
	}
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += n
			continue
		}
		start := i
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if isSpace(r) {
				break
			}
			i += n
		}
		chunk := text[start:i]
		ct, ok := tc.chunks[chunk]
		if !ok {
			ct = chunkTerms{terms: analyzer(chunk), words: words(chunk)}
			tc.chunks[strings.Clone(chunk)] = ct
		}
		terms = append(terms, ct.terms...)
		if withWords {
			ws = append(ws, ct.words...)
		}
	}
	return terms, ws
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// sentenceTerms is what featurize needs of a sentence's text (see
// candidate): its terms in order, sorted once each, its words and its
// words joined. The sentences of the articles a question is about come
// back in the next questions on the story, and working them out again
// (chunk by chunk through termCache, a sort, a join) was a fifth of an
// answer's time and a third of its allocations, so a.sents keeps them.
// The slices are shared by every candidate of the sentence and must not
// be changed.
type sentenceTerms struct {
	seq, terms, words []string
	text              string
}

// maxCachedSentences bounds a.sents (a sentence's entry, with its text,
// is about 2 kB; 4 MB in all). It holds the pools of the last thirty or
// so answers.
const maxCachedSentences = 2048

// sentence returns text's terms and words, from a.sents when it has them.
// They depend on the analyser alone, not the index's contents.
func (a *Answerer) sentence(text string) *sentenceTerms {
	if st, ok := a.sents.get(0, text); ok {
		return st
	}
	seq, ws := a.terms.analyze(text, a.Index.Analyze, true)
	terms := slices.Clone(seq)
	slices.Sort(terms)
	st := &sentenceTerms{seq: slices.Clip(seq), terms: slices.Clip(slices.Compact(terms)), words: slices.Clip(ws), text: strings.Join(ws, " ")}
	a.sents.put(0, text, st, maxCachedSentences)
	return st
}
