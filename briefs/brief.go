package briefs

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
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
	// SentenceFreq counts the corpus's sentences holding each term, and
	// all its sentences: what tells a day's news from its usual words.
	SentenceFreq(ctx context.Context, terms []string) (map[string]int, int, error)
}

// Briefer writes the daily briefing: one cited summary of a day's
// articles, in sections.
type Briefer struct {
	Index DayIndex
	// Answerer answers the briefing's typed questions ("what was agreed?",
	// "what remains unresolved?") over the day, as --query does. Without
	// one those sections say they were left out.
	Answerer *Answerer
	// Stories is how many stories a briefing shows; 0 means
	// briefbot.DefaultStories.
	Stories int
	Log     *slog.Logger
	// salience weighs a sentence's claims to be quoted; the zero value
	// means defaultSalience. Only the fitting test sets it.
	salience salience
	// features is handed to each day's text (see dayText.features).
	features func(briefbot.Snippet, []float64)
}

// The sections of a story, in the order they are shown.
const (
	SectionHeadline   = "Headline"
	SectionPoints     = "Talking points"
	SectionAgreed     = "Agreed / progress"
	SectionUnresolved = "Still unresolved"
	SectionNext       = "What happens next"
	SectionWho        = "Who's involved"
	SectionNew        = "New since the previous briefing"
	// SectionMarkets is the one line of routine figures a busy day may
	// end with.
	SectionMarkets = "Markets and figures"
)

// Limits that keep a briefing short enough to read in about two minutes
// and to post to Discord.
const (
	minQuotes     = 6
	maxQuotes     = 24
	maxQuoteBytes = 1024
	// maxQuoteWords keeps long-winded sentences out of the briefing.
	maxQuoteWords = 55
	// wordBudget is how many words the briefing's quotes and citations
	// may come to (each story's headline may go over): about two minutes
	// at 238 words a minute, the average for silent reading of
	// non-fiction, with room for the headings.
	wordBudget = 520
	// samePoint is the TF-IDF cosine at which two sentences make the same
	// point, for counting outlets and for telling old points from new.
	samePoint = 0.2
	// maxFreshTries is how far down a story's ranking new points are
	// looked for.
	maxFreshTries = 60
)

// How many quotes each section of a story may take: a headline and up
// to three talking points; on a one-story day the typed sections list
// every distinct point up to these.
const (
	topQuota        = 4 // the headline and three talking points
	askedQuota      = 2 // agreed, next
	unresolvedQuota = 5
	whoQuota        = 3
	newQuota        = 3
)

// topLinesApart keeps a story's headline and talking points on different
// points: no two are this alike.
const topLinesApart = 0.25

// Brief writes the briefing for the articles published on day (a
// calendar date; its UTC year, month and day are used): the day's main
// stories, most covered first, each with its headline quote, talking
// points and, where its articles say so, what was agreed, what remains
// open and what happens next. A day with no articles gives a briefing
// with Articles 0 and no stories.
func (b *Briefer) Brief(ctx context.Context, day time.Time) (briefbot.Brief, error) {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	out := briefbot.Brief{Date: day.Format(briefbot.DateLayout), Stories: []briefbot.Story{}}
	all := b.Index.Articles()
	arts := articlesOn(all, day)
	out.Articles = len(arts)
	if len(arts) == 0 {
		return out, nil
	}
	log := cmp.Or(b.Log, slog.New(slog.DiscardHandler)).With("component", "brief", "date", out.Date)
	start := time.Now()

	d, err := b.readDay(ctx, arts)
	if err != nil {
		return out, err
	}
	d.features = b.features
	read := time.Since(start)
	stories, err := d.findStories(ctx, b.Index)
	if err != nil {
		return out, err
	}
	found := len(stories)
	whole := dominant(stories)
	grouped := time.Since(start)
	stories = stories[:min(len(stories), cmp.Or(max(b.Stories, 0), briefbot.DefaultStories))]
	w := cmp.Or(b.salience, defaultSalience)
	for _, st := range stories {
		d.rankStory(st, w)
	}
	prevDay := day.AddDate(0, 0, -1)
	prev := articlesOn(all, prevDay)
	if err := b.markContinuing(ctx, d, stories, prev); err != nil {
		return out, err
	}
	pk := &picker{d: d}
	told, err := b.tell(ctx, d, pk, stories, whole, day, len(prev) > 0)
	if err != nil {
		return out, err
	}
	for k, sp := range told {
		if len(sp.top.sec.Snippets) > 0 {
			out.Stories = append(out.Stories, sp.story(d, k == 0 && whole, prevDay))
		}
	}
	out.Markets = d.marketsLine(pk)
	d.logStories(log, stories)
	log.Debug("briefing written", "articles", len(arts), "sentences", len(d.sents), "stories", found, "quotes", pk.count,
		"read", read, "grouped", grouped, "took", time.Since(start))
	return out, nil
}

