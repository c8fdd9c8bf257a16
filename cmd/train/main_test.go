package main

import "testing"

// TestWithoutStory checks that cross-validation fits nothing of the story
// it holds out: neither its own questions nor the cross questions asked
// of its articles.
func TestWithoutStory(t *testing.T) {
	news := []question{
		{set: "news", story: "a", id: "a1"},
		{set: "news", story: "b", id: "b1"},
		{set: "news", story: "c", id: "c1"},
		{set: "news", story: "d", id: "d1"},
	}
	qs := append(news, crossQuestions(news)...)
	keep := withoutStory("a")
	var kept []string
	for _, q := range qs {
		if keep(q) {
			kept = append(kept, q.id)
		}
	}
	// Cross questions go half way round: a1 is asked of c's articles,
	// c1 of a's; both are dropped with a.
	want := []string{"b1", "c1", "d1", "b1@d", "d1@b"}
	if len(kept) != len(want) {
		t.Fatalf("kept %v, want %v", kept, want)
	}
	for i := range want {
		if kept[i] != want[i] {
			t.Fatalf("kept %v, want %v", kept, want)
		}
	}
}
