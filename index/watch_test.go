package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWatch(t *testing.T) {
	for _, polling := range []bool{false, true} {
		name := "notify"
		if polling {
			name = "polling"
		}
		t.Run(name, func(t *testing.T) {
			arts := t.TempDir()
			writeFile(t, arts, "a.md", article("Harbour", "Coast News", "2025-12-08", "The harbour reopened after the storm."))
			ix, _, _ := open(t, arts, t.TempDir())
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error)
			go func() {
				done <- ix.Watch(ctx, WatchOptions{Debounce: 50 * time.Millisecond, Polling: polling, Interval: 100 * time.Millisecond})
			}()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Error(err)
				}
			}()
			// eventually waits for cond, checking every 20ms for at most
			// 10 seconds.
			eventually := func(what string, cond func() bool) {
				t.Helper()
				deadline := time.Now().Add(10 * time.Second)
				for !cond() {
					if time.Now().After(deadline) {
						t.Fatalf("%s: not seen within 10s", what)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			time.Sleep(50 * time.Millisecond) // let the watcher start

			// A file written into a new sub-folder.
			os.MkdirAll(filepath.Join(arts, "feeds"), 0o755)
			writeFile(t, arts, "feeds/b.md", article("Ferry", "City Paper", "2025-12-09", "The ferry timetable changes in January."))
			eventually("new file", func() bool { return len(find(t, ix, "ferry timetable")) == 1 })

			// A file changed in place.
			writeFile(t, arts, "a.md", article("Harbour", "Coast News", "2025-12-08", "The harbour stays closed for repairs."))
			eventually("changed file", func() bool { return len(find(t, ix, "harbour repairs")) == 1 })

			// A file removed.
			os.Remove(filepath.Join(arts, "feeds", "b.md"))
			eventually("removed file", func() bool { return len(find(t, ix, "ferry timetable")) == 0 })
		})
	}
}
