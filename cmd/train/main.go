// Command train fits briefbot's answer ranker (configs/ranker.json) on
// labelled questions: TrecQA train and WikiQA dev (answer sentences
// marked right or wrong), and the news and sample dev sets
// (../shared/eval/dev-news.json, dev.json: gold substrings), computing each
// candidate's features with the same code that answers. Whether a corpus
// answers at all is also fitted on the news questions asked of a big
// corpus about other things (the Reuters articles, written by
// ../shared/data/make-corpus unless --distractors names a folder). With
// --cv it also reports the news dev set's figures, and how often those
// questions are refused, scored story by story by models that did not
// see the story.
//
//	go run ./cmd/train [--shared ../shared] [--out configs/ranker.json] [--cv] [--distractors DIR]
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"briefbot"
	"briefbot/briefs"
	"briefbot/configs"
	"briefbot/index"
)

func main() {
	shared := flag.String("shared", "../shared", "the shared data and eval folder")
	out := flag.String("out", "configs/ranker.json", "where to write the fitted weights")
	work := flag.String("work", filepath.Join(os.TempDir(), "briefbot-train"), "folder for the corpora and indexes it builds (kept between runs)")
	cv := flag.Bool("cv", false, "also report cross-validated news dev figures")
	news := flag.String("news", "", "labelled news questions in dev-news.json's format (default: SHARED/eval/dev-news.json)")
	newsCorpus := flag.String("news-corpus", "", "folder with one folder of articles per cluster the questions name (default: made by make-dev-corpus under --work)")
	distractors := flag.String("distractors", "", "a big folder of articles about other things, of which the news questions are asked to learn refusing (default: the Reuters articles, made by SHARED/data/make-corpus under --work)")
	distractorsIndex := flag.String("distractors-index", "", "the index folder for --distractors (default: under --work)")
	flag.Parse()
	if *news == "" {
		*news = filepath.Join(*shared, "eval", "dev-news.json")
	}
	if err := run(context.Background(), options{*shared, *out, *work, *news, *newsCorpus, *distractors, *distractorsIndex, *cv}); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

// question is one labelled question: asked of an index, with a way to
// tell which snippets answer it.
type question struct {
	set, story, id, text, source string
	// over is the story whose articles a cross question is asked of:
	// cross-validation holds them out with their own questions.
	over  string
	ix    *briefs.Answerer
	none  bool // the corpus does not answer it
	gold  func(briefbot.Snippet) bool
	golds []string // for recall: distinct gold substrings (news)
	right int      // how many of its sentences answer it (WikiQA, TrecQA)
}

type options struct {
	shared, out, work, news, newsCorpus string
	distractors, distractorsIndex       string
	cv                                  bool
}

// Tuning of the fit and of its scoring.
const (
	// fitRounds: the features of a pool depend a little on the ranker
	// (its order decides which candidates count towards Covered), so the
	// weights are fitted twice, the second time on the features the first
	// fit gives.
	fitRounds = 2
	// weightScale: floating-point sums in another order differ in the
	// last digits; six decimals are plenty and make the file the same on
	// every run.
	weightScale = 1e6
	// shownQuotes is how many quotes score-news scores (P@5, R@5).
	shownQuotes = 5
	// qaQuotes is how many quotes qa-eval asks for when it ranks a
	// question's sentences.
	qaQuotes = 40
	// sampleKeyLen: dev.json keys each sample article by the first three
	// characters of its file name.
	sampleKeyLen = 3
)

// rankerAbout says in configs/ranker.json how it was made.
const rankerAbout = "fitted by `go run ./cmd/train` on TrecQA train (each question's sentences in an order of their own: the file lists the right ones first), WikiQA dev, ../shared/eval/dev-news.json and dev.json. weights: fitted to rank each question's candidates (softmax cross-entropy over them, plus 0.3 of the logistic loss of each alone), then made a probability by a logistic regression of 'this sentence answers' on that score and the question's own features (scale, reach, unseen, covered, typed); each set of questions weighing the same, but the news and sample sets 3 times as much. answerable: logistic regression of 'the corpus answers' on the best candidate's probability, covered, unseen, reach and scale, over answerable questions (those of the news set also asked of the Reuters articles with their stories among them: big) against dev-news 'none' questions and the news questions asked of another story's articles and of the Reuters articles alone (distract). abstain: the highest cut-off on that which still answers 95% of the answerable questions the rules leave to it in each of news and sample, TrecQA and WikiQA. show and cover: the least share of the best quote's probability a quote needs to be shown (0.3-0.9) and what the points a quote adds to a list of points are worth (0-0.6), the pair with the best sum of P@5 + R@5 on the news and sample questions and MAP on WikiQA dev and TrecQA train"

// openFunc opens an index of the articles in a folder, kept in dir, as
// an Answerer.
type openFunc = func(articles, dir string) (*briefs.Answerer, error)

func run(ctx context.Context, o options) error {
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	if o.newsCorpus == "" {
		o.newsCorpus = filepath.Join(o.work, "news")
	}
	lex, err := briefs.LoadLexicon(configs.DefaultLexicon)
	if err != nil {
		return err
	}
	var closers []func() error
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	// The trainer rewrites its corpora's files in place on every run
	// (a change to how it writes them leaves their folders' times as they
	// were), so its indexes are opened as the bot opens its own: as their
	// writer, which checks every file, not only whether one was added or
	// removed.
	open := func(articles, dir string) (*briefs.Answerer, error) {
		ix, _, err := index.Open(ctx, index.Options{Articles: articles, Dir: dir, Logger: slog.New(slog.DiscardHandler), Writer: true})
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", articles, err)
		}
		closers = append(closers, ix.Close)
		return &briefs.Answerer{Index: ix, Lexicon: lex}, nil
	}
	qs, err := questions(o, open)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, q := range qs {
		counts[q.set]++
	}
	fmt.Fprintf(os.Stderr, "questions: %v\n", counts)
	rk, rows, err := fitAll(ctx, qs)
	if err != nil {
		return err
	}
	reportFound(rows)
	if o.cv {
		if err := crossValidate(ctx, qs, rows); err != nil {
			return err
		}
	}
	rk.About = rankerAbout
	rk.Trained = counts
	return write(o.out, rounded(rk))
}

