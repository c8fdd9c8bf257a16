package briefs

import (
	"os"
	"strings"
	"testing"

	"briefbot/configs"
)

// The shipped weights load, from the embedded copy and from the file in
// configs/, and they weigh every feature.
func TestShippedRankerLoads(t *testing.T) {
	file, err := os.ReadFile("../configs/ranker.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"embedded": configs.DefaultRanker, "file": file} {
		rk, err := LoadRanker(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rk.Weights) != len(featureNames) || rk.Abstain <= 0 || rk.Abstain >= 1 {
			t.Errorf("%s: %d weights, abstain %g: want one per feature and a probability", name, len(rk.Weights), rk.Abstain)
		}
	}
}

func TestLoadRankerErrors(t *testing.T) {
	full := `"bm25":1,"coverage":1,"article":1,"entity":1,"cue":1,"needs":1,"long":1,"lead":1,"focus":1,"typed":1,"topic_cue":1,"topic_needs":1,"density":1,"title":1,"related":1,"speaks":1,"scale":1,"reach":1,"unseen":1,"covered":1`
	for _, tc := range []struct{ in, err string }{
		{`{"weights":{` + full + `},"abstain":0.2}`, ""},
		{`{"weights":{` + full + `,"colour":1},"abstain":0.2}`, `"colour" is not a feature`},
		{`{"weights":{"bm25":1},"abstain":0.2}`, `no weight for "coverage"`},
		{`{"weights":{` + full + `},"abstain":1.5}`, "not a probability"},
		{`{`, "ranker weights"},
	} {
		_, err := LoadRanker([]byte(tc.in))
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
		}
	}
}

// Fitting finds the feature that separates answers from the rest, and
// the cut-off that refuses the unanswerable questions.
func TestFit(t *testing.T) {
	var ex []Example
	for i := range 40 {
		x := make([]float64, len(featureNames))
		x[0] = float64(i%2) + 0.1*float64(i%3) // bm25 tells
		x[1] = float64(i%5) / 5                // coverage does not
		ex = append(ex, Example{X: x, Answer: i%2 == 1, Weight: 1})
	}
	w, b := Fit(ex)
	if w[0] <= 1 || w[0] <= 3*abs(w[1]) {
		t.Errorf("weights %v: want bm25 well above coverage", w)
	}
	rk := NewRanker(w, b, 0)
	if rk.Prob(ex[1].X) <= 0.5 || rk.Prob(ex[0].X) >= 0.5 {
		t.Errorf("probabilities %g, %g: want answers above a half, others below", rk.Prob(ex[1].X), rk.Prob(ex[0].X))
	}
	// The cut-off answers all but the lowest 5% of answerable questions.
	var outs []Outcome
	for i := range 40 {
		outs = append(outs, Outcome{Top: float64(i+1) / 100, Answerable: true}, Outcome{Top: float64(i) / 200, Answerable: false})
	}
	if cut := ChooseAbstain(outs); cut != 0.03 {
		t.Errorf("cut-off %g: want 0.03, which answers 38 of the 40", cut)
	}
	// Questions the rules refused (Top 0) are not counted: the 5% is of
	// those left to the cut-off.
	for range 10 {
		outs = append(outs, Outcome{Top: 0, Answerable: true})
	}
	if cut := ChooseAbstain(outs); cut != 0.03 {
		t.Errorf("cut-off %g with ten refused by the rules: want 0.03 still", cut)
	}
}

// Fitting by ranking finds the feature that orders each question's
// candidates (bm25). Coverage and scale here are the same for all of a
// question's candidates: they rank nothing, and calibration gives them
// the little they tell of answers across questions (nothing: every
// question has one answer in six). The probabilities put each answer
// above its question's other candidates.
func TestFitList(t *testing.T) {
	const bm25, coverage, scale = 0, 1, 16
	if featureNames[scale] != "scale" {
		t.Fatalf("feature %d is %q: the test wants scale", scale, featureNames[scale])
	}
	var groups [][]Example
	for q := range 30 {
		easy := q%2 == 0
		var g []Example
		for c := range 6 {
			x := make([]float64, len(featureNames))
			x[bm25] = 0.2 + 0.1*float64(c%3)
			if c == 0 {
				x[bm25] = 0.8 // the answer
			}
			if easy {
				x[coverage] = 1
				x[scale] = 0.2
			} else {
				x[scale] = 0.9
			}
			g = append(g, Example{X: x, Answer: c == 0, Weight: 1.0 / 6})
		}
		groups = append(groups, g)
	}
	w, b := FitList(groups)
	if w[bm25] <= 1 {
		t.Errorf("bm25 weight %g: want it to rank", w[bm25])
	}
	if abs(w[coverage]) >= w[bm25]/3 {
		t.Errorf("coverage weight %g: want little next to bm25's %g, as it ranks nothing within a question", w[coverage], w[bm25])
	}
	rk := NewRanker(w, b, 0)
	for _, g := range groups {
		for _, e := range g[1:] {
			if rk.Prob(e.X) >= rk.Prob(g[0].X) {
				t.Fatalf("a candidate %v scores %g, the answer %v %g", e.X[:2], rk.Prob(e.X), g[0].X[:2], rk.Prob(g[0].X))
			}
		}
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
