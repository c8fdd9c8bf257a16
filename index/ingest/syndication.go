package ingest

import (
	"math"
	"math/bits"
	"sort"
	"strings"
	"unicode"
)

// Syndicated copies: one wire story carried by several outlets. Every
// article gets a MinHash signature over the word 4-grams of its cleaned
// text; articles whose signatures say they share at least dupJaccard of
// their 4-grams (sameOutletJaccard when both come from one outlet) are one
// story. Candidates finds the pairs worth comparing. Which copy is kept,
// and how the index follows, is index's business.

const (
	// minHashes is the signature length: 64 hashes estimate a Jaccard
	// similarity to within about ±0.06.
	minHashes = 64
	// bandRows is how many hashes make one locality-sensitive band:
	// articles that agree on every hash of any band are compared. With
	// 32 bands of 2, pairs at similarity 0.5 are found with
	// near-certainty and unrelated articles are rarely compared.
	bandRows = 2
	// shingleWords is the length of the word n-grams compared.
	shingleWords = 4
	// minShingles is the fewest n-grams an article needs to take part:
	// shorter texts are too alike by chance.
	minShingles = 20
	// dupJaccard is the estimated similarity from which two articles
	// from different outlets are copies of one story (a wire story an
	// outlet trimmed or topped and tailed still is).
	dupJaccard = 0.5
	// sameOutletJaccard is the bar for two articles from one outlet:
	// there a merely similar article is usually a later version of the
	// story with news in it, which must not be hidden behind the first.
	sameOutletJaccard = 0.9
)

// hashSeeds are the per-hash multipliers and offsets, fixed so signatures
// stored in a manifest stay comparable across runs.
var hashSeeds = func() (s [minHashes][2]uint64) {
	x := uint64(0x9E3779B97F4A7C15)
	next := func() uint64 { // splitmix64
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		return z ^ (z >> 31)
	}
	for i := range s {
		s[i] = [2]uint64{next() | 1, next()}
	}
	return s
}()

// Signature is the MinHash signature of an article's text; nil when the
// text is too short to compare.
func Signature(text string) []uint32 {
	// Hash each word (letters and digits, lower-cased) with FNV-1a.
	words := make([]uint64, 0, len(text)/5)
	const offset, prime = 14695981039346656037, 1099511628211
	h, in := uint64(offset), false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			for ; r > 0; r >>= 8 {
				h = (h ^ uint64(r&0xff)) * prime
			}
			in = true
		} else if in {
			words = append(words, h)
			h, in = offset, false
		}
	}
	if in {
		words = append(words, h)
	}
	if len(words) < shingleWords+minShingles-1 {
		return nil
	}
	var mins [minHashes]uint32
	for i := range mins {
		mins[i] = math.MaxUint32
	}
	for i := 0; i+shingleWords <= len(words); i++ {
		x := uint64(0)
		for _, w := range words[i : i+shingleWords] {
			x = bits.RotateLeft64(x, 23)*0x9E3779B97F4A7C15 ^ w
		}
		for j := range hashSeeds {
			if v := uint32((x*hashSeeds[j][0] + hashSeeds[j][1]) >> 32); v < mins[j] {
				mins[j] = v
			}
		}
	}
	return mins[:]
}

// similarity estimates the Jaccard similarity of the texts behind two
// signatures.
func similarity(a, b []uint32) float64 {
	if len(a) != minHashes || len(b) != minHashes {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / minHashes
}

// SameStory says whether two articles, by their signatures and outlets,
// are copies of one story.
func SameStory(sigA, sigB []uint32, outletA, outletB string) bool {
	return similarity(sigA, sigB) >= sameStoryAt(outletA, outletB)
}

// Comparable says whether a signature can be compared: a text too short
// has none.
func Comparable(sig []uint32) bool { return len(sig) == minHashes }

// sameStoryAt is the similarity from which articles from these two
// outlets are one story.
func sameStoryAt(a, b string) float64 {
	if a != "" && strings.EqualFold(a, b) {
		return sameOutletJaccard
	}
	return dupJaccard
}

// bands is how many bands of bandRows hashes a signature is cut into.
const bands = minHashes / bandRows

// Candidates finds the signatures that share a band with another: the
// candidates for being the same story. Items are numbered in the order
// added. Each band of each item is one entry, numbered item*bands+band, so
// an entry needs only a link to the previous entry with the same key: with
// 95k articles there are 3M entries, and a slice a bucket cost over 150 MB
// where this costs about 40.
type Candidates struct {
	head map[uint32]int32 // band key -> the newest entry with it
	prev []int32          // entry -> the previous entry with its key, or -1
}

// bandKey is the bucket of band b of a signature. Two bands can share a
// key by chance; that only adds a candidate that similarity then rejects.
func bandKey(b int, sig []uint32) uint32 {
	h := uint64(b)<<58 ^ uint64(sig[b*bandRows])<<26 ^ uint64(sig[b*bandRows+1])
	h *= 0x9E3779B97F4A7C15
	return uint32(h >> 32)
}

// Each calls fn with every earlier item that shares a band with sig (an
// item may come more than once) until fn returns false.
func (x *Candidates) Each(sig []uint32, fn func(item int) bool) {
	for b := range bands {
		e, ok := x.head[bandKey(b, sig)]
		for ok && e >= 0 {
			if !fn(int(e) / bands) {
				return
			}
			e = x.prev[e]
		}
	}
}

// Add adds sig as the next item.
func (x *Candidates) Add(sig []uint32) {
	if x.head == nil {
		x.head = map[uint32]int32{}
	}
	for b := range bands {
		k := bandKey(b, sig)
		e := int32(len(x.prev))
		p, ok := x.head[k]
		if !ok {
			p = -1
		}
		x.prev = append(x.prev, p)
		x.head[k] = e
	}
}

// Outlets merges outlet lists into one sorted list without duplicates
// (ignoring case) and without own, the article's own outlet.
func Outlets(own string, lists ...[]string) []string {
	seen := map[string]bool{strings.ToLower(strings.TrimSpace(own)): true}
	var out []string
	for _, l := range lists {
		for _, o := range l {
			o = strings.TrimSpace(o)
			if k := strings.ToLower(o); o != "" && !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	sort.Strings(out)
	return out
}
