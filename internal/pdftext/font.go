package pdftext

import (
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// font is what the walker needs of a PDF font: how to cut a shown string
// into codes, each code's text and advance width, and the style flags.
type font struct {
	name   string // base name without the subset prefix
	bold   bool
	italic bool

	composite bool             // Type0: multi-byte codes, CID widths
	encCMap   *cmap            // Type0 encoding CMap (nil: two-byte codes)
	ucs2      bool             // Type0 with a UCS-2 CMap and no ToUnicode
	toUnicode *cmap            // nil when the font has none
	enc       pdf.TextEncoding // simple fonts: the PDF library's decoder
	diff      map[uint32]rune  // simple fonts: Differences we can name
	noText    bool             // codes cannot be turned into text

	first   int
	widths  []float64
	missing float64
	cidW    []cidWidth
	dw      float64
	scale   float64 // glyph space to text space (1/1000, or a Type3 FontMatrix)
	type3   bool

	text map[uint32]string // decoded codes
}

type cidWidth struct {
	lo, hi uint32
	w      float64
}

// newFont reads a font dictionary. It never fails: what it cannot read
// falls back to defaults, and the walker reports text it cannot decode.
func newFont(v pdf.Value, rd *reader) *font {
	f := &font{scale: 0.001, text: map[uint32]string{}, dw: 1000}
	base := v.Key("BaseFont").Name()
	f.name = stripSubset(base)
	desc := v.Key("FontDescriptor")
	sub := v.Key("Subtype").Name()
	if sub == "Type0" {
		f.composite = true
		d := v.Key("DescendantFonts").Index(0)
		if !d.IsNull() {
			desc = d.Key("FontDescriptor")
			if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
				f.dw = dw.Float64()
			}
			f.cidW = readCIDWidths(d.Key("W"))
		}
		enc := v.Key("Encoding")
		switch enc.Kind() {
		case pdf.Name:
			n := enc.Name()
			f.ucs2 = strings.Contains(n, "UCS2") || strings.Contains(n, "UTF16")
		case pdf.Stream:
			if data, err := rd.stream(enc, maxFontStream); err == nil {
				f.encCMap = parseCMap(data)
			}
		}
	} else {
		f.type3 = sub == "Type3"
		f.first = int(v.Key("FirstChar").Int64())
		w := v.Key("Widths")
		n := min(w.Len(), 256)
		for i := 0; i < n; i++ {
			f.widths = append(f.widths, w.Index(i).Float64())
		}
		f.missing = desc.Key("MissingWidth").Float64()
		if f.type3 {
			if m := v.Key("FontMatrix"); m.Len() == 6 && m.Index(0).Float64() != 0 {
				f.scale = m.Index(0).Float64()
			}
		}
		if len(f.widths) == 0 {
			f.widths, f.first = standardWidths(f.name)
		}
		pf := pdf.Font{V: v}
		f.enc = safeEncoder(&pf)
		if enc := v.Key("Encoding"); enc.Kind() == pdf.Dict {
			f.diff = readDifferences(enc.Key("Differences"))
		}
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if data, err := rd.stream(tu, maxFontStream); err == nil {
			f.toUnicode = parseCMap(data)
		}
	}
	if f.composite && f.toUnicode == nil && !f.ucs2 {
		f.noText = true
	}
	f.bold, f.italic = fontStyle(f.name, desc)
	return f
}

// maxFontStream bounds a CMap stream: real ones are a few kilobytes.
const maxFontStream = 4 << 20

func safeEncoder(pf *pdf.Font) (enc pdf.TextEncoding) {
	defer func() {
		if recover() != nil {
			enc = nil
		}
	}()
	return pf.Encoder()
}

// stripSubset removes the "ABCDEF+" prefix of subset fonts.
func stripSubset(name string) string {
	if len(name) > 7 && name[6] == '+' {
		for i := 0; i < 6; i++ {
			if name[i] < 'A' || name[i] > 'Z' {
				return name
			}
		}
		return name[7:]
	}
	return name
}

// fontStyle tells bold and italic from the font's name and descriptor.
func fontStyle(name string, desc pdf.Value) (bold, italic bool) {
	n := strings.ToLower(name)
	for _, w := range []string{"bold", "black", "heavy", "semibold", "demi", "extrabold", "ultrabold"} {
		if strings.Contains(n, w) {
			bold = true
		}
	}
	for _, w := range []string{"italic", "oblique", "kursiv"} {
		if strings.Contains(n, w) {
			italic = true
		}
	}
	if !desc.IsNull() {
		if desc.Key("FontWeight").Float64() >= 600 {
			bold = true
		}
		flags := desc.Key("Flags").Int64()
		if flags&(1<<18) != 0 { // ForceBold
			bold = true
		}
		if flags&(1<<6) != 0 { // Italic
			italic = true
		}
	}
	return bold, italic
}

