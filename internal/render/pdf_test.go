package render

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image/png"
	"testing"
)

// builder writes small PDFs for tests: numbered objects, a catalog, one
// page tree, a correct xref table.
type builder struct {
	objs []string
}

// add appends an object and returns its number.
func (b *builder) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// stream returns the body of a stream object with the given dictionary
// entries (without /Length) and data.
func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// pdf writes the file, with page objects already added and listed in kids.
func (b *builder) pdf(kids ...int) []byte {
	var refs bytes.Buffer
	for _, k := range kids {
		fmt.Fprintf(&refs, "%d 0 R ", k)
	}
	pages := len(b.objs) + 1
	catalog := len(b.objs) + 2
	objs := append(append([]string{}, b.objs...),
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", refs.String(), len(kids)),
		fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages))
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, bytes.ReplaceAll([]byte(o), []byte("PAGES"), fmt.Appendf(nil, "%d 0 R", pages)))
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	return out.Bytes()
}

// page adds a page of 612 × 792 points drawing content with the given
// resources and extra entries.
func (b *builder) page(resources, content, extra string) int {
	c := b.add(stream("", []byte(content)))
	return b.add(fmt.Sprintf("<< /Type /Page /Parent PAGES /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R %s >>", resources, c, extra))
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// quadrants is a 4 × 2 gray image whose top-left pixel is 0 (black), the
// rest of the top row 100, the bottom row 200: enough to tell every turn
// and flip apart.
var quadrants = []byte{0, 100, 100, 100, 200, 200, 200, 200}

// grayImage adds an image XObject of quadrants, Flate-compressed.
func (b *builder) grayImage(extra string) int {
	return b.add(stream("/Type /XObject /Subtype /Image /Width 4 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "+extra, deflate(quadrants)))
}

// decodePNG returns the levels of a PNG, row by row (the red channel of
// color images).
func decodePNG(t *testing.T, b []byte) (int, int, []uint8) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	r := img.Bounds()
	var out []uint8
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c, _, _, _ := img.At(x, y).RGBA()
			out = append(out, uint8(c>>8))
		}
	}
	return r.Dx(), r.Dy(), out
}
