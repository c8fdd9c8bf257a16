package ingest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	goldenfile "briefbot/index/golden"
)

// golden compares got with testdata/golden/name (go test ./index/ingest
// -update rewrites it).
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", "golden", name), got)
}

// TestParseSamples pins the cleaned text and sentence split of the sample
// corpus, and checks every sentence is exactly the bytes it claims.
func TestParseSamples(t *testing.T) {
	files, err := filepath.Glob("../../articles/*.md")
	if err != nil || len(files) != 5 {
		t.Fatalf("want the 5 sample articles, got %d (%v)", len(files), err)
	}
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		got, err := p.Parse(filepath.Base(f), data, time.Now())
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
	p, err := NewParser()
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
			got, err := p.Parse("a.md", []byte(data), time.Now())
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

func TestDateAndTitleFallbacks(t *testing.T) {
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	mod := time.Date(2024, 3, 9, 15, 0, 0, 0, time.UTC)
	cases := []struct{ name, body, title, day string }{
		{"front matter wins", "---\ntitle: Given\npublished: 2025-01-02T10:00:00Z\n---\nHeadline here\n\nText on December 8, 2025 here.\n", "Given", "2025-01-02"},
		{"date in text", "Headline here\n\nTalks closed on December 8, 2025, in Miami.\n", "Headline here", "2025-12-08"},
		{"day month year", "Headline here\n\nTalks closed on 8 December 2025 in Miami.\n", "Headline here", "2025-12-08"},
		{"modification time", "Headline here\n\nTalks closed in Miami.\n", "Headline here", "2024-03-09"},
		{"label before headline", "World\n\nThe Real Headline\n\nSome text follows here.\n", "The Real Headline", "2024-03-09"},
		{"no headline", strings.Repeat("word ", 40) + "ends here.\n", "x", "2024-03-09"},
	}
	for _, c := range cases {
		got, err := p.Parse("x.md", []byte(c.body), mod)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.Article.Title != c.title || got.Article.Day() != c.day {
			t.Errorf("%s: title %q day %s, want %q %s", c.name, got.Article.Title, got.Article.Day(), c.title, c.day)
		}
	}
}

// furnitureCases are lines that are page furniture (want) and lines that
// only look like it.
var furnitureCases = []struct {
	line string
	want bool
}{
	{"James Thompson3 min read", true},
	{"Jo Smith 12 MINUTES READ\f", true},
	{"Jane Doe/ AFP", true},
	{"By Jane Doe", true},
	{"Published", true},
	{"Updated: 3 March 2025", true},
	{"Listen to this article0:00 min", true},
	{"Share this article:", true},
	{"Source: worldnews.whatfinger.com", true},
	{"Sources: United States Department of State, Bloomberg, Reuters.", true},
	{"AI generated illustration", true},
	{"Photo: Denys Kostyuchenko / Unsplash", true},
	{"Andrew Harnik/Getty Images/AFP", true},
	{"Comments ()", true},
	{"12 Comments", true},
	{"More in World", true},
	{"Discussion", true},
	{"- Advertisement -", true},
	{"Written by Nick Ravenshade for NENC Media Group, original article and analysis.", true},
	{"Nederlands", true},
	{"Português", true},
	{"Published reports say the talks ended without a deal on territory or guarantees.", false},
	{"Sources familiar with the talks said no deal was reached.", false},
	{"Photographs of the meeting were released on Monday by the ministry.", false},
	{"By the end of the week, negotiators had agreed on a framework for talks.", false},
	{"Share prices rose sharply after the announcement on Monday morning.", false},
	// Photo captions, by shape.
	{"FILE - In this Thursday, April 26, 2018, file photo, Michael Avenatti talks to reporters.", true},
	{"FILE – This undated picture shows a portrait of George Washington.", true},
	{"This undated picture shows a portrait of George Washington.", true},
	{"In this photo taken Monday, a man walks by the ruins.", true},
	{"In this Oct. 3, 2018 image made from video, the senator speaks.", true},
	{"The senator speaks in Washington. (AP Photo/Evan Vucci)", true},
	{"The museum's new gallery opens on Friday. (Photo: Don Hurlbert, Smithsonian)", true},
	{"(PHOTOS: 8 key players in IRS scandal story)", true},
	{"Photos: Photos: Crisis in Ukraine Crisis in Ukraine – Ukrainian tanks are transported from their base on Wednesday, March 26. After Russian troops seized most of Ukraine's bases in Crimea, the president ordered the withdrawal of armed forces from the peninsula, citing Russian threats to the lives of servicemen. Hide Caption 1 of 132 Photos: Photos: Crisis in Ukraine", true},
	{"Hide Caption 4 of 132 Photos: Photos: Crisis in Ukraine Crisis in Ukraine – Soldiers sit atop an armored personnel carrier.", true},
	{"Photo 3 of 12", true},
	{"CLOSE Skip in Skip x Embed x Share Late Wednesday afternoon, President Barack Obama spoke with our KSDK-TV, St. Louis, about whether American troops are an option if the sanctions against Russia don't work.", true},
	{"Frigid air brings snow and ice to the South. (Jan. 17) AP 5 of 68 Skip in Skip x Embed x Share CLOSE BABY, IT'S COLD OUTSIDE Hundreds of flights delayed", true},
	{"Viewers can skip in and share the clip, the network said.", false},
	{"A flight information screen displays canceled flights at Midway airport in Chicago, Thursday, Dec. 20, 2012. The first widespread snowstorm of the season crawled across the Midwest on... (Associated Press)", true},
	{"A 2003 photo of Juan McCullum when he was a student body vice president. (Joe Ellis/The Clarion Ledger, via AP, File) (Joe Ellis/The Clarion Ledger/via AP)", true},
	{"Donald Trump before opening the Nasdaq on September 20, 2005. Michael Nagle/Getty Images", true},
	{"Image The White House’s spokeswoman, Sarah Huckabee Sanders, said on Wednesday that the president’s lawyer had won. Credit Doug Mills/The New York Times", true},
	{"He gave credit to the team at Smith/Jones.", false},
	{"Sign up here for POLITICO Huddle A daily play-by-play of congressional news in your inbox. Email Sign Up By signing up you agree to receive email newsletters or alerts from POLITICO. You can unsubscribe at any time.", true},
	{"The minister said the talks would go on (and on...) for weeks (officials agreed).", false},
	{"The vote split the party 50/50 (Democrats/Republicans).", false},
	{"Readers who unsubscribe from the paper's alerts said they missed the news.", false},
	{"The photo was taken by Michael Nagle for Getty Images.", false},
	{"In this case the court said no, and the photo was never shown.", false},
	{"File sharing services were blamed for the fall in sales.", false},
	{"This photograph of the minister became famous.", false},
	{"The photo released by the agency shows the damage.", false},
	{"The senator (a former photographer) spoke.", false},
}

func TestFurniture(t *testing.T) {
	for _, c := range furnitureCases {
		if got := furniture(c.line) != ""; got != c.want {
			t.Errorf("furniture(%q) = %v (%s), want %v", c.line, got, furniture(c.line), c.want)
		}
	}
}

// TestFurnitureLeads checks that a rule tried only on lines whose first
// rune its regexp can match marks the lines its regexp alone would: on
// the furniture cases, the sample articles, and each of those lines
// with its first rune changed (other case, Unicode case folds, none).
func TestFurnitureLeads(t *testing.T) {
	var lines []string
	for _, c := range furnitureCases {
		lines = append(lines, c.line)
	}
	files, _ := filepath.Glob("../../articles/*.md")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range splitLines(data, 0) {
			lines = append(lines, l.text)
		}
	}
	for _, l := range lines[:len(lines):len(lines)] {
		r, n := utf8.DecodeRuneInString(l)
		lines = append(lines, l[n:], strings.ToUpper(l[:n])+l[n:], strings.ToLower(l[:n])+l[n:], "ſ"+l[n:], "K"+l[n:], "é"+l[n:], " "+l)
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			lines = append(lines, string(f)+l[n:])
		}
	}
	led, marked := 0, 0
	for _, r := range append(furnitureRules(), photoCredit()) {
		if r.lead != nil {
			led++
		}
		for _, l := range lines {
			want := len(l) <= r.maxLen && r.re.MatchString(l)
			if got := r.matches(l); got != want {
				t.Errorf("%s rule on %q: %v, its regexp says %v", r.name, l, got, want)
			}
			if want {
				marked++
			}
		}
	}
	// Every rule anchored at the line's start has a lead; "read time",
	// the credit that ends a caption and photoCredit, which look at the
	// line's end, and "sign-up" and "video player", which look anywhere,
	// have none.
	if want := len(furnitureRules()) - 4; led != want {
		t.Errorf("%d rules have a lead, want %d", led, want)
	}
	if marked < 100 {
		t.Errorf("only %d lines marked: the cases no longer test the rules", marked)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: x\n---\nHello world. Second one.",
		"World\n\nHeadline\n\nBy Jo Smith\nText U.S. officials said. More 'quoted speech.' here.",
		"---\n---\n",
		"\ufeff---\r\ntitle: t\r\n---\r\nCRLF text here.\r\n",
	} {
		f.Add([]byte(s))
	}
	p, err := NewParser()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := p.Parse("f.md", data, time.Now())
		if err != nil {
			return
		}
		for _, s := range got.Sentences {
			if s.Start < 0 || s.End > len(data) || s.Start >= s.End || string(data[s.Start:s.End]) != s.Text {
				t.Fatalf("sentence %q is not the bytes %d:%d of the file", s.Text, s.Start, s.End)
			}
		}
	})
}

