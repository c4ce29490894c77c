package index

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"reflect"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v17"
)

// cursor reads the postings of one list in one segment at documents asked
// for in increasing order, with their frequencies, norms and, when asked,
// locations.
//
// zapx's Advance walks the list's bitmap one document at a time, through
// an interface call and a bitmap iterator for each, decoding each posting's
// frequency and norm on the way: the searches that score a fraction of the
// hits of a wide word read whole lists that way, and that was most of
// their cost. A cursor over a list of a zapx segment file reads the list's
// bytes itself (rawList); other lists go through zapx's iterator.
// TestCursorMatchesIterator holds the two to the same postings.
type cursor struct {
	raw  *rawList
	pi   segment.PostingsIterator // when raw is nil
	p    segment.Posting          // the posting pi stands on
	done bool
}

// open points c at pl, a list of ss's segment read with ss's deletions,
// in field; it reuses the memory of the list c read before.
func (c *cursor) open(pl segment.PostingsList, ss *scorch.SegmentSnapshot, field string, locs bool) {
	raw := c.raw
	*c = cursor{}
	if raw == nil {
		raw, _ = rawLists.Get().(*rawList)
		if raw == nil {
			raw = &rawList{}
		}
	}
	if raw.open(pl, ss.Segment(), ss.Deleted(), field, locs) {
		c.raw = raw
		return
	}
	raw.release()
	rawLists.Put(raw)
	c.pi = pl.Iterator(true, true, locs, nil)
}

// close gives the cursor's memory back for other cursors; c is not used
// again but to be opened.
func (c *cursor) close() {
	if c.raw != nil {
		c.raw.release()
		rawLists.Put(c.raw)
	}
	*c = cursor{}
}

// at returns the posting of document local (a segment's number), nil when
// the list does not hold it. Documents are asked for in increasing order.
func (c *cursor) at(local uint64) (segment.Posting, error) {
	if c.raw != nil {
		return c.raw.at(local)
	}
	if c.done {
		return nil, nil
	}
	if c.p == nil || c.p.Number() < local {
		p, err := c.pi.Advance(local)
		if err != nil {
			return nil, err
		}
		if p == nil {
			c.done = true
			return nil, nil
		}
		c.p = p
	}
	if c.p.Number() != local {
		return nil, nil
	}
	return c.p, nil
}

// tf returns the frequency of document local's posting divided by its
// length normalisation (docState.add's tf), ok false when the list does
// not hold it. Documents are asked for in increasing order.
func (c *cursor) tf(local uint64, ln *lengthNorms) (tf float64, ok bool, err error) {
	if c.raw != nil {
		if ok, err = c.raw.find(local); !ok || err != nil {
			return 0, false, err
		}
		return float64(c.raw.post.freq) / ln.of(c.raw.post.norm), true, nil
	}
	p, err := c.at(local)
	if p == nil || err != nil {
		return 0, false, err
	}
	return float64(p.Frequency()) / lengthNorm(p.Norm(), ln.b, ln.avg), true, nil
}

// has reports whether the list holds document local, without reading its
// posting: documents asked for by has and at (or tf) together still come
// in increasing order.
func (c *cursor) has(local uint64) (bool, error) {
	if c.raw != nil {
		return c.raw.holds(local), nil
	}
	p, err := c.at(local)
	return p != nil, err
}

// lengthNorms is lengthNorm for one role's b and average length, kept for
// each field length met (a posting's norm bits): a search reads many
// postings of few lengths, and a square root and three divisions for each
// were a fifth of its scoring.
type lengthNorms struct {
	b, avg float64
	memo   []float64 // by norm bits; 0 for not yet computed (lengthNorm > 0)
}

// maxMemoLength bounds lengthNorms' memory: longer fields are computed anew.
const maxMemoLength = 1 << 14

