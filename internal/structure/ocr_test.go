package structure

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"escale/internal/layout"
	"escale/internal/mission"
	"escale/internal/ocr"
)

// ocrDoc builds a scanned PDF's document from the hOCR Tesseract gave for
// its pages (testdata/ocr: pages of born-digital reports of the corpora
// printed to images at 150 dpi), laid out by internal/ocr as the extraction
// does.
func ocrDoc(t *testing.T, files ...string) *layout.Document {
	t.Helper()
	doc := &layout.Document{Format: mission.FormatPDF}
	for i, name := range files {
		f, err := os.Open(filepath.Join("testdata", "ocr", name))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ocr.ParseHOCR(zr)
		f.Close()
		if err != nil {
			t.Fatalf("ParseHOCR(%s): %v", name, err)
		}
		doc.Pages = append(doc.Pages, layout.Page{Number: i + 1, Width: 612, Height: 792, OCR: true, Lines: res.Layout(612, 792)})
	}
	return doc
}

// TestParseOCRPages reads the structure of recognised pages, where sizes
// come from line heights (snapped to the body's) and bold from pixels is
// unreliable: a heading is split from the text below it by its size, and
// headings are ranked by levels of measured size.
func TestParseOCRPages(t *testing.T) {
	tests := []struct {
		name       string
		pages      []string
		headings   []string // the sections' headings
		categories []string // each outcome's category
	}{
		// Two columns; « Faits saillants » (14 pt) directly above its first
		// category (13 pt), measured 13.2 and 12.9; « Retombées techniques »
		// 12.9 right above a body line of 11.0.
		{"categories under a section heading", []string{"yokohama-p2.hocr.gz"},
			[]string{"Faits saillants"},
			[]string{"Retombées institutionnelles", "Retombées institutionnelles", "Retombées techniques", "Retombées techniques",
				"Retombées techniques", "Retombées économiques", "Retombées économiques"}},
		// Headings set at 22 pt measured 21.1 to 25.0, categories at 16.5
		// measured 17.9 to 19.2: « Suivis » is a section, not a category.
		{"levels of noisy sizes", []string{"boston2022-p2.hocr.gz", "boston2022-p3.hocr.gz"},
			[]string{"Programme", "Principales retombées", "Suivis"},
			[]string{"Québec RAYONNE", "Québec RAYONNE", "Québec APPREND", "Québec APPREND", "Québec APPREND",
				"Québec ATTIRE", "Québec ATTIRE", "Québec ATTIRE"}},
		// Capitals with accents look taller (« RÉSULTATS OBTENUS » 14.3,
		// « SUIVIS » 11.7, both set at 12 pt): their size is left out.
		{"headings in capitals", []string{"metropolis-p2.hocr.gz", "metropolis-p3.hocr.gz"},
			[]string{"RÉSULTATS OBTENUS", "SUIVIS"},
			[]string{"Retombées institutionnelles", "Retombées institutionnelles", "Retombées techniques", "Retombées techniques",
				"Retombées économiques"}},
		// Section headings set at 13 pt measured 13.7 and 14.3.
		{"one level, two sizes", []string{"liege-p2.hocr.gz"},
			[]string{"Retombées", "Suivis"},
			[]string{"", "", "", "", "", "", ""}},
		// A body line measured 9.9 against a body of 11.6 stays in its
		// outcome. (Bullets found on the page image are not in hOCR: the
		// outcomes under a category run together here.)
		{"a body line measured small", []string{"valparaiso-p2.hocr.gz"},
			[]string{"Retombées pour la Ville", "Suites à donner"},
			[]string{"Retombées culturelles", "Retombées institutionnelles", "Retombées économiques"}},
	}
	for _, tt := range tests {
		r := Parse(ocrDoc(t, tt.pages...))
		var heads, cats []string
		for _, s := range r.Sections {
			if s.Kind == mission.KindOutcomes || s.Kind == mission.KindFollowup || s.Kind == mission.KindProgram {
				heads = append(heads, s.Heading)
			}
		}
		for _, o := range r.Outcomes {
			cats = append(cats, str(o.Category))
		}
		if !slices.Equal(heads, tt.headings) {
			t.Errorf("%s: Parse(%q) sections = %q, want %q", tt.name, tt.pages, heads, tt.headings)
		}
		want := slices.Clone(tt.categories)
		for i := range want {
			if want[i] == "" {
				want[i] = "<nil>"
			}
		}
		if !slices.Equal(cats, want) {
			t.Errorf("%s: Parse(%q) outcome categories = %q, want %q", tt.name, tt.pages, cats, want)
		}
	}
	r := Parse(ocrDoc(t, "valparaiso-p2.hocr.gz"))
	if len(r.Outcomes) < 2 || !strings.Contains(r.Outcomes[1].Text, "Cuenca, Arequipa et Puebla") {
		t.Errorf("Parse(valparaiso-p2) split an outcome at a line measured small: %+v", r.Outcomes)
	}
}