// markContinuing marks the stories that the previous day's articles
// already told, and what in them is new.
func (b *Briefer) markContinuing(ctx context.Context, d *dayText, stories []*story, prev []briefbot.Article) error {
	if len(prev) == 0 || len(stories) == 0 {
		return nil
	}
	ids := d.maybeBefore(stories, prev, b.Index.Analyze)
	snips, err := b.Index.SentencesOf(ctx, ids)
	if err != nil {
		return fmt.Errorf("briefing: read the previous day's sentences: %w", err)
	}
	d.followOn(stories, snips, b.Index.Analyze)
	return nil
}

// tell plans each story's sections and fills them with quotes: the first
// story in full when whole says it is most of the day, then the others
// (a busy day's every story) short.
func (b *Briefer) tell(ctx context.Context, d *dayText, pk *picker, stories []*story, whole bool, day time.Time, hadPrev bool) ([]*storyPlan, error) {
	var told []*storyPlan
	if whole {
		sp, err := b.fullStory(ctx, d, stories[0], day, hadPrev)
		if err != nil {
			return nil, err
		}
		if len(stories) > 1 {
			sp.who.offers = d.ofStory(stories[0], sp.who.offers)
		}
		sp.fill(pk)
		told = append(told, sp)
		stories = stories[1:]
	}
	var short []*storyPlan
	for _, st := range stories {
		short = append(short, b.shortStory(d, st))
	}
	fillStories(pk, short)
	return append(told, short...), nil
}

// dominant says whether the day's first story is all of its news: it
// holds more of the day's storied articles than all the other stories
// together, and no other story has a second report (each is an aside, or
// a stray page). Such a day is that story's, told in full as a one-story
// day is, and its other stories only after it, short. The stories are
// all those found, before the briefing keeps its top few.
func dominant(stories []*story) bool {
	if len(stories) == 0 {
		return false
	}
	rest := 0
	for _, st := range stories[1:] {
		if len(st.arts) > 1 {
			return false
		}
		rest += len(st.arts)
	}
	return len(stories[0].arts) > rest
}

// ofStory keeps the offers of sentences from the story's articles.
func (d *dayText) ofStory(st *story, offers []offer) []offer {
	in := map[string]bool{}
	for _, k := range st.arts {
		in[d.arts[k].ID] = true
	}
	var out []offer
	for _, o := range offers {
		if in[d.sents[o.i].snip.Article.ID] {
			out = append(out, o)
		}
	}
	return out
}

// logStories says at debug level which articles each story holds.
func (d *dayText) logStories(log *slog.Logger, stories []*story) {
	if !log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	for k, st := range stories {
		var titles []string
		for _, a := range st.arts {
			titles = append(titles, d.arts[a].ID+" "+d.arts[a].Title)
		}
		log.Debug("story", "rank", k+1, "burst", d.eventBurst(st.arts), "title", d.storyTitle(st), "articles", len(st.arts), "outlets", st.outlets, "continuing", st.continuing, "of", strings.Join(titles, " | "))
	}
}

// storyPlan is a story being told: its sections as plans.
type storyPlan struct {
	st                            *story
	top, agreed, unresolved, next *plan
	who, fresh                    *plan
	actors                        []*actor
}

