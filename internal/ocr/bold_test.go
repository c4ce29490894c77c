package ocr

import (
	"bytes"
	"strings"
	"testing"

	"escale/internal/render"
)

// TestMarkBold measures page 2 of the scan, whose bold a reader sees:
// three grey bold headings, and outcomes that open with a bold phrase.
func TestMarkBold(t *testing.T) {
	doc, err := render.Open(readFile(t, scan))
	if err != nil {
		t.Fatal(err)
	}
	img, err := doc.Embedded(2)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ParseHOCR(bytes.NewReader(readFile(t, "testdata/hambourg-p2.hocr")))
	if err != nil {
		t.Fatal(err)
	}
	res.clean()
	markBold(res, decodeGray(img.Data, res.Width, res.Height))
	var got []string
	for _, l := range res.Lines {
		var bold []string
		for _, w := range l.Words {
			if w.Bold {
				bold = append(bold, w.Text)
			}
		}
		if len(bold) > 0 {
			got = append(got, strings.Join(bold, " "))
		}
	}
	want := []string{
		"Retombées pour Québec",
		"Interface ville-port et économie bleue",
		"Appui de Hambourg au projet de représentation de l’ATVP à Québec.",
		"Concertation entre la ville et le port.",
		"Transition énergétique",
		"Branchement électrique des navires à quai.",
		"Hydrogène vert et réseaux de chaleur.",
		"Gestion des inondations et adaptation",
		"Un modèle de protection contre les crues adapté aux quartiers riverains.",
		"Collaboration en recherche sur l’adaptation côtière.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bold words by line:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMarkBoldUnreadableImage(t *testing.T) {
	res, err := ParseHOCR(bytes.NewReader(readFile(t, "testdata/hambourg-p2.hocr")))
	if err != nil {
		t.Fatal(err)
	}
	look(res, []byte("not an image"))
	for _, l := range res.Lines {
		for _, w := range l.Words {
			if w.Bold {
				t.Fatalf("markBold with no image marked %q bold", w.Text)
			}
		}
	}
}
