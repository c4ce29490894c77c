package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"slices"
	"strings"
	"testing"
)

const scan = "../../testdata/corpus/visible/files/RM-2025-031_Hambourg.pdf"
const bornDigital = "../../testdata/corpus/visible/files/2017-05_rapport_boston.pdf"

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEmbeddedScan(t *testing.T) {
	data := readFile(t, scan)
	doc, err := Open(data)
	if err != nil {
		t.Fatalf("Open(%s): %v", scan, err)
	}
	if doc.NumPages() != 3 {
		t.Fatalf("Open(%s).NumPages() = %d, want 3", scan, doc.NumPages())
	}
	for n := 1; n <= 3; n++ {
		img, err := doc.Embedded(n)
		if err != nil {
			t.Fatalf("Embedded(%d): %v", n, err)
		}
		// A JPEG shown upright goes as stored: its bytes, untouched.
		if img.Format != "jpeg" || img.Width != 1275 || img.Height != 1650 || int(img.DPI+0.5) != 150 ||
			img.Source != SourceEmbedded || !bytes.HasPrefix(img.Data, []byte{0xFF, 0xD8}) || !bytes.Contains(data, img.Data) {
			t.Errorf("Embedded(%d) = %s %d×%d %.1f dpi from %s, want the stored 1275×1650 JPEG at 150 dpi", n, img.Format, img.Width, img.Height, img.DPI, img.Source)
		}
	}
	if _, err := doc.Embedded(4); err == nil {
		t.Errorf("Embedded(4) of a 3-page scan: no error")
	}
}

func TestEmbeddedBornDigital(t *testing.T) {
	doc, err := Open(readFile(t, bornDigital))
	if err != nil {
		t.Fatal(err)
	}
	if img, err := doc.Embedded(1); err == nil {
		t.Errorf("Embedded(1) of a born-digital page = %s %d×%d, want an error", img.Format, img.Width, img.Height)
	}
	r := New(Options{Pdftoppm: "-"})
	if _, err := r.PageImage(context.Background(), doc, 1); !errors.Is(err, ErrNoImage) {
		t.Errorf("PageImage without pdftoppm on a born-digital page: err = %v, want ErrNoImage", err)
	}
}

// TestEmbeddedTurns draws the same image with every way a scanner or a
// page rotation turns it, and checks the image comes out as shown.
func TestEmbeddedTurns(t *testing.T) {
	tests := []struct {
		name, cm, extra string
		w, h            int
		want            []uint8
	}{
		{"upright", "612 0 0 792 0 0", "", 4, 2, []uint8{0, 100, 100, 100, 200, 200, 200, 200}},
		{"flipped", "612 0 0 -792 0 792", "", 4, 2, []uint8{200, 200, 200, 200, 0, 100, 100, 100}},
		{"mirrored", "-612 0 0 792 612 0", "", 4, 2, []uint8{100, 100, 100, 0, 200, 200, 200, 200}},
		{"quarter turn left", "0 792 -612 0 612 0", "", 2, 4, []uint8{100, 200, 100, 200, 100, 200, 0, 200}},
		{"page rotated", "612 0 0 792 0 0", "/Rotate 90", 2, 4, []uint8{200, 0, 200, 100, 200, 100, 200, 100}},
		{"half turn", "-612 0 0 -792 612 792", "", 4, 2, []uint8{200, 200, 200, 200, 100, 100, 100, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b builder
			im := b.grayImage("")
			p := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), "q "+tt.cm+" cm /Im Do Q", tt.extra)
			doc, err := Open(b.pdf(p))
			if err != nil {
				t.Fatal(err)
			}
			img, err := doc.Embedded(1)
			if err != nil {
				t.Fatalf("Embedded(1): %v", err)
			}
			w, h, pix := decodePNG(t, img.Data)
			if w != tt.w || h != tt.h || !slices.Equal(pix, tt.want) {
				t.Errorf("Embedded(1) = %d×%d %v, want %d×%d %v", w, h, pix, tt.w, tt.h, tt.want)
			}
		})
	}
}

// TestEmbeddedEncodings covers the sample encodings scans use.
func TestEmbeddedEncodings(t *testing.T) {
	// PNG predictors: row filters Up (2) and Paeth (4) over quadrants.
	predicted := []byte{2, 0, 100, 100, 100, 4, 200, 0, 0, 0}
	mask := []byte{0x50, 0xA0} // 4 × 2 bits: 0101, 1010
	tests := []struct {
		name string
		dict string
		data []byte
		want []uint8
	}{
		{"png predictors", "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 /Colors 1 /BitsPerComponent 8 >>",
			deflate(predicted), []uint8{0, 100, 100, 100, 200, 200, 200, 200}},
		{"raw samples", "/ColorSpace /DeviceGray /BitsPerComponent 8", quadrants, []uint8{0, 100, 100, 100, 200, 200, 200, 200}},
		{"inverted", "/ColorSpace /DeviceGray /BitsPerComponent 8 /Decode [1 0] /Filter /FlateDecode", deflate(quadrants),
			[]uint8{255, 155, 155, 155, 55, 55, 55, 55}},
		{"one bit", "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode", deflate(mask), []uint8{0, 255, 0, 255, 255, 0, 255, 0}},
		{"image mask", "/ImageMask true /Filter /FlateDecode", deflate(mask), []uint8{0, 255, 0, 255, 255, 0, 255, 0}},
		{"indexed", "/ColorSpace [/Indexed /DeviceRGB 1 <FF000040FFFF>] /BitsPerComponent 1 /Filter /FlateDecode", deflate(mask),
			[]uint8{255, 64, 255, 64, 64, 255, 64, 255}},
		{"separation", "/ColorSpace [/Separation /Black /DeviceGray 0 0 R] /BitsPerComponent 8", quadrants,
			[]uint8{255, 155, 155, 155, 55, 55, 55, 55}},
		{"short stream", "/ColorSpace /DeviceGray /BitsPerComponent 8", quadrants[:4], []uint8{0, 100, 100, 100, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b builder
			im := b.add(stream("/Type /XObject /Subtype /Image /Width 4 /Height 2 "+tt.dict, tt.data))
			p := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), "q 612 0 0 792 0 0 cm /Im Do Q", "")
			doc, err := Open(b.pdf(p))
			if err != nil {
				t.Fatal(err)
			}
			img, err := doc.Embedded(1)
			if err != nil {
				t.Fatalf("Embedded(1): %v", err)
			}
			_, _, pix := decodePNG(t, img.Data)
			if !slices.Equal(pix, tt.want) {
				t.Errorf("Embedded(1) = %v, want %v", pix, tt.want)
			}
		})
	}
}

