package briefs

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// This file holds the ranker's middle stages: the features of a candidate
// sentence (what retrieval found out about it), and the learned model that
// turns them into the probability that the sentence answers the question.
// The model's weights and its abstaining cut-off are fitted by cmd/train
// on labelled questions and shipped as configs/ranker.json.

// features are what ranking knows of a candidate sentence, each in [0, 1].
type features struct {
	// BM25 is the sentence's BM25 score, relative to the best candidate.
	BM25 float64
	// Coverage is the share of the question's content terms the sentence
	// has, weighed by their specificity.
	Coverage float64
	// Article is the whole article's BM25 score, relative to the best.
	Article float64
	// Entity is the share of the question's names (with aliases) the
	// sentence mentions, weighed by specificity.
	Entity float64
	// Cue is how strongly the sentence shows the question type's answer
	// cue phrases (0 for a free-form question).
	Cue float64
	// Needs is how well the sentence shows what the question type needs:
	// a person, a date, an amount, a count, a place, a reason, a quote.
	Needs float64
	// Long is the sentence's length in words against what a sentence
	// needs to state a point (see statesPoint).
	Long float64
	// Lead is 1 for an article's first sentence, falling with position:
	// news puts what happened first.
	Lead float64
	// Focus is how well the sentence's story matches what the question
	// pins it to: its quoted phrases and its time expressions.
	Focus float64
	// Typed is 1 for a question of a known type.
	Typed float64
	// TopicCue and TopicNeeds are Coverage times Cue and times Needs: a
	// sentence of the question's type counts when it is also on its
	// topic, not instead of it.
	TopicCue, TopicNeeds float64
	// Title is the share of the question's content terms, by
	// specificity, its article's title has: the story it is about.
	Title float64
	// Related is the share of the question's content terms, by
	// specificity, that the sentence does not have but words of the same
	// meaning or family stand in for (WordNet: "unresolved" for "open").
	Related float64
	// Speaks is 1 when whoever the question asks about (its Actor) speaks
	// in the sentence: "Northwestern said", "according to Northwestern".
	Speaks float64
	// Density is the share of the sentence's terms that are the
	// question's: a sentence about it rather than one that mentions it.
	Density float64
	// Unseen is a question's: the share of its weight in words and names
	// no sentence in the corpus has at all (a question about someone the
	// corpus never mentions).
	Unseen float64
	// Scale is a question's, not a sentence's: how many articles it was
	// asked of, on a log scale (1 from bigScope up). A rare word shared
	// with one article says less of a big corpus, where some article
	// shares any word, than of a few articles a user chose.
	Scale float64
	// Reach is a question's, not a sentence's: the largest share of the
	// question's weight one article has in its best candidates together.
	// The articles of a story that answers have nearly all of it between
	// them; in a big corpus about other things, the rare words a
	// question shares with one article (a name) hide that the article
	// has none of the rest of it.
	Reach float64
	// Covered is a question's, not a sentence's: the largest share of
	// the question's weight one of the best candidates covers. It moves
	// every candidate's probability alike, so it decides whether the
	// corpus answers at all, not the order.
	Covered float64
}

// featureNames names the features in the order vector lists them; the
// weights file uses these names.
var featureNames = []string{"bm25", "coverage", "article", "entity", "cue", "needs", "long", "lead", "focus", "typed", "topic_cue", "topic_needs", "density", "title", "related", "speaks", "scale", "reach", "unseen", "covered"}

// vector lists the features in featureNames order.
func (f features) vector() []float64 {
	return []float64{f.BM25, f.Coverage, f.Article, f.Entity, f.Cue, f.Needs, f.Long, f.Lead, f.Focus, f.Typed, f.TopicCue, f.TopicNeeds, f.Density, f.Title, f.Related, f.Speaks, f.Scale, f.Reach, f.Unseen, f.Covered}
}

// components maps each feature to its value, for explanations.
func (f features) components() map[string]float64 {
	out := make(map[string]float64, len(featureNames))
	for i, v := range f.vector() {
		out[featureNames[i]] = round3(v)
	}
	return out
}

// statesPoint is how many words a sentence needs to state a point:
// "Mediators face a practical challenge." is too short to.
const statesPoint = 10

