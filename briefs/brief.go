package briefs

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"briefbot"
)

// DayIndex is what a briefing needs of the index: the articles with their
// dates, every sentence of some of them, and the index's analysis of text.
type DayIndex interface {
	Articles() []briefbot.Article
	SentencesOf(ctx context.Context, ids []string) ([]briefbot.Snippet, error)
	Analyze(text string) []string
}

// Briefer writes the daily briefing: one cited summary of a day's
// articles, in sections.
type Briefer struct {
	Index DayIndex
	// Answerer answers the briefing's typed questions ("what was agreed?",
	// "what remains unresolved?") over the day, as --query does. Without
	// one those sections say they were left out.
	Answerer *Answerer
	Log      *slog.Logger
}

// The briefing's sections, in the order they are shown.
const (
	SectionTop        = "Top lines"
	SectionAgreed     = "Agreed / progress"
	SectionUnresolved = "Still unresolved"
	SectionWho        = "Who's involved"
	SectionNew        = "New since the previous briefing"
)

// Limits that keep a briefing short enough to read in under two minutes
// and to post to Discord.
const (
	minQuotes     = 6
	maxQuotes     = 20
	maxQuoteBytes = 1024
	// maxQuoteWords keeps long-winded sentences out of the briefing.
	maxQuoteWords = 55
	// wordBudget is how many words the briefing's quotes and citations
	// may come to (each section's first quote may go over): under two
	// minutes at 238 words a minute, the average for silent reading of
	// non-fiction, with room for the headings.
	wordBudget = 440
	// maxRanked caps the sentences LexRank compares pairwise on a busy day.
	maxRanked = 400
	// samePoint is the TF-IDF cosine at which two sentences make the same
	// point, for counting outlets and for telling old points from new.
	samePoint = 0.2
	// maxFreshTries is how far down the day's ranking new points are
	// looked for.
	maxFreshTries = 60
)

// How many quotes each section may take.
const (
	topQuota   = 5
	askedQuota = 2 // agreed, unresolved
	whoQuota   = 3
	newQuota   = 3
)

// topLinesFirst is how many top lines are chosen before the other
// sections have their first quote.
const topLinesFirst = 3

// topLinesApart keeps the top lines on different points: no two are
// this alike.
const topLinesApart = 0.25

// Brief writes the briefing for the articles published on day (a
// calendar date; its UTC year, month and day are used). A day with no
// articles gives a briefing with Articles 0 and no sections.
func (b *Briefer) Brief(ctx context.Context, day time.Time) (briefbot.Brief, error) {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	out := briefbot.Brief{Date: day.Format(briefbot.DateLayout), Sections: []briefbot.Section{}}
	all := b.Index.Articles()
	arts := articlesOn(all, day)
	out.Articles = len(arts)
	if len(arts) == 0 {
		return out, nil
	}
	log := b.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "brief", "date", out.Date)
	start := time.Now()

	d, err := b.readDay(ctx, arts)
	if err != nil {
		return out, err
	}
	d.rank()

	top := &plan{sec: briefbot.Section{Title: SectionTop}, quota: topQuota, first: topLinesFirst, apart: topLinesApart}
	for _, i := range d.order {
		top.offers = append(top.offers, offer{i: i})
	}
	agreed, err := b.asked(ctx, d, day, SectionAgreed, "agreed", "What was agreed?")
	if err != nil {
		return out, err
	}
	unresolved, err := b.asked(ctx, d, day, SectionUnresolved, "unresolved", "What remains unresolved?")
	if err != nil {
		return out, err
	}
	who, actors := d.involved()
	fresh, err := b.fresh(ctx, d, all, day)
	if err != nil {
		return out, err
	}
	plans := []*plan{top, agreed, unresolved, who, fresh}
	pk := &picker{d: d}
	// Every section gets its first quote (the top lines their first few)
	// before any gets more, so none is starved by the word budget.
	for _, p := range plans {
		p.fill(pk, max(p.first, 1), true)
	}
	for _, p := range plans {
		p.fill(pk, p.quota, false)
	}
	// A short briefing is topped up with more top lines.
	if pk.count < minQuotes {
		top.fill(pk, len(top.sec.Snippets)+minQuotes-pk.count, true)
	}
	if named := pk.quotedElsewhere(actors); len(who.sec.Snippets) == 0 && len(named) > 0 {
		who.sec.Note = "Named most: " + strings.Join(named, ", ") + " (quoted in other sections)."
	}
	for _, p := range plans {
		p.sec.Snippets = append([]briefbot.Snippet{}, p.sec.Snippets...)
		if len(p.sec.Snippets) == 0 && p.sec.Note == "" {
			p.sec.Note = p.empty
		}
		out.Sections = append(out.Sections, p.sec)
	}
	log.Debug("briefing written", "articles", len(arts), "sentences", len(d.sents), "ranked", d.ranked, "quotes", pk.count, "took", time.Since(start))
	return out, nil
}

