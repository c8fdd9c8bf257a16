// Package index owns the Bleve index over the articles on disk: it keeps an
// on-disk index of article and sentence documents in step with the folder
// (reading each file through index/ingest, keeping one copy of each
// syndicated story), and answers retrieval queries. It is the only package
// that imports Bleve; what it hands out are briefbot's plain types.
package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/schollz/progressbar/v3"

	"briefbot"
	"briefbot/index/ingest"
)

// Options says where the articles are and where the index lives.
type Options struct {
	// Articles is the folder of article files.
	Articles string
	// Dir is the index folder; empty means DefaultDir(Articles).
	Dir string
	// Progress, when not nil, shows a progress bar for long builds on it
	// (give it a terminal, not a pipe).
	Progress io.Writer
	Logger   *slog.Logger
	// Rebuild drops whatever index is there and builds it from scratch.
	Rebuild bool
	// Writer opens the index for writing from the start, as the process
	// that owns it (the bot) does: a later sync then never has to re-open
	// it under a search in flight. Others open it read-only until they
	// have something to write.
	Writer bool
}

// Index is the search index over one articles folder.
type Index struct {
	opts     Options
	log      *slog.Logger
	syncMu   sync.Mutex // one sync at a time
	manPath  string
	bleveDir string

	mu       sync.RWMutex // guards what follows; a write lock while re-opening
	idx      bleve.Index
	readOnly bool
	man      *manifest
	// sentences is how many sentence documents the index holds.
	sentences int
	// gen counts the changes to the article table (see Generation).
	gen uint64

	// postings holds *postingsBuf scratch space for articleScores.
	postings sync.Pool
	// within holds *withinBuf scratch space for sentencesWithin.
	within sync.Pool
	// matches holds *search.DocumentMatchPool for sentence searches.
	matches sync.Pool
	// sentenceDocs keeps the document numbers of articles' sentences.
	sentenceDocs sentenceDocCache
	// weights keeps the article postings of terms scored lately.
	weights postingCache
	// sentenceWeights keeps the sentence postings of terms searched
	// lately.
	sentenceWeights postingCache
	// filters keeps the documents the filters asked lately keep.
	filters filterCache
}

// Stats says what a sync did.
type Stats struct {
	Files     int // article files in the folder
	Indexed   int // articles (re)indexed
	Sentences int // sentence documents written
	Deleted   int // articles dropped because their file went away
	Skipped   int // files that are not articles (with a warning each)
	// Syndicated is how many files this sync found to be copies of a
	// story another article carries (kept out of the index).
	Syndicated int
	Took       time.Duration
	// walk and open are how long finding changes and opening Bleve took.
	walk, open time.Duration
}

// DefaultDir is where the index of an articles folder lives when no folder
// is named: under the user's cache folder, keyed by the articles folder's
// absolute path.
func DefaultDir(articles string) (string, error) {
	abs, err := filepath.Abs(articles)
	if err != nil {
		return "", fmt.Errorf("index: resolve %s: %w", articles, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cache, "briefbot", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:6])), nil
}

// Open opens the index of opts.Articles, building it on first use and
// otherwise bringing it up to date with the folder: new and changed files
// are indexed, deleted ones dropped.
func Open(ctx context.Context, opts Options) (*Index, Stats, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	st, err := os.Stat(opts.Articles)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("articles folder %s: %w", opts.Articles, unwrapPathError(err))
	}
	if !st.IsDir() {
		return nil, Stats{}, fmt.Errorf("articles folder %s is not a folder", opts.Articles)
	}
	if opts.Dir == "" {
		if opts.Dir, err = DefaultDir(opts.Articles); err != nil {
			return nil, Stats{}, err
		}
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, Stats{}, fmt.Errorf("index: create %s: %w", opts.Dir, err)
	}
	ix := &Index{
		opts:     opts,
		log:      opts.Logger.With("component", "index"),
		manPath:  filepath.Join(opts.Dir, "manifest"),
		bleveDir: filepath.Join(opts.Dir, "bleve"),
	}
	os.Remove(filepath.Join(opts.Dir, "manifest.gob")) // the gob form of before; rebuilt
	t0 := time.Now()
	if ix.man, err = loadManifest(ix.manPath); err != nil {
		return nil, Stats{}, err
	}
	if ix.man.Version != schemaVersion || opts.Rebuild {
		if !opts.Rebuild {
			ix.log.Info("index format changed; rebuilding", "dir", opts.Dir)
		}
		if err := ix.reset(); err != nil {
			return nil, Stats{}, err
		}
	}
	ix.setArticles()
	t1 := time.Now()
	if _, err := os.Stat(ix.bleveDir); err == nil && !opts.Writer && !opts.Rebuild && ix.fresh() {
		// Nothing was added, removed or renamed since the last sync: no
		// need to stat every file before answering.
		if err := ix.ensureOpen(true); err != nil {
			return nil, Stats{}, err
		}
		ix.log.Debug("opened", "manifest", t1.Sub(t0), "freshness", time.Since(t1))
		return ix, Stats{Files: len(ix.man.Files)}, nil
	}
	stats, err := ix.Sync(ctx)
	if err != nil {
		ix.Close()
		return nil, stats, err
	}
	ix.log.Debug("opened", "manifest", t1.Sub(t0), "sync", time.Since(t1), "walk", stats.walk, "bleve_open", stats.open)
	return ix, stats, nil
}