// questions gathers the labelled questions, in the order they are
// fitted on: TrecQA train, WikiQA dev, the news and sample dev sets, the
// news questions asked of another story's articles and of the
// distractors.
func questions(o options, open openFunc) ([]question, error) {
	var qs []question
	for _, set := range []string{"trecqa", "wikiqa"} {
		got, err := qaSet(o.shared, o.work, set, open)
		if err != nil {
			return nil, err
		}
		qs = append(qs, got...)
	}
	news, err := newsSet(o.news, o.newsCorpus, o.shared, o.work, open)
	if err != nil {
		return nil, err
	}
	qs = append(qs, news...)
	sample, err := sampleSet(o.shared, open)
	if err != nil {
		return nil, err
	}
	qs = append(qs, sample...)
	qs = append(qs, crossQuestions(news)...)
	distract, err := distractQuestions(o, news, open)
	if err != nil {
		return nil, err
	}
	return append(qs, distract...), nil
}

// crossQuestions are the news questions asked of another story's
// articles (the one half way round the list): the corpus does not cover
// them, so they teach abstaining.
func crossQuestions(news []question) []question {
	var cross []question
	for i, q := range news {
		o := news[(i+len(news)/2)%len(news)]
		if o.story == q.story || q.none {
			continue
		}
		c := q
		c.set, c.id, c.ix, c.none, c.story, c.over = "cross", q.id+"@"+o.story, o.ix, true, q.story, o.story
		c.gold = func(briefbot.Snippet) bool { return false }
		cross = append(cross, c)
	}
	return cross
}