// plan is a section being filled: the quotes it would like, best first.
type plan struct {
	sec    briefbot.Section
	offers []offer
	quota  int
	// first is how many quotes it gets before the word budget applies.
	first int
	// empty is the note shown when nothing could be quoted.
	empty string
	used  map[string]bool // groups already quoted
	// apart, when set, is the most alike (cosine) two of its quotes may be.
	apart float64
	taken []int
}

// near says whether sentence i is too like one of the section's quotes.
func (p *plan) near(d *dayText, i int) bool {
	for _, j := range p.taken {
		if d.sents[i].vec.dot(d.sents[j].vec) >= p.apart {
			return true
		}
	}
	return false
}

// offer is one sentence a section would quote.
type offer struct {
	i     int
	label string
	// group keeps to one quote per group (one per person); "" is a
	// group of its own.
	group string
	// score replaces the sentence's centrality as the quote's score, and
	// outlets its outlet count, when set.
	score   float64
	outlets int
}

// fill takes offers until the section has n quotes or none fit; must
// takes them over the word budget.
func (p *plan) fill(pk *picker, n int, must bool) {
	if p.used == nil {
		p.used = map[string]bool{}
	}
	for _, o := range p.offers {
		if len(p.sec.Snippets) >= n || pk.count >= maxQuotes {
			return
		}
		if o.group != "" && p.used[o.group] {
			continue
		}
		if p.apart > 0 && p.near(pk.d, o.i) {
			continue
		}
		s, ok := pk.take(o.i, must, o.label)
		if !ok {
			continue
		}
		if o.score != 0 {
			s.Score = o.score
		}
		if o.outlets != 0 {
			s.Outlets = o.outlets
		}
		// Only a point more than one outlet carries says how many do.
		if s.Outlets < 2 {
			s.Outlets, s.Of = 0, 0
		}
		if o.group != "" {
			p.used[o.group] = true
		}
		p.taken = append(p.taken, o.i)
		p.sec.Snippets = append(p.sec.Snippets, s)
	}
}

