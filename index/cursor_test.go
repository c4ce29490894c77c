package index

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// cursorIndex writes an index of lists of several chunks, in segments
// with and without deletions: a field with locations, "text", and one
// without, "bare", over words, some texts long enough for frequencies and
// norms of several bytes.
func cursorIndex(t *testing.T, words []string) bleve.Index {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cursor")
	// "text" keeps its locations, "bare" does not.
	im := mapping.NewIndexMapping()
	bare := mapping.NewTextFieldMapping()
	bare.IncludeTermVectors = false
	im.DefaultMapping.AddFieldMappingsAt("bare", bare)
	idx, err := bleve.New(path, im)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const batches, perBatch = 3, 4000
	for b := range batches {
		batch := idx.NewBatch()
		for i := range perBatch {
			var text []string
			// Some long texts: frequencies and norms of several bytes.
			n := 1 + rng.IntN(12)
			if rng.IntN(40) == 0 {
				n = 100 + rng.IntN(400)
			}
			for range n {
				w := words[rng.IntN(len(words)-1)]
				if rng.IntN(200) == 0 {
					w = "rare"
				}
				text = append(text, w)
			}
			if err := batch.Index(fmt.Sprintf("d%d-%d", b, i), map[string]any{"text": strings.Join(text, " "), "bare": strings.Join(text, " ")}); err != nil {
				t.Fatal(err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			t.Fatal(err)
		}
	}
	// Reopened, the segments are zapx's files; deletions in the first batch.
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if idx, err = bleve.Open(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	for i := 0; i < perBatch; i += 2 {
		if err := idx.Delete(fmt.Sprintf("d0-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return idx
}

// TestCursorMatchesIterator reads lists of several chunks, in segments
// with and without deletions, at random documents, with and without their
// locations, with a cursor and with zapx's iterator alone: the postings,
// frequencies, norms and locations must be the same, and the cursor must
// have read lists from their bytes.
func TestCursorMatchesIterator(t *testing.T) {
	words := []string{"port", "ville", "mer", "nord", "sud", "rare"}
	idx := cursorIndex(t, words)
	rng := rand.New(rand.NewPCG(3, 4))
	s, ok, err := openSnapshot(idx, nil)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	defer s.close()
	var raw, rawDeleted, deleted int
	var c cursor // reused, as the engine does
	for si, ss := range s.segs {
		if ss.Deleted() != nil {
			deleted++
		}
		n := ss.Segment().Count()
		for _, lw := range listsOf(words) {
			pls, err := s.postings(lw.field, lw.word)
			if err != nil {
				t.Fatal(err)
			}
			for trial := range 20 {
				locs := trial%2 == 0
				c.open(pls[si], ss, lw.field, locs)
				if c.raw == nil && pls[si].Count() > 1 {
					t.Fatalf("segment %d, %s %q: read through zapx, not from its bytes", si, lw.field, lw.word)
				}
				ref := plainCursor{pi: pls[si].Iterator(true, true, locs, nil)}
				// Sparse then dense steps, up to past the end.
				step := uint64(1 + rng.IntN(1+trial*trial*10))
				for d := uint64(rng.IntN(50)); d < n+5; d += 1 + uint64(rng.Int64N(int64(step))) {
					// Now and then the same document again, or one
					// already passed: zapx's answers (that posting, or
					// none) too.
					asks := []uint64{d}
					switch rng.IntN(20) {
					case 0:
						asks = append(asks, d)
					case 1:
						asks = append(asks, d-min(d, uint64(1+rng.IntN(3000))))
					}
					for k, a := range asks {
						want, err := ref.at(a)
						if err != nil {
							t.Fatal(err)
						}
						if k == 0 {
							// has, at a document not passed, answers
							// as the list does, deleted documents out.
							if has, err := c.has(a); err != nil || has != (want != nil) {
								t.Fatalf("segment %d, %s %q: has(%d) = %v, %v; the list holds it: %v", si, lw.field, lw.word, a, has, err, want != nil)
							}
						}
						got, err := c.at(a)
						if err != nil {
							t.Fatal(err)
						}
						if msg := samePosting(got, want); msg != "" {
							t.Fatalf("segment %d, %s %q, document %d (after %d): %s", si, lw.field, lw.word, a, d, msg)
						}
					}
				}
				if c.raw != nil {
					raw++
					if ss.Deleted() != nil {
						rawDeleted++
					}
				}
			}
		}
	}
	if raw == 0 || rawDeleted == 0 || deleted == 0 {
		t.Fatalf("lists read from their bytes %d (%d with deletions), segments with deletions %d: the test reads none of the cases it is for",
			raw, rawDeleted, deleted)
	}
}

// listsOf is the lists of words in TestCursorMatchesIterator's fields.
func listsOf(words []string) []struct{ field, word string } {
	var out []struct{ field, word string }
	for _, f := range []string{"text", "bare"} {
		for _, w := range words {
			out = append(out, struct{ field, word string }{f, w})
		}
	}
	return out
}

// plainCursor is cursor.at with zapx's Advance alone.
type plainCursor struct {
	pi   segment.PostingsIterator
	p    segment.Posting
	done bool
}

func (c *plainCursor) at(local uint64) (segment.Posting, error) {
	if c.done {
		return nil, nil
	}
	if c.p == nil || c.p.Number() < local {
		p, err := c.pi.Advance(local)
		if err != nil || p == nil {
			c.done = p == nil
			return nil, err
		}
		c.p = p
	}
	if c.p.Number() != local {
		return nil, nil
	}
	return c.p, nil
}

// samePosting describes how a and b differ, "" when they do not.
func samePosting(a, b segment.Posting) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return fmt.Sprintf("posting %v, want %v", a != nil, b != nil)
	case a.Number() != b.Number() || a.Frequency() != b.Frequency() || a.Norm() != b.Norm():
		return fmt.Sprintf("number, frequency, norm %d %d %v, want %d %d %v",
			a.Number(), a.Frequency(), a.Norm(), b.Number(), b.Frequency(), b.Norm())
	}
	al, bl := a.Locations(), b.Locations()
	if len(al) != len(bl) {
		return fmt.Sprintf("%d locations, want %d", len(al), len(bl))
	}
	pos := appendPositions(nil, a)
	if len(pos) != len(bl) {
		return fmt.Sprintf("%d positions, want %d", len(pos), len(bl))
	}
	for i := range pos {
		if pos[i] != bl[i].Pos() {
			return fmt.Sprintf("position %d: %d, want %d", i, pos[i], bl[i].Pos())
		}
	}
	for i := range al {
		if al[i].Pos() != bl[i].Pos() || al[i].Start() != bl[i].Start() || al[i].End() != bl[i].End() {
			return fmt.Sprintf("location %d: %d %d-%d, want %d %d-%d", i,
				al[i].Pos(), al[i].Start(), al[i].End(), bl[i].Pos(), bl[i].Start(), bl[i].End())
		}
	}
	return ""
}

// TestChunksRead reads chunk ends and refuses counts a list cannot have or
// ends past the bytes, as a damaged segment would give.
func TestChunksRead(t *testing.T) {
	data := binary.AppendUvarint(nil, 2)
	data = binary.AppendUvarint(data, 3)
	data = binary.AppendUvarint(data, 5)
	data = append(data, "abcde"...)
	var c chunks
	if !c.read(data, 0, 2) || len(c.ends) != 2 || c.start != 3 {
		t.Fatalf("read = %+v, want two chunks starting at 3", c)
	}
	if b, err := c.bytes(data, 1); err != nil || string(b) != "de" {
		t.Errorf("chunk 1 = %q, %v, want de", b, err)
	}
	if _, err := c.bytes(data, 2); err == nil {
		t.Error("chunk 2 of 2: no error")
	}
	if c.read(data, 0, 1) {
		t.Error("two chunks where one at most fits: read")
	}
	huge := binary.AppendUvarint(nil, 1<<40)
	if c.read(huge, 0, 1<<50) {
		t.Error("more chunk ends than bytes: read")
	}
	short := binary.AppendUvarint(nil, 1)
	short = binary.AppendUvarint(short, 100)
	if !c.read(short, 0, 1) {
		t.Fatal("one chunk: not read")
	}
	if _, err := c.bytes(short, 0); err == nil {
		t.Error("a chunk ending past the bytes: no error")
	}
	wrap := binary.AppendUvarint(nil, 1)
	wrap = binary.AppendUvarint(wrap, math.MaxUint64)
	if !c.read(wrap, 0, 1) {
		t.Fatal("one chunk: not read")
	}
	if _, err := c.bytes(wrap, 0); err == nil {
		t.Error("a chunk ending at 2^64-1: no error")
	}
}

// TestRawListSurvivesDamage reads lists whose frequency and location bytes
// were damaged at random, as a corrupt segment file would have them: a
// cursor may answer wrong postings or an error, never panic or read past
// its chunk.
func TestRawListSurvivesDamage(t *testing.T) {
	words := []string{"port", "ville", "mer", "rare"}
	idx := cursorIndex(t, words)
	s, ok, err := openSnapshot(idx, nil)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	defer s.close()
	rng := rand.New(rand.NewPCG(5, 6))
	var lists, failed int
	for si, ss := range s.segs {
		n := ss.Segment().Count()
		for _, lw := range listsOf(words) {
			pls, err := s.postings(lw.field, lw.word)
			if err != nil {
				t.Fatal(err)
			}
			for trial := range 6 {
				var c cursor
				c.open(pls[si], ss, lw.field, true)
				if c.raw == nil {
					continue
				}
				lists++
				r := c.raw
				data := slices.Clone(r.data)
				damage := trial % 3
				for _, ch := range []chunks{r.freqs, r.locs} {
					for i := range ch.ends {
						b, err := ch.bytes(data, uint64(i))
						if err != nil || len(b) == 0 {
							continue
						}
						switch damage {
						case 0: // bytes changed here and there
							for range 1 + len(b)/50 {
								b[rng.IntN(len(b))] = byte(rng.IntN(256))
							}
						case 1: // a chunk ends in an unfinished varint
							b[len(b)-1] |= 0x80
						case 2: // lengths far beyond the chunk
							for j := range b {
								b[j] = []byte{0xff, 0xff, 0xff, 0xff, 0x0f}[j%5]
							}
						}
					}
				}
				r.data = data
				for d := uint64(0); d < n; d += 1 + uint64(rng.IntN(40)) {
					p, err := c.at(d)
					if err != nil {
						failed++
						break
					}
					if p != nil {
						appendPositions(nil, p)
						p.Locations()
					}
				}
			}
		}
	}
	if lists == 0 || failed == 0 {
		t.Fatalf("%d lists damaged, %d read failed: the test reads none of the cases it is for", lists, failed)
	}
	t.Logf("%d lists damaged, %d failed to read", lists, failed)
}

// TestWriteDenseRefusesDisorder: a bitmap read from a damaged segment may
// hold its numbers out of order, which roaring does not check; writeDense
// refuses it instead of indexing out of range.
func TestWriteDenseRefusesDisorder(t *testing.T) {
	good := roaring.BitmapOf(3, 5000)
	bits := make([]uint64, good.DenseSize())
	if !writeDense(good, bits) || bits[0] != 1<<3 || bits[5000/64] != 1<<(5000%64) {
		t.Fatalf("writeDense(3, 5000) = %x", bits)
	}
	buf, err := good.ToBytes()
	if err != nil {
		t.Fatal(err)
	}
	// The array container's two numbers end the buffer: swap them.
	n := len(buf)
	copy(buf[n-4:], []byte{buf[n-2], buf[n-1], buf[n-4], buf[n-3]})
	bad := roaring.New()
	if _, err := bad.FromBuffer(buf); err != nil {
		t.Fatal(err)
	}
	if writeDense(bad, make([]uint64, bad.DenseSize())) {
		t.Error("writeDense of a bitmap holding 5000 then 3 succeeded, want false")
	}
}

// TestSkipVarints checks skipVarints against reading the varints one by
// one, over streams of varints of one to ten bytes, at every count.
func TestSkipVarints(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		var b []byte
		var ends []int
		for range rng.IntN(40) {
			b = binary.AppendUvarint(b, rng.Uint64()>>(rng.IntN(64)))
			ends = append(ends, len(b))
		}
		for k := 1; k <= len(ends)+1; k++ {
			got, ok := skipVarints(b, k)
			if k > len(ends) {
				if ok {
					t.Fatalf("trial %d: skipVarints(%d varints, %d) = %d, true; want false", trial, len(ends), k, got)
				}
				continue
			}
			if !ok || got != ends[k-1] {
				t.Fatalf("trial %d: skipVarints(%d varints, %d) = %d, %v; want %d", trial, len(ends), k, got, ok, ends[k-1])
			}
		}
	}
}

// TestNoFieldSkipsFrequencies checks what rawList.skip relies on: every
// field of both indexes keeps its frequencies and norms, so that each
// posting is two varints.
func TestNoFieldSkipsFrequencies(t *testing.T) {
	for name, build := range map[string]func() (*mapping.IndexMappingImpl, error){"missions": missionMapping, "passages": passageMapping} {
		m, err := build()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for field, p := range m.DefaultMapping.Properties {
			for _, f := range p.Fields {
				n++
				if f.SkipFreqNorm {
					t.Errorf("%s: field %s skips frequencies and norms", name, field)
				}
			}
		}
		if n < 10 {
			t.Errorf("%s: %d fields seen, want all of them", name, n)
		}
	}
}