// distractQuestions are the answerable news questions asked of a big
// corpus about other things: most of their words are somewhere in it,
// but no article answers them. Whether a corpus answers is fitted on them
// too: the other stories' few articles (crossQuestions) lack most of a
// question's words, a big corpus lacks few, and shares a rare name with
// an article about something else.
func distractQuestions(o options, news []question, open openFunc) ([]question, error) {
	articles := o.distractors
	if articles == "" {
		articles = filepath.Join(o.work, "distractors")
		if _, err := os.Stat(articles); err != nil {
			cmd := exec.Command("python3", filepath.Join(o.shared, "data", "make-corpus"), "--out", articles)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				return nil, fmt.Errorf("make-corpus: %w", err)
			}
		}
	}
	dir := o.distractorsIndex
	if dir == "" {
		dir = filepath.Join(o.work, "index", "distractors")
	}
	ix, err := open(articles, dir)
	if err != nil {
		return nil, err
	}
	var out []question
	for _, q := range news {
		if !q.none {
			c := q
			c.set, c.id, c.ix, c.none = "distract", q.id+"@distractors", ix, true
			c.gold = func(briefbot.Snippet) bool { return false }
			out = append(out, c)
		}
	}
	// The same questions asked of the big corpus with their stories in
	// it, so that what tells a big corpus that answers from one that does
	// not is learned at that size too, not the size itself.
	big := filepath.Join(o.work, "big")
	if _, err := os.Stat(big); err != nil {
		if err := linkTree(articles, filepath.Join(big, "distractors")); err != nil {
			return nil, err
		}
		if err := linkTree(o.newsCorpus, filepath.Join(big, "stories")); err != nil {
			return nil, err
		}
	}
	bix, err := open(big, filepath.Join(o.work, "index", "big"))
	if err != nil {
		return nil, err
	}
	for _, q := range news {
		c := q
		c.set, c.id, c.ix = "big", q.id+"@big", bix
		out = append(out, c)
	}
	return out, nil
}

// linkTree makes dst a tree of hard links to src's files (copies where
// links cannot be made).
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if os.Link(p, to) == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
}

// fitAll fits the ranker on all the questions, starting from the shipped
// one, and the share of the best quote's probability a quote needs to be
// shown; rows are the questions' candidates under the last weights but one.
func fitAll(ctx context.Context, qs []question) (*briefs.Ranker, []rowSet, error) {
	rk, err := briefs.LoadRanker(configs.DefaultRanker)
	if err != nil {
		return nil, nil, err
	}
	all := func(question) bool { return true }
	var rows []rowSet
	for range fitRounds {
		if rows, err = extract(ctx, qs, rk); err != nil {
			return nil, nil, err
		}
		rk = fit(rows, all)
	}
	rk.Show, rk.Cover = choosePick(ctx, qs, rk, all)
	return rk, rows, nil
}

// reportFound prints, per set, how many answerable questions have an
// answer among their candidates.
func reportFound(rows []rowSet) {
	found, of := map[string]int{}, map[string]int{}
	for _, r := range rows {
		if !r.q.none {
			of[r.q.set]++
			if r.found {
				found[r.q.set]++
			}
		}
	}
	fmt.Fprintf(os.Stderr, "questions with an answer among the candidates: %v of %v\n", found, of)
}

// rounded is rk with its numbers rounded to weightScale.
func rounded(rk *briefs.Ranker) *briefs.Ranker {
	r6 := func(f float64) float64 { return math.Round(f*weightScale) / weightScale }
	w := make([]float64, len(briefs.FeatureNames()))
	for i, k := range briefs.FeatureNames() {
		w[i] = r6(rk.Weights[k])
	}
	fitted := briefs.NewRanker(w, r6(rk.Bias), r6(rk.Abstain))
	fitted.Show, fitted.Cover, fitted.About, fitted.Trained = rk.Show, rk.Cover, rk.About, rk.Trained
	g := rk.Answerable
	fitted.Answerable = briefs.Gate{Top: r6(g.Top), Covered: r6(g.Covered), Unseen: r6(g.Unseen), Reach: r6(g.Reach), Scale: r6(g.Scale), Bias: r6(g.Bias)}
	return fitted
}