// articlesOn lists the articles published on day (UTC), by ID.
func articlesOn(all []briefbot.Article, day time.Time) []briefbot.Article {
	var out []briefbot.Article
	for _, a := range all {
		if sameDay(a.Published, day) {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func sameDay(t, day time.Time) bool {
	if t.IsZero() {
		return false
	}
	y, m, d := t.UTC().Date()
	return y == day.Year() && m == day.Month() && d == day.Day()
}

// daySentence is one sentence of the day with what ranking knows of it.
type daySentence struct {
	snip  briefbot.Snippet
	stems map[string]bool
	vec   sparseVec
	words int
	// cost is the words it takes to read quoted: its own and its
	// citation's.
	cost int
	// quotable says the sentence can stand alone as a quote: a whole
	// statement of sensible length, not a headline, label or question.
	quotable bool
	// rank is how far into its article the sentence is, counting
	// quotable sentences only (0 is the lead).
	rank int
	// central is the sentence's centrality in the day, in [0, 1].
	central float64
	outlet  string
}

// dayText is the analysed text of one day's articles.
type dayText struct {
	sents   []*daySentence
	byKey   map[string]int // article ID and position -> sentence
	terms   map[string]int32
	df      []int
	outlets int
	// order lists quotable sentences, most central first.
	order  []int
	ranked int
}

func sentenceKey(s briefbot.Snippet) string { return fmt.Sprintf("%s#%d", s.Article.ID, s.Position) }

func (b *Briefer) readDay(ctx context.Context, arts []briefbot.Article) (*dayText, error) {
	ids := make([]string, len(arts))
	outlets := map[string]bool{}
	for i, a := range arts {
		ids[i] = a.ID
		outlets[articleOutlet(a)] = true
	}
	snips, err := b.Index.SentencesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("briefing: read the day's sentences: %w", err)
	}
	d := &dayText{byKey: make(map[string]int, len(snips)), terms: map[string]int32{}, outlets: len(outlets)}
	tfs := make([]map[int32]float64, len(snips))
	rank := map[string]int{}
	for i, s := range snips {
		ds := &daySentence{snip: s, stems: map[string]bool{}, outlet: articleOutlet(s.Article)}
		tf := map[int32]float64{}
		for _, st := range b.Index.Analyze(s.Text) {
			id, ok := d.terms[st]
			if !ok {
				id = int32(len(d.terms))
				d.terms[st] = id
				d.df = append(d.df, 0)
			}
			if !ds.stems[st] {
				ds.stems[st] = true
				d.df[id]++
			}
			tf[id]++
		}
		tfs[i] = tf
		ds.words = len(strings.Fields(s.Text))
		ds.quotable = quotable(s, ds.words)
		if ds.quotable {
			// A quote's number, its dash and "(3 of 5 outlets)" are read too.
			ds.cost = ds.words + len(strings.Fields(Citation(s))) + 6
			ds.rank = rank[s.Article.ID]
			rank[s.Article.ID]++
		}
		d.byKey[sentenceKey(s)] = i
		d.sents = append(d.sents, ds)
	}
	n := float64(len(snips))
	for i, tf := range tfs {
		for id, c := range tf {
			tf[id] = (1 + math.Log(c)) * math.Log(1+n/float64(d.df[id]))
		}
		d.sents[i].vec = newSparseVec(tf)
	}
	return d, nil
}

// articleOutlet names an article's outlet for counting; an article with
// no known outlet counts as one of its own.
func articleOutlet(a briefbot.Article) string {
	if a.Source == "" {
		return "article:" + a.ID
	}
	return strings.ToLower(a.Source)
}

// quotable says whether a sentence can be quoted on its own.
func quotable(s briefbot.Snippet, words int) bool {
	text := strings.TrimSpace(s.Text)
	if words < 6 || words > maxQuoteWords || len(s.Text) > maxQuoteBytes {
		return false
	}
	first, _ := utf8.DecodeRuneInString(text)
	if !unicode.IsUpper(first) && !strings.ContainsRune("\"“‘'", first) {
		return false // a fragment of a split sentence
	}
	end := strings.TrimRight(text, "\"”’')")
	last, _ := utf8.DecodeLastRuneInString(end)
	if last != '.' && last != '!' {
		return false // a headline, a label or a question
	}
	if n := len(s.Article.Title); len(text) >= n-4 && len(text) <= n+4 && normTitle(text) == normTitle(s.Article.Title) {
		return false // the headline again
	}
	letters, digits := 0, 0
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return digits*3 < letters // not a table of figures
}

// unbalanced says a sentence opens or closes a quotation it does not
// hold whole: a piece of a longer quote.
func unbalanced(s string) bool {
	return strings.Count(s, "\"")%2 != 0 || strings.Count(s, "“") != strings.Count(s, "”")
}

const quotePenalty = 0.7

func normTitle(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " "))
}

// anaphoric openings lean on the sentence before, so quoted alone they
// read badly.
var anaphoric = map[string]bool{
	"it": true, "its": true, "they": true, "their": true, "this": true, "that": true, "these": true, "those": true,
	"he": true, "she": true, "his": true, "her": true, "such": true, "but": true, "however": true, "also": true,
	"and": true, "so": true, "still": true, "yet": true, "then": true, "there": true, "both": true, "others": true, "some": true,
}

