package index

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./index -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

// TestParseSamples pins the cleaned text and sentence split of the sample
// corpus, and checks every sentence is exactly the bytes it claims.
func TestParseSamples(t *testing.T) {
	files, err := filepath.Glob("../articles/*.md")
	if err != nil || len(files) != 5 {
		t.Fatalf("want the 5 sample articles, got %d (%v)", len(files), err)
	}
	p, err := newParser()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		got, err := p.parse(filepath.Base(f), data, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "title: %s\nsource: %s\npublished: %s\n\n", got.Article.Title, got.Article.Source, got.Article.Day())
		for i, s := range got.Sentences {
			if string(data[s.Start:s.End]) != s.Text {
				t.Errorf("%s: sentence %d is not the bytes %d:%d", name, i, s.Start, s.End)
			}
			fmt.Fprintf(&sb, "%d [%d:%d] %s\n", i, s.Start, s.End, s.Text)
		}
		golden(t, name+".sentences.txt", sb.String())
		golden(t, name+".clean.txt", got.Body+"\n\n-- dropped --\n"+strings.Join(got.Dropped, "\n")+"\n")
	}
}

// TestSplitSentences pins the splitting rules on the shapes that broke it:
// titles and initials, numbers before a full stop, colon-ended lines and
// photo captions. Every sentence must be exactly the bytes it claims.
func TestSplitSentences(t *testing.T) {
	p, err := newParser()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"title after an opening quote",
			`said the lawyer, William W. Taylor III. "Ms. Lerner has done nothing wrong. She did not violate any law."`,
			[]string{"said the lawyer, William W. Taylor III.", `"Ms. Lerner has done nothing wrong.`, `She did not violate any law."`}},
		{"title after a colon and a curly quote",
			"Lerner's attorney: “Ms. Lerner has done nothing wrong. She did not violate any law.",
			[]string{"Lerner's attorney: “Ms. Lerner has done nothing wrong.", "She did not violate any law."}},
		{"titles mid-sentence",
			"Gov. Andrew Cuomo and Sen. Chuck Schumer met Dr. Jones on Tuesday. They talked.",
			[]string{"Gov. Andrew Cuomo and Sen. Chuck Schumer met Dr. Jones on Tuesday.", "They talked."}},
		{"title at a line's end",
			"The agency's head, Mr.\nLerner, spoke to reporters.",
			[]string{"The agency's head, Mr.\nLerner, spoke to reporters."}},
		{"title ending a sentence's last name",
			"Speaking to Mr. Obama. Mr. Obama replied.",
			[]string{"Speaking to Mr. Obama.", "Mr. Obama replied."}},
		{"initials",
			"The book by J. K. Rowling sold well. George W. Bush was pleased.",
			[]string{"The book by J. K. Rowling sold well.", "George W. Bush was pleased."}},
		{"initial at a line's end",
			"The letter was signed by George W.\nBush and his staff.",
			[]string{"The letter was signed by George W.\nBush and his staff."}},
		{"a lone capital after a lowercase word ends a sentence",
			"Witkoff wrote on the platform X. This underscores the challenge.",
			[]string{"Witkoff wrote on the platform X.", "This underscores the challenge."}},
		{"per cent before a full stop",
			"Shares rose 5.2%. The company said profits doubled.",
			[]string{"Shares rose 5.2%.", "The company said profits doubled."}},
		{"year before a full stop",
			"He moved to Boston in 1987. He said he liked it.",
			[]string{"He moved to Boston in 1987.", "He said he liked it."}},
		{"number before a quoted sentence",
			`Turnout was 61. "We are pleased," she said.`,
			[]string{"Turnout was 61.", `"We are pleased," she said.`}},
		{"decimals and lowercase after a number stay whole",
			"Sales were $4.5 billion in 2019. and rose again.",
			[]string{"Sales were $4.5 billion in 2019. and rose again."}},
		{"a line ending in a colon is quotable",
			"The statement lists three principles:\nNo troops on Ukrainian soil.\n\nNo recognition of annexed land.",
			[]string{"The statement lists three principles:", "No troops on Ukrainian soil.", "No recognition of annexed land."}},
		{"a short label ending in a colon is not",
			"Key points:\n\nThe talks went on for three days.",
			[]string{"The talks went on for three days."}},
		{"wire captions are furniture",
			"FILE - In this Jan. 5, 2017, file photo, President Barack Obama speaks in Washington. (AP Photo/Evan Vucci)\n\n" +
				"This undated picture shows a portrait of George Washington.\n\n" +
				"In this photo taken Monday, a man walks by.\n\n" +
				"(PHOTOS: 8 key players in the story)\n\n" +
				"The president said he was proud. (Photo: Don Hurlbert, Smithsonian)\n\n" +
				"The president said he was proud of the work.\n\n" +
				"In this case the court said no.",
			[]string{"The president said he was proud of the work.", "In this case the court said no."}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := "---\ntitle: T\n---\n" + c.text + "\n"
			got, err := p.parse("a.md", []byte(data), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, s := range got.Sentences {
				if data[s.Start:s.End] != s.Text {
					t.Errorf("%q is not the bytes %d:%d", s.Text, s.Start, s.End)
				}
				texts = append(texts, s.Text)
			}
			if strings.Join(texts, "|") != strings.Join(c.want, "|") {
				t.Errorf("sentences\n%q\nwant\n%q", texts, c.want)
			}
		})
	}
}
