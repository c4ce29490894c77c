package pdftext

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"escale/internal/mission"
)

// FuzzRead feeds arbitrary bytes to Read: it must never panic, and must
// return either a document with sane lines or a refusal. Seeds: the
// committed corpus in testdata/fuzz/FuzzRead (the hard corpus, cut when
// large, and two visible reports) and the synthetic PDFs below.
func FuzzRead(f *testing.F) {
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Fm1 7 0 R >> >>", "/Fm1 Do")
	f.Add(onePage("BT /F1 12 Tf 72 700 Td [(mot)-250(s\\351par\\351)] TJ ET q 1 0 0 1 5 5 cm /Fm1 Do Q", form))
	f.Add(onePage("Q Q q 0 Tr BI /W 1 /H 1 ID \x00 EI BT /F1 12 Tf 3 0 0 3 0 0 Tm (x) ' ET", form))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{MaxPages: 50, MaxStreamBytes: 1 << 20, MaxDocumentBytes: 8 << 20}
		doc, err := Read(context.Background(), data, opts)
		if err != nil {
			if _, ok := mission.RefusalOf(err); !ok {
				t.Fatalf("Read() error = %v, want a refusal", err)
			}
			return
		}
		if doc == nil || len(doc.Pages) == 0 || len(doc.Pages) > opts.MaxPages {
			t.Fatalf("Read() = %v pages without error, want 1 to %d", doc, opts.MaxPages)
		}
		for i, p := range doc.Pages {
			if p.Number != i+1 {
				t.Fatalf("page %d numbered %d", i+1, p.Number)
			}
			for _, l := range p.Lines {
				for _, v := range []float64{l.X, l.Y, l.W, l.H} {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("page %d line %q has box %g %g %g %g", p.Number, l.Text(), l.X, l.Y, l.W, l.H)
					}
				}
				if !utf8.ValidString(l.Text()) || strings.ContainsRune(l.Text(), utf8.RuneError) {
					t.Fatalf("page %d line %q is not clean UTF-8", p.Number, l.Text())
				}
			}
		}
	})
}

// benchFiles are the visible corpus's PDFs with a text layer.
func benchFiles(b *testing.B) []string {
	paths, err := filepath.Glob(filepath.Join(visibleDir, "files", "*.pdf"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no PDFs in %s: %v", visibleDir, err)
	}
	var out []string
	for _, p := range paths {
		if filepath.Base(p) != scanOnly {
			out = append(out, p)
		}
	}
	return out
}

// BenchmarkRead reads the visible corpus and reports the time per page.
// With PDFTEXT_PDFTOTEXT=1 and poppler's pdftotext installed, it also
// times pdftotext on the same files and reports the ratio.
func BenchmarkRead(b *testing.B) {
	paths := benchFiles(b)
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	pages := 0
	b.ResetTimer()
	for b.Loop() {
		for _, data := range files {
			doc, err := Read(context.Background(), data, Options{})
			if err != nil {
				b.Fatal(err)
			}
			pages += len(doc.Pages)
		}
	}
	perPage := float64(b.Elapsed().Nanoseconds()) / float64(pages)
	b.ReportMetric(perPage/1e6, "ms/page")
	b.ReportMetric(0, "ns/op")
	if os.Getenv("PDFTEXT_PDFTOTEXT") == "" {
		return
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		b.Logf("pdftotext not installed: no comparison")
		return
	}
	counts := make([]int, len(files))
	for i, data := range files {
		doc, err := Read(context.Background(), data, Options{})
		if err != nil {
			b.Fatal(err)
		}
		counts[i] = len(doc.Pages)
	}
	const rounds = 5
	popplerPages := 0
	start := time.Now()
	for range rounds {
		for i, p := range paths {
			if err := exec.Command(bin, p, os.DevNull).Run(); err != nil {
				b.Fatalf("pdftotext %s: %v", p, err)
			}
			popplerPages += counts[i]
		}
	}
	poppler := float64(time.Since(start).Nanoseconds()) / float64(popplerPages)
	b.ReportMetric(poppler/1e6, "pdftotext-ms/page")
	b.ReportMetric(perPage/poppler, "ratio")
}
