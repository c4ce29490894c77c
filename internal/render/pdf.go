package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Limits on what one page may cost to look at. A page image larger than
// maxPixels is not decoded; content streams beyond maxContent are cut.
const (
	maxPixels   = 64 << 20 // 64 Mpx: 600 dpi on A3
	maxContent  = 16 << 20
	maxTreeSize = 1 << 16
	maxDepth    = 32
	maxForms    = 8
)

// Doc is an opened PDF, for finding the images its pages draw.
type Doc struct {
	data      []byte
	pdf       *pdf.Reader
	pages     []page
	encrypted bool
}

// page is one page with what it inherits from the page tree.
type page struct {
	v         pdf.Value
	resources pdf.Value
	box       [4]float64 // x0 y0 x1 y1 in points
	rotate    int        // 0, 90, 180 or 270, clockwise
}

// Open reads the structure of a PDF. It walks the page tree itself, with a
// visited set and a bounded size, because the library follows cycles.
func Open(data []byte) (d *Doc, err error) {
	defer func() {
		if x := recover(); x != nil {
			d, err = nil, fmt.Errorf("render: open: %v", x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("render: open: %w", err)
	}
	d = &Doc{data: data, pdf: r, encrypted: r.Trailer().Key("Encrypt").Kind() != pdf.Null}
	seen := map[string]bool{}
	var walk func(n pdf.Value, inh page, depth int)
	walk = func(n pdf.Value, inh page, depth int) {
		if n.Kind() != pdf.Dict || depth > maxDepth || len(seen) > maxTreeSize {
			return
		}
		key := n.String()
		if seen[key] {
			return
		}
		seen[key] = true
		if res := n.Key("Resources"); res.Kind() == pdf.Dict {
			inh.resources = res
		}
		for _, name := range []string{"MediaBox", "CropBox"} {
			if b, ok := rect(n.Key(name)); ok {
				inh.box = b
			}
		}
		if rot := n.Key("Rotate"); rot.Kind() == pdf.Integer || rot.Kind() == pdf.Real {
			inh.rotate = ((int(rot.Float64())%360 + 360) % 360) / 90 * 90
		}
		kids := n.Key("Kids")
		if kids.Kind() != pdf.Array {
			if n.Key("Type").Name() != "Pages" {
				inh.v = n
				d.pages = append(d.pages, inh)
			}
			return
		}
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), inh, depth+1)
		}
	}
	walk(r.Trailer().Key("Root").Key("Pages"), page{box: [4]float64{0, 0, 612, 792}}, 0)
	if len(d.pages) == 0 {
		return nil, errors.New("render: open: no pages")
	}
	return d, nil
}

// NumPages returns the number of pages found in the page tree.
func (d *Doc) NumPages() int { return len(d.pages) }

// PageSize returns the size of page n (from 1) in points, as displayed
// (rotation applied).
func (d *Doc) PageSize(n int) (w, h float64, err error) {
	p, err := d.page(n)
	if err != nil {
		return 0, 0, err
	}
	w, h = p.box[2]-p.box[0], p.box[3]-p.box[1]
	if p.rotate%180 != 0 {
		w, h = h, w
	}
	return w, h, nil
}

func (d *Doc) page(n int) (page, error) {
	if n < 1 || n > len(d.pages) {
		return page{}, fmt.Errorf("render: page %d of %d", n, len(d.pages))
	}
	return d.pages[n-1], nil
}

func rect(v pdf.Value) ([4]float64, bool) {
	var b [4]float64
	if v.Kind() != pdf.Array || v.Len() != 4 {
		return b, false
	}
	for i := range b {
		b[i] = v.Index(i).Float64()
	}
	if b[0] > b[2] {
		b[0], b[2] = b[2], b[0]
	}
	if b[1] > b[3] {
		b[1], b[3] = b[3], b[1]
	}
	if b[2]-b[0] < 1 || b[3]-b[1] < 1 {
		return b, false
	}
	return b, true
}

// decoded returns the decoded bytes of a stream whose filters the library
// knows (Flate, ASCII85, none), at most limit bytes.
func decoded(v pdf.Value, limit int64) (b []byte, err error) {
	defer func() {
		if x := recover(); x != nil {
			b, err = nil, fmt.Errorf("render: stream: %v", x)
		}
	}()
	rc := v.Reader()
	defer rc.Close()
	b, err = io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("render: stream over %d bytes", limit)
	}
	return b, err
}

// raw returns a stream's bytes as stored in the file, before any filter.
// The library only decodes the filters it knows, so the bytes of a JPEG or
// a fax image are found from the stream's offset, which its String form
// ends with (« <<...>>@OFFSET »), and its /Length. Encrypted files have no
// usable raw bytes.
func (d *Doc) raw(v pdf.Value) ([]byte, error) {
	if d.encrypted {
		return nil, errors.New("render: encrypted stream")
	}
	s := v.String()
	at := strings.LastIndexByte(s, '@')
	if v.Kind() != pdf.Stream || at < 0 {
		return nil, errors.New("render: not a stream")
	}
	off, err := strconv.ParseInt(s[at+1:], 10, 64)
	n := v.Key("Length").Int64()
	if err != nil || off < 0 || n <= 0 || off > int64(len(d.data)) || n > int64(len(d.data))-off {
		return nil, fmt.Errorf("render: stream at %q with length %d outside the file", s[at:], n)
	}
	return d.data[off : off+n], nil
}

// Unparsed returns a Doc for a PDF whose structure Open could not read: it
// has no page images of its own, and only pdftoppm can show its pages.
func Unparsed(data []byte) *Doc { return &Doc{data: data} }
