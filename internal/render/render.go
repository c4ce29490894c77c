// Package render gets the picture of a PDF page, for OCR and for the page
// thumbnails of the web pages.
//
// A scanned page is one image: its own pixels, taken from the file as they
// are (a JPEG as stored; Flate, fax and raw samples decoded with the
// standard library and golang.org/x/image), are what Tesseract reads best
// and cost nothing to render. Any other page needs a real renderer: poppler's
// pdftoppm, run as a subprocess with a time and memory limit when it is
// installed. Without it, a page that is not one image has no picture.
package render

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ledongthuc/pdf"
)

// Sources of a page image.
const (
	SourceEmbedded = "embedded" // the scan's own image, from the file
	SourcePdftoppm = "pdftoppm" // rendered by poppler
)

// Image is the picture of one page, encoded.
type Image struct {
	Data          []byte
	Format        string  // "jpeg", "png" or "jp2"
	Width, Height int     // pixels
	DPI           float64 // pixels per inch on the displayed page
	Source        string  // SourceEmbedded or SourcePdftoppm
}

// ErrNoImage means a page has no picture this package can give: it is not
// one image, and pdftoppm is not installed or failed.
var ErrNoImage = errors.New("render: no page image")

// Options set up a Renderer.
type Options struct {
	// Pdftoppm is the pdftoppm program: a path, or a name looked up in
	// PATH; "" means "pdftoppm", "-" never to render.
	Pdftoppm string
	// DPI is the resolution of pages pdftoppm renders for OCR; 0 means 300.
	DPI int
	// Timeout bounds one pdftoppm run; 0 means 10 s (a page of a report
	// renders in well under a second; a decompression bomb takes more).
	Timeout time.Duration
	// Memory bounds pdftoppm's data segment; 0 means 512 MiB.
	Memory int64
	// CacheDir keeps thumbnails, one file per page and width; "" keeps none.
	CacheDir string
	Logger   *slog.Logger
}

// Renderer gets page pictures. It is safe for concurrent use.
type Renderer struct {
	opts Options
	tool *tool
}

// New returns a Renderer. It looks for pdftoppm only when it first needs it.
func New(opts Options) *Renderer {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.DPI <= 0 {
		opts.DPI = 300
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Memory <= 0 {
		opts.Memory = 512 << 20
	}
	if opts.Pdftoppm == "" {
		opts.Pdftoppm = "pdftoppm"
	}
	return &Renderer{opts: opts, tool: newTool(opts.Pdftoppm)}
}

// CanRender reports whether pdftoppm is there to render pages that are not
// one image.
func (r *Renderer) CanRender() bool {
	_, err := r.tool.path()
	return err == nil
}

// PageImage returns the picture of page n (from 1) of doc, for OCR: the
// page's own image when the page is essentially one image, else a
// rendering by pdftoppm at the configured resolution, else ErrNoImage.
func (r *Renderer) PageImage(ctx context.Context, doc *Doc, n int) (*Image, error) {
	img, err := doc.Embedded(n)
	if err == nil {
		return img, nil
	}
	r.opts.Logger.Debug("render: no embedded page image", "page", n, "reason", err)
	if doc.blank(n) {
		return nil, fmt.Errorf("%w: page %d draws nothing", ErrNoImage, n)
	}
	if !r.CanRender() {
		return nil, fmt.Errorf("%w: page %d: %v", ErrNoImage, n, err)
	}
	png, err := r.pdftoppm(ctx, doc.data, n, "-r", fmt.Sprint(r.opts.DPI), "-gray")
	if err != nil {
		return nil, fmt.Errorf("%w: page %d: %v", ErrNoImage, n, err)
	}
	w, h, err := pngSize(png)
	if err != nil {
		return nil, fmt.Errorf("%w: page %d: pdftoppm: %v", ErrNoImage, n, err)
	}
	return &Image{Data: png, Format: "png", Width: w, Height: h, DPI: float64(r.opts.DPI), Source: SourcePdftoppm}, nil
}

// minCover is the share of the page a picture must cover to stand for the
// page: a scan covers it all, a logo or a photo does not.
const minCover = 0.5

// Embedded returns the image that page n (from 1) is made of, turned to
// show as on the page, or an error saying why the page is not one image.
func (d *Doc) Embedded(n int) (img *Image, err error) {
	defer func() {
		if x := recover(); x != nil {
			img, err = nil, fmt.Errorf("render: page %d: %v", n, x)
		}
	}()
	p, err := d.page(n)
	if err != nil {
		return nil, err
	}
	dr, err := d.draws(p)
	if err != nil {
		return nil, err
	}
	if len(dr.images) == 0 {
		return nil, fmt.Errorf("render: page %d draws no image", n)
	}
	best := dr.images[0]
	for _, im := range dr.images[1:] {
		if im.area() > best.area() {
			best = im
		}
	}
	pageArea := (p.box[2] - p.box[0]) * (p.box[3] - p.box[1])
	if best.area() < minCover*pageArea {
		return nil, fmt.Errorf("render: page %d: the largest image covers %.0f%% of the page", n, 100*best.area()/pageArea)
	}
	return d.extract(best, p.rotate)
}

// blank tells a page that draws nothing at all; a page whose content
// cannot be read is not blank.
func (d *Doc) blank(n int) (blank bool) {
	defer func() {
		if x := recover(); x != nil {
			blank = false
		}
	}()
	p, err := d.page(n)
	if err != nil {
		return false
	}
	dr, err := d.draws(p)
	return err == nil && len(dr.images) == 0 && dr.inline == 0 && !dr.paths && !dr.text
}

// draws scans a page's content streams.
func (d *Doc) draws(p page) (drawing, error) {
	var content []byte
	c := p.v.Key("Contents")
	streams := []pdf.Value{c}
	if c.Kind() == pdf.Array {
		streams = streams[:0]
		for i := 0; i < c.Len() && i < 1024; i++ {
			streams = append(streams, c.Index(i))
		}
	}
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		b, err := decoded(s, maxContent-int64(len(content)))
		if err != nil {
			return drawing{}, err
		}
		content = append(append(content, b...), '\n')
	}
	sc := &scanner{doc: d}
	sc.scan(content, p.resources, identity)
	return sc.out, nil
}
