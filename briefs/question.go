package briefs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"briefbot"
)

// Analysis is what briefbot understands of a question.
type Analysis struct {
	// Text is the question without its inline filters.
	Text string
	// Kind is the question type from the lexicon, nil for free-form.
	Kind *Kind
	// Content is the question's content words: the text less filter
	// words, question words and the phrases that gave the kind away.
	Content string
	// Entities are the names and numbers the question mentions, each with
	// the other names it goes by, lower-cased.
	Entities []Entity
	// Phrases are the question's quoted phrases, as words.
	Phrases [][]string
	// Times are its time expressions ("in March", "last week").
	Times []timeCue
	// Actor is the words of whoever the question asks about when it
	// asks what someone said, did or thinks: those between its auxiliary
	// and the phrase that gave its type away ("the White House" in "how
	// did the White House respond to ...", "Northwestern" in "what is
	// Northwestern's position ..."), less stop words. Empty when the
	// question has no such subject.
	Actor []string
}

// Entity is a name or number in a question.
type Entity struct {
	Text  string
	Names []string // lower-cased word sequences that count as a mention
	// Short is how many of Names, at their end, are short forms of a
	// multi-word name (its last word, "Macron" for "Emmanuel Macron"): a
	// short form is a mention only as the word itself, not as anything
	// that stems like it ("Bowling" is no mention of the Super Bowl).
	Short int
}

// KindName is the question type's name, "free" when none matched.
func (a Analysis) KindName() string {
	if a.Kind == nil {
		return "free"
	}
	return a.Kind.Name
}

// filterRE finds inline filters: source:NAME (or source:"Two Words"),
// since:YYYY-MM-DD, until:YYYY-MM-DD.
var filterRE = regexp.MustCompile(`(?i)\b(source|since|until):("[^"]*"|\S+)`)

// ParseFilters takes inline filters out of a question and sets them on q
// (a filter written in the question wins over one given alongside it).
func ParseFilters(q briefbot.Question) (briefbot.Question, error) {
	if !strings.Contains(q.Text, ":") {
		q.Text = strings.Join(strings.Fields(q.Text), " ")
		return q, nil
	}
	var err error
	q.Text = filterRE.ReplaceAllStringFunc(q.Text, func(m string) string {
		parts := filterRE.FindStringSubmatch(m)
		key, val := strings.ToLower(parts[1]), strings.Trim(parts[2], `"`)
		switch key {
		case "source":
			q.Source = val
		case "since", "until":
			t, perr := time.Parse(briefbot.DateLayout, val)
			if perr != nil {
				err = fmt.Errorf("%s:%s: the date must be YYYY-MM-DD", key, val)
				return m
			}
			if key == "since" {
				q.Since = t
			} else {
				q.Until = t
			}
		}
		return " "
	})
	q.Text = strings.Join(strings.Fields(q.Text), " ")
	return q, err
}

// Analyze finds a question's type, content words and entities.
func (lx *Lexicon) Analyze(text string) Analysis {
	a := Analysis{Text: text}
	ws := words(text)
	used := make([]bool, len(ws))
	first := len(ws) // where the earliest phrase of the type starts
	for i := range lx.Kinds {
		k := &lx.Kinds[i]
		for _, p := range k.Ask {
			if at := p.find(ws); at >= 0 {
				a.Kind = k
				first = min(first, at)
				for j := at; j < at+len(p.words); j++ {
					used[j] = true
				}
			}
		}
		if a.Kind != nil {
			break
		}
	}
	var content []string
	for i, w := range ws {
		if !used[i] && !lx.stopwords[w] {
			content = append(content, w)
		}
	}
	a.Content = strings.Join(content, " ")
	a.Entities = lx.entities(text)
	if a.Kind != nil {
		a.Actor = actorNames(lx.actor(ws, first), a.Entities)
	}
	for _, m := range quotedRE.FindAllStringSubmatch(text, -1) {
		if ws := words(m[1]); len(ws) > 0 {
			a.Phrases = append(a.Phrases, ws)
		}
	}
	a.Times = timeCues(text)
	return a
}