func FuzzFurniture(f *testing.F) {
	for _, s := range []string{"By Jane Doe", "Share this article:", "Comments ()", "Nederlands", "Photo: x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		furniture(line)
		isHeading(line)
		endsSentence(line)
	})
}

// An article of short lines only, such as a table of results, is still an
// article: its lines are what can be quoted.
func TestLinesOnlyArticle(t *testing.T) {
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	body := "---\ntitle: Acme Corp 1st Qtr Net\n---\n\nAcme Corp 1st Qtr Net\n\nShr 33 cts vs 30 cts\n\nNet 13.0 mln vs 11.9 mln\n\nRecord March 23\n"
	got, err := p.Parse("t.md", []byte(body), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range got.Sentences {
		if body[s.Start:s.End] != s.Text {
			t.Errorf("%q is not bytes %d:%d", s.Text, s.Start, s.End)
		}
		texts = append(texts, s.Text)
	}
	want := []string{"Shr 33 cts vs 30 cts", "Net 13.0 mln vs 11.9 mln", "Record March 23"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("sentences %q, want %q", texts, want)
	}
}

func TestSignatureSimilarity(t *testing.T) {
	// One agency story; outlets carry it with their own top and tail.
	wire := []string{
		"The regional water authority said on Tuesday that reservoir levels had fallen to their lowest point in more than a decade after the driest summer on record.",
		"Engineers warned that without significant autumn rainfall, households in the eastern districts could face rota cuts to their supply from early next year.",
		"The authority has asked residents to limit garden watering and to report leaks, and said a new pipeline from the northern reservoirs would not be ready before 2027.",
		"Farmers' groups said the shortage was already hurting winter crops and called for emergency support from the national government.",
	}
	body := strings.Join(wire, " ")
	for _, tc := range []struct {
		name string
		a, b string
		dup  bool
	}{
		{"same", body, body, true},
		{"tail added", body, body + " Our reporter adds that the rain forecast for the weekend is poor.", true},
		{"last paragraph cut", body, strings.Join(wire[:3], " "), true},
		{"other story", body, "The old bridge will be repaired next spring, the council said on Monday evening after a long meeting about the budget for roads and bridges in the city centre and the suburbs.", false},
		{"too short", "Reservoir levels fell.", "Reservoir levels fell.", false},
	} {
		s := similarity(Signature(tc.a), Signature(tc.b))
		if (s >= dupJaccard) != tc.dup {
			t.Errorf("%s: similarity %.2f, want duplicate=%v", tc.name, s, tc.dup)
		}
	}
}

// TestCutsAsTokenize checks that the splitter, asked only about the words
// around sentence punctuation, cuts exactly where its Tokenize does: on the
// sample articles, on texts with the shapes the splitting rules handle,
// and, when BRIEFBOT_BENCH_CORPUS names a corpus, on every file of it.
func TestCutsAsTokenize(t *testing.T) {
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"", "no punctuation at all", "One. Two! Three? Four",
		"Gov. Andrew Cuomo met Dr. Jones. J. K. Rowling wrote. George W.\nBush read.",
		"Sales were $4.5 billion in 2019. and rose 5.2%. The U.S.A. said . . . nothing.",
		`He said "yes." Then 'no.' (Really.) “Quite!” she said. N°. 5 and 1.2.3. ok`,
		"中文。句子！好？ End.", "a.b.c. d", "...", ". .", "x.\n\ny.\n",
	}
	files, _ := filepath.Glob("../../articles/*.md")
	if dir := os.Getenv("BRIEFBOT_BENCH_CORPUS"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "*"))
		files = append(files, more...)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
		texts = append(texts, strings.Split(string(data), "\n\n")...)
	}
	// And texts made at random of the pieces the splitter's rules look at.
	pieces := []string{".", " ", "  ", "\n", "\n\n", "\t", "Mr.", "U.S.", "”", "“", "。", "！", "？", "；", "\u00a0", "\u0085", "\u2003",
		"A", "a", "The", "said", "1", "5.2%", "'", "\"", ")", "(", "...", ". .", "N°.", "?", "!", "x.", "J.", "1987.", "1.2.3.", "No.", "e.g.", "é", "\xff"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for k := r.IntN(25); k >= 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		checkCuts(t, p, text)
	}
}

