// Package golden compares a test's output with a file kept under the
// test's testdata/ folder, and rewrites that file when the tests are run
// with -update (go test ./bot -update). It is for tests only; it owns no
// domain code and imports nothing of briefbot's, so any package's tests
// (index, briefs, bot) may use it without an import running against the
// one-way flow index -> briefs -> bot.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the -update flag every test binary that imports golden gets.
// A test package that imports golden must not define its own -update.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Check compares got with the golden file at path (relative to the test's
// package folder, for example testdata/golden/answer.json), or, under
// -update, writes got there, making the folder if need be. A missing file
// or a difference fails the test with a message saying how to refresh it.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
	}
}
