package ocr

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// FuzzParseHOCR feeds arbitrary bytes to the hOCR parser and the layout
// conversion: they may refuse, never panic or run away.
func FuzzParseHOCR(f *testing.F) {
	for _, name := range []string{"testdata/hambourg-p3.hocr"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(fmt.Sprintf(page, `<span class='ocr_line' title="bbox 10 10 200 30; baseline 0.01 -5; x_size 21; x_descenders 5; x_ascenders 5">`+
		`<span class='ocrx_word' title='bbox 10 10 18 18; x_wconf 50'>e</span><span class='ocrx_word' title='bbox 60 10 90 30; x_wconf 96'>l&#39;eau</span></span>`)))
	f.Add([]byte(`<div class='ocr_page' title='bbox 0 0 0 0'><span class='ocrx_word' title='bbox 1 1 1 1; x_wconf NaN'>x</span></div>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseHOCR(bytes.NewReader(data))
		if err != nil {
			return
		}
		res.clean()
		_ = res.Confidence()
		_ = res.Layout(612, 792)
	})
}