// Ranker is the fitted model: a logistic regression over the features,
// and the probability below which the best candidate does not answer.
type Ranker struct {
	// Weights by feature name, and the bias.
	Weights map[string]float64 `json:"weights"`
	Bias    float64            `json:"bias"`
	// Answerable is the second stage: a logistic regression of whether
	// the corpus answers the question at all on the best candidate's
	// probability ("top") and the question's Covered, Unseen, Reach and
	// Scale.
	Answerable Gate `json:"answerable"`
	// Show is the least share of the best candidate's probability a
	// candidate needs to be quoted.
	Show float64 `json:"show"`
	// Cover is what the points a candidate adds to an answer that lists
	// points are worth against its share of the best probability (see
	// pick): fitted, as Show is, for the best quotes.
	Cover float64 `json:"cover"`
	// Abstain is the least probability of being answerable, by
	// Answerable, a question needs to be answered.
	Abstain float64 `json:"abstain"`
	// About says how the file was made; Trained counts what it was
	// fitted on. Both are informational.
	About   string         `json:"about,omitempty"`
	Trained map[string]int `json:"trained,omitempty"`

	w []float64 // Weights in featureNames order
}

// LoadRanker parses a weights file (configs/ranker.json documents the
// format). Every feature must have a weight and no unknown one may.
func LoadRanker(data []byte) (*Ranker, error) {
	var r Ranker
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("ranker weights: %w", err)
	}
	for k := range r.Weights {
		if !slices.Contains(featureNames, k) {
			return nil, fmt.Errorf("ranker weights: %q is not a feature (want %s)", k, strings.Join(featureNames, ", "))
		}
	}
	r.w = make([]float64, len(featureNames))
	for i, k := range featureNames {
		w, ok := r.Weights[k]
		if !ok {
			return nil, fmt.Errorf("ranker weights: no weight for %q", k)
		}
		r.w[i] = w
	}
	if r.Show < 0 || r.Show > 1 {
		return nil, fmt.Errorf("ranker weights: show %g is not a share of the best probability", r.Show)
	}
	if r.Cover < 0 || r.Cover > 1 {
		return nil, fmt.Errorf("ranker weights: cover %g is not between 0 and 1", r.Cover)
	}
	if r.Abstain < 0 || r.Abstain >= 1 {
		return nil, fmt.Errorf("ranker weights: abstain %g is not a probability below 1", r.Abstain)
	}
	return &r, nil
}

// Gate is the answerability model's weights.
type Gate struct {
	Top     float64 `json:"top"`
	Covered float64 `json:"covered"`
	Unseen  float64 `json:"unseen"`
	Reach   float64 `json:"reach"`
	Scale   float64 `json:"scale"`
	Bias    float64 `json:"bias"`
}

// GateInputs lists what Gate weighs, in the order the trainer fits them:
// the best candidate's probability and its feature vector's Covered,
// Unseen, Reach and Scale.
func GateInputs(top float64, x []float64) []float64 {
	n := len(x)
	return []float64{top, x[n-1], x[n-2], x[n-3], x[n-4]}
}

// Prob is the probability that the corpus answers a question at all,
// from GateInputs.
func (g Gate) Prob(in []float64) float64 {
	return sigmoid(g.Bias + g.Top*in[0] + g.Covered*in[1] + g.Unseen*in[2] + g.Reach*in[3] + g.Scale*in[4])
}

// NewRanker makes a ranker of weights in featureNames order (what the
// trainer fits), a bias and an abstaining cut-off.
func NewRanker(w []float64, bias, abstain float64) *Ranker {
	r := &Ranker{Weights: map[string]float64{}, Bias: bias, Abstain: abstain, w: slices.Clone(w)}
	for i, k := range featureNames {
		r.Weights[k] = w[i]
	}
	return r
}

// FeatureNames lists the features a ranker weighs, in the order the
// trainer's vectors hold them.
func FeatureNames() []string { return slices.Clone(featureNames) }

// logit is the model's log-odds for f.
func (r *Ranker) logit(f features) float64 {
	z := r.Bias
	for i, v := range f.vector() {
		z += r.w[i] * v
	}
	return z
}

// prob is the model's probability that a sentence with features f
// answers.
func (r *Ranker) prob(f features) float64 { return sigmoid(r.logit(f)) }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Prob is the model's probability for a feature vector in FeatureNames
// order (what Candidates and the trainer hold).
func (r *Ranker) Prob(x []float64) float64 {
	z := r.Bias
	for i, v := range x {
		z += r.w[i] * v
	}
	return sigmoid(z)
}
