package service

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"strings"
	"unicode"

	"escale/internal/unaccent"
)

// Near-duplicate detection: the same report saved as PDF and as text, or
// exported twice, gives different bytes but nearly the same words. Each text
// is cut into overlapping runs of shingleWords words; two texts whose sets of
// runs overlap (Jaccard) by duplicateJaccard or more are twins. A MinHash
// signature of sigSize values, kept in the catalog, finds candidates without
// reading every stored text; the exact overlap confirms them.
const (
	shingleWords     = 4
	sigSize          = 128
	candidateJaccard = 0.5
	duplicateJaccard = 0.7
)

// shingles returns the hashed word runs of text.
func shingles(text string) map[uint64]struct{} {
	words := strings.FieldsFunc(unaccent.Lower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	set := map[uint64]struct{}{}
	if len(words) == 0 {
		return set
	}
	n := shingleWords
	if len(words) < n {
		n = len(words)
	}
	h := fnv.New64a()
	for i := 0; i+n <= len(words); i++ {
		h.Reset()
		for _, w := range words[i : i+n] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		set[h.Sum64()] = struct{}{}
	}
	return set
}

// mix is splitmix64's finaliser: a cheap, well-spread hash of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// signature returns the MinHash signature of a set of shingles, encoded for
// the catalog, or nil for an empty set.
func signature(set map[uint64]struct{}) []byte {
	if len(set) == 0 {
		return nil
	}
	mins := make([]uint32, sigSize)
	for i := range mins {
		mins[i] = math.MaxUint32
	}
	for s := range set {
		for i := range mins {
			v := uint32(mix(s ^ (uint64(i+1) * 0x9e3779b97f4a7c15)))
			if v < mins[i] {
				mins[i] = v
			}
		}
	}
	out := make([]byte, 4*sigSize)
	for i, v := range mins {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

// estimate returns the share of equal MinHash values of two signatures: an
// estimate of the Jaccard similarity of their sets.
func estimate(a, b []byte) float64 {
	if len(a) != 4*sigSize || len(b) != 4*sigSize {
		return 0
	}
	same := 0
	for i := 0; i < len(a); i += 4 {
		if binary.LittleEndian.Uint32(a[i:]) == binary.LittleEndian.Uint32(b[i:]) {
			same++
		}
	}
	return float64(same) / sigSize
}

// jaccard returns the exact Jaccard similarity of two sets.
func jaccard(a, b map[uint64]struct{}) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	inter := 0
	for s := range a {
		if _, ok := b[s]; ok {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