// Dir is the index folder.
func (ix *Index) Dir() string { return ix.opts.Dir }

// Close closes the Bleve index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return nil
	}
	err := ix.idx.Close()
	ix.idx = nil
	return err
}

// reset removes the index and its manifest. The caller holds the lock or
// owns ix alone.
func (ix *Index) reset() error {
	if err := os.RemoveAll(ix.bleveDir); err != nil {
		return fmt.Errorf("index: remove %s: %w", ix.bleveDir, err)
	}
	if err := os.Remove(ix.manPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("index: remove %s: %w", ix.manPath, err)
	}
	ix.man = newManifest()
	return nil
}

// Articles lists the indexed articles, newest first.
func (ix *Index) Articles() []briefbot.Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]briefbot.Article, 0, len(ix.man.Files))
	for id, e := range ix.man.Files {
		if e.indexed() {
			out = append(out, ix.article(id, e))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Published.Equal(out[j].Published) {
			return out[i].Published.After(out[j].Published)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Article returns the indexed article with that ID.
func (ix *Index) Article(id string) (briefbot.Article, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := ix.man.Files[id]
	if !e.indexed() {
		return briefbot.Article{}, false
	}
	return ix.article(id, e), true
}

// indexed says whether the entry is an article in the index: not a file
// that is not an article, nor a syndicated copy.
func (e *entry) indexed() bool { return e != nil && e.Article.ID != "" && e.DupOf == "" }

// article is the indexed article of entry e, with its path as the user
// named the folder. The manifest is the article table: making a second
// one cost a cold query more than answering it.
func (ix *Index) article(id string, e *entry) briefbot.Article {
	a := e.Article
	a.AlsoIn = e.AlsoIn
	a.Path = filepath.Join(ix.opts.Articles, filepath.FromSlash(id))
	return a
}

// setArticles takes note that the manifest's articles changed.
func (ix *Index) setArticles() {
	ix.sentences = 0
	ix.gen++
	for _, e := range ix.man.Files {
		ix.sentences += e.Sentences
	}
}

// racyStamp is how recent a folder's modification time may be and still
// be trusted as the mark of what a walk saw: a file added within the same
// clock tick as the walk read the folder would leave the time unchanged,
// so a newer stamp is recorded as 0 and the next open walks again.
const racyStamp = 2 * time.Second

// walk lists the article files in the folder: .md, .markdown and .txt,
// recursively, leaving out hidden files and folders. dirs is each folder's
// modification time, taken before it was read (see manifest.Dirs).
func (ix *Index) walk() (files []fileInfo, dirs map[string]int64, err error) {
	var out []fileInfo
	dirs = map[string]int64{}
	root := ix.opts.Articles
	racy := time.Now().Add(-racyStamp)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			ix.log.Warn("skipping unreadable path", "path", p, "err", unwrapPathError(err))
			return nil
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if info, err := d.Info(); err == nil {
				rel, _ := filepath.Rel(root, p)
				if t := info.ModTime(); t.Before(racy) {
					dirs[filepath.ToSlash(rel)] = t.UnixNano()
				} else {
					dirs[filepath.ToSlash(rel)] = 0
				}
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".md", ".markdown", ".txt":
		default:
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, fileInfo{id: filepath.ToSlash(rel), path: p})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read articles folder %s: %w", root, unwrapPathError(err))
	}
	return statAll(out), dirs, nil
}

// fresh says whether no file was added, removed or renamed under the
// articles folder since the last full walk: every folder it saw keeps
// its modification time. It costs a stat per folder, not per file. A
// file rewritten in place does not move its folder's time; Recheck
// catches those an answer quotes, and the running bot's watcher the rest.
func (ix *Index) fresh() bool {
	ix.mu.RLock()
	dirs := ix.man.Dirs
	ix.mu.RUnlock()
	if len(dirs) == 0 {
		return false
	}
	for rel, t := range dirs {
		info, err := os.Lstat(filepath.Join(ix.opts.Articles, filepath.FromSlash(rel)))
		if t == 0 || err != nil || !info.IsDir() || info.ModTime().UnixNano() != t {
			return false
		}
	}
	return true
}

// Recheck looks at the files of the articles with these IDs (those an
// answer quotes) and, when any changed since it was indexed, syncs the
// index and says so, for the caller to answer again from the new text.
func (ix *Index) Recheck(ctx context.Context, ids []string) (changed bool, err error) {
	ix.mu.RLock()
	for _, id := range ids {
		e := ix.man.Files[id]
		if e == nil {
			continue
		}
		info, err := os.Lstat(filepath.Join(ix.opts.Articles, filepath.FromSlash(id)))
		if err != nil || info.Size() != e.Size || info.ModTime().UnixNano() != e.ModTime {
			changed = true
			break
		}
	}
	ix.mu.RUnlock()
	if !changed {
		return false, nil
	}
	st, err := ix.Sync(ctx)
	return st.Indexed+st.Deleted > 0, err
}

// statAll fills in each file's size and modification time, dropping files
// gone since the folder was read. The stats run in parallel: one at a time
// they were most of what a query on 19k articles waited for.
func statAll(files []fileInfo) []fileInfo {
	const workers = 8
	var wg sync.WaitGroup
	gone := make([]bool, len(files))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(files); i += workers {
				info, err := os.Lstat(files[i].path)
				if err != nil {
					gone[i] = true
					continue
				}
				files[i].size, files[i].modTime = info.Size(), info.ModTime()
			}
		}()
	}
	wg.Wait()
	out := files[:0]
	for i, f := range files {
		if !gone[i] {
			out = append(out, f)
		}
	}
	return out
}

