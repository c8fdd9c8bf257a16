package briefs

import (
	"fmt"
	"regexp"
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
}

// Entity is a name or number in a question.
type Entity struct {
	Text  string
	Names []string // lower-cased word sequences that count as a mention
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
	for i := range lx.Kinds {
		k := &lx.Kinds[i]
		for _, p := range k.Ask {
			if at := p.find(ws); at >= 0 {
				a.Kind = k
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
	return a
}

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
		case unicode.IsUpper(r[0]) && i > 0 && t != "I":
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
		}
	}
	return e
}