func TestEmbeddedJPEG(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 16, 8))
	for i := range src.Pix {
		src.Pix[i] = 255
	}
	src.SetGray(0, 0, color.Gray{0})
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, src, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	build := func(cm string) *Image {
		t.Helper()
		var b builder
		im := b.add(stream("/Type /XObject /Subtype /Image /Width 16 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jb.Bytes()))
		p := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), "q "+cm+" cm /Im Do Q", "")
		doc, err := Open(b.pdf(p))
		if err != nil {
			t.Fatal(err)
		}
		img, err := doc.Embedded(1)
		if err != nil {
			t.Fatalf("Embedded(1): %v", err)
		}
		return img
	}
	if img := build("612 0 0 792 0 0"); img.Format != "jpeg" || !bytes.Equal(img.Data, jb.Bytes()) {
		t.Errorf("upright JPEG: got %s of %d bytes, want the stored JPEG", img.Format, len(img.Data))
	}
	// Turned a quarter, it is decoded and turned: 8 × 16, the dark corner
	// at the bottom left.
	img := build("0 792 -612 0 612 0")
	w, h, pix := decodePNG(t, img.Data)
	if img.Format != "png" || w != 8 || h != 16 || pix[15*8] > 64 || pix[0] < 192 {
		t.Errorf("turned JPEG: %s %d×%d, bottom-left %d, top-left %d; want png 8×16, dark bottom-left", img.Format, w, h, pix[15*8], pix[0])
	}
}

func TestEmbeddedNotAScan(t *testing.T) {
	tests := []struct {
		name, content string
		want          string
	}{
		{"a logo", "q 100 0 0 50 40 700 cm /Im Do Q BT /F1 12 Tf (Rapport) Tj ET", "covers"},
		{"no image", "BT /F1 12 Tf (Rapport) Tj ET", "no image"},
		{"image name in a string", "BT (/Im Do) Tj ET", "no image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b builder
			im := b.grayImage("")
			p := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), tt.content, "")
			doc, err := Open(b.pdf(p))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := doc.Embedded(1); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Embedded(1) error = %v, want one that says %q", err, tt.want)
			}
		})
	}
}

func TestEmbeddedInForm(t *testing.T) {
	var b builder
	im := b.grayImage("")
	form := b.add(stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Im %d 0 R >> >>", im),
		[]byte("/Im Do")))
	p := b.page(fmt.Sprintf("<< /XObject << /Fm %d 0 R >> >>", form), "q 612 0 0 792 0 0 cm /Fm Do Q", "")
	doc, err := Open(b.pdf(p))
	if err != nil {
		t.Fatal(err)
	}
	img, err := doc.Embedded(1)
	if err != nil {
		t.Fatalf("Embedded(1) of an image inside a form: %v", err)
	}
	if img.Width != 4 || img.Height != 2 {
		t.Errorf("Embedded(1) = %d×%d, want 4×2", img.Width, img.Height)
	}
}

func TestEmbeddedUnsupported(t *testing.T) {
	var b builder
	im := b.add(stream("/Type /XObject /Subtype /Image /Width 4 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode", []byte("xx")))
	p := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), "q 612 0 0 792 0 0 cm /Im Do Q", "")
	doc, err := Open(b.pdf(p))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Embedded(1); !errors.Is(err, errUnsupported) {
		t.Errorf("Embedded(1) of a JBIG2 image: err = %v, want errUnsupported", err)
	}
}

func TestPageTreeCycle(t *testing.T) {
	var b builder
	p := b.page("<< >>", "", "")
	// A node of the tree that names the root as its kid.
	loop := b.add("<< /Type /Pages /Kids [PAGES] /Count 1 >>")
	doc, err := Open(b.pdf(p, loop))
	if err != nil {
		t.Fatalf("Open of a page tree with a cycle: %v", err)
	}
	if doc.NumPages() != 1 {
		t.Errorf("Open of a page tree with a cycle: %d pages, want 1", doc.NumPages())
	}
}

func TestLexer(t *testing.T) {
	content := "q 1 0 0 1 0 0 cm (a (nested) string with Do) Tj [(x) 3 (y)] TJ << /A <</B 1>> >> BDC EMC " +
		"BI /W 4 /H 1 ID \x00EI\xffx EI Q /Im Do"
	var ops []string
	lx := lexer{b: []byte(content)}
	for {
		tok, kind := lx.next()
		if kind == tokEOF {
			break
		}
		if kind == tokOp {
			ops = append(ops, tok)
			if tok == "BI" {
				lx.skipInlineImage()
			}
		}
	}
	want := []string{"q", "cm", "Tj", "TJ", "BDC", "EMC", "BI", "Q", "Do"}
	if !slices.Equal(ops, want) {
		t.Errorf("operators of %q = %v, want %v", content, ops, want)
	}
}