// rank orders the day's quotable sentences by LexRank centrality. On a
// busy day only the likeliest sentences enter the graph: each article's
// lead and its sentence closest to the day's centroid, best first, up to
// maxRanked. The walk jumps to early sentences more often, since articles
// put their main point first.
func (d *dayText) rank() {
	centroid := make([]float64, len(d.terms))
	for _, s := range d.sents {
		for k, id := range s.vec.ids {
			centroid[id] += s.vec.w[k]
		}
	}
	cscore := make([]float64, len(d.sents))
	var pool []int
	for i, s := range d.sents {
		for k, id := range s.vec.ids {
			cscore[i] += s.vec.w[k] * centroid[id]
		}
		if s.quotable {
			pool = append(pool, i)
		}
	}
	byCentroid := func(ids []int) {
		sort.SliceStable(ids, func(a, b int) bool { return cscore[ids[a]] > cscore[ids[b]] })
	}
	cand := pool
	if len(pool) > maxRanked {
		best := map[string]int{}
		var keep []int
		for _, i := range pool {
			s := d.sents[i]
			if s.rank == 0 {
				keep = append(keep, i)
			}
			if j, ok := best[s.snip.Article.ID]; !ok || cscore[i] > cscore[j] {
				best[s.snip.Article.ID] = i
			}
		}
		for _, i := range pool {
			if best[d.sents[i].snip.Article.ID] == i && d.sents[i].rank != 0 {
				keep = append(keep, i)
			}
		}
		byCentroid(keep)
		cand = keep[:min(len(keep), maxRanked)]
		sort.Ints(cand)
	}
	d.ranked = len(cand)
	prior := make([]float64, len(cand))
	for k, i := range cand {
		prior[k] = 1 / math.Sqrt(1+float64(d.sents[i].rank))
	}
	scores, _ := lexRank(len(cand), func(a, b int) float64 {
		// An article agreeing with itself is no endorsement: only
		// sentences of other articles count.
		x, y := d.sents[cand[a]], d.sents[cand[b]]
		if x.snip.Article.ID == y.snip.Article.ID {
			return 0
		}
		return x.vec.dot(y.vec)
	}, lexRankOptions{Prior: prior})
	for k, i := range cand {
		s := d.sents[i]
		f := 1.0
		if ws := strings.Fields(s.snip.Text); anaphoric[strings.ToLower(strings.Trim(ws[0], ",;:\"“‘'"))] {
			f = 0.7
		}
		if unbalanced(s.snip.Text) {
			f *= quotePenalty
		}
		scores[k] *= f
	}
	top := 0.0
	for _, v := range scores {
		top = math.Max(top, v)
	}
	floor := 1.0
	inGraph := map[int]bool{}
	for _, k := range rankOrder(scores) {
		i := cand[k]
		d.sents[i].central = scores[k] / top
		floor = math.Min(floor, d.sents[i].central)
		d.order = append(d.order, i)
		inGraph[i] = true
	}
	// The rest follow by closeness to the centroid, below every ranked
	// sentence.
	var rest []int
	topC := 0.0
	for _, i := range pool {
		if !inGraph[i] {
			rest = append(rest, i)
			topC = math.Max(topC, cscore[i])
		}
	}
	byCentroid(rest)
	for _, i := range rest {
		if topC > 0 {
			d.sents[i].central = floor * 0.99 * cscore[i] / topC
		}
		d.order = append(d.order, i)
	}
}

// outletsCarrying counts the outlets with a sentence making the same
// point as sentence i.
func (d *dayText) outletsCarrying(i int) int {
	seen := map[string]bool{d.sents[i].outlet: true}
	q := d.sents[i]
	for _, s := range d.sents {
		if !seen[s.outlet] && s.vec.dot(q.vec) >= samePoint && sharedStems(s.stems, q.stems) >= 3 {
			seen[s.outlet] = true
		}
	}
	return len(seen)
}

func sharedStems(a, b map[string]bool) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return n
}

// picker hands out quotes for the whole briefing, so no sentence is
// quoted twice and no two quotes say the same thing, within the
// briefing's length.
type picker struct {
	d     *dayText
	taken []int
	count int
	words int
}

// fits says whether sentence i may still be quoted. A must quote (the
// first of a section) may go over the word budget.
func (p *picker) fits(i int, must bool) bool {
	s := p.d.sents[i]
	if p.count >= maxQuotes || (!must && p.words+s.cost > wordBudget) {
		return false
	}
	for _, j := range p.taken {
		if j == i || sameWords(s.stems, p.d.sents[j].stems) || s.vec.dot(p.d.sents[j].vec) >= 0.5 {
			return false
		}
	}
	return true
}

// take quotes sentence i if it fits, labelled when label is not empty.
func (p *picker) take(i int, must bool, label string) (briefbot.Snippet, bool) {
	if !p.fits(i, must) {
		return briefbot.Snippet{}, false
	}
	p.taken = append(p.taken, i)
	p.count++
	p.words += p.d.sents[i].cost
	s := p.d.sents[i]
	out := s.snip
	out.Score = math.Round(s.central*1000) / 1000
	out.Outlets = p.d.outletsCarrying(i)
	out.Of = p.d.outlets
	out.Label = label
	return out, true
}

