package briefs

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"briefbot"
)

// Each answer type's question is answered first by the sentence that
// shows what the type needs, over sentences on the same topic that do
// not.
func TestAnswerTypes(t *testing.T) {
	dir := t.TempDir()
	arts := map[string]string{
		"a.md": "Facebook agreed to buy Oculus, the maker of virtual reality headsets, in a deal announced on Tuesday.\n\n" +
			"Facebook is paying way too much money for a company with no products on sale, one analyst complained.\n\n" +
			"Facebook is paying $2 billion in cash and stock for Oculus.\n\n" +
			"The deal was signed in Menlo Park after weeks of talks.\n",
		"b.md": "Oculus was founded by Palmer Luckey, who built the first headset in his garage.\n\n" +
			"Zuckerberg bought Oculus because he believes virtual reality will be the next computing platform.\n\n" +
			"Oculus has shipped 75,000 development kits to game makers so far.\n\n" +
			"Oculus workers learned of the deal from the news, several workers said.\n\n" +
			"Zuckerberg said in a post that the purchase is a long-term bet on the future of computing.\n\n" +
			"Investors wonder when the purchase Zuckerberg made will pay off for Facebook.\n",
	}
	for name, body := range arts {
		doc := "---\ntitle: \"Oculus deal " + name + "\"\nsource: \"Wire " + name + "\"\npublished: 2014-03-26\n---\n\n" + body
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	an := newAnswerer(t, dir, "")
	for _, tc := range []struct{ q, kind, want string }{
		{"how much is Facebook paying for Oculus?", "amount", "$2 billion"},
		{"how many development kits has Oculus shipped?", "count", "75,000"},
		{"who founded Oculus?", "who", "Palmer Luckey"},
		{"where was the Oculus deal signed?", "where", "Menlo Park"},
		{"when was the Oculus deal announced?", "when", "Tuesday"},
		{"why did Zuckerberg buy Oculus?", "why", "because"},
		{"what did the Oculus workers say about the deal?", "said", "workers said"},
		{"what is Zuckerberg's position on the purchase?", "position", "long-term bet"},
	} {
		ans, err := an.Answer(context.Background(), briefbot.Question{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Kind != tc.kind {
			t.Errorf("%q: kind %s, want %s", tc.q, ans.Kind, tc.kind)
		}
		if len(ans.Snippets) == 0 || !strings.Contains(ans.Snippets[0].Text, tc.want) {
			first := ""
			if len(ans.Snippets) > 0 {
				first = ans.Snippets[0].Text
			}
			t.Errorf("%q: first quote %q, want one with %q", tc.q, first, tc.want)
		}
	}
}

// The Speaks feature marks the sentences in which whoever the question
// asks about speaks, and no others.
func TestSpeaksFeature(t *testing.T) {
	dir := t.TempDir()
	writeArticle(t, dir, "a.md", "Oculus deal", "Wire", "2014-03-26",
		"Zuckerberg said in a post that the purchase is a long-term bet on the future of computing.\n\n"+
			"Investors wonder when the purchase Zuckerberg made will pay off for Facebook.\n")
	an := newAnswerer(t, dir, "")
	cands, _, err := an.Candidates(context.Background(), briefbot.Question{Text: "what is Zuckerberg's position on the purchase?"})
	if err != nil {
		t.Fatal(err)
	}
	at := slices.Index(featureNames, "speaks")
	got := map[bool]float64{}
	for _, c := range cands {
		got[strings.HasPrefix(c.Snippet.Text, "Zuckerberg said")] = c.Features[at]
	}
	if len(cands) != 2 || got[true] != 1 || got[false] != 0 {
		t.Errorf("speaks: %v over %d candidates, want 1 for the sentence in which he speaks and 0 for the other", got, len(cands))
	}
}
