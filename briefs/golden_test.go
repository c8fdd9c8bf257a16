package briefs

import (
	"path/filepath"
	"testing"

	goldenfile "briefbot/index/golden"
)

// golden compares got with testdata/dir/name (go test ./briefs -update
// rewrites it).
func golden(t *testing.T, dir, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", dir, name), got)
}