func readCIDWidths(w pdf.Value) []cidWidth {
	var out []cidWidth
	n := min(w.Len(), 1<<16)
	for i := 0; i < n; {
		first := w.Index(i)
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			lo := uint32(first.Int64())
			m := min(next.Len(), 1<<16)
			for j := 0; j < m; j++ {
				c := lo + uint32(j)
				out = append(out, cidWidth{c, c, next.Index(j).Float64()})
			}
			i += 2
			continue
		}
		if i+2 >= n+1 {
			break
		}
		lo, hi := uint32(first.Int64()), uint32(next.Int64())
		out = append(out, cidWidth{lo, hi, w.Index(i + 2).Float64()})
		i += 3
	}
	return out
}

func readDifferences(d pdf.Value) map[uint32]rune {
	out := map[uint32]rune{}
	n := min(d.Len(), 4096)
	c := uint32(0)
	for i := 0; i < n; i++ {
		x := d.Index(i)
		switch x.Kind() {
		case pdf.Integer:
			c = uint32(x.Int64())
		case pdf.Name:
			if r, ok := glyphRune(x.Name()); ok {
				out[c] = r
			}
			c++
		}
	}
	return out
}

// appendCodes cuts a shown string into character codes, appended to dst
// (the walker reuses one buffer for every string it shows).
func (f *font) appendCodes(dst []code, s string) []code {
	if !f.composite {
		for i := 0; i < len(s); i++ {
			dst = append(dst, code{uint32(s[i]), 1})
		}
		return dst
	}
	if f.encCMap != nil && len(f.encCMap.space) > 0 {
		return f.encCMap.appendSplit(dst, s, 2)
	}
	for i := 0; i < len(s); i += 2 {
		if i+1 == len(s) {
			dst = append(dst, code{uint32(s[i]), 1})
			break
		}
		dst = append(dst, code{uint32(s[i])<<8 | uint32(s[i+1]), 2})
	}
	return dst
}

// width returns the advance of a code in text space units (before the
// font size).
func (f *font) width(c code) float64 {
	if f.composite {
		for _, r := range f.cidW {
			if c.v >= r.lo && c.v <= r.hi {
				return r.w * f.scale
			}
		}
		return f.dw * f.scale
	}
	i := int(c.v) - f.first
	if i >= 0 && i < len(f.widths) && f.widths[i] != 0 {
		return f.widths[i] * f.scale
	}
	if f.missing > 0 {
		return f.missing * f.scale
	}
	return 500 * 0.001
}

// decode returns the text of a code, "" when it has none.
func (f *font) decode(c code) string {
	if s, ok := f.text[c.v]; ok {
		return s
	}
	s := f.decodeUncached(c)
	f.text[c.v] = s
	return s
}

func (f *font) decodeUncached(c code) string {
	if f.toUnicode != nil {
		if s, ok := f.toUnicode.lookup(c.v, c.n); ok {
			return cleanText(s)
		}
	}
	if f.composite {
		if f.ucs2 && c.n == 2 {
			return cleanText(string(rune(c.v)))
		}
		return ""
	}
	if r, ok := f.diff[c.v]; ok {
		return cleanText(string(r))
	}
	if f.enc == nil {
		return cleanText(string(rune(c.v)))
	}
	s := safeDecode(f.enc, string([]byte{byte(c.v)}))
	return cleanText(s)
}

func safeDecode(enc pdf.TextEncoding, raw string) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return enc.Decode(raw)
}

var cp1252 = charmap.Windows1252

var ligatures = [...]string{"ff", "fi", "fl", "ffi", "ffl", "ſt", "st"}

// cleanText drops what is not text (controls, U+FFFD) and maps the C1
// controls some fonts decode to into the Windows-1252 characters they stand
// for (0x92 is ’).
func cleanText(s string) string {
	ok := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == unicode.ReplacementChar || r >= 0xfb00 && r <= 0xfb06 {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x80 && r < 0xa0:
			if d := cp1252.DecodeByte(byte(r)); d != unicode.ReplacementChar && d >= 0xa0 {
				b.WriteRune(d)
			}
		case r == '\t':
			b.WriteRune(' ')
		case r >= 0xfb00 && r <= 0xfb06: // ligatures, expanded
			b.WriteString(ligatures[r-0xfb00])
		case r < 0x20 || r == 0x7f || r == unicode.ReplacementChar:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