// ErrInUse is returned when another process holds the index for writing.
var ErrInUse = errors.New("in use by another briefbot process (is the bot running?); pass --index DIR to use another")

// Reindex reads every article file again and re-indexes it in place: the
// same documents are overwritten, so searches go on answering from the
// whole index while it runs, and no second copy is built. It is what a
// rebuild is for a running bot; Options.Rebuild is the offline one.
func (ix *Index) Reindex(ctx context.Context) (Stats, error) {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.Lock()
	for id, e := range ix.man.Files {
		stale := *e
		stale.Size, stale.Hash = -1, digest{} // read and indexed again
		ix.man.Files[id] = &stale
	}
	ix.mu.Unlock()
	return ix.sync(ctx)
}

// Sync brings the index up to date with the articles folder. Finding
// changes costs one stat per file; only files whose size or modification
// time moved are read, and only those whose content changed are indexed.
// A crash or cancellation part way leaves an index that opens, and the next
// Sync finishes the job.
func (ix *Index) Sync(ctx context.Context) (Stats, error) {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	return ix.sync(ctx)
}

func (ix *Index) sync(ctx context.Context) (Stats, error) {
	start := time.Now()
	files, dirs, err := ix.walk()
	if err != nil {
		return Stats{}, err
	}
	stats := Stats{Files: len(files), walk: time.Since(start)}

	ix.mu.RLock()
	var moved []fileInfo
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		seen[f.id] = true
		e := ix.man.Files[f.id]
		if e == nil || e.Size != f.size || e.ModTime != f.modTime.UnixNano() {
			moved = append(moved, f)
		}
	}
	var gone []string
	for id := range ix.man.Files {
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	ix.mu.RUnlock()

	if len(moved) == 0 && len(gone) == 0 {
		t := time.Now()
		if err := ix.ensureOpen(!ix.opts.Writer); err != nil {
			return stats, err
		}
		stats.open = time.Since(t)
		stats.Took = time.Since(start)
		return stats, ix.saveDirs(dirs)
	}
	if err := ix.ensureOpen(false); err != nil {
		return stats, err
	}
	err = ix.apply(ctx, moved, gone, dirs, &stats)
	if err == nil {
		err = ix.saveDirs(dirs)
	}
	stats.Took = time.Since(start)
	return stats, err
}

// saveDirs records the folders' times a complete sync saw, saving the
// manifest when they moved.
func (ix *Index) saveDirs(dirs map[string]int64) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if maps.Equal(dirs, ix.man.Dirs) {
		return nil
	}
	ix.man.Dirs = dirs
	return ix.man.save(ix.manPath)
}

