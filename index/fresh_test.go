package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// age sets a folder's modification time to one fixed day in the past, as
// a folder last changed well before the sync that read it (not racy).
func age(t *testing.T, dir string) {
	t.Helper()
	old := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(dir, old, old); err != nil {
		t.Fatal(err)
	}
}

// An open of an unchanged folder stats its folders, not its files; a file
// added or removed moves its folder's time and is seen at once; a file
// rewritten in place (no folder time moves) is seen when an answer quotes
// it.
func TestFreshnessByFolderTimes(t *testing.T) {
	articles, dir := t.TempDir(), t.TempDir()
	writeFile(t, articles, "a.md", article("Harbour", "Herald", "2025-12-08", "The harbour trust met on Monday."))
	writeFile(t, articles, "sub/b.md", article("Lighthouse", "Times", "2025-12-08", "The lighthouse keeper retired."))
	age(t, filepath.Join(articles, "sub"))
	age(t, articles)
	ix, _, _ := open(t, articles, dir)
	ix.Close()

	// Unchanged: no walk.
	ix, st, _ := open(t, articles, dir)
	if st.walk != 0 || len(find(t, ix, "lighthouse")) != 1 {
		t.Errorf("unchanged folder: walked (%v) or lost an article", st.walk)
	}
	ix.Close()

	// A new file in a subfolder moves that folder's time.
	writeFile(t, articles, "sub/c.md", article("Ferry", "Post", "2025-12-08", "The ferry was cancelled by the storm."))
	ix, _, _ = open(t, articles, dir)
	if len(find(t, ix, "ferry")) != 1 {
		t.Error("a file added to a subfolder is not found on the next open")
	}
	ix.Close()
	age(t, filepath.Join(articles, "sub"))
	ix, _, _ = open(t, articles, dir) // records the aged time
	ix.Close()

	// Rewritten in place: the folders keep their times.
	writeFile(t, articles, "a.md", article("Harbour", "Herald", "2025-12-08", "The harbour trust met on Tuesday instead."))
	age(t, articles)
	age(t, filepath.Join(articles, "sub"))
	ix, st, _ = open(t, articles, dir)
	defer ix.Close()
	if st.walk != 0 {
		t.Fatalf("walked although no folder moved")
	}
	changed, err := ix.Recheck(context.Background(), []string{"sub/b.md"})
	if err != nil || changed {
		t.Errorf("recheck of an unchanged file: %v, %v", changed, err)
	}
	changed, err = ix.Recheck(context.Background(), []string{"a.md"})
	if err != nil || !changed {
		t.Fatalf("recheck of a rewritten file: %v, %v", changed, err)
	}
	if got := find(t, ix, "tuesday"); len(got) != 1 || !strings.HasPrefix(got[0], "a.md:") {
		t.Errorf("the rewritten text is not indexed after the recheck: %v", got)
	}
}