func FuzzCuts(f *testing.F) {
	for _, s := range []string{"One. Two! Three? Four", "Mr. J. Smith.\nNo. 5 rose 5.2%. “Yes.” 中文。", ". . .", "a"} {
		f.Add(s)
	}
	p, err := NewParser()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) { checkCuts(t, p, text) })
}

// checkCuts fails t when cuts and the splitter's Tokenize disagree on text.
func checkCuts(t *testing.T, p *Parser, text string) {
	t.Helper()
	if text == "" {
		return // Tokenize has no sentence there; split is never asked
	}
	var want [][2]int
	for _, s := range p.seg.Tokenize(text) {
		want = append(want, [2]int{s.Start, s.End})
	}
	if got := p.cuts(text); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cuts %v, Tokenize %v, in %q", got, want, text)
	}
}

// TestSimpleFrontMatter checks that front matter read without the YAML
// parser reads as yaml.Unmarshal reads it: on the sample articles and on
// front matter made at random of keys and values YAML treats specially.
func TestSimpleFrontMatter(t *testing.T) {
	var inputs []string
	files, _ := filepath.Glob("../../articles/*.md")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "---\n")
		inputs = append(inputs, head)
	}
	keys := []string{"title", "source", "url", "published", "date", "author", "also_in", "Title", " title", "title ", `"title"`}
	values := []string{`"Miami talks end"`, "Reuters", "2025-12-08", "1987-02-26T10:00:00Z", "https://x.org/?p=1", "null", "Null", "~", `""`, "true", "yes", "0x1F", "1e3", ".inf", "12",
		`"a \"b\""`, `"a\tb"`, `'single'`, "a: b", "a #b", "a#b", "a:", "a  b", "a ", " a", "[a, b]", "{a: b}", "- a", "&a", "*a", "!x", "|", ">", "%", "@a", "`a",
		"U.S. envoys' talks (update)", "Zürich", "É", "’quoted’", "\u00a0x", "x\u00a0", "x\u2028y", "emoji 😀", "\xff", "a\r", "a,b", "a[b]"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var b strings.Builder
		for k := r.IntN(5); k >= 0; k-- {
			sep := ": "
			if r.IntN(20) == 0 {
				sep = []string{":", ":  ", " : ", ":\t"}[r.IntN(4)]
			}
			b.WriteString(keys[r.IntN(len(keys))] + sep + values[r.IntN(len(values))])
			if k > 0 || r.IntN(2) == 0 {
				b.WriteString([]string{"\n", "\n", "\n", "\n\n", "\r\n", " # note\n"}[r.IntN(6)])
			}
		}
		inputs = append(inputs, b.String())
	}
	simple := 0
	for _, in := range inputs {
		if checkFrontMatter(t, in) {
			simple++
		}
	}
	if simple < 100 {
		t.Errorf("only %d of %d read without the YAML parser", simple, len(inputs))
	}
}

func FuzzSimpleFrontMatter(f *testing.F) {
	for _, s := range []string{"title: \"T\"\nsource: Reuters\npublished: 1987-02-26\n", "url: https://a.b/c?d=e\n", "author: null"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) { checkFrontMatter(t, in) })
}

// checkFrontMatter fails t when simpleFrontMatter reads in other than
// yaml.Unmarshal does, and says whether it read it.
func checkFrontMatter(t *testing.T, in string) bool {
	t.Helper()
	got, ok := simpleFrontMatter([]byte(in))
	if !ok {
		return false
	}
	var want frontMatter
	if err := yaml.Unmarshal([]byte(in), &want); err != nil {
		t.Errorf("read %q, which YAML refuses: %v", in, err)
	} else if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("read %q as\n%#v\nYAML reads\n%#v", in, got, want)
	}
	return true
}