// ensureOpen opens the Bleve index, read-only when nothing needs writing
// (so several processes can read one index), and creates it when missing.
func (ix *Index) ensureOpen(readOnly bool) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx != nil && (readOnly || !ix.readOnly) {
		return nil
	}
	if ix.idx != nil {
		ix.idx.Close()
		ix.idx = nil
	}
	cfg := map[string]interface{}{"bolt_timeout": "3s"}
	if readOnly {
		cfg["read_only"] = true
	}
	idx, err := bleve.OpenUsing(ix.bleveDir, cfg)
	switch {
	case err == nil:
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing):
		idx, err = bleve.NewUsing(ix.bleveDir, newMapping(), scorch.Name, scorch.Name, map[string]interface{}{"bolt_timeout": "3s"})
		if err != nil {
			return fmt.Errorf("index: create %s: %w", ix.bleveDir, err)
		}
		readOnly = false
	case strings.Contains(err.Error(), "timeout"):
		return fmt.Errorf("index %s: %w", ix.opts.Dir, ErrInUse)
	default:
		// An index that does not open is rebuilt, not fatal: everything in
		// it can be made again from the articles.
		ix.log.Warn("index does not open; rebuilding it", "dir", ix.bleveDir, "err", err)
		if rerr := ix.reset(); rerr != nil {
			return rerr
		}
		ix.setArticles()
		idx, err = bleve.NewUsing(ix.bleveDir, newMapping(), scorch.Name, scorch.Name, map[string]interface{}{"bolt_timeout": "3s"})
		if err != nil {
			return fmt.Errorf("index: create %s: %w", ix.bleveDir, err)
		}
		readOnly = false
	}
	ix.idx, ix.readOnly = idx, readOnly
	return nil
}

// fileRead is one moved file after reading: what ingest made of it, or why
// it is not an article.
type fileRead struct {
	f       fileInfo
	hash    [32]byte
	same    bool // content unchanged: only the stat moved
	err     error
	article ingest.Parsed
	sig     []uint32 // see dedup.go
}

// apply reads the moved files in parallel and writes them, and the
// deletions, to the index in batches, saving the manifest as batches land.
func (ix *Index) apply(ctx context.Context, moved []fileInfo, gone []string, dirs map[string]int64, stats *Stats) error {
	idx, old := ix.before(moved, gone)
	bar := ix.progress(len(moved))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results, err := ix.readAll(ctx, moved, old)
	if err != nil {
		return err
	}
	w := &writer{ix: ix, idx: idx, batch: idx.NewBatch(), lastSave: time.Now()}
	for _, id := range gone {
		w.forget(id, old[id])
		stats.Deleted++
	}
	var stories readStories
	for r := range results {
		if bar != nil {
			bar.Add(1)
		}
		if err := w.take(r, old[r.f.id], &stories, stats); err != nil {
			return err
		}
		if w.batch.Size() >= batchDocs {
			if err := w.commit(false); err != nil {
				return err
			}
		}
	}
	if bar != nil {
		bar.Finish()
	}
	if ctx.Err() == nil {
		// Every file the walk found is in: the folders' times may now
		// stand for it (saved with this last commit, not in a second save).
		w.pending = append(w.pending, func(m *manifest) { m.Dirs = dirs })
	}
	if err := w.commit(true); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("indexing stopped: %w", err)
	}
	if err := ix.resolveStories(ctx, idx, stats); err != nil {
		return err
	}
	if stats.Indexed+stats.Deleted > 0 {
		ix.log.Info("index updated", "indexed", stats.Indexed, "sentences", stats.Sentences, "deleted", stats.Deleted, "skipped", stats.Skipped)
	}
	return nil
}

// batchDocs is how many documents a batch holds before it is written: big
// enough that Bleve's per-batch cost is spread thin, small enough that a
// batch's documents don't pile up in memory.
const batchDocs = 2000

// progressFrom is the fewest files a sync reads before it shows a progress
// bar: smaller syncs finish before one would be read.
const progressFrom = 500

// before is what a sync starts from: the index, and the manifest entries of
// the files it is about to read or remove.
func (ix *Index) before(moved []fileInfo, gone []string) (bleve.Index, map[string]*entry) {
	ix.mu.Lock()
	ix.man.loadSigs() // finding syndicated copies needs them
	ix.mu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	old := make(map[string]*entry, len(moved)+len(gone))
	for _, f := range moved {
		old[f.id] = ix.man.Files[f.id]
	}
	for _, id := range gone {
		old[id] = ix.man.Files[id]
	}
	return ix.idx, old
}

