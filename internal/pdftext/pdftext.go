// Package pdftext reads the text of a PDF as positioned, styled lines in
// reading order. It uses github.com/ledongthuc/pdf for the file's objects
// and interprets content streams itself: a real graphics state, glyph
// widths from the fonts, Form XObjects, fonts cached per object. It repairs
// what viewers tolerate (PDF 2.0 headers, bytes after %%EOF, broken xref
// tables) and decrypts files that open without a password. Every limit of
// time and memory it can enforce on its own, it enforces: decompressed
// bytes, operators, glyphs, nesting.
package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"regexp"
	"strings"

	"github.com/ledongthuc/pdf"

	"escale/internal/layout"
	"escale/internal/mission"
)

// Options bound a read.
type Options struct {
	MaxPages int // more pages than this is mission.ErrTooManyPages; 0 = no limit
	// MaxStreamBytes caps the decompressed size of one content stream, and
	// MaxDocumentBytes that of all streams of the document together; 0 means
	// the defaults (16 MiB and 256 MiB). Past them text is cut short with a
	// warning: a decompression bomb costs at most this much.
	MaxStreamBytes   int64
	MaxDocumentBytes int64
	Logger           *slog.Logger
}

const (
	defaultMaxStream   = 16 << 20
	defaultMaxDocument = 256 << 20
	maxTreeDepth       = 64
	maxTreeNodes       = 1 << 20
)

// Read parses a PDF and returns its pages as positioned, styled lines in
// reading order. A PDF that needs a password is mission.ErrEncrypted, one
// that cannot be read mission.ErrDamaged, one with more than opts.MaxPages
// pages mission.ErrTooManyPages. Pages without text come back empty: the
// caller decides what a document without text means.
func Read(ctx context.Context, data []byte, opts Options) (*layout.Document, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxStreamBytes <= 0 {
		opts.MaxStreamBytes = defaultMaxStream
	}
	if opts.MaxDocumentBytes <= 0 {
		opts.MaxDocumentBytes = defaultMaxDocument
	}
	start := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-"))
	if start < 0 {
		return nil, mission.Refuse(mission.ErrDamaged, "pdf: no %%PDF header")
	}
	doc, failures, err := readOnce(ctx, data, opts, false)
	if err == nil && failures == 0 {
		return doc, nil
	}
	if errors.Is(err, mission.ErrTooManyPages) || errors.Is(err, mission.ErrEncrypted) || ctx.Err() != nil {
		return nil, err
	}
	// The library could not open the file, or failed on some of its
	// objects: read it again from a rebuilt copy.
	opts.Logger.Debug("pdf: rebuilding", "error", err, "failures", failures)
	doc2, failures2, err2 := readOnce(ctx, data, opts, true)
	switch {
	case err2 == nil && (err != nil || failures2 < failures || textLen(doc2) > textLen(doc)):
		doc2.Warnings = append([]string{"La structure du PDF était endommagée : elle a été reconstruite."}, doc2.Warnings...)
		return doc2, nil
	case err == nil:
		return doc, nil
	}
	if refusal, ok := mission.RefusalOf(err2); ok && refusal != mission.ErrDamaged {
		return nil, err2
	}
	return nil, err
}

func textLen(d *layout.Document) int {
	n := 0
	if d == nil {
		return 0
	}
	for _, p := range d.Pages {
		for _, l := range p.Lines {
			for _, s := range l.Spans {
				n += len(s.Text)
			}
		}
	}
	return n
}

// reader holds what one read shares across pages.
type reader struct {
	pdf    *pdf.Reader
	opts   Options
	budget int64 // decompressed bytes left for the document
	fonts  map[string]*font
	// fontsByName are the fonts found by name in resources (walker.font).
	fontsByName map[string]*font
	forms       map[string][]byte
	warnings    []string
	warned      map[string]bool
	failures    int // library failures on objects
	fallback    *font
	spare       pageBuffers // left by the page read last, for the next
}