// write writes rk to path as JSON, once it is sure the JSON loads.
func write(path string, rk *briefs.Ranker) error {
	data, err := json.MarshalIndent(rk, "", "  ")
	if err != nil {
		return err
	}
	if _, err := briefs.LoadRanker(data); err != nil {
		return fmt.Errorf("the fitted weights do not load: %w", err)
	}
	fmt.Fprintf(os.Stderr, "weights: %v bias %.3f abstain %.3f\n", rk.Weights, rk.Bias, rk.Abstain)
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// rowSet is one question's candidates, featured and labelled.
type rowSet struct {
	q     question
	ex    []briefs.Example
	open  bool // the rules before the cut-off let it be answered
	found bool // some candidate answers it
}

func extract(ctx context.Context, qs []question, rk *briefs.Ranker) ([]rowSet, error) {
	var out []rowSet
	for _, q := range qs {
		q.ix.Ranker = rk
		cands, open, err := q.ix.Candidates(ctx, briefbot.Question{Text: q.text, Source: q.source})
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", q.set, q.id, err)
		}
		rs := rowSet{q: q, open: open}
		for _, c := range cands {
			ok := q.gold(c.Snippet)
			rs.found = rs.found || ok
			rs.ex = append(rs.ex, briefs.Example{X: c.Features, Answer: ok, Weight: 1 / float64(len(cands))})
		}
		out = append(out, rs)
	}
	return out, nil
}

// fit fits the weights on the rows of the questions keep allows, and the
// abstaining cut-off on their outcomes under those weights.
func fit(rows []rowSet, keep func(question) bool) *briefs.Ranker {
	// Rows of questions with no answer among the candidates teach
	// ranking nothing; they count for abstaining below.
	w, b := briefs.FitList(balance(rows, keep))
	rk := briefs.NewRanker(w, b, 0)
	// The second stage: whether the corpus answers at all, from the best
	// candidate's probability and how much of the question one sentence
	// covers, fitted on the questions the rules leave open, each class
	// weighing the same.
	var gate []briefs.Example
	var nAns, nNot float64
	for _, r := range rows {
		if keep(r.q) && r.open && (r.q.none || r.found) {
			if r.q.none {
				nNot++
			} else {
				nAns++
			}
		}
	}
	for _, r := range rows {
		if keep(r.q) && r.open && (r.q.none || r.found) {
			wt := 1 / nAns
			if r.q.none {
				wt = 1 / nNot
			}
			gate = append(gate, briefs.Example{X: briefs.GateInputs(topProb(rk, r.ex), r.ex[0].X), Answer: !r.q.none, Weight: wt})
		}
	}
	gw, gb := briefs.Fit(gate)
	rk.Answerable = briefs.Gate{Top: gw[0], Covered: gw[1], Unseen: gw[2], Reach: gw[3], Scale: gw[4], Bias: gb}
	// The cut-off must keep answering each kind of answerable question:
	// the news and sample questions, asked of their stories, and the
	// encyclopaedia questions, each asked of its own few sentences (whose
	// words the question shares less). It is the lowest of the cut-offs
	// each set alone would allow. The news questions asked of the big
	// corpus are left out: most lean on their story ("the law", "her
	// lawyer") and among thousands of articles about other things are
	// answered wrongly even when answered (P@5 under 0.1).
	outs := map[string][]briefs.Outcome{}
	for _, r := range rows {
		if !keep(r.q) || r.q.none || !r.found || r.q.set == "big" {
			continue
		}
		o := briefs.Outcome{Answerable: true}
		if r.open {
			o.Top = rk.Answerable.Prob(briefs.GateInputs(topProb(rk, r.ex), r.ex[0].X))
		}
		set := r.q.set
		if set == "sample" {
			set = "news"
		}
		outs[set] = append(outs[set], o)
	}
	rk.Abstain = 1
	for _, o := range outs {
		rk.Abstain = min(rk.Abstain, briefs.ChooseAbstain(o))
	}
	return rk
}

