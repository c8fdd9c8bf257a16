package briefs

import "testing"

// Routine lines are told by their shape: figures against figures, a
// price moving by so many units, a dividend's payable and record dates.
func TestRoutineSentence(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"results table", "Shr 1.22 dlrs vs 1.05 dlrs", true},
		{"results table line", "Net 12.4 mln vs 10.1 mln Revs 100.2 mln vs 98.7 mln", true},
		{"results against a year ago", "The company said first quarter net income rose to 12.4 mln dlrs from 10.1 mln dlrs a year earlier.", true},
		{"price tick", "Cocoa futures opened steady, with the July contract up 12 stg at 1,450 a tonne.", true},
		{"price tick in cents", "Soybeans fell 1-1/4 cents in light early trading.", true},
		{"market close", "The dollar closed higher against the yen in Tokyo.", true},
		{"dividend", "The board declared a quarterly dividend of 15 cts a share, payable April 15 to holders of record April 1.", true},
		{"dividend line", "Qtly div 15 cts vs 15 cts prior", true},
		{"rating notice", "Standard and Poor's Corp said it may downgrade 200 mln dlrs of debt of the company.", true},
		{"filing notice", "The company said it filed with the Securities and Exchange Commission a registration statement covering 100 mln dlrs of notes.", true},
		{"money market operation", "The Bank of England said it had provided the money market with late assistance of around 215 mln stg.", true},
		{"news", "Treasury Secretary James Baker told the House committee the United States is pressing for more cooperation.", false},
		{"news with a figure", "The council voted to spend twelve million euros on a flood barrier across the harbour mouth.", false},
		{"news about a market", "Japan's trade surplus with the United States has led to calls for sanctions on its chip makers.", false},
		{"talks", "Negotiators who met in Miami left core questions about territory unresolved.", false},
	}
	for _, tt := range tests {
		if got := routineSentence(tt.text); got != tt.want {
			t.Errorf("%s: routineSentence(%q) = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestRoutineArticle(t *testing.T) {
	tests := []struct {
		name, title string
		flags       []bool
		want        bool
	}{
		{"results headline", "Acme Corp 1st Qtr Net", []bool{false}, true},
		{"dividend headline", "Acme Corp Sets Quarterly Dividend", []bool{false, false}, true},
		{"market report headline", "Cocoa Futures Open Steady", []bool{false, false, false}, true},
		{"mostly ticks", "London Metals Report", []bool{true, true, false, true}, true},
		{"routine lead, routine follow-up", "Acme Update", []bool{true, false, false, true}, true},
		{"a story with one figure", "Council Backs Flood Barrier", []bool{false, false, true, false, false}, false},
		{"a story", "Volcker Will Not Serve New Term", []bool{false, false, false}, false},
	}
	for _, tt := range tests {
		if got := routineArticle(tt.title, tt.flags); got != tt.want {
			t.Errorf("%s: routineArticle(%q, %v) = %v, want %v", tt.name, tt.title, tt.flags, got, tt.want)
		}
	}
}
