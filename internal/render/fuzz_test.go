package render

import (
	"fmt"
	"os"
	"testing"
)

// FuzzEmbedded feeds arbitrary bytes to the PDF structure, content and
// image readers: they may refuse, never panic or run away.
func FuzzEmbedded(f *testing.F) {
	var b builder
	im := b.grayImage("")
	p1 := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), "q 612 0 0 792 0 0 cm /Im Do Q", "")
	p2 := b.page(fmt.Sprintf("<< /XObject << /Im %d 0 R >> >>", im), "q 0 792 -612 0 612 0 cm /Im Do Q BI /W 1 ID x EI", "/Rotate 270")
	f.Add(b.pdf(p1, p2))
	var c builder
	mask := c.add(stream("/Type /XObject /Subtype /Image /Width 4 /Height 2 /ImageMask true /Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 4 >>", deflate([]byte{1, 0, 0, 0, 0, 2, 0, 0, 0, 0})))
	fax := c.add(stream("/Type /XObject /Subtype /Image /Width 8 /Height 2 /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 8 >>", []byte{0x26, 0xA0, 0x00, 0x10, 0x01}))
	p3 := c.page(fmt.Sprintf("<< /XObject << /M %d 0 R /F %d 0 R >> >>", mask, fax), "q 612 0 0 792 0 0 cm /M Do Q q 612 0 0 792 0 0 cm /F Do Q", "")
	f.Add(c.pdf(p3))
	if data, err := os.ReadFile(scan); err == nil && len(data) > 4096 {
		f.Add(data[:4096]) // the start of a real scan, cut
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Open(data)
		if err != nil {
			return
		}
		for n := 1; n <= min(doc.NumPages(), 4); n++ {
			_, _ = doc.Embedded(n)
			_ = doc.blank(n)
			_, _, _ = doc.PageSize(n)
		}
	})
}