// auxiliaries are the verbs a question puts before its subject: "how
// did [the mayor] react", "what has [Plaskett] said".
var auxiliaries = set("did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "will", "would")

// actor is the subject of a question (its words ws) whose type phrase
// starts at first: the words after its first auxiliary and before that
// phrase, up to a preposition, conjunction or verb of saying ("the
// Republicans in Congress" are the Republicans), less stop words and
// pronouns. None when no auxiliary comes before the phrase ("who met?",
// "when do ...").
func (lx *Lexicon) actor(ws []string, first int) []string {
	aux := slices.IndexFunc(ws[:first], func(w string) bool { return auxiliaries[w] })
	if aux < 0 {
		return nil
	}
	var out []string
	for _, w := range ws[aux+1 : first] {
		if actorEnds[w] || sayVerbs[w] {
			break
		}
		if !lx.stopwords[w] && !pronouns[w] && !auxiliaries[w] {
			out = append(out, w)
		}
	}
	return out
}

// actorNames adds to an actor's words the other names of the question's
// names it holds, one word each ("Moscow" for "Russia"), but for
// abbreviations of two letters, which read as common words once
// lower-cased ("us").
func actorNames(actor []string, entities []Entity) []string {
	for _, e := range entities {
		ew := words(e.Text)
		if len(ew) == 0 || !slices.ContainsFunc(ew, func(w string) bool { return slices.Contains(actor, w) }) {
			continue
		}
		for _, n := range e.Names {
			if !strings.Contains(n, " ") && len(n) > 2 && !slices.Contains(actor, n) {
				actor = append(actor, n)
			}
		}
	}
	return actor
}

// actorEnds end a question's subject: what follows says more of it.
var actorEnds = set("in", "on", "of", "at", "for", "with", "from", "to", "by", "about", "and", "or", "now", "so", "still", "really", "actually", "even")

// pronouns do not name an actor of their own.
var pronouns = set("his", "her", "its", "their", "own", "s", "he", "she", "it", "they", "we", "you", "i", "this", "that", "these", "those")

// find returns where the phrase starts in ws (lower-cased words), or -1.
func (p Phrase) find(ws []string) int {
	for i := range ws {
		if p.matchAt(ws, i) {
			return i
		}
	}
	return -1
}

// entities finds capitalised names (not the question's first word) and
// numbers in a question.
func (lx *Lexicon) entities(text string) []Entity {
	var out []Entity
	var toks []string
	wordSpans(text, func(w string) { toks = append(toks, w) })
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		r := []rune(t)
		switch {
		case unicode.IsDigit(r[0]):
			out = append(out, Entity{Text: t, Names: []string{strings.Join(words(t), " ")}})
		case unicode.IsUpper(r[0]) && i > 0 && t != "I" && !calendarWord(t):
			j := i + 1
			for j < len(toks) && unicode.IsUpper([]rune(toks[j])[0]) {
				j++
			}
			name := strings.Join(toks[i:j], " ")
			name = strings.TrimSuffix(strings.TrimSuffix(name, "'s"), "’s")
			out = append(out, lx.entity(name))
			i = j - 1
		}
	}
	return out
}

// entity makes an Entity of a name, with its aliases.
func (lx *Lexicon) entity(name string) Entity {
	n := strings.Join(words(name), " ")
	e := Entity{Text: name, Names: []string{n}}
	if group, ok := lx.aliases[n]; ok {
		e.Names = group
	} else {
		// A multi-word name is also mentioned by its last word
		// ("Emmanuel Macron" -> "Macron").
		if ws := strings.Fields(n); len(ws) > 1 {
			e.Names = append(e.Names, ws[len(ws)-1])
			e.Short = 1
		}
	}
	return e
}

// quotedRE finds a question's quoted phrases: "the red lines".
var quotedRE = regexp.MustCompile(`["“]([^"“”]{2,80})["”]`)

// timeCue is a time expression in a question ("in March", "last week"),
// resolved against the corpus's dates when answering.
type timeCue struct {
	month int // 1-12, 0 when none
	year  int // 0 when none
	// back is how many days before the newest article the expression
	// reaches ("last week": 7), 0 when it names no span.
	back int
	// startOfYear is "at the start of the year".
	startOfYear bool
}

// relativeSpans are the expressions that count back from the newest
// article, with how many days they reach back.
var relativeSpans = map[string]int{
	"yesterday": 2, "today": 1, "tonight": 1, "this week": 7, "last week": 14, "past week": 7,
	"this month": 31, "last month": 62, "past month": 31, "recent days": 7, "last few days": 7,
	"monday": 7, "tuesday": 7, "wednesday": 7, "thursday": 7, "friday": 7, "saturday": 7, "sunday": 7,
}