// covered is a question's Covered feature (the last), the same for all
// its candidates.
func covered(ex []briefs.Example) float64 {
	if len(ex) == 0 {
		return 0
	}
	return ex[0].X[len(ex[0].X)-1]
}

func topProb(rk *briefs.Ranker, ex []briefs.Example) float64 {
	top := 0.0
	for _, e := range ex {
		top = max(top, rk.Prob(e.X))
	}
	return top
}

// crossValidate scores each news story (and the sample) with a model fitted
// without it, answering its questions in full, and prints the figures
// score-news computes.
func crossValidate(ctx context.Context, qs []question, rows []rowSet) error {
	var stories []string
	for _, q := range qs {
		if (q.set == "news" || q.set == "sample") && !slices.Contains(stories, q.story) {
			stories = append(stories, q.story)
		}
	}
	for _, abstain := range []bool{true} {
		if err := crossValidateOnce(ctx, qs, rows, stories, abstain); err != nil {
			return err
		}
	}
	return nil
}

func crossValidateOnce(ctx context.Context, qs []question, rows []rowSet, stories []string, abstain bool) error {
	var all scores
	for _, st := range stories {
		unseen := withoutStory(st)
		rk := fit(rows, unseen)
		rk.Show, rk.Cover = choosePick(ctx, qs, rk, unseen)
		if !abstain {
			rk.Abstain = 0
		}
		got, err := evaluate(ctx, qs, rk, func(q question) bool { return q.story == st })
		if err != nil {
			return err
		}
		all.add(got)
	}
	fmt.Printf("abstaining %v\n", abstain)
	fmt.Printf("cross-validated news: P@5=%.3f R@5=%.3f top1=%.3f none_ok=%.3f (%d answerable, %d none)\n",
		mean(all.p5), mean(all.r5), mean(all.top1), mean(all.none), len(all.p5), len(all.none))
	if len(all.distract) > 0 {
		fmt.Printf("cross-validated refusals of the news questions asked of the distractors: %.3f (%d)\n", mean(all.distract), len(all.distract))
	}
	fmt.Printf("cross-validated sample (held out as one story): P@5=%.3f R@5=%.3f (keys of any article)\n", mean(all.sp5), mean(all.sr5))
	return nil
}

// withoutStory keeps the questions a model that must not have seen
// story may be fitted on: not the story's questions, nor another story's
// asked of its articles.
func withoutStory(story string) func(question) bool {
	return func(q question) bool { return q.story != story && q.over != story }
}

// scores are score-news's per-question figures (and the sample's).
type scores struct {
	p5, r5, top1, none, sp5, sr5 []float64
	ap                           map[string][]float64 // by set: WikiQA's and TrecQA's average precision, as qa-eval counts it
	distract                     []float64            // refused, of the news questions asked of the distractors
}

func (s *scores) add(o scores) {
	s.p5, s.r5, s.top1 = append(s.p5, o.p5...), append(s.r5, o.r5...), append(s.top1, o.top1...)
	s.none, s.sp5, s.sr5 = append(s.none, o.none...), append(s.sp5, o.sp5...), append(s.sr5, o.sr5...)
	s.distract = append(s.distract, o.distract...)
	for set, ap := range o.ap {
		if s.ap == nil {
			s.ap = map[string][]float64{}
		}
		s.ap[set] = append(s.ap[set], ap...)
	}
}