// pageBuffers are a page's glyphs and their index, reused from page to page:
// nothing read from a page keeps them.
type pageBuffers struct {
	glyphs []glyph
	drawn  map[uint64]int
}

// readOnce reads data, as it is or from a rebuilt copy. failures counts
// library failures on objects (pages or streams that could not be read).
func readOnce(ctx context.Context, data []byte, opts Options, rebuild bool) (*layout.Document, int, error) {
	src := data
	var warns []string
	if rebuild || needsRewrite(data) {
		fixed, w, err := rewrite(data)
		if err != nil {
			return nil, 0, err
		}
		src, warns = fixed, w
	}
	pr, err := openPDF(src)
	if err != nil {
		return nil, 0, err
	}
	rd := &reader{
		pdf: pr, opts: opts, budget: opts.MaxDocumentBytes,
		fonts: map[string]*font{}, fontsByName: map[string]*font{}, forms: map[string][]byte{}, warned: map[string]bool{},
	}
	for _, w := range warns {
		rd.warn(w)
	}
	doc, err := rd.read(ctx)
	return doc, rd.failures, err
}

// needsRewrite tells files the library should not read as they are:
// encrypted files (it lacks AES-256 and leaves AES padding in strings),
// headers it rejects (PDF 2.0, junk before %PDF), and files with xref or
// object streams, whose counts it trusts (an /N of two billion loops for
// minutes; a large /Size or /Columns allocates gigabytes). The rebuilt copy
// has neither, and reads faster: the library re-reads a whole object stream
// for each object in it.
func needsRewrite(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) || len(data) < 9 || data[7] < '0' || data[7] > '7' {
		return true
	}
	return bytes.Contains(data, []byte("/ObjStm")) || bytes.Contains(data, []byte("/XRef")) ||
		encryptRef.Match(tail(data))
}

var encryptRef = regexp.MustCompile(`/Encrypt\s*(\d+\s+\d+\s+R|<<)`)

// tail returns the end of the file, where trailers are; an xref stream's
// dictionary may sit anywhere, so small files are searched whole.
func tail(data []byte) []byte {
	if len(data) < 1<<20 {
		return data
	}
	return data[len(data)-64<<10:]
}

func openPDF(data []byte) (r *pdf.Reader, err error) {
	defer func() {
		if x := recover(); x != nil {
			r, err = nil, mission.Refuse(mission.ErrDamaged, "pdf: open: %v", x)
		}
	}()
	r, err = pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) {
			return nil, mission.Refuse(mission.ErrEncrypted, "pdf: open: %v", err)
		}
		return nil, mission.Refuse(mission.ErrDamaged, "pdf: open: %v", err)
	}
	return r, nil
}

func (rd *reader) warn(msg string) {
	if !rd.warned[msg] {
		rd.warned[msg] = true
		rd.warnings = append(rd.warnings, msg)
	}
}

// pageRef is a page found in the page tree, with its inherited attributes.
type pageRef struct {
	v         pdf.Value
	resources pdf.Value
	box       [4]float64
	rotate    int
}

func (rd *reader) read(ctx context.Context) (doc *layout.Document, err error) {
	defer func() {
		if x := recover(); x != nil {
			doc, err = nil, mission.Refuse(mission.ErrDamaged, "pdf: %v", x)
		}
	}()
	root := rd.pdf.Trailer().Key("Root")
	if root.Kind() != pdf.Dict {
		return nil, mission.Refuse(mission.ErrDamaged, "pdf: no document catalog")
	}
	pages, err := rd.pageTree(root.Key("Pages"))
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, mission.Refuse(mission.ErrDamaged, "pdf: no pages")
	}
	doc = &layout.Document{Format: mission.FormatPDF, Info: rd.info()}
	for i, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		doc.Pages = append(doc.Pages, rd.page(i+1, p))
	}
	doc.Warnings = rd.warnings
	return doc, nil
}