// timeCues finds the time expressions in a question.
func timeCues(text string) []timeCue {
	var toks []string
	wordSpans(text, func(w string) { toks = append(toks, w) })
	ws := words(text)
	var out []timeCue
	for i, w := range ws {
		if i >= len(toks) {
			break
		}
		m := monthNumber(w)
		// "may" is a month only when written May, and not first.
		if m == 5 && (toks[i] != "May" || i == 0) {
			m = 0
		}
		switch {
		case m > 0:
			tc := timeCue{month: m}
			if i+1 < len(ws) && isYear(ws[i+1]) {
				tc.year = atoi(ws[i+1])
			}
			out = append(out, tc)
		case isYear(w) && (i == 0 || monthNumber(ws[i-1]) == 0):
			out = append(out, timeCue{year: atoi(w)})
		case (w == "start" || w == "beginning") && i+3 < len(ws) && ws[i+1] == "of" && ws[i+2] == "the" && ws[i+3] == "year":
			out = append(out, timeCue{startOfYear: true})
		default:
			if d, ok := relativeSpans[w]; ok {
				out = append(out, timeCue{back: d})
			} else if i+1 < len(ws) {
				if d, ok := relativeSpans[w+" "+ws[i+1]]; ok {
					out = append(out, timeCue{back: d})
				}
			}
		}
	}
	return out
}

func monthNumber(w string) int {
	for i, m := range monthList {
		if w == m {
			return i + 1
		}
	}
	return 0
}

var monthList = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// focus is what a question pins its story to: quoted phrases and spans
// of days, resolved against the corpus's newest date.
type focus struct {
	phrases [][]string
	spans   [][2]time.Time // [from, to) each
	months  []string       // month names the question gives, lower-cased
	active  bool
}

// focus resolves the question's phrases and time expressions; latest is
// the newest article's date (zero when unknown: time expressions then
// only match sentences that name their month).
func (a Analysis) focus(latest time.Time) focus {
	f := focus{phrases: a.Phrases}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	for _, tc := range a.Times {
		switch {
		case tc.month > 0:
			f.months = append(f.months, monthList[tc.month-1])
			y := tc.year
			if y == 0 && !latest.IsZero() {
				// The latest such month on or before the newest article.
				y = latest.Year()
				if time.Month(tc.month) > latest.Month() {
					y--
				}
			}
			if y > 0 {
				from := time.Date(y, time.Month(tc.month), 1, 0, 0, 0, 0, time.UTC)
				// News about a month's event runs into the next days.
				f.spans = append(f.spans, [2]time.Time{from, from.AddDate(0, 1, spillDays)})
			}
		case tc.year > 0:
			from := time.Date(tc.year, 1, 1, 0, 0, 0, 0, time.UTC)
			f.spans = append(f.spans, [2]time.Time{from, from.AddDate(1, 0, spillDays)})
		case tc.startOfYear && !latest.IsZero():
			from := time.Date(latest.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			f.spans = append(f.spans, [2]time.Time{from, from.AddDate(0, startOfYearMonths, 0)})
		case tc.back > 0 && !latest.IsZero():
			to := day(latest).AddDate(0, 0, 1)
			f.spans = append(f.spans, [2]time.Time{to.AddDate(0, 0, -tc.back-spillDays), to})
		}
	}
	f.active = len(f.phrases) > 0 || len(a.Times) > 0
	return f
}

const (
	// spillDays: reports of an event run a few days past it.
	spillDays = 3
	// startOfYearMonths is how long "the start of the year" lasts.
	startOfYearMonths = 3
)

// match scores how well a sentence (its words) of an article published
// on pub fits the focus: the share of quoted phrases it has, and whether
// its article falls in a span the question names (or, failing that, it
// names the question's month). 0 when the question pins nothing.
func (f focus) match(ws []string, pub time.Time) float64 {
	if !f.active {
		return 0
	}
	parts, sum := 0, 0.0
	if len(f.phrases) > 0 {
		parts++
		n := 0
		for _, p := range f.phrases {
			if containsSeq(ws, p) {
				n++
			}
		}
		sum += float64(n) / float64(len(f.phrases))
	}
	if len(f.spans) > 0 || len(f.months) > 0 {
		parts++
		t := 0.0
		for _, sp := range f.spans {
			if !pub.Before(sp[0]) && pub.Before(sp[1]) {
				t = 1
			}
		}
		if t == 0 {
			for _, m := range f.months {
				if slices.Contains(ws, m) {
					t = namedMonth
				}
			}
		}
		sum += t
	}
	if parts == 0 {
		return 0
	}
	return sum / float64(parts)
}

// inSpan reports whether a date falls in one of the focus's spans.
func (f focus) inSpan(t time.Time) bool {
	for _, sp := range f.spans {
		if !t.Before(sp[0]) && t.Before(sp[1]) {
			return true
		}
	}
	return false
}

// namedMonth is what naming the question's month is worth when the
// article's date does not place it in the span: it may be a forecast
// made before, or a look back.
const namedMonth = 0.5

func containsSeq(ws, seq []string) bool {
	for i := 0; i+len(seq) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

// calendarWord reports a month or day name: a time expression, not a
// name to be mentioned.
func calendarWord(t string) bool {
	w := strings.ToLower(t)
	return monthNames[w] || dayWords[w]
}
