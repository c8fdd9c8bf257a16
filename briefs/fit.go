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

// FitList fits the weights on how well they rank each question's
// candidates (groups: one question's examples each, weighing their
// Weights summed). The loss is the softmax cross-entropy of the scores
// over a question's candidates, which puts a question's weight on its
// answers against its other candidates, plus pointwiseShare of the
// logistic loss of each candidate alone, which keeps the scores of
// different questions comparable. A feature the same for all of every
// question's candidates (its scale, whether it has a type) is the
// question's and ranks nothing; a logistic regression of Answer on the
// ranking score and those features then makes the score a probability
// and sets their weights and the bias.
func FitList(groups [][]Example) (w []float64, bias float64) {
	if len(groups) == 0 || len(groups[0]) == 0 {
		return make([]float64, len(featureNames)), 0
	}
	n := len(groups[0][0].X)
	var own, asked []int // the sentences' features and the questions'
	for i := range n {
		same := true
		for _, g := range groups {
			for _, e := range g {
				same = same && e.X[i] == g[0].X[i]
			}
		}
		if same {
			asked = append(asked, i)
		} else {
			own = append(own, i)
		}
	}
	w = make([]float64, n)
	total := 0.0
	for _, g := range groups {
		for _, e := range g {
			total += e.Weight
		}
	}
	grad := make([]float64, n)
	var z, p []float64
	pb := 0.0 // the bias of the pointwise loss
	for range fitRounds {
		clear(grad)
		gpb := 0.0
		for _, g := range groups {
			z, p = z[:0], p[:0]
			top, weight, pos := math.Inf(-1), 0.0, 0
			for _, e := range g {
				s := 0.0
				for _, i := range own {
					s += w[i] * e.X[i]
				}
				z = append(z, s)
				top = math.Max(top, s)
				weight += e.Weight
				if e.Answer {
					pos++
				}
			}
			if pos == 0 {
				continue
			}
			sum := 0.0
			for _, s := range z {
				p = append(p, math.Exp(s-top))
				sum += p[len(p)-1]
			}
			for j, e := range g {
				y, yp := 0.0, 0.0
				if e.Answer {
					y, yp = 1/float64(pos), 1
				}
				d := (p[j]/sum - y) * weight / total
				dp := pointwiseShare * (sigmoid(z[j]+pb) - yp) * e.Weight / total
				for _, i := range own {
					grad[i] += (d + dp) * e.X[i]
				}
				gpb += dp
			}
		}
		for _, i := range own {
			w[i] -= fitRate * (grad[i] + fitL2*w[i])
		}
		pb -= fitRate * gpb
	}
	// Calibration: Answer on the ranking score and the question's
	// features.
	var cal []Example
	for _, g := range groups {
		for _, e := range g {
			x := make([]float64, 1+len(asked))
			for _, i := range own {
				x[0] += w[i] * e.X[i]
			}
			for k, i := range asked {
				x[1+k] = e.X[i]
			}
			cal = append(cal, Example{X: x, Answer: e.Answer, Weight: e.Weight})
		}
	}
	cw, cb := Fit(cal)
	for _, i := range own {
		w[i] *= cw[0]
	}
	for k, i := range asked {
		w[i] = cw[1+k]
	}
	return w, cb
}

// pointwiseShare weighs the logistic loss of single candidates against
// the ranking loss of whole questions. Chosen by cross-validation over the
// news dev set's stories (cmd/train --cv) among the ranking loss alone,
// 0.3, 1 and the logistic loss alone: 0.3 alone did better than the
// logistic loss on all of P@5, R@5 and top1 there, and it had the best
// TrecQA dev MAP.
const pointwiseShare = 0.3
