package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runBot runs the command as a user would, with no environment but env.
func runBot(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = run(context.Background(), args, &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// sample copies nothing: it points at the sample corpus with a fresh index.
func sample(t *testing.T) []string {
	return []string{"--articles", filepath.Join("..", "..", "articles"), "--index", t.TempDir()}
}

type jsonAnswer struct {
	Question string `json:"question"`
	Snippets []struct {
		Text    string `json:"text"`
		Start   int    `json:"start"`
		End     int    `json:"end"`
		Article struct {
			ID        string  `json:"id"`
			Path      string  `json:"path"`
			Title     string  `json:"title"`
			Source    *string `json:"source"`
			Published string  `json:"published"`
		} `json:"article"`
	} `json:"snippets"`
}

func TestQueryJSONQuotesVerbatim(t *testing.T) {
	code, out, errs := runBot(t, nil, append(sample(t), "--query", "what remained unresolved?", "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a jsonAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if a.Question != "what remained unresolved?" {
		t.Errorf("question = %q", a.Question)
	}
	if len(a.Snippets) < 3 {
		t.Fatalf("%d snippets, want at least 3", len(a.Snippets))
	}
	for i, s := range a.Snippets {
		art := s.Article
		if art.ID == "" || art.Path == "" || art.Title == "" || art.Source == nil || art.Published == "" {
			t.Errorf("snippet %d: article lacks a contract field: %+v", i, art)
		}
		data, err := os.ReadFile(art.Path)
		if err != nil {
			t.Fatalf("snippet %d: article.path does not name the file: %v", i, err)
		}
		if s.End > len(data) || string(data[s.Start:s.End]) != s.Text {
			t.Errorf("snippet %d is not bytes %d:%d of %s: %q", i, s.Start, s.End, art.Path, s.Text)
		}
	}
}

func TestQueryText(t *testing.T) {
	code, out, errs := runBot(t, nil, append(sample(t), "--query", "who took part in the Miami talks?")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Q: who took part in the Miami talks?", "“", "2025-12-08"} {
		if !strings.Contains(out, want) {
			t.Errorf("text answer lacks %q:\n%s", want, out)
		}
	}
}

func TestQuerySyntaxCharactersAreWords(t *testing.T) {
	for _, q := range []string{`+territory -"security" (guarantees)^2 ~ * ?`, `source: "`, `:::`, `a AND OR NOT`} {
		code, _, errs := runBot(t, nil, append(sample(t), "--query", q, "--format", "json")...)
		if code != 0 {
			t.Errorf("%q: exit %d: %s", q, code, errs)
		}
	}
}

func TestHelp(t *testing.T) {
	code, _, errs := runBot(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, flag := range []string{"-query", "-format", "-limit", "-articles", "-index", "-config", "-source", "-brief", "-date", "-reindex", "DISCORD_TOKEN"} {
		if !strings.Contains(errs, flag) {
			t.Errorf("--help does not mention %s", flag)
		}
	}
}

func TestReindex(t *testing.T) {
	args := sample(t)
	code, out, errs := runBot(t, nil, append(args, "--reindex")...)
	if code != 0 || !strings.Contains(out, "indexed 5 articles") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
}

// Bad input gets a one-line error naming the problem and a non-zero exit.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	badConfig := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badConfig, []byte("limit: 500\n"), 0o644)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"empty question", nil, append(sample(t), "--query", "  "), "question is empty"},
		{"bad format", nil, append(sample(t), "--query", "x", "--format", "xml"), "--format"},
		{"bad limit", nil, append(sample(t), "--query", "x", "--limit", "0"), "--limit"},
		{"limit past the config's range", nil, append(sample(t), "--query", "x", "--limit", "51"), "outside 1 to 50"},
		{"stray argument", nil, append(sample(t), "what remained unresolved?"), "unexpected argument"},
		{"missing folder", nil, []string{"--articles", filepath.Join(dir, "nope"), "--index", t.TempDir(), "--query", "x"}, "nope"},
		{"bad since", nil, append(sample(t), "--query", "x", "--since", "yesterday"), "--since"},
		{"bad date", nil, append(sample(t), "--brief", "--date", "2025-13-40"), "--date"},
		{"bad config key value", nil, append(sample(t), "--query", "x", "--config", badConfig), "limit"},
		{"missing config", nil, append(sample(t), "--query", "x", "--config", filepath.Join(dir, "none.yaml")), "does not exist"},
		{"bad env", map[string]string{"BRIEFBOT_TIMEZONE": "Mars/Olympus"}, append(sample(t), "--query", "x"), "timezone"},
		{"no token", nil, sample(t), "DISCORD_TOKEN"},
		{"bad shards", map[string]string{"DISCORD_SHARDS": "two"}, sample(t), "DISCORD_SHARDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runBot(t, tt.env, tt.args...)
			if code == 0 {
				t.Fatalf("exit 0, want an error")
			}
			lines := strings.Split(strings.TrimRight(errs, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "bot: ") || !strings.Contains(last, tt.want) {
				t.Errorf("stderr %q, want one line 'bot: ...%s...'", errs, tt.want)
			}
		})
	}
}

func TestUnknownFlagIsOneLine(t *testing.T) {
	code, _, errs := runBot(t, nil, "--qurey", "x")
	if code == 0 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "-qurey") {
		t.Fatalf("exit %d, stderr %q: want one line naming the flag", code, errs)
	}
}

// .env values come through the same getenv the tests inject, beneath the
// environment, and the process environment is left alone.
func TestDotEnvUnderGetenv(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(path, []byte("BRIEFBOT_LIMIT=7\nBRIEFBOT_TEST_DOTENV=from-file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"BRIEFBOT_LIMIT": "3"}
	getenv, err := withDotEnv(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got := getenv("BRIEFBOT_LIMIT"); got != "3" {
		t.Errorf("BRIEFBOT_LIMIT = %q, want the environment's 3", got)
	}
	if got := getenv("BRIEFBOT_TEST_DOTENV"); got != "from-file" {
		t.Errorf("BRIEFBOT_TEST_DOTENV = %q, want .env's", got)
	}
	if v, ok := os.LookupEnv("BRIEFBOT_TEST_DOTENV"); ok {
		t.Errorf("the process environment was changed: %q", v)
	}
	same, err := withDotEnv(filepath.Join(t.TempDir(), ".env"), func(string) string { return "x" })
	if err != nil || same("ANY") != "x" {
		t.Errorf("no .env: %v, %q", err, same("ANY"))
	}
}