// evaluate answers the questions pick allows in full with rk and scores
// them as score-news, score and qa-eval do.
func evaluate(ctx context.Context, qs []question, rk *briefs.Ranker, pick func(question) bool) (scores, error) {
	out := scores{ap: map[string][]float64{}}
	for _, q := range qs {
		if !pick(q) || q.set == "cross" || q.set == "big" {
			continue
		}
		q.ix.Ranker = rk
		if q.set == "trecqa" || q.set == "wikiqa" {
			ans, err := q.ix.Answer(ctx, briefbot.Question{Text: q.text, Source: q.source, Limit: qaQuotes})
			if err != nil {
				return out, err
			}
			hits, ap := 0, 0.0
			for i, s := range ans.Snippets {
				if q.gold(s) {
					hits++
					ap += float64(hits) / float64(i+1)
				}
			}
			out.ap[q.set] = append(out.ap[q.set], ap/float64(q.right))
			continue
		}
		ans, err := q.ix.Answer(ctx, briefbot.Question{Text: q.text})
		if err != nil {
			return out, err
		}
		shown := ans.Snippets[:min(shownQuotes, len(ans.Snippets))]
		if q.set == "distract" {
			out.distract = append(out.distract, b2f(len(shown) == 0))
			continue
		}
		if q.none {
			out.none = append(out.none, b2f(len(shown) == 0))
			continue
		}
		rel, hit := 0, map[string]bool{}
		for _, s := range shown {
			if q.gold(s) {
				rel++
			}
			t := normNews(s.Text)
			for _, g := range q.golds {
				if strings.Contains(t, g) {
					hit[g] = true
				}
			}
		}
		p := 0.0
		if len(shown) > 0 {
			p = float64(rel) / float64(len(shown))
		}
		r := float64(len(hit)) / float64(max(1, min(shownQuotes, len(q.golds))))
		if q.set == "sample" {
			out.sp5, out.sr5 = append(out.sp5, p), append(out.sr5, r)
			continue
		}
		out.p5, out.r5 = append(out.p5, p), append(out.r5, r)
		out.top1 = append(out.top1, b2f(len(shown) > 0 && q.gold(shown[0])))
	}
	return out, nil
}

// showShares are the shares of the best candidate's probability tried as
// the least a quote needs to be shown.
var showShares = []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9}

// coverWeights are the worths tried for the points a quote adds (see
// briefs.Ranker.Cover): from nothing to well over half a quote's score.
var coverWeights = []float64{0, 0.2, 0.4, 0.6}

