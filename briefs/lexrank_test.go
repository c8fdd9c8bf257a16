package briefs

import (
	"math"
	"testing"
)

// matrix turns a dense similarity table into lexRank's function.
func matrix(m [][]float64) func(i, j int) float64 { return func(i, j int) float64 { return m[i][j] } }

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func TestLexRankStarCentreFirst(t *testing.T) {
	// Node 3 resembles every other node; the others resemble only it.
	n, centre := 6, 3
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		if i != centre {
			m[i][centre], m[centre][i] = 0.5, 0.5
		}
	}
	scores, _ := lexRank(n, matrix(m), lexRankOptions{})
	order := rankOrder(scores)
	if order[0] != centre {
		t.Fatalf("centre ranks %v, want node %d first (scores %v)", order, centre, scores)
	}
	// The leaves are alike, so they keep their own order behind it.
	if want := []int{3, 0, 1, 2, 4, 5}; !equalInts(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if s := sum(scores); math.Abs(s-1) > 1e-9 {
		t.Errorf("scores sum to %v, want 1", s)
	}
}

func TestLexRankConverges(t *testing.T) {
	// A chain 0-1-2-3-4 with a weak link 4-0 and an isolated node 5.
	m := [][]float64{
		{0, .9, 0, 0, .2, 0},
		{.9, 0, .6, 0, 0, 0},
		{0, .6, 0, .6, 0, 0},
		{0, 0, .6, 0, .9, 0},
		{.2, 0, 0, .9, 0, 0},
		{0, 0, 0, 0, 0, 0},
	}
	scores, iters := lexRank(6, matrix(m), lexRankOptions{Tolerance: 1e-12})
	if iters >= 200 {
		t.Fatalf("did not settle in %d iterations", iters)
	}
	// Walking on much longer changes nothing that matters.
	again, _ := lexRank(6, matrix(m), lexRankOptions{Tolerance: 1e-16, MaxIter: 5000})
	for i := range scores {
		if math.Abs(scores[i]-again[i]) > 1e-10 {
			t.Errorf("node %d: %v then %v", i, scores[i], again[i])
		}
	}
	// The isolated node only gets what the walk's jumps give it.
	for i := 0; i < 5; i++ {
		if scores[5] >= scores[i] {
			t.Errorf("isolated node scores %v, not below node %d's %v", scores[5], i, scores[i])
		}
	}
	// Symmetric nodes score the same: 0 with 4, 1 with 3.
	if math.Abs(scores[1]-scores[3]) > 1e-9 || math.Abs(scores[0]-scores[4]) > 1e-9 {
		t.Errorf("mirror images differ: %v", scores)
	}
}

func TestLexRankThresholdAndPrior(t *testing.T) {
	// Below the threshold there is no graph: only the prior decides.
	m := [][]float64{{0, .05, .05}, {.05, 0, .05}, {.05, .05, 0}}
	scores, _ := lexRank(3, matrix(m), lexRankOptions{Prior: []float64{1, 2, 5}})
	if got := rankOrder(scores); !equalInts(got, []int{2, 1, 0}) {
		t.Errorf("with no edges the order is %v, want the prior's [2 1 0]", got)
	}
	// Uniform prior, no edges: all tie, and ties keep index order.
	scores, _ = lexRank(3, matrix(m), lexRankOptions{})
	if got := rankOrder(scores); !equalInts(got, []int{0, 1, 2}) {
		t.Errorf("ties ordered %v, want [0 1 2]", got)
	}
	if s, _ := lexRank(0, nil, lexRankOptions{}); s != nil {
		t.Errorf("no sentences: %v", s)
	}
}

func TestRankOrderDeterministicTies(t *testing.T) {
	scores := []float64{0.2, 0.5, 0.2 + 1e-15, 0.5 - 1e-16, 0.1}
	for range 20 {
		if got := rankOrder(scores); !equalInts(got, []int{1, 3, 0, 2, 4}) {
			t.Fatalf("order %v, want [1 3 0 2 4]", got)
		}
	}
}

func TestSparseVecCosine(t *testing.T) {
	a := newSparseVec(map[int32]float64{1: 3, 4: 4})
	b := newSparseVec(map[int32]float64{4: 1})
	c := newSparseVec(map[int32]float64{2: 1, 7: 0})
	if got := a.dot(a); math.Abs(got-1) > 1e-12 {
		t.Errorf("a·a = %v, want 1", got)
	}
	if got := a.dot(b); math.Abs(got-0.8) > 1e-12 {
		t.Errorf("a·b = %v, want 0.8", got)
	}
	if got := a.dot(c); got != 0 {
		t.Errorf("a·c = %v, want 0", got)
	}
	if len(c.ids) != 1 {
		t.Errorf("zero weights kept: %v", c.ids)
	}
	if z := newSparseVec(nil); len(z.ids) != 0 || z.dot(a) != 0 {
		t.Errorf("empty vector: %+v", z)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
