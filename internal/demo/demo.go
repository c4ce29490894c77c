// Package demo holds sample mission reports embedded in the binary, so that
// `escale serve --demo` lets a newcomer search at once. They are copies of
// the visible test corpus (testdata/corpus/visible/files), less the scanned
// report that needs OCR.
package demo

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed reports
var reports embed.FS

// Report is one sample report.
type Report struct {
	Name string
	Data []byte
}

// Reports returns the sample reports, sorted by name.
func Reports() []Report {
	entries, err := fs.ReadDir(reports, "reports")
	if err != nil {
		return nil // the directory is embedded: it cannot be missing
	}
	var out []Report
	for _, e := range entries {
		data, err := reports.ReadFile("reports/" + e.Name())
		if err != nil || e.IsDir() {
			continue
		}
		out = append(out, Report{Name: e.Name(), Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
