package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"briefbot"
	"briefbot/briefs"
	"briefbot/configs"
	"briefbot/index"
	"briefbot/index/feeds"
)

// One process writes an index: the bot, when it runs. The command-line
// calls (--query, --brief, --fetch, --reindex) on the same index are then
// answered by the bot over a unix socket in the index folder, with the
// same code and the same index, so they give the bot's answers and never
// wait for its lock. With no bot listening they open the index themselves.

// socketPath is where a running bot listens: inside a folder of the index
// only its owner may enter, so only the owner's processes can ask.
func socketPath(indexDir string) string { return filepath.Join(indexDir, "bot", "sock") }

// request is one command-line call, as the flags gave it.
type request struct {
	Query   string `json:"query,omitempty"`
	Ask     bool   `json:"ask,omitempty"` // --query was given
	Brief   bool   `json:"brief,omitempty"`
	Date    string `json:"date,omitempty"`
	Format  string `json:"format,omitempty"`
	Limit   int    `json:"limit,omitempty"`
	Source  string `json:"source,omitempty"`
	Since   string `json:"since,omitempty"`
	Until   string `json:"until,omitempty"`
	Explain bool   `json:"explain,omitempty"`
	Fetch   bool   `json:"fetch,omitempty"`
	Reindex bool   `json:"reindex,omitempty"`
}

