package briefs

import (
	"math"
	"slices"
)

// Example is one labelled candidate for fitting a ranker: its features
// (FeatureNames order), whether it answers, and its weight (each question
// weighs 1 in all, shared among its candidates).
type Example struct {
	X      []float64
	Answer bool
	Weight float64
}

const (
	// fitRounds is how many gradient steps fitting takes: the loss is
	// convex and the features lie in [0, 1], so it settles well before.
	fitRounds = 4000
	// fitRate is the step size of full-batch gradient descent.
	fitRate = 0.5
	// fitL2 keeps the weights small: a feature no example separates on
	// stays near 0 rather than wandering.
	fitL2 = 1e-3
)

// Fit fits a logistic regression of Answer on X: the weights in
// FeatureNames order and the bias.
func Fit(ex []Example) (w []float64, bias float64) {
	w = make([]float64, len(featureNames))
	if len(ex) == 0 {
		return w, 0
	}
	total := 0.0
	for _, e := range ex {
		total += e.Weight
	}
	grad := make([]float64, len(w))
	for range fitRounds {
		clear(grad)
		gb := 0.0
		for _, e := range ex {
			z := bias
			for i, v := range e.X {
				z += w[i] * v
			}
			y := 0.0
			if e.Answer {
				y = 1
			}
			d := (sigmoid(z) - y) * e.Weight / total
			for i, v := range e.X {
				grad[i] += d * v
			}
			gb += d
		}
		for i := range w {
			w[i] -= fitRate * (grad[i] + fitL2*w[i])
		}
		bias -= fitRate * gb
	}
	return w, bias
}

// Outcome is one question's best candidate probability (0 when the
// rules before the cut-off refuse it) and whether the corpus answers it.
type Outcome struct {
	Top        float64
	Answerable bool
}

// ChooseAbstain picks the cut-off below which the best candidate does not
// answer: the one that best balances answering the answerable questions
// and refusing the others (the mean of the two rates), the lowest such
// when several tie.
func ChooseAbstain(out []Outcome) float64 {
	var cuts []float64
	for _, o := range out {
		cuts = append(cuts, o.Top)
	}
	cuts = append(cuts, 0)
	slices.Sort(cuts)
	best, bestVal := 0.0, math.Inf(-1)
	for i, c := range cuts {
		if i > 0 && c == cuts[i-1] {
			continue
		}
		var ans, ansN, ref, refN float64
		for _, o := range out {
			if o.Answerable {
				ansN++
				if o.Top >= c && o.Top > 0 {
					ans++
				}
			} else {
				refN++
				if o.Top < c || o.Top == 0 {
					ref++
				}
			}
		}
		val := ans/math.Max(ansN, 1) + ref/math.Max(refN, 1)
		if val > bestVal {
			best, bestVal = c, val
		}
	}
	// Halfway to the next answerable question's probability below it
	// would be as good on these questions; the cut-off itself is kept so
	// the questions it was chosen on stay on the side they were.
	return best
}
