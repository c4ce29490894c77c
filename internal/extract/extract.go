// Package extract turns the bytes of one report, as staff saved it, into a
// mission record: it decides the type from the content, reads the file
// (internal/pdftext or internal/textfile), reads its structure
// (internal/structure), then its metadata (internal/meta).
//
// It runs in-process and trusts its readers' own limits; isolation from
// hostile files (time, memory) is internal/worker's job.
package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"unicode"

	"escale/internal/layout"
	"escale/internal/meta"
	"escale/internal/mission"
	"escale/internal/pdftext"
	"escale/internal/structure"
	"escale/internal/textfile"
)

// Options bound and equip one extraction.
type Options struct {
	MaxPages  int // more pages is mission.ErrTooManyPages; 0 = no limit
	Knowledge meta.Knowledge
	Logger    *slog.Logger
	// OCR, when set, recognises the pages of a PDF that have no usable
	// text layer (scans): internal/ocr's Engine. Without it, or when it
	// cannot run, those pages stay empty and a report made only of them is
	// refused with mission.ErrNoText.
	OCR PageRecognizer
}

// PageRecognizer fills in the pages of a PDF that have no usable text
// layer, marking them Page.OCR.
type PageRecognizer interface {
	Document(ctx context.Context, data []byte, doc *layout.Document) error
}

// Extract reads one report. Refusals are mission refusals (ErrEmpty,
// ErrUnsupported, ErrEncrypted, ErrDamaged, ErrNoText, ErrTooManyPages...),
// wrapped with what went wrong.
func Extract(ctx context.Context, data []byte, filename string, opts Options) (*mission.Mission, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if len(data) == 0 {
		return nil, mission.Refuse(mission.ErrEmpty, "extract: %s", filename)
	}
	doc, err := read(ctx, data, opts)
	if err != nil {
		return nil, fmt.Errorf("extract: %s: %w", filename, err)
	}
	var ocrErr error
	if opts.OCR != nil && doc.Format == mission.FormatPDF {
		ocrErr = opts.OCR.Document(ctx, data, doc)
	}
	if err := ctx.Err(); err != nil {
		return nil, mission.Refuse(mission.ErrTimeout, "extract: %s: %v", filename, err)
	}
	r := structure.Parse(doc)
	if !readable(r.Text) {
		if ocrErr != nil {
			return nil, mission.Refuse(mission.ErrNoText, "extract: %s: no text in %d pages (%v)", filename, len(doc.Pages), ocrErr)
		}
		return nil, mission.Refuse(mission.ErrNoText, "extract: %s: no text in %d pages", filename, len(doc.Pages))
	}
	if ocrErr != nil {
		opts.Logger.Debug("ocr could not run on some pages", "filename", filename, "error", ocrErr)
	}
	sum := sha256.Sum256(data)
	m := &mission.Mission{
		Filename:   filename,
		Title:      r.Title,
		Objectives: r.Objectives,
		Outcomes:   r.Outcomes,
		Sections:   r.Sections,
		Text:       r.Text,
		Pages:      r.Pages,
		Warnings:   doc.Warnings,
		Format:     doc.Format,
		SHA256:     hex.EncodeToString(sum[:]),
		Size:       int64(len(data)),
	}
	for _, p := range doc.Pages {
		if p.OCR {
			m.OCR = append(m.OCR, mission.OCRPage{Page: p.Number, Confidence: p.OCRConfidence})
		}
	}
	meta.Fill(m, meta.Source{Headers: r.Headers, Info: doc.Info}, opts.Knowledge)
	m.Normalize()
	opts.Logger.Debug("extracted", "filename", filename, "format", m.Format, "pages", m.Pages,
		"sections", len(m.Sections), "objectives", len(m.Objectives), "outcomes", len(m.Outcomes))
	return m, nil
}

// read decides the type by content: a PDF has its header in the first
// kilobyte (some writers put junk before it); anything else must read as text.
func read(ctx context.Context, data []byte, opts Options) (*layout.Document, error) {
	if bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return pdftext.Read(ctx, data, pdftext.Options{MaxPages: opts.MaxPages, Logger: opts.Logger})
	}
	return textfile.Read(data)
}

// readable reports whether a text holds any word: an image-only scan gives
// none.
func readable(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if letters >= 3 {
				return true
			}
		}
	}
	return false
}
