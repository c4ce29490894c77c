package ocr

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"escale/internal/extract"
	"escale/internal/gazetteer"
	"escale/internal/layout"
	"escale/internal/meta"
	"escale/internal/mission"
	"escale/internal/pdftext"
	"escale/internal/render"
	"escale/internal/score"
	"escale/internal/taxonomy"
)

// TestUnavailable checks the refusal path: with no Tesseract, or one
// without French, a scan is refused as having no text, as before OCR.
func TestUnavailable(t *testing.T) {
	noFrench, _ := fakeTesseract(t, []string{"eng", "osd"}, "testdata/hambourg-p3.hocr")
	data := readFile(t, scan)
	for name, program := range map[string]string{
		"missing program": "/nonexistent/bin/tesseract",
		"no French data":  noFrench,
		"OCR turned off":  "-",
	} {
		t.Run(name, func(t *testing.T) {
			e := New(Options{Tesseract: program})
			if err := e.Available(context.Background()); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Available() = %v, want ErrUnavailable", err)
			}
			m, err := extract.Extract(context.Background(), data, "scan.pdf", extract.Options{OCR: e})
			if !errors.Is(err, mission.ErrNoText) {
				t.Fatalf("Extract(scan) = %v, %v; want the no_text refusal", m, err)
			}
			if !strings.Contains(err.Error(), "ocr: unavailable") {
				t.Errorf("Extract(scan) error %q does not say OCR is unavailable", err)
			}
		})
	}
}

// TestDocumentFake runs the whole page loop with a stand-in tesseract.
func TestDocumentFake(t *testing.T) {
	program, runs := fakeTesseract(t, []string{"fra"}, "testdata/hambourg-p3.hocr")
	data := readFile(t, scan)
	ctx := context.Background()
	doc, err := pdftext.Read(ctx, data, pdftext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := New(Options{Tesseract: program}).Document(ctx, data, doc); err != nil {
		t.Fatalf("Document(scan): %v", err)
	}
	for _, p := range doc.Pages {
		if !p.OCR || p.OCRConfidence < 80 || len(p.Lines) != 9 {
			t.Errorf("page %d: OCR %v, confidence %.1f, %d lines; want recognised, 9 lines", p.Number, p.OCR, p.OCRConfidence, len(p.Lines))
		}
	}
	if n := countRuns(t, runs); n != 3 {
		t.Errorf("tesseract ran %d times over 3 pages, want 3", n)
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[len(doc.Warnings)-1], "OCR") {
		t.Errorf("warnings %q do not say the text was recognised", doc.Warnings)
	}

	// A born-digital report needs no OCR: tesseract never runs.
	born := readFile(t, "../../testdata/corpus/visible/files/2017-05_rapport_boston.pdf")
	doc, err = pdftext.Read(ctx, born, pdftext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := textOf(doc)
	if err := New(Options{Tesseract: program}).Document(ctx, born, doc); err != nil {
		t.Fatalf("Document(born-digital): %v", err)
	}
	if n := countRuns(t, runs); n != 3 || textOf(doc) != before {
		t.Errorf("Document(born-digital) ran tesseract (%d runs in all) or changed the text", n)
	}

	// A born-digital page with a few words, a cover, is not rendered for
	// OCR; one with none is, when pdftoppm is there to render it.
	doc.Pages = doc.Pages[:2]
	doc.Pages[0].Lines = doc.Pages[0].Lines[:1]
	doc.Pages[1].Lines = nil
	noRenderer := New(Options{Tesseract: program, Render: render.New(render.Options{Pdftoppm: "-"})})
	if err := noRenderer.Document(ctx, born, doc); err != nil {
		t.Fatalf("Document(cover and empty page): %v", err)
	}
	if n := countRuns(t, runs); n != 3 {
		t.Errorf("Document(cover and empty page, no renderer) ran tesseract %d more times, want none", n-3)
	}
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		if err := New(Options{Tesseract: program}).Document(ctx, born, doc); err != nil {
			t.Fatalf("Document(cover and empty page): %v", err)
		}
		if n := countRuns(t, runs); n != 4 || doc.Pages[0].OCR || !doc.Pages[1].OCR {
			t.Errorf("Document(cover and empty page) ran tesseract %d more times, OCR on the cover %v, on the empty page %v; want once, on the empty page",
				n-3, doc.Pages[0].OCR, doc.Pages[1].OCR)
		}
	}
}

func textOf(doc *layout.Document) string {
	var b strings.Builder
	for _, p := range doc.Pages {
		for _, l := range p.Lines {
			b.WriteString(l.Text())
		}
	}
	return b.String()
}

// TestScan reads the scanned report with the real Tesseract, as the
// extraction does, and holds it to the acceptance figures.
func TestScan(t *testing.T) {
	e := New(Options{CacheDir: t.TempDir()})
	if err := e.Available(context.Background()); err != nil {
		t.Skipf("OCR test skipped: %v. Install it with apt-get install tesseract-ocr tesseract-ocr-fra (make test does when run as root).", err)
	}
	if testing.Short() {
		t.Skip("OCR of 3 pages takes seconds: skipped with -short")
	}
	truths, err := score.LoadTruth("../../testdata/corpus/visible")
	if err != nil {
		t.Fatal(err)
	}
	var truth *score.Truth
	for i := range truths {
		if truths[i].Format == "scan-pdf" {
			truth = &truths[i]
		}
	}
	if truth == nil {
		t.Fatal("no scan in the visible corpus truth")
	}
	k := meta.Knowledge{Taxonomy: taxonomy.Default(), Gazetteer: gazetteer.Default()}
	m, err := extract.Extract(context.Background(), readFile(t, "../../testdata/corpus/visible/files/"+truth.File), truth.File,
		extract.Options{OCR: e, Knowledge: k})
	if err != nil {
		t.Fatalf("Extract(%s): %v", truth.File, err)
	}
	d := score.Compare(*truth, m)
	if d.TextF1 < 0.97 {
		t.Errorf("Extract(%s) text F1 = %.3f, want ≥ 0.97", truth.File, d.TextF1)
	}
	if d.Objectives.TP != len(truth.Objectives) || d.Objectives.Pred != len(truth.Objectives) {
		t.Errorf("Extract(%s) objectives = %+v, want all %d and no more", truth.File, d.Objectives, len(truth.Objectives))
	}
	if d.Outcomes.TP != len(truth.Outcomes) || d.Outcomes.Pred != len(truth.Outcomes) {
		t.Errorf("Extract(%s) outcomes = %+v, want all %d and no more", truth.File, d.Outcomes, len(truth.Outcomes))
	}
	if len(m.OCR) != m.Pages {
		t.Errorf("Extract(%s).OCR = %+v, want all %d pages listed", truth.File, m.OCR, m.Pages)
	}
	for _, p := range m.OCR {
		if p.Confidence < 50 || p.Confidence > 100 {
			t.Errorf("Extract(%s) page %d confidence %.1f, want a figure between 50 and 100", truth.File, p.Page, p.Confidence)
		}
	}
	t.Logf("text F1 %.3f, order F1 %.3f, OCR pages %+v", d.TextF1, d.OrderF1, m.OCR)
}