// choosePick picks the share shown and the worth of points added that
// give the best sum of P@5 and R@5 on the news and sample questions and
// MAP on the WikiQA and TrecQA ones keep allows: showing fewer quotes
// raises P@5 and lowers the others.
func choosePick(ctx context.Context, qs []question, rk *briefs.Ranker, keep func(question) bool) (show, cover float64) {
	show, cover = showShares[0], coverWeights[0]
	bestVal := -1.0
	for _, sh := range showShares {
		for _, cw := range coverWeights {
			r := *rk
			r.Show, r.Cover = sh, cw
			got, err := evaluate(ctx, qs, &r, keep)
			if err != nil {
				continue
			}
			val := mean(got.p5) + mean(got.r5) + mean(got.sp5) + mean(got.sr5) + mean(got.ap["wikiqa"]) + mean(got.ap["trecqa"])
			if val > bestVal {
				show, cover, bestVal = sh, cw, val
			}
		}
	}
	return show, cover
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// normNews normalises text as score-news does.
func normNews(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`, "\u00a0", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// newsSet is ../shared/eval/dev-news.json, its clusters written by
// make-dev-corpus.
func newsSet(path, corpus, shared, work string, open openFunc) ([]question, error) {
	var f struct {
		Questions []struct {
			ID, Cluster, Question string
			None                  bool
			Gold                  [][2]string
		}
	}
	if err := readJSON(path, &f); err != nil {
		return nil, err
	}
	if _, err := os.Stat(corpus); err != nil {
		cmd := exec.Command("python3", filepath.Join(shared, "eval", "make-dev-corpus"), "--out", corpus, "--questions", path)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("make-dev-corpus: %w", err)
		}
	}
	ixs := map[string]*briefs.Answerer{}
	var out []question
	for _, q := range f.Questions {
		ix := ixs[q.Cluster]
		if ix == nil {
			var err error
			if ix, err = open(filepath.Join(corpus, q.Cluster), filepath.Join(work, "index", "news-"+q.Cluster)); err != nil {
				return nil, err
			}
			ixs[q.Cluster] = ix
		}
		var golds []string
		for _, g := range q.Gold {
			if n := normNews(g[1]); !slices.Contains(golds, n) {
				golds = append(golds, n)
			}
		}
		out = append(out, question{set: "news", story: q.Cluster, id: q.ID, text: q.Question, ix: ix, none: q.None, golds: golds,
			gold: func(s briefbot.Snippet) bool {
				t := normNews(s.Text)
				return slices.ContainsFunc(golds, func(g string) bool { return strings.Contains(t, g) })
			}})
	}
	return out, nil
}

// sampleSet is ../shared/eval/dev.json over the sample articles: a snippet
// answers when it holds a key of the article it cites.
func sampleSet(shared string, open openFunc) ([]question, error) {
	var f struct {
		Questions []struct {
			ID, Question string
			Aspects      map[string][][2]string
			AlsoRelevant [][2]string `json:"also_relevant"`
		}
	}
	if err := readJSON(filepath.Join(shared, "eval", "dev.json"), &f); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "briefbot-train-sample-")
	if err != nil {
		return nil, err
	}
	ix, err := open("articles", dir)
	if err != nil {
		return nil, err
	}
	var out []question
	for _, q := range f.Questions {
		keys := map[string][]string{}
		var golds []string
		add := func(k [2]string) {
			n := normNews(k[1])
			keys[k[0]] = append(keys[k[0]], n)
			if !slices.Contains(golds, n) {
				golds = append(golds, n)
			}
		}
		for _, a := range q.Aspects {
			for _, k := range a {
				add(k)
			}
		}
		for _, k := range q.AlsoRelevant {
			add(k)
		}
		out = append(out, question{set: "sample", story: "sample", id: q.ID, text: q.Question, ix: ix, golds: golds,
			gold: func(s briefbot.Snippet) bool {
				base := filepath.Base(s.Article.Path)
				if len(base) < sampleKeyLen {
					return false
				}
				t := normNews(s.Text)
				return slices.ContainsFunc(keys[base[:sampleKeyLen]], func(k string) bool { return strings.Contains(t, k) })
			}})
	}
	return out, nil
}

// qaSet is TrecQA train or WikiQA dev written as qa-eval writes them: one
// article per question holding its candidate sentences, asked with the
// question's source filter.
func qaSet(shared, work, set string, open openFunc) ([]question, error) {
	var items []qaItem
	var err error
	if set == "trecqa" {
		items, err = trecqa(filepath.Join(shared, "data", "trecqa", "train-less-than-40.manual-edit.xml"))
	} else {
		items, err = wikiqa(filepath.Join(shared, "data", "wikiqa", "WikiQA-dev.tsv"))
	}
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(work, set, "articles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []question
	for _, it := range items {
		right, wrong := 0, 0
		for _, c := range it.cands {
			if c.right {
				right++
			} else {
				wrong++
			}
		}
		if right == 0 || wrong == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: \"%s\"\nsource: \"qa-%s\"\npublished: 2015-01-01\n---\n\n", strings.ReplaceAll(it.title, `"`, "'"), it.id)
		var texts []string
		for _, c := range it.cands {
			texts = append(texts, strings.TrimSpace(c.text))
		}
		b.WriteString(strings.Join(texts, "\n\n") + "\n")
		if err := os.WriteFile(filepath.Join(dir, it.id+".md"), []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		it := it
		out = append(out, question{set: set, story: set, id: it.id, text: it.q, source: "qa-" + it.id, right: right,
			gold: func(s briefbot.Snippet) bool {
				t := normQA(s.Text)
				for _, c := range it.cands {
					n := normQA(c.text)
					if t != "" && (strings.Contains(n, t) || strings.Contains(t, n)) {
						return c.right
					}
				}
				return false
			}})
	}
	ix, err := open(dir, filepath.Join(work, "index", set))
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].ix = ix
	}
	return out, nil
}

