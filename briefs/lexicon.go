package briefs

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lexicon says how question types are recognised and what an answering
// sentence of each type tends to say. It is loaded from YAML (see
// configs/lexicon.yaml, which documents the format).
type Lexicon struct {
	Kinds     []Kind
	aliases   map[string][]string // word or name -> every name in its group
	stopwords map[string]bool
	// plain is the words that never make a point of an answer on their
	// own (modal verbs, hedges, verbs of saying), lower-cased.
	plain []string
}

// Kind is one question type.
type Kind struct {
	Name   string
	Ask    []Phrase
	Answer []Phrase
	// Needs is what an answering sentence must show: "person", "date",
	// "quote" or "".
	Needs string
	// Many says the answer is a list of distinct points (what remained
	// open, what was agreed): sentences are chosen to cover different
	// points rather than to repeat the strongest one.
	Many bool

	// The answer phrases by their first word: exact, a prefix (by its
	// first byte: a word is tried only against the prefixes it could
	// have, not all of them) or "*".
	answerByFirst map[string][]int
	answerLoose   map[byte][]int
	answerAny     []int
}

// answerMatches sets hit[i] for each answer phrase i that occurs in ws
// (lower-cased words); hit has one entry per phrase. It looks at each
// word once, for the phrases that can start with it.
func (k *Kind) answerMatches(ws []string, hit []bool) {
	clear(hit)
	for i, w := range ws {
		for _, p := range k.answerByFirst[w] {
			if !hit[p] && k.Answer[p].matchAt(ws, i) {
				hit[p] = true
			}
		}
		if w != "" {
			for _, p := range k.answerLoose[w[0]] {
				if !hit[p] && k.Answer[p].matchAt(ws, i) {
					hit[p] = true
				}
			}
		}
		for _, p := range k.answerAny {
			if !hit[p] && k.Answer[p].matchAt(ws, i) {
				hit[p] = true
			}
		}
	}
}

// Phrase is a sequence of word patterns: a word, a word prefix ("remain*")
// or any one word ("*").
type Phrase struct {
	Text  string
	words []string
}

type lexiconFile struct {
	Kinds     yaml.Node  `yaml:"kinds"`
	Aliases   [][]string `yaml:"aliases"`
	Stopwords []string   `yaml:"stopwords"`
	Plain     []string   `yaml:"plain"`
}

type kindFile struct {
	Ask    []string `yaml:"ask"`
	Answer []string `yaml:"answer"`
	Needs  string   `yaml:"needs"`
	Many   bool     `yaml:"many"`
}

// LoadLexicon parses a lexicon. Errors name the entry that is wrong.
func LoadLexicon(data []byte) (*Lexicon, error) {
	var f lexiconFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	lx := &Lexicon{aliases: map[string][]string{}, stopwords: map[string]bool{}}
	if f.Kinds.Kind != 0 && f.Kinds.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("lexicon: kinds: want a mapping of kind names to their phrases")
	}
	for i := 0; i+1 < len(f.Kinds.Content); i += 2 {
		name := f.Kinds.Content[i].Value
		var kf kindFile
		if err := f.Kinds.Content[i+1].Decode(&kf); err != nil {
			return nil, fmt.Errorf("lexicon: kinds.%s: %w", name, err)
		}
		switch kf.Needs {
		case "", "person", "date", "quote", "amount", "count", "place", "reason":
		default:
			return nil, fmt.Errorf("lexicon: kinds.%s.needs: %q is not person, date, quote, amount, count, place or reason", name, kf.Needs)
		}
		k := Kind{Name: name, Needs: kf.Needs, Many: kf.Many}
		for _, p := range kf.Ask {
			ph, err := parsePhrase(p)
			if err != nil {
				return nil, fmt.Errorf("lexicon: kinds.%s.ask: %w", name, err)
			}
			k.Ask = append(k.Ask, ph)
		}
		for _, p := range kf.Answer {
			ph, err := parsePhrase(p)
			if err != nil {
				return nil, fmt.Errorf("lexicon: kinds.%s.answer: %w", name, err)
			}
			k.Answer = append(k.Answer, ph)
		}
		k.answerByFirst, k.answerLoose = map[string][]int{}, map[byte][]int{}
		for i, p := range k.Answer {
			if first := p.words[0]; first == "*" {
				k.answerAny = append(k.answerAny, i)
			} else if strings.HasSuffix(first, "*") {
				k.answerLoose[first[0]] = append(k.answerLoose[first[0]], i)
			} else {
				k.answerByFirst[first] = append(k.answerByFirst[first], i)
			}
		}
		if len(k.Ask) == 0 {
			return nil, fmt.Errorf("lexicon: kinds.%s.ask: a kind needs at least one phrase", name)
		}
		lx.Kinds = append(lx.Kinds, k)
	}
	for _, group := range f.Aliases {
		var norm []string
		for _, n := range group {
			norm = append(norm, strings.Join(words(n), " "))
		}
		for _, n := range norm {
			lx.aliases[n] = norm
		}
	}
	for _, w := range f.Stopwords {
		lx.stopwords[strings.ToLower(w)] = true
	}
	for _, w := range f.Plain {
		lx.plain = append(lx.plain, strings.ToLower(w))
	}
	return lx, nil
}

func parsePhrase(s string) (Phrase, error) {
	ws := strings.Fields(strings.ToLower(s))
	if len(ws) == 0 {
		return Phrase{}, fmt.Errorf("empty phrase")
	}
	for i, w := range ws {
		if w == "*" {
			continue
		}
		prefix := strings.HasSuffix(w, "*")
		tw := words(strings.TrimSuffix(w, "*"))
		if len(tw) != 1 {
			return Phrase{}, fmt.Errorf("%q: %q is not one word", s, w)
		}
		ws[i] = tw[0]
		if prefix {
			ws[i] += "*"
		}
	}
	return Phrase{Text: s, words: ws}, nil
}

// matchAt reports whether the phrase occurs in ws at i.
func (p Phrase) matchAt(ws []string, i int) bool {
	if i+len(p.words) > len(ws) {
		return false
	}
	for j, pw := range p.words {
		if !wordMatch(pw, ws[i+j]) {
			return false
		}
	}
	return true
}

func wordMatch(pattern, w string) bool {
	switch {
	case pattern == "*":
		return true
	case strings.HasSuffix(pattern, "*"):
		return strings.HasPrefix(w, pattern[:len(pattern)-1])
	default:
		return pattern == w
	}
}
