package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtract extracts every readable report of the visible corpus
// and reports the time per page, to compare with the reader alone
// (internal/pdftext's BenchmarkRead) and with pdftotext (about 2 ms a page).
func BenchmarkExtract(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(visible, "files", "*"))
	var datas [][]byte
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Extract(context.Background(), data, f, Options{}); err != nil {
			continue // the scan
		}
		datas, names = append(datas, data), append(names, filepath.Base(f))
	}
	pages := 0
	b.ResetTimer()
	for b.Loop() {
		for i, data := range datas {
			m, err := Extract(context.Background(), data, names[i], Options{})
			if err != nil {
				b.Fatal(err)
			}
			pages += m.Pages
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(max(pages, 1)), "ms/page")
}
