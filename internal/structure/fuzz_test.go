package structure

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"escale/internal/layout"
	"escale/internal/mission"
	"escale/internal/textfile"
)

// checkResult holds what any parse must satisfy, whatever the input.
func checkResult(t *testing.T, r *Result, pages int) {
	t.Helper()
	if !utf8.ValidString(r.Text) {
		t.Fatalf("Text is not valid UTF-8: %q", r.Text)
	}
	if r.Pages != pages {
		t.Fatalf("Pages = %d, want %d", r.Pages, pages)
	}
	if r.Title != nil && !strings.Contains(r.Text, *r.Title) {
		t.Fatalf("Title %q is not in the text", *r.Title)
	}
	for _, s := range r.Sections {
		if !slices.Contains(mission.Kinds, s.Kind) || s.Page < 1 || s.Page > pages {
			t.Fatalf("section %+v has a bad kind or page", s)
		}
	}
	for _, o := range r.Objectives {
		if strings.TrimSpace(o.Text) == "" || o.Page < 1 || o.Page > pages {
			t.Fatalf("objective %+v is empty or has a bad page", o)
		}
	}
	for _, o := range r.Outcomes {
		if strings.TrimSpace(o.Text) == "" || o.Page < 1 || o.Page > pages {
			t.Fatalf("outcome %+v is empty or has a bad page", o)
		}
	}
}

// FuzzParseText parses any text file that textfile accepts.
func FuzzParseText(f *testing.F) {
	f.Add([]byte(textReport))
	f.Add([]byte(markdownReport))
	f.Add([]byte("OBJECTIFS\n\n- a-\nb\n\nRETOMBÉES\n\nCourt terme\n\n• Titre. Texte de la retombée assez long.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := textfile.Read(data)
		if err != nil {
			return
		}
		checkResult(t, Parse(doc), 1)
	})
}

// FuzzParseLayout parses positioned lines as a PDF reader gives them. Each
// input line is one layout line: its first four bytes set the position, the
// size and the style (bold, new page), the rest is the text.
func FuzzParseLayout(f *testing.F) {
	f.Add([]byte("\x10\x08\x10\x01RAPPORT DE MISSION\n\x20\x08\x0d\x01Objectifs\n\x28\x08\x0b\x00\uf0b7 Observer le port et en ti-\n\x2c\x0c\x0b\x00rer des le\xe7ons.\n\x00\x08\x0b\x02Page 2\n"))
	f.Add([]byte("\x05\x08\x0b\x00En-t\xc3\xaate\n\x30\x08\x0b\x01Retomb\xc3\xa9es\n\x34\x08\x0b\x01Titre gras\n\x34\x30\x0b\x00cellule\n\x05\x08\x0b\x02En-t\xc3\xaate\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := &layout.Document{Format: mission.FormatPDF}
		page := layout.Page{Number: 1, Width: 612, Height: 792}
		for _, rec := range bytes.Split(data, []byte("\n")) {
			if len(rec) < 4 {
				continue
			}
			if rec[3]&2 != 0 && len(page.Lines) > 0 {
				doc.Pages = append(doc.Pages, page)
				page = layout.Page{Number: len(doc.Pages) + 1, Width: 612, Height: 792}
			}
			size := float64(rec[2]%40) + 1
			text := string(rec[4:])
			page.Lines = append(page.Lines, layout.Line{
				Spans: []layout.Span{{Text: text, Size: size, Bold: rec[3]&1 != 0}},
				X:     float64(rec[1]) * 2, Y: float64(rec[0]) * 3.1, W: float64(len(text)) * size / 2, H: size,
			})
		}
		doc.Pages = append(doc.Pages, page)
		checkResult(t, Parse(doc), len(doc.Pages))
	})
}
