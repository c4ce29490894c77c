package ocr

import (
	"strings"
	"testing"

	"escale/internal/layout"
)

// line builds a recognised line of 21 px (x-height 11) from words at the
// given left edges; each word is 8 px per letter wide.
func line(words ...any) Line {
	l := Line{Height: 21, Ascenders: 5, Descenders: 5}
	for i := 0; i < len(words); i += 2 {
		text, x := words[i].(string), words[i+1].(int)
		w := Word{Text: text, Box: Box{x, 100, x + 8*len([]rune(text)), 115}, Confidence: 90}
		if n := len([]rune(text)); len([]rune(strings.Trim(text, "_"))) == 1 {
			w.Box = Box{x, 104, x + 8*n, 112} // a small glyph, maybe underlined
		}
		l.Words = append(l.Words, w)
	}
	l.Box = Box{l.Words[0].Box.X0, 100, l.Words[len(l.Words)-1].Box.X1, 121}
	return l
}

func TestClean(t *testing.T) {
	tests := []struct {
		name string
		in   Line
		want string
	}{
		{"plus as bullet", line("+", 187, "Étudier", 226, "le", 290), "• Étudier le"},
		{"e as bullet", line("e", 187, "Échanger", 226), "• Échanger"},
		{"copyright as bullet", line("©", 187, "Comprendre", 226), "• Comprendre"},
		{"e close to the next word stays", line("e", 187, "mail", 199), "e mail"},
		{"a is a word", line("a", 187, "proposé", 226), "a proposé"},
		{"dash stays a dash", line("-", 187, "Lundi", 226), "- Lundi"},
		{"underline dropped", line("+", 187, "__", 200, "Branchement", 226), "• Branchement"},
		{"underline stuck to a bullet", line("°__", 187, "Promotion", 226), "• Promotion"},
		{"underline stuck to a word", line("•", 187, "_Le", 226, "pavillon", 260), "• Le pavillon"},
		{"rule dropped", line("|", 187, "Budget", 226, "———", 400), "Budget"},
		{"a dash alone is punctuation", line("Mission", 187, "—", 260, "Lisbonne", 280), "Mission — Lisbonne"},
		{"elision read apart", line("Québec", 187, "l’", 260, "Agenda", 280, "2030", 350), "Québec l’Agenda 2030"},
		{"elision with a straight quote", line("jusqu'", 187, "au", 260), "jusqu'au"},
		{"doubled apostrophe", line("de", 187, "l’'AIVP", 220), "de l’AIVP"},
		{"a quote after a long word stays", line("aujourd'hui'", 187, "fin", 300), "aujourd'hui' fin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Result{Width: 1275, Height: 1650, Lines: []Line{tt.in}}
			r.clean()
			got := ""
			if len(r.Lines) == 1 {
				got = wordsOf(r.Lines[0])
			}
			if got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", wordsOf(tt.in), got, tt.want)
			}
		})
	}
}

func TestLayoutSizes(t *testing.T) {
	body := func(h float64) Line { l := line("texte", 190, "courant", 250); l.Height = h; return l }
	heading := body(30)
	heading.Words[0].Bold = true
	r := Result{Width: 1275, Height: 1650, Lines: []Line{body(21), body(20), body(22), heading, body(21)}}
	lines := r.Layout(612, 792)
	sizes := []float64{}
	for _, l := range lines {
		sizes = append(sizes, l.Size())
	}
	// 21 px at 150 dpi over 0.92 em: 11 pt; lines a pixel off are body too.
	want := []float64{11, 11, 11, 15.7, 11}
	for i := range want {
		if sizes[i] != want[i] {
			t.Fatalf("Layout sizes = %v, want %v", sizes, want)
		}
	}
	if len(lines[3].Spans) != 2 || !lines[3].Spans[0].Bold || lines[3].Spans[0].Text != "texte " || lines[3].Spans[1].Bold {
		t.Errorf("Layout spans of a line with a bold first word = %+v, want a bold « texte » then regular", lines[3].Spans)
	}
}

func TestLayoutBaselineBox(t *testing.T) {
	// An accented capital makes a taller box; the line still gets the box
	// its font gives it, from its baseline.
	l := line("Étudier", 226, "le", 290)
	l.Box.Y0, l.Baseline = 96, 116
	r := Result{Width: 1275, Height: 1650, Lines: []Line{l}}
	got := r.Layout(1275, 1650)[0]
	if got.Y != 100 || got.H != 21 {
		t.Errorf("Layout box y=%.1f h=%.1f, want y=100 (baseline 116 − 16) h=21", got.Y, got.H)
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in           string
		words, total int
	}{
		{"Rapport de mission à Lisbonne, 2024.", 5, 6},
		{"l’AIVP (Association) « port »", 3, 5},
		{"#$%& ÿþ ¤¤¤ Ð×", 1, 4},
		{"", 0, 0},
	}
	for _, tt := range tests {
		w, n := countWords(tt.in)
		if w != tt.words || n != tt.total {
			t.Errorf("countWords(%q) = %d, %d; want %d, %d", tt.in, w, n, tt.words, tt.total)
		}
	}
}

func TestNeedsOCR(t *testing.T) {
	page := func(texts ...string) layout.Page {
		p := layout.Page{Number: 1}
		for _, s := range texts {
			p.Lines = append(p.Lines, layout.Line{Spans: []layout.Span{{Text: s}}})
		}
		return p
	}
	tests := []struct {
		name         string
		page         layout.Page
		ocr, textles bool
	}{
		{"no text", page(), true, true},
		{"a page number", page("Page 2 de 4"), true, false},
		{"a stamp", page("REÇU LE 3 MARS"), true, false},
		{"a cover", page("Rapport de mission", "Lisbonne"), true, false},
		{"text", page("La délégation a rencontré les représentants du port de Hambourg et de la ville."), false, false},
		{"garbage", page("#$% &'( )*+ ,-./ 0123 ÐÑ ÒÓ ÔÕ Ö× ØÙ ÚÛ ÜÝ Þß %$# !!! ### @@@ ^^^ ~~~ ||| {{{ }}} ;;; Þa ßb"), true, true},
	}
	for _, tt := range tests {
		if got := NeedsOCR(tt.page); got != tt.ocr {
			t.Errorf("NeedsOCR(%s) = %v, want %v", tt.name, got, tt.ocr)
		}
		// Only pages without words are worth rendering for OCR; the others
		// are read from a scan image when they have one.
		if got := textless(tt.page); got != tt.textles {
			t.Errorf("textless(%s) = %v, want %v", tt.name, got, tt.textles)
		}
	}
}
