// Package ocr reads the pages of a PDF that have no usable text layer, the
// scans, with Tesseract: it gets each page's picture (internal/render), runs
// the tesseract program on it, and turns its hOCR output into layout lines,
// so that the same structure and metadata extraction runs on scans as on
// born-digital reports.
//
// OCR is optional. Without Tesseract or its French data, Document leaves
// the pages empty and says why (ErrUnavailable); the extraction then
// refuses the file as having no text. Tesseract runs as a subprocess of the
// process that calls Document (in Escale, the worker child with its time and
// memory limits), one page at a time, each with its own time budget, and
// its output is cached on disk by a hash of the page image.
package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"escale/internal/layout"
	"escale/internal/render"
)

// Options set up an Engine.
type Options struct {
	// Tesseract is the tesseract program: a path, or a name looked up in
	// PATH; "" means "tesseract", "-" turns OCR off.
	Tesseract string
	// Languages are Tesseract's language codes joined by "+"; "" means
	// "fra".
	Languages string
	// PageTimeout bounds the recognition of one page; 0 means 30 s.
	PageTimeout time.Duration
	// Memory bounds Tesseract's data segment; 0 means 1 GiB. A lower limit
	// inherited from the calling process stays.
	Memory int64
	// Parallel is how many pages are recognised at once; 0 means 2.
	Parallel int
	// CacheDir keeps Tesseract's output by image hash; "" keeps none.
	CacheDir string
	// Render gets page pictures; nil means render.New with its defaults
	// (the page's own image, else pdftoppm when installed).
	Render *render.Renderer
	Logger *slog.Logger
}

// Engine recognises pages. It is safe for concurrent use; it looks for
// Tesseract only when a page first needs it.
type Engine struct {
	opts  Options
	cache Cache

	once     sync.Once
	probeErr error
	path     string
	version  string
}

