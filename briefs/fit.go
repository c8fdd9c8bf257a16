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

// Fit fits a logistic regression of Answer on X: the weights (in X's
// order: FeatureNames for candidates) and the bias.
func Fit(ex []Example) (w []float64, bias float64) {
	if len(ex) == 0 {
		return make([]float64, len(featureNames)), 0
	}
	w = make([]float64, len(ex[0].X))
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

// Outcome is one question's probability of being answerable (0 when the
// rules before the cut-off refuse it) and whether the corpus answers it.
type Outcome struct {
	Top        float64
	Answerable bool
}

// keepAnswerable is the share of the answerable dev questions that reach
// the cut-off (the rules before it refuse a few) it must still answer:
// refusing a question the corpus answers costs the user the whole
// answer, so refusing is bought only where it is cheap.
const keepAnswerable = 0.95

// ChooseAbstain picks the cut-off below which a question is not answered:
// the highest that still answers keepAnswerable of the answerable
// questions the rules leave to it (those whose Top is not 0).
func ChooseAbstain(out []Outcome) float64 {
	var tops []float64
	for _, o := range out {
		if o.Answerable && o.Top > 0 {
			tops = append(tops, o.Top)
		}
	}
	if len(tops) == 0 {
		return 0
	}
	slices.Sort(tops)
	// Answering all but the lowest k keeps at least keepAnswerable.
	k := int(math.Floor((1 - keepAnswerable) * float64(len(tops))))
	return tops[k]
}