func (l *lengthNorms) of(bits uint64) float64 {
	if bits < uint64(len(l.memo)) {
		if v := l.memo[bits]; v != 0 {
			return v
		}
	}
	v := lengthNorm(normOf(bits), l.b, l.avg)
	if bits < maxMemoLength {
		if bits >= uint64(len(l.memo)) {
			l.memo = slices.Grow(l.memo, int(bits)+1-len(l.memo))[:bits+1]
		}
		l.memo[bits] = v
	}
	return v
}

// rawList reads a list of a zapx v17 segment from the segment's bytes, in
// the layout zapx writes (posting.go, intcoder.go): the list's documents
// are a bitmap; their frequencies and norms, and apart their locations,
// are varints in chunks of a fixed number of documents, each chunk's end
// listed before the chunks. The bitmap is turned into a bit array once,
// so that a posting's place in its chunk is a count of bits; the chunk's
// varints are then read up to that place, without a call per posting.
type rawList struct {
	data  []byte
	bits  []uint64               // the list's documents, deleted ones included, a bit each
	del   *roaring.Bitmap        // the segment's deleted documents, nil for none
	all   *roaring.Bitmap        // where the list's documents are gathered when del is not nil
	it    *zapx.PostingsIterator // reused to read a list's bitmap when del is nil
	size  uint64                 // documents per chunk
	freqs chunks
	locs  chunks // read only when locations are asked for
	withL bool

	chunk  uint64 // the chunk loaded
	loaded bool
	last   uint64 // the document asked for last, when asked
	asked  bool
	read   bool   // post holds a posting
	from   uint64 // the first document whose posting fb and lb start at
	fb, lb []byte // the rest of the chunk's frequencies and locations
	post   rawPosting
}

// release drops r's hold on its segment's bytes and deletions, keeping the
// memory it reuses. Its zapx iterator, reused too, still points at the last
// list it read (and so keeps that segment's structures from the collector
// until the next open): zapx clears it before reusing it, so nothing reads
// it meanwhile.
func (r *rawList) release() {
	r.data, r.del, r.fb, r.lb, r.post.locs = nil, nil, nil, nil, nil
	r.loaded, r.asked, r.read = false, false, false
}

// chunks is a stream of varints cut in chunks: where the chunks start in
// the segment, and where each ends, counted from there.
type chunks struct {
	start uint64
	ends  []uint64
}

var errCorrupt = errors.New("index: postings list beyond its segment's bytes")

// open points r at pl, a list of seg whose deleted documents are del (nil
// for none), false when pl is not a list that can be read so: not zapx's,
// a list of one posting (held in the dictionary), a segment in memory, of
// a chunk mode zapx no longer writes, or whose bytes pass through a reader
// hook (encryption).
func (r *rawList) open(pl segment.PostingsList, seg segment.Segment, del *roaring.Bitmap, field string, locs bool) bool {
	zl, ok := pl.(*zapx.PostingsList)
	zs, ok2 := seg.(*zapx.Segment)
	if !ok || !ok2 || index.ReaderHook != nil {
		return false
	}
	// zapx keeps where the list's frequencies and locations start in
	// unexported fields; reflect reads them (TestCursorMatchesIterator
	// fails if they go).
	v := reflect.ValueOf(zl).Elem()
	fo, lo := v.FieldByName("freqOffset"), v.FieldByName("locOffset")
	if !fo.IsValid() || !lo.IsValid() || fo.Kind() != reflect.Uint64 || lo.Kind() != reflect.Uint64 || fo.Uint() == 0 {
		return false
	}
	// The frequencies hold a posting for every document of the list,
	// deleted or not: its places are counted over them all. Without
	// deletions, the iterator's bitmap is the list's own.
	all := r.all
	if del == nil {
		it, ok := pl.Iterator(false, false, false, r.it).(*zapx.PostingsIterator)
		if !ok {
			return false
		}
		r.it, all = it, it.ActualBM
	} else {
		if all == nil {
			all = roaring.New()
		}
		all.Clear()
		zl.OrInto(all)
	}
	// roaring does not check a bitmap it reads: one from a damaged segment
	// may name a document past the segment, which would size the bits
	// after it, or hold its numbers out of order (writeDense).
	if all == nil || all.IsEmpty() || uint64(all.Maximum()) >= zs.NumDocs() {
		return false
	}
	size := chunkSize(zs.ChunkMode(), all.GetCardinality(), zs.NumDocs())
	if size == 0 {
		return false
	}
	keep := r.all
	if del != nil {
		keep = all
	}
	*r = rawList{data: zs.Data(), del: del, all: keep, it: r.it, size: size, withL: locs && lo.Uint() != 0,
		bits: r.bits[:0], freqs: chunks{ends: r.freqs.ends[:0]}, locs: chunks{ends: r.locs.ends[:0]},
		post: rawPosting{field: field, locBuf: r.post.locBuf[:0], locOut: r.post.locOut[:0]}}
	most := zs.NumDocs()/size + 1 // chunks a list can have
	if !r.freqs.read(r.data, fo.Uint(), most) || r.withL && !r.locs.read(r.data, lo.Uint(), most) {
		return false
	}
	n := int(all.DenseSize())
	r.bits = slices.Grow(r.bits, n)[:n]
	clear(r.bits)
	return writeDense(all, r.bits)
}