// New returns an Engine.
func New(opts Options) *Engine {
	if opts.Tesseract == "" {
		opts.Tesseract = "tesseract"
	}
	if opts.Languages == "" {
		opts.Languages = "fra"
	}
	if opts.PageTimeout <= 0 {
		opts.PageTimeout = 30 * time.Second
	}
	if opts.Memory <= 0 {
		opts.Memory = 1 << 30
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 2
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Render == nil {
		opts.Render = render.New(render.Options{Logger: opts.Logger})
	}
	return &Engine{opts: opts, cache: Cache{Dir: opts.CacheDir}}
}

// Available reports whether OCR can run: nil, or an error wrapping
// ErrUnavailable that says what is missing.
func (e *Engine) Available(ctx context.Context) error { return e.probe(ctx) }

// Document recognises the pages of a PDF (data, as read into doc) that have
// no usable text layer, and replaces their lines with what Tesseract read
// when it reads better: those pages get OCR set and a confidence. Pages it
// cannot picture or recognise stay as they were, with a note in the log.
// It returns an error wrapping ErrUnavailable when pages needed OCR and it
// cannot run, and ctx's error when ctx ends.
func (e *Engine) Document(ctx context.Context, data []byte, doc *layout.Document) error {
	var todo []int
	for i, p := range doc.Pages {
		if NeedsOCR(p) {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	rd, err := render.Open(data)
	if err != nil {
		e.opts.Logger.Debug("ocr: pdf structure unreadable, pdftoppm only", "error", err)
		rd = render.Unparsed(data)
	}
	// Pages are recognised a few at a time: Tesseract runs one thread
	// each, and a report of three pages then takes two rounds, not three.
	var (
		wg     sync.WaitGroup
		sem    = make(chan struct{}, e.opts.Parallel)
		done   = make([]bool, len(todo))
		failed = make([]error, len(todo))
	)
	for k, i := range todo {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			done[k], failed[k] = e.page(ctx, rd, &doc.Pages[i])
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	read := 0
	for _, ok := range done {
		if ok {
			read++
		}
	}
	if read > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf(
			"Le texte de %d page(s) a été reconnu sur l’image numérisée (OCR) : il peut contenir des erreurs de lecture.", read))
	}
	for _, err := range failed {
		if err != nil {
			return err // the same for every page: OCR cannot run here
		}
	}
	return nil
}

// page recognises one page and replaces its lines when the recognised text
// reads better. It reports whether it did, and an error only when OCR
// cannot run here (ErrUnavailable): a page that cannot be pictured or read
// is left as it was, with a note in the log.
func (e *Engine) page(ctx context.Context, rd *render.Doc, p *layout.Page) (bool, error) {
	start := time.Now()
	// A scan's own image is cheap to get. Rendering a page costs a second
	// or more: it is worth it only when the page has no text at all or
	// unreadable text, not for a cover page with a title on it, and only
	// when Tesseract is there to read it.
	img, err := rd.Embedded(p.Number)
	if err != nil && textless(*p) {
		if err := e.probe(ctx); err != nil {
			return false, err
		}
		img, err = e.opts.Render.PageImage(ctx, rd, p.Number)
	}
	if err != nil {
		e.opts.Logger.Debug("ocr: no page image", "page", p.Number, "error", err)
		return false, nil
	}
	res, cached, err := e.Recognize(ctx, img)
	switch {
	case errors.Is(err, ErrUnavailable):
		return false, err
	case err != nil:
		if ctx.Err() == nil {
			e.opts.Logger.Warn("ocr: page not recognised", "page", p.Number, "error", err)
		}
		return false, nil
	}
	w, h := p.Width, p.Height
	if w <= 0 || h <= 0 {
		w, h, _ = rd.PageSize(p.Number)
	}
	if w <= 0 || h <= 0 {
		w, h = float64(img.Width)*72/max(img.DPI, 1), float64(img.Height)*72/max(img.DPI, 1)
	}
	lines := res.Layout(w, h)
	e.opts.Logger.Debug("ocr: page", "page", p.Number, "source", img.Source, "format", img.Format,
		"pixels", fmt.Sprintf("%dx%d", img.Width, img.Height), "dpi", int(img.DPI), "cached", cached,
		"lines", len(lines), "confidence", round1(res.Confidence()), "duration", time.Since(start).Round(time.Millisecond))
	if usableWords(lines) <= usableWords(p.Lines) {
		return false, nil
	}
	p.Lines, p.OCR, p.OCRConfidence = lines, true, round1(res.Confidence())
	if p.Width <= 0 || p.Height <= 0 {
		p.Width, p.Height = w, h
	}
	return true, nil
}

// Recognize reads one page picture, from the cache when it was read before
// (cached tells which). Pictures of low resolution are enlarged first. The
// result's coordinates are those of the picture Tesseract read.
func (e *Engine) Recognize(ctx context.Context, img *render.Image) (res *Result, cached bool, err error) {
	if err := e.probe(ctx); err != nil {
		return nil, false, err
	}
	img = upscale(img)
	key := Key(img.Data, e.opts.Languages, e.version)
	if b, ok, err := e.cache.Get(key); err != nil {
		e.opts.Logger.Warn("ocr: cache unreadable", "error", err)
	} else if ok {
		if res, err := ParseHOCR(bytes.NewReader(b)); err == nil {
			res.clean()
			look(res, img.Data)
			return res, true, nil
		}
	}
	b, err := e.tesseract(ctx, img)
	if err != nil {
		return nil, false, err
	}
	res, err = ParseHOCR(bytes.NewReader(b))
	if err != nil {
		return nil, false, err
	}
	if err := e.cache.Put(key, b); err != nil {
		e.opts.Logger.Warn("ocr: cache not written", "error", err)
	}
	res.clean()
	look(res, img.Data)
	return res, false, nil
}

// minWords is the least number of words a page's text layer needs to be
// taken as the page's text: a scan may carry a page number or a stamp as
// text.
const minWords = 8

// NeedsOCR reports whether a page's text layer is missing or unusable:
// fewer than a few words, or mostly strings that are not words (a font
// without a usable encoding). Such a page is recognised from its scan
// image when it has one; it is rendered for OCR only when it has no words
// at all or unreadable ones.
func NeedsOCR(p layout.Page) bool {
	words, total := countWords(pageText(p))
	return words < minWords || words*2 < total
}

// textless reports whether a page has no word at all, or a text that is
// mostly not words.
func textless(p layout.Page) bool {
	words, total := countWords(pageText(p))
	return words == 0 || words*2 < total
}

func pageText(p layout.Page) string {
	var b strings.Builder
	for _, l := range p.Lines {
		b.WriteString(l.Text())
		b.WriteByte(' ')
	}
	return b.String()
}

func usableWords(lines []layout.Line) int {
	n := 0
	for _, l := range lines {
		w, _ := countWords(l.Text())
		n += w
	}
	return n
}
