package index

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"briefbot"
)

// fillAll sets every exported field of v (a pointer to a struct) to a
// non-zero value, so a field that encode forgets fails the round trip.
func fillAll(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		name := v.Type().Field(i).Name
		if !v.Type().Field(i).IsExported() {
			continue // state kept in memory (minHashRaw), not a stored field
		}
		switch {
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2025, 12, 8, 23, 30, 0, 0, time.FixedZone("", -5*3600))))
		case f.Kind() == reflect.String:
			f.SetString(name + string(rune('a'+seed)))
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			f.SetInt(int64(1000*seed + i + 1))
		case f.Kind() == reflect.Array:
			for j := 0; j < f.Len(); j++ {
				f.Index(j).SetUint(uint64(j + seed))
			}
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf([]string{name + "1", name + "2"}).Convert(f.Type()))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint32:
			f.Set(reflect.ValueOf([]uint32{1, 1 << 31, uint32(seed)}).Convert(f.Type()))
		case f.Kind() == reflect.Struct:
			fillAll(t, f, seed)
		default:
			t.Fatalf("fillAll: field %s of kind %s: teach the test and the manifest codec about it", name, f.Kind())
		}
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := newManifest()
	for i, id := range []string{"a.md", "dir/b.md", "c.txt"} {
		e := &entry{}
		fillAll(t, reflect.ValueOf(e).Elem(), i)
		e.Article.ID, e.Article.Path = id, "" // Path is set on load, not stored
		m.Files[id] = e
	}
	m.Files["not-an-article.txt"] = &entry{Size: 3, ModTime: 7} // a skipped file: zero article
	path := filepath.Join(t.TempDir(), "manifest")
	if err := m.save(path); err != nil {
		t.Fatal(err)
	}
	got, err := loadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	// Saved again before its signatures were read, it keeps them.
	if err := got.save(path); err != nil {
		t.Fatal(err)
	}
	if got, err = loadManifest(path); err != nil {
		t.Fatal(err)
	}
	got.loadSigs()
	if len(got.Files) != len(m.Files) || got.Version != m.Version {
		t.Fatalf("loaded %d files, version %d; want %d, %d", len(got.Files), got.Version, len(m.Files), m.Version)
	}
	for id, want := range m.Files {
		g := got.Files[id]
		if g == nil {
			t.Fatalf("%s missing after load", id)
		}
		if !g.Article.Published.Equal(want.Article.Published) || g.Article.Day() != want.Article.Day() {
			t.Errorf("%s: published %v, want %v (same day in its own zone)", id, g.Article.Published, want.Article.Published)
		}
		g.Article.Published, want.Article.Published = time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", id, g, want)
		}
	}
}

// A damaged or foreign manifest is not an error: the index is rebuilt.
func TestDamagedManifestStartsAgain(t *testing.T) {
	m := newManifest()
	m.Files["a.md"] = &entry{Size: 1, Article: briefbot.Article{ID: "a.md", Title: "T"}}
	data := m.encode()
	for _, bad := range [][]byte{nil, []byte("gob junk"), data[:len(data)-3], append(append([]byte{}, data...), 0)} {
		if _, err := decodeManifest(bad); err == nil {
			t.Errorf("decodeManifest(%d bytes) accepted damage", len(bad))
		}
	}
}

func FuzzManifest(f *testing.F) {
	m := newManifest()
	m.Files["a.md"] = &entry{Size: 1, Sentences: 2, MinHash: minHashSig{1, 2}, Article: briefbot.Article{ID: "a.md", Title: "T", Published: time.Now()}}
	f.Add(m.encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeManifest(data) // must not panic or allocate without bound
	})
}