// sameWords says whether two sentences share most of their words: more
// than half of the shorter one's terms.
func sameWords(a, b map[string]bool) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return false
	}
	shared := 0
	for t := range a {
		if b[t] {
			shared++
		}
	}
	return shared*2 > len(a)
}

// asked offers the answer to a typed question about the day, as
// --query would give it.
func (b *Briefer) asked(ctx context.Context, d *dayText, on time.Time, title, kind, question string) (*plan, error) {
	p := &plan{sec: briefbot.Section{Title: title}, quota: askedQuota, empty: fmt.Sprintf("Nothing in the day's articles answers %q.", question)}
	if b.Answerer == nil || b.Answerer.Lexicon == nil || !hasKind(b.Answerer.Lexicon, kind) {
		p.sec.Note = fmt.Sprintf("Left out: the lexicon has no %q question type.", kind)
		return p, nil
	}
	ans, err := b.Answerer.Answer(ctx, briefbot.Question{Text: question, Since: on, Until: on, Limit: 3 * askedQuota})
	if err != nil {
		return p, fmt.Errorf("briefing: %s: %w", strings.ToLower(title), err)
	}
	for _, s := range ans.Snippets {
		if i, ok := d.byKey[sentenceKey(s)]; ok && d.sents[i].quotable {
			p.offers = append(p.offers, offer{i: i, score: s.Score})
		}
	}
	return p, nil
}

func hasKind(lx *Lexicon, name string) bool {
	for _, k := range lx.Kinds {
		if k.Name == name {
			return true
		}
	}
	return false
}

// fresh offers the day's most central points that no sentence of the
// day before made.
func (b *Briefer) fresh(ctx context.Context, d *dayText, all []briefbot.Article, on time.Time) (*plan, error) {
	prevDay := on.AddDate(0, 0, -1).Format(briefbot.DateLayout)
	p := &plan{sec: briefbot.Section{Title: SectionNew}, quota: newQuota, empty: fmt.Sprintf("Nothing new since the briefing for %s.", prevDay)}
	prev := articlesOn(all, on.AddDate(0, 0, -1))
	if len(prev) == 0 {
		p.sec.Note = fmt.Sprintf("No briefing to compare with: there were no articles on %s.", prevDay)
		return p, nil
	}
	ids := make([]string, len(prev))
	for i, a := range prev {
		ids[i] = a.ID
	}
	snips, err := b.Index.SentencesOf(ctx, ids)
	if err != nil {
		return p, fmt.Errorf("briefing: read the previous day's sentences: %w", err)
	}
	// Both days' sentences are weighed by both days' term counts.
	terms := make(map[string]int32, len(d.terms))
	df := make([]int, len(d.df))
	for t, id := range d.terms {
		terms[t] = id
	}
	copy(df, d.df)
	tf := func(text string, count bool) map[int32]float64 {
		out := map[int32]float64{}
		for _, t := range b.Index.Analyze(text) {
			id, ok := terms[t]
			if !ok {
				id = int32(len(df))
				terms[t] = id
				df = append(df, 0)
			}
			if count && out[id] == 0 {
				df[id]++
			}
			out[id]++
		}
		return out
	}
	n := float64(len(d.sents) + len(snips))
	vec := func(tf map[int32]float64) sparseVec {
		for id, c := range tf {
			tf[id] = (1 + math.Log(c)) * math.Log(1+n/float64(df[id]))
		}
		return newSparseVec(tf)
	}
	before := make([]map[int32]float64, len(snips))
	for i, s := range snips {
		before[i] = tf(s.Text, true)
	}
	old := make([]sparseVec, len(snips))
	for i := range before {
		old[i] = vec(before[i])
	}
	for _, i := range d.order[:min(len(d.order), maxFreshTries)] {
		v := vec(tf(d.sents[i].snip.Text, false))
		seen := false
		for _, o := range old {
			if v.dot(o) >= samePoint {
				seen = true
				break
			}
		}
		if !seen {
			p.offers = append(p.offers, offer{i: i})
		}
	}
	return p, nil
}