// reply is what the bot sends back: what the command prints, or why it
// failed.
type reply struct {
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

// service does what a request asks, over one open index. The CLI makes
// one for its own call; the bot makes one and serves it.
type service struct {
	cfg      configs.Config
	ix       *index.Index
	answerer *briefs.Answerer
	briefer  *briefs.Briefer
	log      *slog.Logger
	// fetcher is the bot's running one (its state is the bot's); nil
	// makes one for the call.
	fetcher *feeds.Fetcher
}

func (s *service) do(ctx context.Context, r request, out io.Writer) error {
	if r.Reindex {
		st, err := s.ix.Reindex(ctx)
		if err != nil {
			return err
		}
		printIndexed(out, st)
	}
	switch {
	case r.Ask:
		q := briefbot.Question{Text: r.Query, Source: r.Source, Limit: cmp.Or(r.Limit, s.cfg.Limit), Explain: r.Explain}
		var err error
		if q.Since, err = parseDay("--since", r.Since); err != nil {
			return err
		}
		if q.Until, err = parseDay("--until", r.Until); err != nil {
			return err
		}
		t := time.Now()
		ans, err := s.answerer.Answer(ctx, q)
		if err != nil {
			return err
		}
		if again, err := s.recheck(ctx, ans.Snippets); err != nil {
			return err
		} else if again {
			if ans, err = s.answerer.Answer(ctx, q); err != nil {
				return err
			}
		}
		s.log.Debug("answered", "took", time.Since(t))
		if r.Format == "json" {
			return briefs.WriteJSON(out, ans)
		}
		return briefs.WriteAnswerText(out, ans)
	case r.Brief:
		day, err := parseDay("--date", r.Date)
		if err != nil {
			return err
		}
		if day.IsZero() {
			day = briefbot.Yesterday(time.Now(), s.cfg.Location())
		}
		b, err := s.briefer.Brief(ctx, day)
		if err != nil {
			return err
		}
		var quoted []briefbot.Snippet
		for _, st := range b.Stories {
			for _, sec := range st.Sections {
				quoted = append(quoted, sec.Snippets...)
			}
		}
		if b.Markets != nil {
			quoted = append(quoted, b.Markets.Snippets...)
		}
		if again, err := s.recheck(ctx, quoted); err != nil {
			return err
		} else if again {
			if b, err = s.briefer.Brief(ctx, day); err != nil {
				return err
			}
		}
		if r.Format == "json" {
			return briefs.WriteJSON(out, b)
		}
		return briefs.WriteBriefText(out, b)
	case r.Fetch:
		return fetchFeeds(ctx, s.cfg, s.fetcher, s.ix, out, s.log)
	}
	return nil
}

// recheck makes sure what is quoted is still what the files say: a file
// rewritten in place since it was indexed (which no folder time shows) is
// indexed again, and again is true for the caller to answer anew.
func (s *service) recheck(ctx context.Context, quoted []briefbot.Snippet) (again bool, err error) {
	ids := make([]string, 0, len(quoted))
	for _, sn := range quoted {
		ids = append(ids, sn.Article.ID)
	}
	return s.ix.Recheck(ctx, ids)
}

func printIndexed(w io.Writer, st index.Stats) {
	fmt.Fprintf(w, "indexed %d articles (%d sentences) in %s; %d files skipped\n", st.Indexed, st.Sentences, st.Took.Round(time.Millisecond), st.Skipped)
}

// localCalls is how many command-line calls the bot serves at once; more
// wait their turn. On two cores more would only slow the bot's own
// answers, which come first.
const localCalls = 2

// localHeaderTimeout bounds reading a command-line call's request line
// and headers: the CLI writes them at once over a local socket, so a
// caller that has not in this long is stuck, and holds a slot meanwhile.
const localHeaderTimeout = 5 * time.Second

// maxLocalRequest bounds a command-line call's JSON: a question and its
// flags are a few hundred bytes; 1 MB is generous and still bounded.
const maxLocalRequest = 1 << 20

// localStopWait bounds how long shutdown lets a command-line call under
// way finish before the socket is closed under it.
const localStopWait = 2 * time.Second

// serveLocal serves svc on the index folder's socket until stop is
// called. It fails when another bot already serves the index.
func serveLocal(ctx context.Context, svc *service) (stop func(), err error) {
	path := socketPath(svc.ix.Dir())
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("local socket: %w", err)
	}
	// A folder made by an older run with wider permissions is narrowed.
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("local socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if errors.Is(err, syscall.EADDRINUSE) {
		// Left by a bot that died, unless one still answers there.
		if c, derr := net.Dial("unix", path); derr == nil {
			c.Close()
			return nil, fmt.Errorf("another bot already serves the index %s", svc.ix.Dir())
		}
		os.Remove(path)
		ln, err = net.Listen("unix", path)
	}
	if err == nil {
		err = os.Chmod(path, 0o600)
	}
	if err != nil {
		return nil, fmt.Errorf("local socket: %w", err)
	}
	sem := make(chan struct{}, localCalls)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /run", func(w http.ResponseWriter, hr *http.Request) {
		var r request
		if err := json.NewDecoder(io.LimitReader(hr.Body, maxLocalRequest)).Decode(&r); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		select {
		case sem <- struct{}{}:
		case <-hr.Context().Done():
			return
		}
		defer func() { <-sem }()
		var out bytes.Buffer
		var rep reply
		if err := svc.do(hr.Context(), r, &out); err != nil {
			rep.Error = err.Error()
		}
		rep.Output = out.String()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(rep)
	})
	srv := &http.Server{Handler: mux, BaseContext: func(net.Listener) context.Context { return ctx }, ReadHeaderTimeout: localHeaderTimeout}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			svc.log.Warn("the local socket stopped; command-line calls open the index themselves", "err", err)
		}
	}()
	svc.log.Debug("serving command-line calls", "socket", path)
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), localStopWait)
		defer cancel()
		srv.Shutdown(sctx) // also removes the socket file
		<-done
	}, nil
}

// askBot sends r to the bot serving the index in dir. served is false when
// no bot listens there, and the caller opens the index itself.
func askBot(ctx context.Context, dir string, r request, stdout io.Writer) (served bool, err error) {
	path := socketPath(dir)
	if _, err := os.Stat(path); err != nil {
		return false, nil
	}
	var dialed atomic.Bool
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			c, err := d.DialContext(ctx, "unix", path)
			dialed.Store(err == nil)
			return c, err
		},
	}}
	body, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://bot/run", bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	res, err := client.Do(hr)
	if err != nil {
		if !dialed.Load() {
			return false, nil // a socket left behind: nobody listens
		}
		return true, fmt.Errorf("the running bot did not answer: %w", err)
	}
	defer res.Body.Close()
	var rep reply
	if res.StatusCode != http.StatusOK {
		return true, fmt.Errorf("the running bot refused the call: %s", res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(&rep); err != nil {
		return true, fmt.Errorf("the running bot's reply: %w", err)
	}
	if _, err := io.WriteString(stdout, rep.Output); err != nil {
		return true, err
	}
	if rep.Error != "" {
		return true, errors.New(rep.Error)
	}
	return true, nil
}
