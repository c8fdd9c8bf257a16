package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"time"
	"unsafe"

	"briefbot"
)

// The manifest is read by every command before it can search, so it has a
// plain binary form rather than gob, whose reflection made reading 19k
// entries cost more than answering a question. All numbers are varints,
// strings and byte runs are length-prefixed:
//
//	magic, version, count, then per file:
//	id, size, modtime, hash (32 bytes), sentences, minhash (4n bytes),
//	dupOf, alsoIn, and the article: title, source, url, author,
//	published (time.MarshalBinary), alsoIn;
//	then the folder count and per folder: path, modtime. (A manifest
//	written before folders were recorded ends after the files: it has
//	none, so the next open walks the folder and records them.)
//
// The article's ID is the file's and its Path is set on load.
const manifestMagic = "briefbot-manifest\n"

var errManifest = errors.New("index manifest is damaged")

func (m *manifest) encode() []byte {
	var out bytes.Buffer
	m.encodeTo(&out) // a bytes.Buffer does not fail
	return out.Bytes()
}

// encodeTo writes the manifest to w a piece at a time: encoding 95k
// entries whole took a buffer of tens of megabytes at every save of a
// large build.
func (m *manifest) encodeTo(w io.Writer) error {
	const piece = 64 << 10
	b := make([]byte, 0, piece+1024)
	flush := func() error {
		_, err := w.Write(b)
		b = b[:0]
		return err
	}
	b = append(b, manifestMagic...)
	b = binary.AppendUvarint(b, uint64(m.Version))
	b = binary.AppendUvarint(b, uint64(len(m.Files)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	strs := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	for id, e := range m.Files {
		str(id)
		b = binary.AppendVarint(b, e.Size)
		b = binary.AppendVarint(b, e.ModTime)
		b = append(b, e.Hash[:]...)
		b = binary.AppendUvarint(b, uint64(e.Sentences))
		if e.MinHash == nil && e.minHashRaw != "" {
			b = binary.AppendUvarint(b, uint64(len(e.minHashRaw)/4))
			b = append(b, e.minHashRaw...)
		} else {
			b = binary.AppendUvarint(b, uint64(len(e.MinHash)))
			for _, v := range e.MinHash {
				b = binary.LittleEndian.AppendUint32(b, v)
			}
		}
		str(e.DupOf)
		strs(e.AlsoIn)
		a := e.Article
		str(a.ID)
		str(a.Title)
		str(a.Source)
		str(a.URL)
		str(a.Author)
		pub, _ := a.Published.MarshalBinary() // fails only for odd zone offsets
		str(string(pub))
		strs(a.AlsoIn)
		if len(b) >= piece {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(m.Dirs)))
	for dir, t := range m.Dirs {
		str(dir)
		b = binary.AppendVarint(b, t)
	}
	return flush()
}

// decoder reads what encode writes; the first error sticks. Strings are
// cut from one copy of the whole manifest (src) rather than allocated one
// by one: reading 19k entries was then most of what a cold query cost.
type decoder struct {
	b   []byte
	src string // the same bytes as b started with
	off int    // how far into src b now starts
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errManifest, nil
		return 0
	}
	d.b, d.off = d.b[n:], d.off+n
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errManifest, nil
		return 0
	}
	d.b, d.off = d.b[n:], d.off+n
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if uint64(len(d.b)) < n {
		d.err, d.b = errManifest, nil
		return nil
	}
	out := d.b[:n]
	d.b, d.off = d.b[n:], d.off+int(n)
	return out
}

func (d *decoder) str() string {
	n := d.uvarint()
	start := d.off
	if d.bytes(n) == nil {
		return ""
	}
	return d.src[start : start+int(n)]
}

func (d *decoder) strs() []string {
	n := d.uvarint()
	if n == 0 || n > uint64(len(d.b)) {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

// decodeManifest reads a manifest from data, which it keeps: the caller
// must not change data afterwards.
func decodeManifest(data []byte) (*manifest, error) {
	if len(data) < len(manifestMagic) || string(data[:len(manifestMagic)]) != manifestMagic {
		return nil, errManifest
	}
	// The strings share data's bytes instead of a copy of them (7 MB and
	// a fifth of a cold query's time at 19k articles): data is the
	// caller's to give away and is never written again.
	d := &decoder{b: data[len(manifestMagic):], src: unsafe.String(unsafe.SliceData(data), len(data)), off: len(manifestMagic)}
	m := newManifest()
	m.Version = int(d.uvarint())
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return nil, errManifest
	}
	m.Files = make(map[string]*entry, n)
	// The entries in one allocation; signatures stay raw (see loadSigs).
	entries := make([]entry, n)
	for i := range n {
		id := d.str()
		e := &entries[i]
		e.Size, e.ModTime = d.varint(), d.varint()
		copy(e.Hash[:], d.bytes(32))
		e.Sentences = int(d.uvarint())
		if k := d.uvarint(); k > 0 {
			if k > uint64(len(d.b))/4 {
				return nil, errManifest
			}
			start := d.off
			if d.bytes(4*k) != nil {
				e.minHashRaw = d.src[start : start+int(4*k)]
			}
		}
		e.DupOf = d.str()
		e.AlsoIn = d.strs()
		e.Article = briefbot.Article{ID: d.str(), Title: d.str(), Source: d.str(), URL: d.str(), Author: d.str()}
		if pub := d.bytes(d.uvarint()); len(pub) > 0 {
			var t time.Time
			if err := t.UnmarshalBinary(pub); err != nil {
				return nil, errManifest
			}
			e.Article.Published = t
		}
		e.Article.AlsoIn = d.strs()
		if d.err != nil {
			return nil, d.err
		}
		m.Files[id] = e
	}
	if len(d.b) > 0 {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			return nil, errManifest
		}
		for range n {
			dir := d.str()
			m.Dirs[dir] = d.varint()
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errManifest
	}
	return m, nil
}