// progress is a progress bar for reading n files, or nil when none is
// wanted.
func (ix *Index) progress(n int) *progressbar.ProgressBar {
	if ix.opts.Progress == nil || n < progressFrom {
		return nil
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(ix.opts.Progress),
		progressbar.OptionSetDescription("indexing articles"),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
}

// readAll reads the files with one parser per core and sends what each
// made of its file, in no particular order, until all are read or ctx ends.
func (ix *Index) readAll(ctx context.Context, moved []fileInfo, old map[string]*entry) (<-chan fileRead, error) {
	jobs := make(chan fileInfo)
	results := make(chan fileRead, readAhead)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		p, err := ingest.NewParser()
		if err != nil {
			return nil, err
		}
		wg.Go(func() {
			for f := range jobs {
				select {
				case results <- ix.read(p, f, old[f.id]):
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, f := range moved {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	return results, nil
}

// readAhead is how many read files may wait to be written: a deep queue
// lets parsing go on while a batch is written.
const readAhead = 1024

// writer writes one sync's changes: documents in batches, and the manifest
// changes that go with them, applied when their batch has landed.
type writer struct {
	ix       *Index
	idx      bleve.Index
	batch    *bleve.Batch
	pending  []func(*manifest)
	lastSave time.Time
}

// commit writes the batch, applies the manifest changes that wait for it,
// and saves the manifest when force is set or saveEvery has passed.
func (w *writer) commit(force bool) error {
	if w.batch.Size() > 0 {
		if err := w.idx.Batch(w.batch); err != nil {
			return fmt.Errorf("index: write batch: %w", err)
		}
		// A new batch, not Reset: scorch's analysis goroutines may
		// still read the old one's documents.
		w.batch = w.idx.NewBatch()
	}
	ix := w.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, apply := range w.pending {
		apply(ix.man)
	}
	w.pending = w.pending[:0]
	ix.setArticles()
	if force || time.Since(w.lastSave) > saveEvery {
		w.lastSave = time.Now()
		return ix.man.save(ix.manPath)
	}
	return nil
}

// forget removes a file that is gone.
func (w *writer) forget(id string, e *entry) {
	deleteDocs(w.batch, id, e)
	w.pending = append(w.pending, func(m *manifest) { delete(m.Files, id) })
}

// set records what the manifest says of a file once its batch lands.
func (w *writer) set(id string, e *entry) {
	w.pending = append(w.pending, func(m *manifest) { m.Files[id] = e })
}

// take writes what was read of one file (e is its old entry, nil when new).
func (w *writer) take(r fileRead, e *entry, stories *readStories, stats *Stats) error {
	f := r.f
	switch {
	case r.err != nil:
		if errors.Is(r.err, context.Canceled) {
			return nil
		}
		w.ix.log.Warn("skipping file", "file", f.path, "err", r.err)
		stats.Skipped++
		// Remember the file as not an article, so it is not read (and
		// warned about) again until it changes.
		deleteDocs(w.batch, f.id, e)
		w.set(f.id, &entry{Size: f.size, ModTime: f.modTime.UnixNano(), Hash: r.hash})
		return nil
	case r.same:
		ne := *e
		ne.Size, ne.ModTime = f.size, f.modTime.UnixNano()
		w.set(f.id, &ne)
		return nil
	}
	a := r.article.Article
	a.Path = ""
	ne := &entry{Size: f.size, ModTime: f.modTime.UnixNano(), Hash: r.hash, Article: a, MinHash: r.sig}
	stats.Indexed++
	if canon := stories.copyOf(r.article.Article, r.sig); canon != "" {
		// A copy of a story read earlier in this sync stays out of the
		// index from the start (see dedup.go).
		deleteDocs(w.batch, f.id, e)
		ne.DupOf = canon
		w.set(f.id, ne)
		stats.Syndicated++
		return nil
	}
	// A changed article keeps its outlets until resolveStories says
	// otherwise, so an unchanged story is indexed once.
	ne.AlsoIn = ingest.Outlets(a.Source, a.AlsoIn)
	if e != nil && e.DupOf == "" {
		ne.AlsoIn = e.AlsoIn
	}
	r.article.Article.AlsoIn = ne.AlsoIn
	n, err := addDocs(w.batch, r.article, e)
	if err != nil {
		return err
	}
	stats.Sentences += n
	ne.Sentences = n
	w.set(f.id, ne)
	return nil
}

// saveEvery is how often a long sync saves the manifest as batches land.
// A crash loses at most this much work, which the next sync redoes; each
// save writes every entry (tens of megabytes at 95k articles), so more
// often slowed large builds.
const saveEvery = 30 * time.Second

// read loads, hashes and parses one file.
func (ix *Index) read(p *ingest.Parser, f fileInfo, old *entry) fileRead {
	r := fileRead{f: f}
	data, err := os.ReadFile(f.path)
	if err != nil {
		r.err = unwrapPathError(err)
		return r
	}
	r.hash = sha256.Sum256(data)
	if old != nil && old.Hash == r.hash {
		r.same = true
		return r
	}
	if len(data) == 0 {
		r.err = ingest.ErrEmpty
		return r
	}
	r.article, r.err = p.Parse(f.id, data, f.modTime)
	if r.err == nil {
		r.sig = ingest.Signature(r.article.Body)
	}
	return r
}

// Document IDs: "a:<article id>" for articles, "s:<article id>#<n>" for
// their sentences.
func articleDocID(id string) string         { return "a:" + id }
func sentenceDocID(id string, n int) string { return fmt.Sprintf("s:%s#%d", id, n) }

// addDocs adds an article and its sentences to the batch, deleting
// sentences an older, longer version left behind.
func addDocs(b *bleve.Batch, p ingest.Parsed, old *entry) (int, error) {
	a := p.Article
	// src holds every outlet that carries the story, so a filter on any
	// of them finds it.
	src := []string{strings.ToLower(a.Source)}
	for _, o := range a.AlsoIn {
		src = append(src, strings.ToLower(o))
	}
	day := a.Published.UTC()
	if err := b.Index(articleDocID(a.ID), map[string]interface{}{
		"kind": "article", "title": a.Title, "body": p.Body, "src": src, "day": day,
	}); err != nil {
		return 0, fmt.Errorf("index %s: %w", a.ID, err)
	}
	for i, s := range p.Sentences {
		if err := b.Index(sentenceDocID(a.ID, i), map[string]interface{}{
			"kind": "sentence", "s": s.Text, "art": a.ID, "pos": i, "start": s.Start, "end": s.End, "src": src, "day": day,
		}); err != nil {
			return 0, fmt.Errorf("index %s: %w", a.ID, err)
		}
	}
	if old != nil {
		for i := len(p.Sentences); i < old.Sentences; i++ {
			b.Delete(sentenceDocID(a.ID, i))
		}
	}
	return len(p.Sentences), nil
}

// deleteDocs removes an article's documents, as the manifest knew them.
func deleteDocs(b *bleve.Batch, id string, old *entry) {
	if old == nil {
		return
	}
	b.Delete(articleDocID(id))
	for i := 0; i < old.Sentences; i++ {
		b.Delete(sentenceDocID(id, i))
	}
}

// newMapping is the index layout: English analysis (stemming, stop words)
// with BM25 scoring, sentence text in "s" and whole articles in "title" and
// "body", so a query on one field never matches the other kind of
// document.
func newMapping() mapping.IndexMapping {
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	num := func(index bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Index = index
		f.Store = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	day := bleve.NewDateTimeFieldMapping()
	day.Store = false
	day.IncludeInAll = false
	day.DocValues = false

	sent := bleve.NewDocumentStaticMapping()
	sent.AddFieldMappingsAt("s", text(true))
	sent.AddFieldMappingsAt("art", kw(true))
	sent.AddFieldMappingsAt("pos", num(false))
	sent.AddFieldMappingsAt("start", num(false))
	sent.AddFieldMappingsAt("end", num(false))
	sent.AddFieldMappingsAt("src", kw(false))
	sent.AddFieldMappingsAt("day", day)

	art := bleve.NewDocumentStaticMapping()
	art.AddFieldMappingsAt("title", text(false))
	art.AddFieldMappingsAt("body", text(false))
	art.AddFieldMappingsAt("src", kw(false))
	art.AddFieldMappingsAt("day", day)

	m := bleve.NewIndexMapping()
	m.TypeField = "kind"
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = bleveindex.BM25Scoring
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	m.AddDocumentMapping("sentence", sent)
	m.AddDocumentMapping("article", art)
	m.DefaultMapping = bleve.NewDocumentDisabledMapping()
	return m
}

// unwrapPathError drops the "open PATH:" prefix Go puts on file errors, for
// messages that already name the path.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
