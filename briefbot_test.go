package briefbot

import "testing"

func TestFrom(t *testing.T) {
	a := Article{Source: "NENC Media Group", AlsoIn: []string{"Herald Times"}}
	for _, tt := range []struct {
		filter string
		want   bool
	}{
		{"NENC Media Group", true},
		{"nenc  media group", true},
		{"NENC", true},
		{"NENC Media", true},
		{"NEN", false},
		{"Media Group", false},
		{"herald", true},
		{"Times", false},
		{"", false},
	} {
		if got := a.From(tt.filter); got != tt.want {
			t.Errorf("From(%q) = %v, want %v", tt.filter, got, tt.want)
		}
	}
	if (Article{}).From("anything") {
		t.Error("an article with no outlet is from no named outlet")
	}
}
