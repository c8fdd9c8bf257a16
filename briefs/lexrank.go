package briefs

import (
	"cmp"
	"math"
	"sort"
)

// This file is a small LexRank (Erkan and Radev, 2004): sentences are the
// nodes of a graph whose edges are their TF-IDF cosine similarities, and a
// sentence is central when sentences that are themselves central resemble
// it. Scores are the stationary distribution of a random walk on that
// graph, found by power iteration.

// sparseVec is a sentence as unit-length TF-IDF weights, by term number in
// ascending order.
type sparseVec struct {
	ids []int32
	w   []float64
}

// dot is the cosine of two unit vectors.
func (a sparseVec) dot(b sparseVec) float64 {
	s := 0.0
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] == b.ids[j]:
			s += a.w[i] * b.w[j]
			i++
			j++
		case a.ids[i] < b.ids[j]:
			i++
		default:
			j++
		}
	}
	return s
}

// newSparseVec makes a unit vector of term weights (zero weights dropped);
// the zero vector when nothing is left.
func newSparseVec(weights map[int32]float64) sparseVec {
	v := sparseVec{ids: make([]int32, 0, len(weights))}
	for id, w := range weights {
		if w > 0 {
			v.ids = append(v.ids, id)
		}
	}
	sort.Slice(v.ids, func(i, j int) bool { return v.ids[i] < v.ids[j] })
	norm := 0.0
	v.w = make([]float64, len(v.ids))
	for i, id := range v.ids {
		v.w[i] = weights[id]
		norm += v.w[i] * v.w[i]
	}
	norm = math.Sqrt(norm)
	for i := range v.w {
		v.w[i] /= norm
	}
	return v
}

// lexRankOptions tune the walk. The zero value means the usual settings.
type lexRankOptions struct {
	// Threshold drops edges of lower similarity (default 0.1): faint
	// likeness through common words is not endorsement.
	Threshold float64
	// Damping is the chance the walk follows an edge rather than jumping
	// (default 0.85).
	Damping float64
	// Prior is where jumps land, one weight per sentence; nil means
	// uniformly. A prior favouring early sentences biases centrality
	// towards what articles lead with.
	Prior []float64
	// Tolerance ends the iteration once scores move less than this in
	// total (default 1e-9); MaxIter caps it (default 200).
	Tolerance float64
	MaxIter   int
}

// lexRank scores n sentences by centrality, given their pairwise
// similarity (sim must be symmetric; the diagonal is ignored). Edges keep
// their weight (continuous LexRank). Scores sum to 1. It also returns how
// many iterations the walk took to settle.
func lexRank(n int, sim func(i, j int) float64, o lexRankOptions) ([]float64, int) {
	if n == 0 {
		return nil, 0
	}
	o.Threshold = cmp.Or(o.Threshold, 0.1)
	o.Damping = cmp.Or(o.Damping, 0.85)
	o.Tolerance = cmp.Or(o.Tolerance, 1e-9)
	o.MaxIter = cmp.Or(o.MaxIter, 200)
	prior := jumpPrior(n, o.Prior)
	out := similarityGraph(n, sim, o.Threshold)
	p := append([]float64(nil), prior...)
	next := make([]float64, n)
	iters := 0
	for iters < o.MaxIter {
		iters++
		// A sentence with no edges passes its weight on as a jump.
		dangling := 0.0
		clear(next)
		for i, es := range out {
			if len(es) == 0 {
				dangling += p[i]
				continue
			}
			for _, e := range es {
				next[e.to] += p[i] * e.w
			}
		}
		diff := 0.0
		for i := range next {
			v := (1-o.Damping)*prior[i] + o.Damping*(next[i]+dangling*prior[i])
			diff += math.Abs(v - p[i])
			next[i] = v
		}
		p, next = next, p
		if diff < o.Tolerance {
			break
		}
	}
	return p, iters
}

// jumpPrior is where the walk's jumps land: the given weights (negative
// ones as 0) made to sum to 1, or uniform when there are none.
func jumpPrior(n int, weights []float64) []float64 {
	prior := make([]float64, n)
	total := 0.0
	for i := range prior {
		prior[i] = 1
		if weights != nil {
			prior[i] = math.Max(weights[i], 0)
		}
		total += prior[i]
	}
	for i := range prior {
		if total > 0 {
			prior[i] /= total
		} else {
			prior[i] = 1 / float64(n)
		}
	}
	return prior
}

// edge is a link of the similarity graph, its weight normalised over the
// links of the sentence it leaves.
type edge struct {
	to int
	w  float64
}

// similarityGraph links every two sentences at least threshold alike, as
// adjacency lists with row-normalised weights.
func similarityGraph(n int, sim func(i, j int) float64, threshold float64) [][]edge {
	out := make([][]edge, n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if s := sim(i, j); s >= threshold && s > 0 {
				out[i] = append(out[i], edge{j, s})
				out[j] = append(out[j], edge{i, s})
			}
		}
	}
	for i := range out {
		deg := 0.0
		for _, e := range out[i] {
			deg += e.w
		}
		for k := range out[i] {
			out[i][k].w /= deg
		}
	}
	return out
}

// rankOrder lists indices by score, highest first. Scores are compared
// to 12 decimal places, so sentences that tie but for rounding in the
// walk keep their original order: ties always break the same way.
func rankOrder(scores []float64) []int {
	idx := make([]int, len(scores))
	key := make([]float64, len(scores))
	for i, s := range scores {
		idx[i] = i
		key[i] = math.Round(s * 1e12)
	}
	sort.SliceStable(idx, func(a, b int) bool { return key[idx[a]] > key[idx[b]] })
	return idx
}
