package ocr

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestParseHOCRSample(t *testing.T) {
	res, err := ParseHOCR(bytes.NewReader(readFile(t, "testdata/hambourg-p3.hocr")))
	if err != nil {
		t.Fatalf("ParseHOCR(hambourg-p3): %v", err)
	}
	if res.Width != 1275 || res.Height != 1650 {
		t.Errorf("ParseHOCR(hambourg-p3) page = %d×%d, want 1275×1650", res.Width, res.Height)
	}
	if c := res.Confidence(); c < 80 || c > 100 {
		t.Errorf("ParseHOCR(hambourg-p3).Confidence() = %.1f, want a high figure (80 to 100)", c)
	}
	first := res.Lines[0]
	if got := wordsOf(first); got != "Prochaines étapes" || first.Height != 23 || first.Baseline != 176 {
		t.Errorf("first line = %q height %.0f baseline %.0f, want \"Prochaines étapes\" height 23 baseline 176", got, first.Height, first.Baseline)
	}
	res.clean()
	var b strings.Builder
	for _, l := range res.Layout(612, 792) {
		fmt.Fprintf(&b, "%6.1f %6.1f %6.1f %5.1f %4.1f %-5v | %s\n", l.X, l.Y, l.W, l.H, l.Size(), l.Bold(), l.Text())
	}
	golden(t, "testdata/hambourg-p3.golden", b.String())
}

func wordsOf(l Line) string {
	var w []string
	for _, x := range l.Words {
		w = append(w, x.Text)
	}
	return strings.Join(w, " ")
}

// golden compares got with a file, or rewrites the file with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("layout differs from %s (go test -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

const page = `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body>
<div class='ocr_page' id='page_1' title='image "x"; bbox 0 0 1000 2000; ppageno 0'>%s</div></body></html>`

func TestParseHOCRCases(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // lines, words joined by spaces
		wantErr    bool
	}{
		{"entities", `<span class='ocr_line' title="bbox 10 10 200 30"><span class='ocrx_word' title='bbox 10 10 50 30; x_wconf 90'>l&#39;AIVP &amp; cie</span></span>`,
			[]string{"l'AIVP & cie"}, false},
		{"nested style", `<span class='ocr_line' title="bbox 10 10 200 30"><span class='ocrx_word' title='bbox 10 10 50 30'><strong>Gras</strong></span></span>`,
			[]string{"Gras"}, false},
		{"empty line dropped", `<span class='ocr_line' title="bbox 10 10 200 30"> </span><span class='ocr_header' title="bbox 10 40 200 60"><span class='ocrx_word' title='bbox 10 40 50 60'>Titre</span></span>`,
			[]string{"Titre"}, false},
		{"empty word dropped", `<span class='ocr_line' title="bbox 10 10 200 30"><span class='ocrx_word' title='bbox 10 10 50 30'> </span><span class='ocrx_word' title='bbox 60 10 90 30'>mot</span></span>`,
			[]string{"mot"}, false},
		{"word without line", `<span class='ocrx_word' title='bbox 10 10 50 30'>seul</span>`, []string{"seul"}, false},
		{"bad box", `<span class='ocr_line' title="bbox 10 10 a 30"><span class='ocrx_word' title='bbox 50 10 10 30'>mot</span></span>`,
			[]string{"mot"}, false},
		{"not xml", `<span class='ocr_line' title="bbox 10 10 200 30"><span class='ocrx_word' <<<`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseHOCR(strings.NewReader(fmt.Sprintf(page, tt.body)))
			if tt.wantErr {
				if err == nil {
					t.Errorf("ParseHOCR(%q): no error", tt.body)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHOCR(%q): %v", tt.body, err)
			}
			var got []string
			for _, l := range res.Lines {
				got = append(got, wordsOf(l))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("ParseHOCR(%q) lines = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestParseHOCRRefuses(t *testing.T) {
	deep := strings.Repeat("<div>", maxDepth+1)
	for name, in := range map[string]string{
		"no page":    `<html><body><p>rien</p></body></html>`,
		"too deep":   fmt.Sprintf(page, deep),
		"empty":      ``,
		"many words": fmt.Sprintf(page, strings.Repeat(`<span class='ocrx_word'>a</span>`, maxWords+1)),
	} {
		if _, err := ParseHOCR(strings.NewReader(in)); err == nil {
			t.Errorf("ParseHOCR(%s): no error", name)
		}
	}
}