type qaItem struct {
	id, q, title string
	cands        []qaCand
}

type qaCand struct {
	text  string
	right bool
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// normQA normalises text as qa-eval does.
func normQA(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "``", `"`, "''", `"`).Replace(s)
	return strings.TrimSpace(nonWord.ReplaceAllString(s, " "))
}

func wikiqa(path string) ([]qaItem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []qaItem
	at := map[string]int{}
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 { // QuestionID Question DocumentID DocumentTitle SentenceID Sentence Label
			continue
		}
		j, ok := at[f[0]]
		if !ok {
			j = len(out)
			at[f[0]] = j
			out = append(out, qaItem{id: f[0], q: f[1], title: f[3]})
		}
		out[j].cands = append(out[j].cands, qaCand{f[5], f[6] == "1"})
	}
	return out, nil
}

var (
	qaPairsRE  = regexp.MustCompile(`(?s)<QApairs.*?</QApairs>`)
	questionRE = regexp.MustCompile(`<question>\s*\n(.*?)\n`)
	posRE      = regexp.MustCompile(`<positive>\s*\n(.*?)\n`)
	negRE      = regexp.MustCompile(`<negative>\s*\n(.*?)\n`)
)

func trecqa(path string) ([]qaItem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw := strings.ToValidUTF8(string(data), "\uFFFD")
	var out []qaItem
	for i, blk := range qaPairsRE.FindAllString(raw, -1) {
		m := questionRE.FindStringSubmatch(blk)
		if m == nil {
			continue
		}
		it := qaItem{id: fmt.Sprintf("TT%d", i), q: strings.ReplaceAll(m[1], "\t", " "), title: fmt.Sprintf("TREC train %d", i)}
		for _, p := range posRE.FindAllStringSubmatch(blk, -1) {
			it.cands = append(it.cands, qaCand{strings.ReplaceAll(p[1], "\t", " "), true})
		}
		for _, p := range negRE.FindAllStringSubmatch(blk, -1) {
			it.cands = append(it.cands, qaCand{strings.ReplaceAll(p[1], "\t", " "), false})
		}
		// The file lists a question's right answers first: written in
		// that order, a sentence's place in its article (the Lead
		// feature) would tell the model its label. In an order of their
		// own (by a hash of their text) the place says nothing.
		slices.SortStableFunc(it.cands, func(a, b qaCand) int { return cmp.Compare(textHash(a.text), textHash(b.text)) })
		out = append(out, it)
	}
	return out, nil
}

// textHash is a stable hash of s, to order sentences by.
func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// newsEmphasis is how much more a news or sample set weighs than an
// encyclopaedia set: briefbot answers questions about news. Chosen by
// cross-validation over stories: against 2, 3 kept the news figures and
// lifted the sample held out (P@5 0.60 -> 0.62, R@5 0.65 -> 0.69).
const newsEmphasis = 3

// balance groups the candidates of each question that has an answer
// among them, giving each set of questions the same weight in all, so
// the hundreds of encyclopaedia questions do not drown the news ones. The
// news questions asked of the big corpus teach refusing, not ranking.
func balance(rows []rowSet, keep func(question) bool) [][]briefs.Example {
	ranks := func(r rowSet) bool { return keep(r.q) && r.found && !r.q.none && r.q.set != "big" }
	per := map[string]int{}
	for _, r := range rows {
		if ranks(r) {
			per[r.q.set]++
		}
	}
	var out [][]briefs.Example
	for _, r := range rows {
		if !ranks(r) {
			continue
		}
		g := make([]briefs.Example, len(r.ex))
		for i, e := range r.ex {
			e.Weight /= float64(per[r.q.set])
			if r.q.set == "news" || r.q.set == "sample" {
				e.Weight *= newsEmphasis
			}
			g[i] = e
		}
		out = append(out, g)
	}
	return out
}
