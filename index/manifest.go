package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"briefbot"
)

// schemaVersion changes whenever the index mapping or what ingestion makes
// of a file changes; an index of another version is rebuilt.
const schemaVersion = 8

// manifest records, for every indexed file, what it looked like when it was
// indexed, so that finding changes costs a stat per file: only files whose
// size or modification time moved are read and hashed again.
type manifest struct {
	Version int
	Files   map[string]*entry // by article ID
	// Dirs is every folder's modification time (UnixNano) as the last
	// full walk saw it, by path relative to the articles folder ("."
	// for itself); 0 for one changed too recently to trust (see
	// racyStamp). A file added, removed or renamed changes its
	// folder's time, so while none has moved the walk can be skipped.
	Dirs map[string]int64
}

// entry is one indexed file.
type entry struct {
	Size    int64
	ModTime int64 // UnixNano
	Hash    digest
	// Sentences is how many sentence documents the article has in the
	// index, so a shorter new version can remove the rest.
	Sentences int
	Article   briefbot.Article
	// MinHash is the signature syndicated copies are recognised by (see
	// dedup.go); nil when the text is too short to compare, or not yet
	// read from minHashRaw.
	MinHash minHashSig
	// minHashRaw is the signature as the manifest file holds it (4 bytes
	// each, little-endian), until loadSigs reads it: only a sync that
	// writes needs signatures, and reading them was a third of what a
	// query's start cost.
	minHashRaw string
	// DupOf names the canonical article when this one is a copy of it;
	// a copy has no documents in the index.
	DupOf string
	// AlsoIn is, for an indexed article, the other outlets that carry
	// the story: its own also_in and the outlets of its copies.
	AlsoIn []string
}

// digest is a file's SHA-256; minHashSig an article's MinHash signature.
type (
	digest     [32]byte
	minHashSig []uint32
)

// loadSigs reads every entry's signature from its raw form. The caller
// holds the index's write lock; a sync that writes calls it first.
func (m *manifest) loadSigs() {
	var sigs []uint32
	for _, e := range m.Files {
		if e.MinHash != nil || e.minHashRaw == "" {
			continue
		}
		k := len(e.minHashRaw) / 4
		if cap(sigs)-len(sigs) < k {
			sigs = make([]uint32, 0, max(k, 64<<10))
		}
		at := len(sigs)
		for j := range k {
			r := e.minHashRaw[4*j:]
			sigs = append(sigs, uint32(r[0])|uint32(r[1])<<8|uint32(r[2])<<16|uint32(r[3])<<24)
		}
		e.MinHash, e.minHashRaw = sigs[at:len(sigs):len(sigs)], ""
	}
}

func newManifest() *manifest {
	return &manifest{Version: schemaVersion, Files: map[string]*entry{}, Dirs: map[string]int64{}}
}

// loadManifest reads the manifest at path; a missing one is empty.
func loadManifest(path string) (*manifest, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newManifest(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index manifest: %w", err)
	}
	m, err := decodeManifest(data)
	if err != nil {
		// A manifest we cannot read means we no longer know what the
		// index holds: start again rather than fail.
		return newManifest(), nil
	}
	return m, nil
}

// save writes the manifest atomically: a crash leaves the old one or the
// new one, never half of either.
func (m *manifest) save(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".manifest-*")
	if err != nil {
		return fmt.Errorf("write index manifest: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := m.encodeTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write index manifest: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write index manifest: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write index manifest: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write index manifest: %w", err)
	}
	return nil
}

// fileInfo is what a walk of the articles folder learns about one file.
type fileInfo struct {
	id      string // path relative to the folder, forward slashes
	path    string // path as the user named the folder
	size    int64
	modTime time.Time
}
