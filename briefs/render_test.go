package briefs

import (
	"fmt"
	"testing"

	"briefbot"
)

// TestSections checks the order an answer is read in: points in their
// order, quotes no point holds after them, except those that outrank
// every point, which come first.
func TestSections(t *testing.T) {
	for _, tc := range []struct {
		name   string
		points [][]int
		want   string
	}{
		{"no points", nil, "[- 0 1 2 3]"},
		{"all in points", [][]int{{0, 2}, {1, 3}}, "[P 0 2][P 1 3]"},
		{"the rest after the points", [][]int{{0, 1}}, "[P 0 1][- 2 3]"},
		{"the best quote first", [][]int{{1, 3}}, "[- 0][P 1 3][- 2]"},
		{"the best quotes first", [][]int{{2, 3}}, "[- 0 1][P 2 3]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := briefbot.Answer{Snippets: make([]briefbot.Snippet, 4)}
			for _, p := range tc.points {
				a.Points = append(a.Points, briefbot.Point{Label: "p", Snippets: p})
			}
			got := ""
			for _, s := range Sections(a) {
				mark := "-"
				if s.Point != nil {
					mark = "P"
				}
				got += "[" + mark
				for _, i := range s.Snippets {
					got += fmt.Sprint(" ", i)
				}
				got += "]"
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
