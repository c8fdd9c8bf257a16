package briefs

import (
	"sort"
	"strings"
	"unicode"

	"briefbot"
)

// This file finds who is involved in a day's news: the people and
// organisations its articles name most. It reads capitalisation, not a
// gazetteer: a person is two or three capitalised words after any title
// ("Special Envoy Steve Witkoff" names Steve Witkoff) and is also
// mentioned by surname alone; an organisation is a run of capitalised
// words with an organisation word in it ("Bank of Japan", "Texaco Inc")
// or an acronym ("NATO"). Places are left out as far as their shape
// allows.

const (
	kindPerson = "person"
	kindOrg    = "organisation"
)

// mention is a name as found in a sentence.
type mention struct {
	name, kind string
	// initial says the name opens the sentence, where any word is
	// capitalised.
	initial bool
}

// nameToken is one word of a sentence with what the name finder needs.
type nameToken struct {
	core string // without surrounding punctuation or a possessive
	cap  bool   // capitalised or an acronym
	// stop says a name cannot run past this word (it ended in
	// punctuation or was possessive).
	stop bool
}

func nameTokens(text string) []nameToken {
	fields := strings.Fields(text)
	out := make([]nameToken, 0, len(fields))
	for _, f := range fields {
		core := strings.TrimLeft(f, "\"“‘'([")
		trimmed := strings.TrimRight(core, "\"”’'),.;:!?]")
		t := nameToken{stop: len(trimmed) < len(core)}
		for _, poss := range []string{"'s", "’s"} {
			if strings.HasSuffix(trimmed, poss) {
				trimmed = strings.TrimSuffix(trimmed, poss)
				t.stop = true
			}
		}
		// "U.S." keeps its final dot.
		if strings.Count(trimmed, ".") > 0 && strings.HasSuffix(core, ".") && isAcronym(trimmed+".") {
			trimmed += "."
		}
		t.core = trimmed
		t.cap = capWord(trimmed) || isAcronym(trimmed)
		out = append(out, t)
	}
	return out
}

// capWord is a capitalised word: an upper-case letter then lower-case
// ones ("Witkoff", "McDonald", "Smith-Jones").
func capWord(w string) bool {
	r := []rune(w)
	if len(r) < 2 || !unicode.IsUpper(r[0]) {
		return false
	}
	lower := false
	for i, c := range r[1:] {
		switch {
		case unicode.IsLower(c):
			lower = true
		case c == '-' && i+2 < len(r) && unicode.IsUpper(r[i+2]):
		case unicode.IsUpper(c) || c == '\'' || c == '’':
		default:
			return false
		}
	}
	return lower
}

// isAcronym is two to six capitals, possibly with dots ("NATO", "U.S.").
func isAcronym(w string) bool {
	n := 0
	for _, c := range w {
		switch {
		case unicode.IsUpper(c):
			n++
		case c == '.':
		default:
			return false
		}
	}
	return n >= minAcronym && n <= maxAcronym
}

// An acronym has two to six capitals ("EU", "NATO", "U.S."): one is an
// initial, more than six a word in capitals.
const (
	minAcronym = 2
	maxAcronym = 6
)

// fullNameBonus prefers, among nearly as central sentences, one that names
// the person or organisation in full over one that names them by surname.
const fullNameBonus = 0.1

// standalone says whether toks[k] stands alone as a surname would: not
// part of a longer name, and not after a preposition of place ("in
// Japan").
func standalone(toks []nameToken, k int) bool {
	if k > 0 && (toks[k-1].cap && !toks[k-1].stop || placePreps[strings.ToLower(toks[k-1].core)]) {
		return false
	}
	return toks[k].stop || k+1 >= len(toks) || !toks[k+1].cap
}

