//go:build unix

package schedule

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"briefbot"
)

// filePoster "sends" a briefing by appending a line to a file and syncing
// it, so a post survives the process that made it. When kill names a
// moment ("before-send" or "after-send") it kills its own process with
// SIGKILL there.
type filePoster struct {
	path string
	kill string
}

func (f filePoster) PostBrief(ctx context.Context, channel string, day time.Time) (string, error) {
	if f.kill == "before-send" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	w, err := os.OpenFile(f.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	_, err = w.WriteString(channel + " " + day.Format(briefbot.DateLayout) + "\n")
	if err == nil {
		err = w.Sync()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if f.kill == "after-send" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	return "m1", nil
}

func (f filePoster) Posted(ctx context.Context, channel string, day time.Time) (bool, error) {
	lines, err := f.lines()
	return slices.Contains(lines, channel+" "+day.Format(briefbot.DateLayout)), err
}

func (f filePoster) lines() ([]string, error) {
	r, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var lines []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// The config subscription fell due an hour before the process started.
var (
	killSub   = Subscription{Channel: "999999", Time: "07:30", Timezone: "Europe/Kyiv"}
	killStart = utc("2025-06-01T05:30") // 08:30 in Kyiv
)

// runKilled runs the scheduler in a child process that kills itself with
// SIGKILL at the given moment ("before-send", "after-send", or "idle":
// after the post, while the scheduler sleeps).
func runKilled(t *testing.T, dir, moment string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$")
	cmd.Env = append(os.Environ(), "SCHEDULE_KILL="+moment, "SCHEDULE_DIR="+dir)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("child was not killed: %v\n%s", err, out)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not SIGKILL\n%s", err, out)
	}
}

// TestKillHelper is the child process of TestKill9.
func TestKillHelper(t *testing.T) {
	moment, dir := os.Getenv("SCHEDULE_KILL"), os.Getenv("SCHEDULE_DIR")
	if moment == "" {
		t.Skip("runs only as TestKill9's child")
	}
	st, err := OpenStore(Path(dir))
	if err != nil {
		t.Fatal(err)
	}
	clock := clockwork.NewFakeClockAt(killStart)
	poster := filePoster{path: filepath.Join(dir, "posts.txt"), kill: moment}
	if moment == "idle" {
		poster.kill = ""
	}
	s, err := New(Options{Store: st, Poster: poster, Static: []Subscription{killSub}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	go s.Run(context.Background())
	clock.BlockUntilContext(context.Background(), 1)
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

// A real kill -9 at each point of a post, then a fresh start: the channel
// holds exactly one briefing for the day.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, moment := range []string{"before-send", "after-send", "idle"} {
		t.Run(moment, func(t *testing.T) {
			dir := t.TempDir()
			runKilled(t, dir, moment)

			st, err := OpenStore(Path(dir))
			if err != nil {
				t.Fatal(err)
			}
			p, _, err := st.Post(killSub.Channel, utc("2025-05-31T00:00"))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]State{"before-send": Claimed, "after-send": Claimed, "idle": Sent}[moment]
			if p.State != want {
				t.Errorf("after the kill the log says %q, want %q", p.State, want)
			}
			// Restart ten minutes later, with the post still in the
			// catch-up window, and run to the next day's post.
			poster := filePoster{path: filepath.Join(dir, "posts.txt")}
			clock := clockwork.NewFakeClockAt(killStart.Add(10 * time.Minute))
			s, err := New(Options{Store: st, Poster: poster, Static: []Subscription{killSub}, Clock: clock, Logger: testLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { s.Run(ctx); close(done) }()
			clock.BlockUntilContext(context.Background(), 1)
			clock.Advance(24 * time.Hour)
			clock.BlockUntilContext(context.Background(), 1)
			cancel()
			<-done
			st.Close()

			lines, err := poster.lines()
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"999999 2025-05-31", "999999 2025-06-01"}; !slices.Equal(lines, want) {
				t.Errorf("channel got %q, want %q", lines, want)
			}
		})
	}
}