// pageTree walks the page tree itself, with a visited set and a depth
// limit: the library follows cycles forever and believes /Count.
func (rd *reader) pageTree(node pdf.Value) ([]pageRef, error) {
	var out []pageRef
	seen := map[string]bool{}
	nodes := 0
	var walk func(n pdf.Value, inh pageRef, depth int) error
	walk = func(n pdf.Value, inh pageRef, depth int) error {
		if n.Kind() != pdf.Dict {
			return nil
		}
		nodes++
		if depth > maxTreeDepth || nodes > maxTreeNodes {
			rd.warn("L’arbre des pages est anormalement profond : des pages ont pu être ignorées.")
			return nil
		}
		key := n.String()
		if seen[key] {
			rd.warn("L’arbre des pages contient une boucle : elle a été ignorée.")
			return nil
		}
		seen[key] = true
		if r := n.Key("Resources"); r.Kind() == pdf.Dict {
			inh.resources = r
		}
		if b, ok := rect(n.Key("MediaBox")); ok {
			inh.box = b
		}
		if b, ok := rect(n.Key("CropBox")); ok {
			inh.box = b
		}
		if r := n.Key("Rotate"); r.Kind() == pdf.Integer {
			inh.rotate = int(((r.Int64() % 360) + 360) % 360)
		}
		kids := n.Key("Kids")
		if n.Key("Type").Name() == "Page" || kids.Kind() != pdf.Array {
			inh.v = n
			out = append(out, inh)
			if rd.opts.MaxPages > 0 && len(out) > rd.opts.MaxPages {
				return mission.Refuse(mission.ErrTooManyPages, "pdf: more than %d pages", rd.opts.MaxPages)
			}
			return nil
		}
		for i := 0; i < kids.Len(); i++ {
			if err := walk(kids.Index(i), inh, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	err := walk(node, pageRef{box: [4]float64{0, 0, 612, 792}}, 0)
	return out, err
}

func rect(v pdf.Value) ([4]float64, bool) {
	var r [4]float64
	if v.Kind() != pdf.Array || v.Len() != 4 {
		return r, false
	}
	for i := range r {
		r[i] = v.Index(i).Float64()
		if math.IsNaN(r[i]) || math.Abs(r[i]) > 1e6 {
			return r, false
		}
	}
	x0, x1 := math.Min(r[0], r[2]), math.Max(r[0], r[2])
	y0, y1 := math.Min(r[1], r[3]), math.Max(r[1], r[3])
	if x1-x0 < 1 || y1-y0 < 1 {
		return r, false
	}
	return [4]float64{x0, y0, x1, y1}, true
}

// page reads one page. A failure inside it costs the page's text, not the
// document.
func (rd *reader) page(n int, p pageRef) (out layout.Page) {
	x0, y0, x1, y1 := p.box[0], p.box[1], p.box[2], p.box[3]
	w, h := x1-x0, y1-y0
	// display maps user space to the page as shown: rotated, y down.
	var display matrix
	switch p.rotate {
	case 90:
		display = matrix{0, 1, 1, 0, -y0, -x0}
		w, h = h, w
	case 180:
		display = matrix{-1, 0, 0, 1, x1, -y0}
	case 270:
		display = matrix{0, -1, -1, 0, y1, x1}
		w, h = h, w
	default:
		display = matrix{1, 0, 0, -1, -x0, y1}
	}
	out = layout.Page{Number: n, Width: round2(w), Height: round2(h)}
	wk := &walker{rd: rd, display: display, gs: gstate{ctm: identity, hscale: 1}, tm: identity, tlm: identity,
		glyphs: rd.spare.glyphs[:0], drawn: rd.spare.drawn}
	defer func() {
		if x := recover(); x != nil {
			rd.failures++
			rd.warn(fmt.Sprintf("La page %d n’a pas pu être lue entièrement.", n))
			rd.opts.Logger.Warn("pdf: page failed", "page", n, "panic", fmt.Sprint(x))
			out.Lines = buildLines(wk.glyphs)
		}
		clear(wk.drawn)
		rd.spare = pageBuffers{glyphs: wk.glyphs[:0], drawn: wk.drawn}
	}()
	content := rd.contents(p.v.Key("Contents"), n)
	wk.run(content, p.resources)
	out.Lines = buildLines(wk.glyphs)
	return out
}

// contents returns a page's content, its streams joined.
func (rd *reader) contents(v pdf.Value, page int) []byte {
	switch v.Kind() {
	case pdf.Stream:
		data, err := rd.stream(v, rd.opts.MaxStreamBytes)
		if err != nil {
			rd.failures++
			rd.warn(fmt.Sprintf("Le contenu de la page %d est endommagé : une partie du texte peut manquer.", page))
		}
		return data
	case pdf.Array:
		var all []byte
		for i := 0; i < v.Len() && i < 10000; i++ {
			all = append(all, rd.contents(v.Index(i), page)...)
			all = append(all, '\n')
		}
		return all
	}
	return nil
}

// stream decompresses a stream, at most limit bytes and what is left of
// the document's budget. On a decoding error it returns what it read.
func (rd *reader) stream(v pdf.Value, limit int64) (data []byte, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("pdf: stream: %v", x)
		}
	}()
	limit = min(limit, rd.budget)
	var buf bytes.Buffer
	rc := v.Reader()
	defer rc.Close()
	n, err := io.Copy(&buf, io.LimitReader(rc, limit+1))
	if n > limit {
		rd.warn("Un flux du PDF dépasse la taille permise une fois décompressé : il a été tronqué.")
		buf.Truncate(int(limit))
		err = nil
	}
	rd.budget -= int64(buf.Len())
	if err != nil && buf.Len() > 0 {
		// A wrong /Length or a truncated stream: keep what was read.
		err = nil
	}
	return buf.Bytes(), err
}

// font returns the parsed font for a font dictionary, parsed once per
// object: the dictionary's text, references included, is its identity.
func (rd *reader) font(v pdf.Value) *font {
	key := v.String()
	if f, ok := rd.fonts[key]; ok {
		return f
	}
	f := newFont(v, rd)
	rd.fonts[key] = f
	return f
}

// defaultFont stands in when text is shown before any font is set.
func (rd *reader) defaultFont() *font {
	if rd.fallback == nil {
		w, first := standardWidths("Helvetica")
		rd.fallback = &font{name: "Helvetica", scale: 0.001, widths: w, first: first, text: map[uint32]string{}}
	}
	return rd.fallback
}

// formContent returns a form XObject's decompressed content, read once.
func (rd *reader) formContent(x pdf.Value, key string) ([]byte, error) {
	if data, ok := rd.forms[key]; ok {
		return data, nil
	}
	data, err := rd.stream(x, rd.opts.MaxStreamBytes)
	if err != nil {
		rd.failures++
		rd.warn("Un élément graphique du PDF est endommagé : une partie du texte peut manquer.")
		return nil, err
	}
	rd.forms[key] = data
	return data, nil
}

// info reads the Info dictionary.
func (rd *reader) info() (in layout.Info) {
	defer func() {
		if recover() != nil {
			in = layout.Info{}
		}
	}()
	d := rd.pdf.Trailer().Key("Info")
	if d.Kind() != pdf.Dict {
		return in
	}
	in.Title = infoText(d.Key("Title"))
	in.Author = infoText(d.Key("Author"))
	in.Producer = infoText(d.Key("Producer"))
	in.Created = pdfDate(d.Key("CreationDate").Text())
	return in
}

func infoText(v pdf.Value) string {
	return strings.TrimSpace(cleanText(v.Text()))
}

var pdfDateRe = regexp.MustCompile(`^(?:D:)?(\d{4})(\d{2})?(\d{2})?`)

// pdfDate turns "D:20190415..." into "2019-04-15", "" when unreadable.
func pdfDate(s string) string {
	m := pdfDateRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[2] == "" || m[3] == "" {
		return ""
	}
	if m[2] < "01" || m[2] > "12" || m[3] < "01" || m[3] > "31" {
		return ""
	}
	return m[1] + "-" + m[2] + "-" + m[3]
}