func (sp *storyPlan) typed() []*plan {
	var out []*plan
	for _, p := range []*plan{sp.agreed, sp.unresolved, sp.next, sp.fresh} {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// shortStory plans a story of a many-story day: a headline and talking
// points, and the typed sections only where its own sentences say what
// was agreed, what is open or what comes next.
func (b *Briefer) shortStory(d *dayText, st *story) *storyPlan {
	sp := &storyPlan{st: st}
	sp.top = &plan{sec: briefbot.Section{Title: SectionHeadline}, quota: topQuota, apart: topLinesApart, st: st}
	for _, i := range st.pool {
		sp.top.offers = append(sp.top.offers, offer{i: i})
	}
	var lx *Lexicon
	if b.Answerer != nil {
		lx = b.Answerer.Lexicon
	}
	for _, t := range []struct {
		p     **plan
		title string
		kind  string
	}{{&sp.agreed, SectionAgreed, "agreed"}, {&sp.unresolved, SectionUnresolved, "unresolved"}, {&sp.next, SectionNext, "next"}} {
		k := kindNamed(lx, t.kind)
		if k == nil {
			continue
		}
		*t.p = &plan{sec: briefbot.Section{Title: t.title}, quota: 1, st: st, offers: cueOffers(d, st, k, d.strength(k))}
	}
	if st.continuing {
		sp.fresh = &plan{sec: briefbot.Section{Title: SectionNew}, quota: 1, st: st, offers: freshOffers(d, st)}
	}
	return sp
}

// How many quotes sections get before the word budget applies: a busy
// day's story its headline and one talking point (storyTopLines in all),
// a one-story day three top lines and three open issues, which is what
// its readers came for.
const (
	storyTopLines  = 2
	topLinesSure   = 3
	unresolvedSure = 3
)

// sayTheSame is the cosine at and above which two sentences say the same
// thing and a briefing quotes only one of them.
const sayTheSame = 0.5

// fillStories hands out a many-story day's quotes: every story its
// headline first, then a talking point each, then what each story's
// articles say was agreed, is open, comes next or is new, then the rest
// of the talking points, all within the word budget.
func fillStories(pk *picker, sps []*storyPlan) {
	for _, sp := range sps {
		sp.top.fill(pk, 1, true)
	}
	for _, sp := range sps {
		sp.top.fill(pk, storyTopLines, false)
	}
	for _, sp := range sps {
		for _, p := range sp.typed() {
			p.fill(pk, p.quota, false)
		}
	}
	for _, sp := range sps {
		sp.top.fill(pk, sp.top.quota, false)
	}
	// A short briefing is topped up with more talking points.
	for _, sp := range sps {
		if pk.count >= minQuotes {
			break
		}
		sp.top.fill(pk, len(sp.top.sec.Snippets)+minQuotes-pk.count, true)
	}
}

// fullStory plans the one story of a one-story day with every section:
// the typed ones answered as --query answers them, who is involved, and
// what is new since the day before.
func (b *Briefer) fullStory(ctx context.Context, d *dayText, st *story, day time.Time, hadPrev bool) (*storyPlan, error) {
	sp := &storyPlan{st: st}
	sp.top = &plan{sec: briefbot.Section{Title: SectionHeadline}, quota: topQuota, first: topLinesSure, apart: topLinesApart, st: st}
	for _, i := range st.pool {
		sp.top.offers = append(sp.top.offers, offer{i: i})
	}
	var err error
	if sp.agreed, err = b.asked(ctx, d, st, day, typedSection{SectionAgreed, "agreed", "What was agreed?", askedQuota, 1}); err != nil {
		return nil, err
	}
	if sp.unresolved, err = b.asked(ctx, d, st, day, typedSection{SectionUnresolved, "unresolved", "What remains unresolved?", unresolvedQuota, unresolvedSure}); err != nil {
		return nil, err
	}
	if sp.next, err = b.asked(ctx, d, st, day, typedSection{SectionNext, "next", "What happens next?", askedQuota, 1}); err != nil {
		return nil, err
	}
	sp.who, sp.actors = d.involved()
	sp.who.st = st
	prevDay := day.AddDate(0, 0, -1).Format(briefbot.DateLayout)
	sp.fresh = &plan{sec: briefbot.Section{Title: SectionNew}, quota: newQuota, st: st, empty: fmt.Sprintf("Nothing new since the articles of %s.", prevDay)}
	switch {
	case !hadPrev:
		sp.fresh.sec.Note = fmt.Sprintf("No briefing to compare with: there were no articles on %s.", prevDay)
	case !st.continuing:
		sp.fresh.sec.Note = fmt.Sprintf("A new story: no article of %s covered it.", prevDay)
	default:
		sp.fresh.offers = freshOffers(d, st)
	}
	return sp, nil
}

// fill hands out a one-story day's quotes: each section its first few
// before any gets more, so none is starved by the word budget.
func (sp *storyPlan) fill(pk *picker) {
	plans := []*plan{sp.top, sp.agreed, sp.unresolved, sp.next, sp.who, sp.fresh}
	for _, p := range plans {
		p.fill(pk, max(p.first, 1), true)
	}
	for _, p := range []*plan{sp.top, sp.unresolved, sp.agreed, sp.next, sp.who, sp.fresh} {
		p.fill(pk, p.quota, false)
	}
	if pk.count < minQuotes {
		sp.top.fill(pk, len(sp.top.sec.Snippets)+minQuotes-pk.count, true)
	}
	if named := pk.quotedElsewhere(sp.actors); len(sp.who.sec.Snippets) == 0 && len(named) > 0 {
		sp.who.sec.Note = "Named most: " + strings.Join(named, ", ") + " (quoted in other sections)."
	}
}

// story is the told story: its headline quote, then its talking points,
// then each typed section that has quotes. A one-story day shows every
// section, with a note where there was nothing to quote.
func (sp *storyPlan) story(d *dayText, full bool, prevDay time.Time) briefbot.Story {
	st := sp.st
	out := briefbot.Story{Title: d.storyTitle(st), Articles: len(st.arts), Outlets: st.outlets, Status: "new"}
	if st.continuing {
		out.Status = "continuing"
	}
	top := sp.top.sec.Snippets
	out.Sections = append(out.Sections, briefbot.Section{Title: SectionHeadline, Snippets: top[:1]})
	points := briefbot.Section{Title: SectionPoints, Snippets: append([]briefbot.Snippet{}, top[1:]...)}
	if len(points.Snippets) > 0 || full {
		if len(points.Snippets) == 0 {
			points.Note = "No other point is made by the day's articles."
		}
		out.Sections = append(out.Sections, points)
	}
	rest := sp.typed()
	if full {
		rest = []*plan{sp.agreed, sp.unresolved, sp.next, sp.who, sp.fresh}
	}
	for _, p := range rest {
		if len(p.sec.Snippets) == 0 && !full {
			continue
		}
		sec := p.sec
		sec.Snippets = append([]briefbot.Snippet{}, sec.Snippets...)
		if len(sec.Snippets) == 0 && sec.Note == "" {
			sec.Note = p.empty
		}
		out.Sections = append(out.Sections, sec)
	}
	return out
}

// marketsLine is the one routine line a briefing may end with, when it
// has room: the lead of the routine item most like the day's others (the
// day's market report rather than one company's table).
func (d *dayText) marketsLine(pk *picker) *briefbot.Section {
	if pk.count >= maxQuotes {
		return nil
	}
	var leads []int
	for k, a := range d.arts {
		if !d.routineArt[k] {
			continue
		}
		for _, i := range d.byArt[a.ID] {
			if d.sents[i].quotable {
				leads = append(leads, i)
				break
			}
		}
	}
	best, bestScore := -1, -1.0
	for _, i := range leads {
		v := 0.0
		for _, j := range leads {
			if i != j {
				v += d.sents[i].vec.dot(d.sents[j].vec)
			}
		}
		if v > bestScore {
			best, bestScore = i, v
		}
	}
	if best < 0 {
		return nil
	}
	s, ok := pk.take(best, false, "")
	if !ok {
		return nil
	}
	s.Outlets, s.Of, s.Score = 0, 0, 0
	return &briefbot.Section{Title: SectionMarkets, Snippets: []briefbot.Snippet{s}}
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
	// st is the story the section tells: its outlets are the ones a
	// quote's "N of M outlets" counts.
	st *story
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
		if p.st != nil {
			s.Outlets, s.Of = pk.d.storyOutlets(p.st, o.i), p.st.outlets
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
	// routine says the sentence reads as a routine item (routine.go).
	routine bool
	// tf is its terms' counts; lower its lower-cased words.
	tf    map[int32]float64
	lower []string
}

// dayText is the analysed text of one day's articles.
type dayText struct {
	arts []briefbot.Article
	// byArt lists each article's sentences in order; routineArt marks
	// the articles that are routine items.
	byArt      map[string][]int
	routineArt []bool
	sents      []*daySentence
	byKey      map[string]int // article ID and position -> sentence
	terms      map[string]int32
	df         []int
	// burst is how many times more often than in the corpus the day's
	// sentences use a term; artTerms are each article's term counts.
	burst    map[int32]float64
	artTerms []map[int32]float64
	// artVecs are the articles' vectors (articleVectors), artIndex their
	// places by ID.
	artVecs  []sparseVec
	artIndex map[string]int
	// features, when set, is shown every ranked sentence's salience
	// features (for fitting).
	features func(briefbot.Snippet, []float64)
	// cueStrengths caches cueStrength by question type.
	cueStrengths map[string][]float64
}

func sentenceKey(s briefbot.Snippet) string { return fmt.Sprintf("%s#%d", s.Article.ID, s.Position) }

func (b *Briefer) readDay(ctx context.Context, arts []briefbot.Article) (*dayText, error) {
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	snips, err := b.Index.SentencesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("briefing: read the day's sentences: %w", err)
	}
	d := &dayText{arts: arts, byArt: map[string][]int{}, byKey: make(map[string]int, len(snips)), terms: map[string]int32{}}
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
		ds.tf = maps.Clone(tf)
		ds.words = len(strings.Fields(s.Text))
		ds.quotable = quotable(s, ds.words)
		ds.routine = routineSentence(s.Text)
		if ds.quotable {
			ds.lower = words(s.Text)
			// A quote's number, its dash and "(3 of 5 outlets)" are read too.
			ds.cost = ds.words + len(strings.Fields(Citation(s))) + 6
			ds.rank = rank[s.Article.ID]
			rank[s.Article.ID]++
		}
		d.byKey[sentenceKey(s)] = i
		d.byArt[s.Article.ID] = append(d.byArt[s.Article.ID], i)
		d.sents = append(d.sents, ds)
	}
	d.routineArt = make([]bool, len(arts))
	for k, a := range arts {
		flags := make([]bool, 0, len(d.byArt[a.ID]))
		for _, i := range d.byArt[a.ID] {
			flags = append(flags, d.sents[i].routine)
		}
		d.routineArt[k] = routineArticle(a.Title, flags)
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
	return !figureHeavy(text) && strings.ContainsFunc(text, unicode.IsLetter) // not a table of figures
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
		if j == i || sameWords(s.stems, p.d.sents[j].stems) || s.vec.dot(p.d.sents[j].vec) >= sayTheSame {
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

// answerCentral is how much an answer's own score counts against its
// centrality in the story when the typed sections order their quotes.
const answerCentral = 0

// typedSection is a section answered by a typed question: its title, the
// lexicon's question type and the question asked, how many quotes it may
// have, and how many of them go in before the word budget applies.
type typedSection struct {
	title, kind, question string
	quota, first          int
}

// asked offers the answer to a typed question about the day, as --query
// would give it, keeping the sentences of the story's articles.
func (b *Briefer) asked(ctx context.Context, d *dayText, st *story, on time.Time, ts typedSection) (*plan, error) {
	title, kind, question, quota, first := ts.title, ts.kind, ts.question, ts.quota, ts.first
	p := &plan{sec: briefbot.Section{Title: title}, quota: quota, first: first, st: st, empty: fmt.Sprintf("Nothing in the day's articles answers %q.", question)}
	if b.Answerer == nil || b.Answerer.Lexicon == nil || !hasKind(b.Answerer.Lexicon, kind) {
		p.sec.Note = fmt.Sprintf("Left out: the lexicon has no %q question type.", kind)
		return p, nil
	}
	ans, err := b.Answerer.Answer(ctx, briefbot.Question{Text: question, Since: on, Until: on, Limit: 3 * quota})
	if err != nil {
		return p, fmt.Errorf("briefing: %s: %w", strings.ToLower(title), err)
	}
	in := map[string]bool{}
	for _, k := range st.arts {
		in[d.arts[k].ID] = true
	}
	for _, s := range ans.Snippets {
		if i, ok := d.byKey[sentenceKey(s)]; ok && d.sents[i].quotable && !d.sents[i].routine && in[s.Article.ID] {
			p.offers = append(p.offers, offer{i: i, score: s.Score})
		}
	}
	// Of the answers, those central to the story come first: they
	// tell it as well as answer.
	rank := func(o offer) float64 { return o.score * (answerCentral + d.sents[o.i].central) }
	sort.SliceStable(p.offers, func(a, b int) bool { return rank(p.offers[a]) > rank(p.offers[b]) })
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
