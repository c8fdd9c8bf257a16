package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"briefbot"
)

// state is what the fetcher remembers between runs, saved as JSON.
type state struct {
	Feeds map[string]*feedState `json:"feeds"` // by feed URL
}

// feedState is one feed's last good poll and its failures since.
type feedState struct {
	// Outlet is the name its articles were last credited to.
	Outlet       string                `json:"outlet,omitempty"`
	ETag         string                `json:"etag,omitempty"`
	LastModified string                `json:"last_modified,omitempty"`
	LastPoll     time.Time             `json:"last_poll,omitzero"`
	NextPoll     time.Time             `json:"next_poll,omitzero"`
	Failures     int                   `json:"failures,omitempty"`
	LastError    string                `json:"last_error,omitempty"`
	Items        map[string]*itemState `json:"items"` // by item key
}

// itemState is one item already stored.
type itemState struct {
	File string    `json:"file"`
	Sig  string    `json:"sig"` // changes when the feed's entry changes
	Seen time.Time `json:"seen"`
	// FromFeed is set when the file holds the feed's text because the
	// page could not be used; the page is tried again a few times.
	FromFeed bool `json:"from_feed,omitempty"`
	Tries    int  `json:"tries,omitempty"`
}

func newState() *state { return &state{Feeds: map[string]*feedState{}} }

func (s *state) feed(u string) *feedState {
	if fs := s.Feeds[u]; fs != nil {
		return fs
	}
	return &feedState{Items: map[string]*itemState{}}
}

func (fs *feedState) clone() *feedState {
	c := *fs
	c.Items = make(map[string]*itemState, len(fs.Items))
	for k, v := range fs.Items {
		it := *v
		c.Items[k] = &it
	}
	return &c
}

func loadState(path string) (*state, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return nil, err
	}
	s := newState()
	if err := json.Unmarshal(data, s); err != nil {
		return nil, err
	}
	if s.Feeds == nil {
		s.Feeds = map[string]*feedState{}
	}
	for _, f := range s.Feeds {
		if f.Items == nil {
			f.Items = map[string]*itemState{}
		}
	}
	return s, nil
}

func (s *state) save(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, data)
}

// writeAtomic writes data to path through a hidden temporary file and a
// rename, so readers (and the index's watcher) see the old file or the
// new one, never half of one.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// article is one fetched article as written to disk.
type article struct {
	Title     string    `yaml:"title"`
	Source    string    `yaml:"source"`
	URL       string    `yaml:"url,omitempty"`
	Published time.Time `yaml:"-"`
	Date      string    `yaml:"published"`
	Author    string    `yaml:"author,omitempty"`
	Feed      string    `yaml:"feed,omitempty"`
	Text      string    `yaml:"-"`
}

// markdown renders the article in the format index/ reads: YAML front
// matter, then the text, a blank line between paragraphs.
func (a article) markdown() ([]byte, error) {
	a.Date = a.Published.UTC().Format(time.RFC3339)
	fm, err := yaml.Marshal(a)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(fm)
	b.WriteString("---\n\n")
	b.WriteString(a.Text)
	b.WriteString("\n")
	return b.Bytes(), nil
}

// writeArticle writes the article's file unless it already holds exactly
// this, and says whether it wrote.
func writeArticle(path string, a article) (bool, error) {
	data, err := a.markdown()
	if err != nil {
		return false, fmt.Errorf("render %s: %w", path, err)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := writeAtomic(path, data); err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	return true, nil
}

var unsafeName = regexp.MustCompile(`[^a-z0-9.-]+`)

// fileName is the stable file name of an item: its host and a hash of its
// key, so the same article always lands in the same file.
func fileName(key string) string {
	host := "feed"
	if u, err := url.Parse(key); err == nil && u.Hostname() != "" {
		host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	host = strings.Trim(unsafeName.ReplaceAllString(host, "-"), ".-")
	return host + "-" + hashHex(key)[:16] + ".md"
}

func hashHex(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Store keeps the feeds added at run time (for example from Discord), in
// a JSON file, so they outlive a restart. Config feeds are not in it.
type Store struct {
	path string
	mu   sync.Mutex
}

// NewStore keeps feeds in the file at path.
func NewStore(path string) *Store { return &Store{path: path} }

// Path is the file the feeds are kept in.
func (s *Store) Path() string { return s.path }

// List returns the stored feeds.
func (s *Store) List() ([]Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.read()
}

func (s *Store) read() ([]Feed, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("feeds: read %s: %w", s.path, err)
	}
	var out []Feed
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("feeds: %s does not parse: %w", s.path, err)
	}
	return out, nil
}

// Add stores a feed, replacing one with the same URL.
func (s *Store) Add(f Feed) error {
	if _, err := briefbot.ParseHTTPURL(f.URL); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list, err := s.read()
	if err != nil {
		return err
	}
	out := []Feed{f}
	for _, g := range list {
		if g.URL != f.URL {
			out = append(out, g)
		}
	}
	return s.write(out)
}

// Remove drops the feed with this URL or name, and says whether there
// was one.
func (s *Store) Remove(urlOrName string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list, err := s.read()
	if err != nil {
		return false, err
	}
	var out []Feed
	for _, g := range list {
		if g.URL != urlOrName && !strings.EqualFold(g.Name, urlOrName) {
			out = append(out, g)
		}
	}
	if len(out) == len(list) {
		return false, nil
	}
	return true, s.write(out)
}

func (s *Store) write(list []Feed) error {
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("feeds: %w", err)
	}
	if err := writeAtomic(s.path, data); err != nil {
		return fmt.Errorf("feeds: write %s: %w", s.path, err)
	}
	return nil
}