// namesIn finds the people and organisations a sentence names. A sentence
// in title case (a headline that slipped into the text) names nothing
// reliably.
func namesIn(text string) []mention {
	toks := nameTokens(text)
	titled := 0
	for _, t := range toks[min(1, len(toks)):] {
		if t.cap && titleCased[t.core] {
			titled++
		}
	}
	if titled >= 2 {
		return nil
	}
	var out []mention
	for i := 0; i < len(toks); i++ {
		if !toks[i].cap {
			continue
		}
		j := i
		for j < len(toks) {
			if toks[j].cap {
				j++
			} else if nameLinks[toks[j].core] && j > i && j+1 < len(toks) && toks[j+1].cap && !toks[j-1].stop {
				j++
				continue
			} else {
				break
			}
			if toks[j-1].stop || nameDateWords[toks[j-1].core] {
				break
			}
		}
		var run []string
		for _, t := range toks[i:j] {
			run = append(run, t.core)
		}
		if m, ok := classifyName(run, i == 0); ok {
			out = append(out, m)
		}
		i = j - 1
	}
	return out
}

// classifyName decides whether a run of capitalised words is a person or an
// organisation; atStart says the run opens its sentence.
func classifyName(run []string, atStart bool) (mention, bool) {
	// A leading function word is the sentence's start, not the name's.
	for len(run) > 0 && (nameLeadWords[strings.ToLower(run[0])] || nameDateWords[run[0]]) {
		run = run[1:]
		atStart = false
	}
	for len(run) > 0 && (nameLinks[run[len(run)-1]] || nameDateWords[run[len(run)-1]]) {
		run = run[:len(run)-1]
	}
	if len(run) == 0 {
		return mention{}, false
	}
	for _, w := range run {
		if nameOrgWords[w] {
			name := strings.Join(run, " ")
			return mention{name: name, kind: kindOrg}, len(run) > 1 || isAcronym(name)
		}
	}
	if len(run) == 1 && isAcronym(run[0]) && !strings.Contains(run[0], ".") && !placeAcronyms[run[0]] {
		return mention{name: run[0], kind: kindOrg}, true
	}
	// A title ends where the name begins: the name is what follows the
	// last title word.
	last := -1
	for k, w := range run {
		if nameTitleWords[w] || isAcronym(w) {
			last = k
		}
	}
	run = run[last+1:]
	atStart = atStart && last < 0
	if len(run) < 2 || len(run) > 3 || placeFirst[run[0]] || placeLast[run[len(run)-1]] {
		return mention{}, false
	}
	for _, w := range run {
		if !capWord(w) || nameDateWords[w] {
			return mention{}, false
		}
	}
	return mention{name: strings.Join(run, " "), kind: kindPerson, initial: atStart}, true
}

