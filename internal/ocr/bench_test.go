package ocr

import (
	"bytes"
	"context"
	"testing"

	"escale/internal/render"
)

// BenchmarkParseHOCR measures reading a dense page's hOCR and turning it
// into layout lines.
func BenchmarkParseHOCR(b *testing.B) {
	data := readFile(b, "testdata/hambourg-p2.hocr")
	for b.Loop() {
		res, err := ParseHOCR(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		res.clean()
		_ = res.Layout(612, 792)
	}
}

// BenchmarkMarkBold measures the stroke measure over a 150 dpi page.
func BenchmarkMarkBold(b *testing.B) {
	doc, err := render.Open(readFile(b, scan))
	if err != nil {
		b.Fatal(err)
	}
	img, err := doc.Embedded(2)
	if err != nil {
		b.Fatal(err)
	}
	res, err := ParseHOCR(bytes.NewReader(readFile(b, "testdata/hambourg-p2.hocr")))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		markBold(res, decodeGray(img.Data, res.Width, res.Height))
	}
}

// BenchmarkRecognize measures Tesseract on one page of the scan, without
// the cache: the time a page costs the first time it is read.
func BenchmarkRecognize(b *testing.B) {
	e := New(Options{})
	if err := e.Available(context.Background()); err != nil {
		b.Skipf("no OCR here: %v", err)
	}
	doc, err := render.Open(readFile(b, scan))
	if err != nil {
		b.Fatal(err)
	}
	img, err := doc.Embedded(2)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := e.Recognize(context.Background(), img); err != nil {
			b.Fatal(err)
		}
	}
}