// writeDense is b.WriteDenseTo(bits), false when b names a document past
// bits: WriteDenseTo trusts a bitmap's numbers to be in order, and indexes
// out of range when those of a damaged segment are not.
func writeDense(b *roaring.Bitmap, bits []uint64) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	b.WriteDenseTo(bits)
	return true
}

// read reads the chunk ends written at off, false when they go past the
// segment's bytes or are more than most.
func (c *chunks) read(data []byte, off, most uint64) bool {
	if off >= uint64(len(data)) {
		return false
	}
	b := data[off:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > most || n > uint64(len(b)) {
		return false
	}
	b = b[k:]
	c.ends = slices.Grow(c.ends[:0], int(n))[:n]
	for i := range c.ends {
		if c.ends[i], k = binary.Uvarint(b); k <= 0 {
			return false
		}
		b = b[k:]
	}
	c.start = uint64(len(data) - len(b))
	return true
}

// bytes returns chunk i's bytes.
func (c chunks) bytes(data []byte, i uint64) ([]byte, error) {
	if i >= uint64(len(c.ends)) {
		return nil, errCorrupt
	}
	var lo uint64
	if i > 0 {
		lo = c.ends[i-1]
	}
	hi := c.ends[i]
	if lo > hi || c.start > uint64(len(data)) || hi > uint64(len(data))-c.start {
		return nil, errCorrupt
	}
	return data[c.start+lo : c.start+hi], nil
}

func (r *rawList) at(local uint64) (segment.Posting, error) {
	if ok, err := r.find(local); !ok || err != nil {
		return nil, err
	}
	return &r.post, nil
}

// find reads the posting of document local into r.post, false when the
// list does not hold it; at without making an interface of the posting.
func (r *rawList) find(local uint64) (bool, error) {
	if r.asked && local <= r.last {
		// Asked again, or backwards: the posting read last, or none, as
		// zapx's iterator answers (cursor.at).
		return local == r.last && r.read && r.post.num == local, nil
	}
	r.asked, r.last = true, local
	if !r.holds(local) {
		return false, nil
	}
	if c := local / r.size; !r.loaded || c != r.chunk {
		var err error
		if r.fb, err = r.freqs.bytes(r.data, c); err != nil {
			return false, err
		}
		if r.withL {
			if r.lb, err = r.locs.bytes(r.data, c); err != nil {
				return false, err
			}
		}
		r.chunk, r.loaded, r.from = c, true, c*r.size
	}
	if err := r.skip(countBits(r.bits, r.from, local)); err != nil {
		return false, err
	}
	freq, norm, locs, err := r.next()
	if err != nil {
		return false, err
	}
	r.from, r.read = local+1, true
	r.post.num, r.post.freq, r.post.norm, r.post.locs = local, freq, norm, locs
	return true, nil
}

// holds reports whether live document local is in the list.
func (r *rawList) holds(local uint64) bool {
	w := local / 64
	return w < uint64(len(r.bits)) && r.bits[w]&(1<<(local%64)) != 0 && (r.del == nil || !r.del.Contains(uint32(local)))
}

// skip passes over the next n postings of the chunk. It is next without
// decoding: the first byte of a posting's first varint tells whether it
// has locations (its low bit) and a norm (a frequency above 0, the varint
// above 1).
func (r *rawList) skip(n int) error {
	if !r.withL {
		// Without locations to pass, a posting is two varints: its
		// frequency is never 0 (no field of the index skips frequencies
		// and norms, schema.go), so a norm always follows.
		i, ok := skipVarints(r.fb, 2*n)
		if !ok {
			return errCorrupt
		}
		r.fb = r.fb[i:]
		return nil
	}
	fb, i := r.fb, 0
	for ; n > 0; n-- {
		if i >= len(fb) {
			return errCorrupt
		}
		first := fb[i]
		i++
		for b := first; b >= 0x80; i++ {
			if i >= len(fb) {
				return errCorrupt
			}
			b = fb[i]
		}
		if first > 1 {
			for {
				if i >= len(fb) {
					return errCorrupt
				}
				i++
				if fb[i-1] < 0x80 {
					break
				}
			}
		}
		if first&1 != 0 {
			m, k := binary.Uvarint(r.lb)
			if k <= 0 || m > uint64(len(r.lb)-k) {
				return errCorrupt
			}
			r.lb = r.lb[k+int(m):]
		}
	}
	r.fb = fb[i:]
	return nil
}

// skipVarints returns where the k-th varint of b ends, eight bytes at a
// time (a varint ends at a byte below 0x80); false when b ends first.
func skipVarints(b []byte, k int) (int, bool) {
	i := 0
	for k > 0 && i+8 <= len(b) {
		ends := ^binary.LittleEndian.Uint64(b[i:]) & 0x8080808080808080
		if c := bits.OnesCount64(ends); c < k {
			k -= c
			i += 8
			continue
		}
		for ; k > 1; k-- {
			ends &= ends - 1
		}
		return i + bits.TrailingZeros64(ends)/8 + 1, true
	}
	for ; k > 0; i++ {
		if i >= len(b) {
			return i, false
		}
		if b[i] < 0x80 {
			k--
		}
	}
	return i, true
}

// next reads the next posting of the chunk: its frequency, its norm's
// bits and, when read, its locations.
func (r *rawList) next() (freq, norm uint64, locs []byte, err error) {
	v, k := binary.Uvarint(r.fb)
	if k <= 0 {
		return 0, 0, nil, errCorrupt
	}
	r.fb = r.fb[k:]
	if freq = v >> 1; freq != 0 {
		if norm, k = binary.Uvarint(r.fb); k <= 0 {
			return 0, 0, nil, errCorrupt
		}
		r.fb = r.fb[k:]
	}
	if v&1 == 0 || !r.withL {
		return freq, norm, nil, nil
	}
	n, k := binary.Uvarint(r.lb)
	if k <= 0 || n > uint64(len(r.lb)-k) {
		return 0, 0, nil, errCorrupt
	}
	locs, r.lb = r.lb[k:k+int(n)], r.lb[k+int(n):]
	return freq, norm, locs, nil
}

// countBits counts the bits set from bit lo to bit hi, hi excluded.
func countBits(b []uint64, lo, hi uint64) int {
	if lo >= hi {
		return 0
	}
	wl, wh := lo/64, hi/64
	if wl == wh {
		return bits.OnesCount64(b[wl] >> (lo % 64) & (1<<(hi-lo) - 1))
	}
	n := bits.OnesCount64(b[wl] >> (lo % 64))
	for _, x := range b[wl+1 : wh] {
		n += bits.OnesCount64(x)
	}
	if hi%64 != 0 {
		n += bits.OnesCount64(b[wh] & (1<<(hi%64) - 1))
	}
	return n
}

// rawPosting is a posting read by a rawList; its locations are decoded
// when asked for.
type rawPosting struct {
	num, freq, norm uint64
	field           string
	locs            []byte
	locBuf          []rawLocation
	locOut          []segment.Location // Locations' answer, reused as locBuf is
}

func (p *rawPosting) Number() uint64    { return p.num }
func (p *rawPosting) Frequency() uint64 { return p.freq }

// Norm is zapx's Posting.Norm: the bits hold the field's length.
func (p *rawPosting) Norm() float64 { return normOf(p.norm) }

// normOf is the norm zapx gives a posting whose norm bits are bits: 1/√len
// as a float32, len the field's length.
func normOf(bits uint64) float64 {
	return float64(float32(1.0 / math.Sqrt(float64(uint32(bits)))))
}

func (p *rawPosting) Size() int { return 0 }

// Locations decodes the posting's locations, valid until the list's next
// posting is read. A corrupt list gives the locations read.
func (p *rawPosting) Locations() []segment.Location {
	p.locBuf = p.locBuf[:0]
	for b := p.locs; len(b) > 0; {
		l := rawLocation{field: p.field}
		var ok bool
		if l.pos, l.start, l.end, l.ap, b, ok = readLocation(b, nil); !ok {
			break
		}
		p.locBuf = append(p.locBuf, l)
	}
	p.locOut = p.locOut[:0]
	for i := range p.locBuf {
		p.locOut = append(p.locOut, &p.locBuf[i])
	}
	return p.locOut
}

// appendPositions appends the positions of p's locations to dst; those of
// a rawPosting are read without making its locations.
func appendPositions(dst []uint64, p segment.Posting) []uint64 {
	rp, ok := p.(*rawPosting)
	if !ok {
		for _, l := range p.Locations() {
			dst = append(dst, l.Pos())
		}
		return dst
	}
	for b := rp.locs; len(b) > 0; {
		var pos uint64
		if pos, _, _, _, b, ok = readLocation(b, nil); !ok {
			break
		}
		dst = append(dst, pos)
	}
	return dst
}

// readLocation reads the location b starts with, as zapx's readLocation
// does: the field's number, the position, the start and end offsets, then
// the array positions, counted, appended to ap. ok is false when b ends
// first.
func readLocation(b []byte, ap []uint64) (pos, start, end uint64, aps []uint64, rest []byte, ok bool) {
	var v [5]uint64
	for i := range v {
		x, k := binary.Uvarint(b)
		if k <= 0 {
			return 0, 0, 0, ap, b, false
		}
		v[i], b = x, b[k:]
	}
	for range v[4] {
		x, k := binary.Uvarint(b)
		if k <= 0 {
			return 0, 0, 0, ap, b, false
		}
		ap, b = append(ap, x), b[k:]
	}
	return v[1], v[2], v[3], ap, b, true
}

// rawLocation is a location of a rawPosting. Its field is the list's: zapx
// names the field each location came from, which differs only in
// composite fields, which the index does not have.
type rawLocation struct {
	field           string
	pos, start, end uint64
	ap              []uint64
}

func (l *rawLocation) Field() string            { return l.field }
func (l *rawLocation) Start() uint64            { return l.start }
func (l *rawLocation) End() uint64              { return l.end }
func (l *rawLocation) Pos() uint64              { return l.pos }
func (l *rawLocation) ArrayPositions() []uint64 { return l.ap }
func (l *rawLocation) Size() int                { return 0 }

// chunkSize is zapx's chunk size, in documents, for the frequencies of a
// list of card postings in a segment of docs documents written in
// chunkMode (zapx v17's getChunkSize); 0 for a mode it does not know.
func chunkSize(chunkMode uint32, card, docs uint64) uint64 {
	switch {
	case chunkMode == 0:
		return 0
	case chunkMode <= 1024:
		return uint64(chunkMode)
	case chunkMode == 1025:
		if card <= 1024 {
			return docs
		}
		return 1024
	case chunkMode == 1026:
		return docs / (card/1024 + 1)
	}
	return 0
}