var (
	nameLinks     = wordSet("of", "for", "de", "del", "van", "von", "al", "bin")
	nameLeadWords = wordSet("the", "a", "an", "in", "on", "at", "for", "and", "but", "or", "if", "as", "while", "when",
		"after", "before", "despite", "although", "this", "that", "these", "those", "it", "its", "their", "they",
		"he", "she", "we", "his", "her", "our", "some", "many", "both", "all", "any", "each", "such", "under",
		"over", "with", "without", "from", "to", "by", "of", "also", "however", "meanwhile", "still", "even",
		"yet", "so", "then", "there", "here", "what", "who", "which", "why", "how", "where", "last", "next",
		"more", "most", "other", "others", "no", "not", "one", "two", "three", "among", "during", "since",
		"until", "unlike", "like", "about", "against", "recent", "several", "first", "further", "former", "only",
		"will", "would", "can", "could", "should", "may", "might", "must", "shall", "did", "does", "do", "is",
		"are", "was", "were", "has", "have", "had", "according", "despite", "amid", "following", "asked")
	nameDateWords = wordSet("January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
		"Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
	nameTitleWords = wordSet("President", "Vice", "Prime", "Minister", "Secretary", "Envoy", "Special", "Chancellor",
		"Senator", "Sen", "Rep", "Representative", "Governor", "Gov", "Mayor", "Chief", "Executive", "Chairman",
		"Chairwoman", "Chair", "Director", "Ambassador", "Spokesman", "Spokeswoman", "Spokesperson", "Mr", "Mrs",
		"Ms", "Dr", "Gen", "General", "Judge", "Justice", "King", "Queen", "Prince", "Princess", "Pope", "Former",
		"Deputy", "Foreign", "Finance", "Defence", "Defense", "Trade", "Economy", "Interior", "Officer",
		"Negotiator", "Adviser", "Advisor", "Commissioner", "Lord", "Sir", "Dame", "Leader", "Premier", "Senior",
		"Assistant", "Undersecretary", "Treasurer", "Analyst", "Economist", "Manager", "Head", "Founder", "Co")
	nameOrgWords = wordSet("Inc", "Corp", "Corporation", "Co", "Cos", "Ltd", "Plc", "PLC", "LLC", "AG", "SA", "NV",
		"Bank", "Group", "Ministry", "Department", "Council", "Commission", "Committee", "Agency", "Authority",
		"Party", "Union", "Fund", "Reserve", "Association", "Organisation", "Organization", "Institute",
		"University", "Court", "Parliament", "Congress", "Senate", "Board", "Exchange", "Company", "Holdings",
		"Industries", "Airlines", "Airways", "Motors", "Trust", "Federation", "Office", "Army", "Navy",
		"Police", "Pentagon", "Kremlin", "Treasury", "Assembly", "Cabinet", "Bureau", "Foundation", "Times",
		"News", "Press", "Post", "Journal", "Partners", "Securities", "Capital", "Petroleum", "Oil", "Energy",
		"Chemical", "Steel", "Electric", "Communications", "Technologies", "International", "Brothers")
	titleCased    = wordSet("The", "Of", "On", "In", "To", "For", "With", "Without", "And", "At", "By", "From", "As", "After", "Over", "Up", "Down")
	placePreps    = wordSet("in", "of", "to", "from", "into", "across", "throughout", "within", "near", "around", "toward", "towards")
	placeAcronyms = wordSet("US", "USA", "UK", "UAE", "USSR", "EU", "OK", "TV", "AM", "PM", "CEO", "GDP")
	placeFirst    = wordSet("North", "South", "East", "West", "New", "Saudi", "Hong", "Sri", "Latin", "Middle",
		"Central", "Western", "Eastern", "Northern", "Southern", "United", "Great", "Los", "San", "Las", "Costa",
		"El", "Buenos", "Rio", "Sierra", "Tel", "Abu", "Kuala", "Cape", "Puerto", "Santa", "St", "Mount",
		"Lake", "Upper", "Lower", "Black", "Red", "Persian", "European", "Asian", "African", "Arab", "Soviet",
		"American", "Russian", "Ukrainian", "Chinese", "British", "French", "German", "Japanese", "Israeli",
		"Iranian", "Indian", "Western", "Allied", "Islamic")
	placeLast = wordSet("America", "Africa", "Asia", "Europe", "Kingdom", "States", "Republic", "Island",
		"Islands", "City", "County", "Street", "Sea", "Ocean", "River", "Valley", "Coast", "Gulf", "Korea",
		"Arabia", "Zealand", "Kong", "Lanka", "Emirates", "Province", "Region", "Peninsula", "Strait", "Bay",
		"Square", "Avenue", "Road", "War", "Day", "Week", "Year", "Plan", "Talks", "Summit", "Accord", "Act",
		"Agreement", "Treaty", "Conference", "Forum", "Games", "Cup", "Order", "Framework", "Peace", "Path",
		"Security", "Policy", "Index", "Times", "Street")
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// actor is a person or organisation with where the day mentions it.
type actor struct {
	name, kind string
	sents      []int        // sentences mentioning it, in day order
	full       map[int]bool // ... by its full name
	bySurname  int          // sentences naming a person by surname only
	interior   int          // full mentions not at the start of a sentence
	articles   map[string]bool
	outlets    map[string]bool
}

// actors lists who the day's articles name, most mentioned first: by
// how many articles name them, then how many sentences. Only those named
// in at least two sentences count.
func (d *dayText) actors() []*actor {
	byName := map[string]*actor{}
	var names []string
	perSent := make([][]mention, len(d.sents))
	for i, s := range d.sents {
		perSent[i] = namesIn(s.snip.Text)
		for _, m := range perSent[i] {
			if byName[m.name] == nil {
				byName[m.name] = &actor{name: m.name, kind: m.kind, full: map[int]bool{}, articles: map[string]bool{}, outlets: map[string]bool{}}
				names = append(names, m.name)
			}
		}
	}
	// A person is also mentioned by surname alone.
	bySurname := map[string][]*actor{}
	for _, n := range names {
		if a := byName[n]; a.kind == kindPerson {
			ws := strings.Fields(n)
			bySurname[ws[len(ws)-1]] = append(bySurname[ws[len(ws)-1]], a)
		}
	}
	for i, s := range d.sents {
		hit := map[*actor]bool{}
		for _, m := range perSent[i] {
			a := byName[m.name]
			hit[a] = true
			a.full[i] = true
			if !m.initial {
				a.interior++
			}
		}
		toks := nameTokens(s.snip.Text)
		for k, t := range toks {
			if !t.cap || len(bySurname[t.core]) == 0 || !standalone(toks, k) {
				continue
			}
			for _, a := range bySurname[t.core] {
				if !hit[a] {
					hit[a] = true
					a.bySurname++
				}
			}
		}
		for a := range hit {
			a.sents = append(a.sents, i)
			a.articles[s.snip.Article.ID] = true
			a.outlets[s.outlet] = true
		}
	}
	var out []*actor
	for _, n := range names {
		a := byName[n]
		// A "surname" named far more often alone than in the full name
		// is a place or a thing ("U.S. Charges Japan").
		if a.bySurname > 8*len(a.full) {
			continue
		}
		// So is a "person" only ever named at the start of a sentence
		// ("Live Hog futures rose").
		if a.kind == kindPerson && a.interior == 0 {
			continue
		}
		if len(a.sents) >= 2 {
			sort.Ints(a.sents)
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a.articles) != len(b.articles) {
			return len(a.articles) > len(b.articles)
		}
		if len(a.sents) != len(b.sents) {
			return len(a.sents) > len(b.sents)
		}
		return a.name < b.name
	})
	return out
}

// involved offers "Who's involved": the most mentioned people and
// organisations, each with its sentences most central first (those with
// the full name ahead) and the count of outlets that name it. Two of them
// are quoted before the word budget applies. It also returns the names
// offered.
func (d *dayText) involved() (*plan, []*actor) {
	p := &plan{sec: briefbot.Section{Title: SectionWho}, quota: whoQuota, first: 2, empty: "No person or organisation is named often enough to list."}
	actors := d.actors()
	actors = actors[:min(len(actors), 2*whoQuota)]
	for _, a := range actors {
		var sents []int
		for _, i := range a.sents {
			if d.sents[i].quotable {
				sents = append(sents, i)
			}
		}
		val := func(i int) float64 {
			if a.full[i] {
				return d.sents[i].central + fullNameBonus
			}
			return d.sents[i].central
		}
		sort.SliceStable(sents, func(x, y int) bool { return val(sents[x]) > val(sents[y]) })
		for _, i := range sents {
			p.offers = append(p.offers, offer{i: i, label: a.name, group: a.name, outlets: len(a.outlets)})
		}
	}
	return p, actors
}

// quotedElsewhere lists the first few actors whose sentences are
// already quoted.
func (p *picker) quotedElsewhere(actors []*actor) []string {
	var out []string
	for _, a := range actors[:min(len(actors), whoQuota)] {
		if p.mentioned(a.sents) {
			out = append(out, a.name)
		}
	}
	return out
}

// mentioned says whether any of the sentences is already quoted.
func (p *picker) mentioned(sents []int) bool {
	for _, i := range sents {
		for _, j := range p.taken {
			if i == j {
				return true
			}
		}
	}
	return false
}
