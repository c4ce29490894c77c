package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"escale/internal/layout"
	"escale/internal/mission"
)

// buildPDF assembles a PDF whose object n is objs[n-1] (object 1 must be
// the catalog), with a correct xref table. A body ending in "stream" data
// is written as given.
func buildPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 2 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

const helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

// onePage builds a one-page PDF (objects 1-3: catalog, info, pages; 4:
// page; 5: content; 6: font F1) plus extra objects from 7 on.
func onePage(content string, extra ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 3 0 R >>",
		"<< /Title (Rapport de mission) /CreationDate (D:20190415093000+02'00') /Producer (test) >>",
		"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 7 0 R >> >> /Contents 5 0 R >>",
		stream("", content),
		helvetica,
	}
	return buildPDF(append(objs, extra...)...)
}

func read(t *testing.T, data []byte) *layout.Document {
	t.Helper()
	doc, err := Read(context.Background(), data, Options{})
	if err != nil {
		t.Fatalf("Read() error = %v", err)
	}
	return doc
}

func lineTexts(doc *layout.Document) []string {
	var out []string
	for _, p := range doc.Pages {
		for _, l := range p.Lines {
			out = append(out, l.Text())
		}
	}
	return out
}

func TestReadText(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []string
	}{
		{"Tj", "BT /F1 12 Tf 72 700 Td (Bonjour) Tj ET", []string{"Bonjour"}},
		{"TJ offsets space words", "BT /F1 12 Tf 72 700 Td [(mot)-250(s\\351par\\351)-250(par)-250(TJ)] TJ ET", []string{"mot séparé par TJ"}},
		{"kerning keeps words", "BT /F1 12 Tf 72 700 Td [(Ke)5(rn)-3(ing)] TJ ET", []string{"Kerning"}},
		{"Td move spaces words", "BT /F1 12 Tf 72 700 Td (Bonjour) Tj 50 0 Td (monde) Tj ET", []string{"Bonjour monde"}},
		{"Tm move spaces words", "BT /F1 12 Tf 1 0 0 1 72 700 Tm (Bonjour) Tj 1 0 0 1 122 700 Tm (monde) Tj ET", []string{"Bonjour monde"}},
		{"baseline change is a new line", "BT /F1 12 Tf 72 700 Td (un) Tj 0 -14 Td (deux) Tj T* (trois) Tj ET", []string{"un", "deux", "trois"}},
		{"quote operators", "BT /F1 12 Tf 14 TL 72 700 Td (un) Tj (deux) ' 0 0 (trois) \" ET", []string{"un", "deux", "trois"}},
		{"word spacing Tw", "BT /F1 12 Tf 72 700 Td 5 Tw (a b) Tj ET", []string{"a b"}},
		{"Q underflow is ignored", "Q Q BT /F1 12 Tf 72 700 Td (Bonjour) Tj ET", []string{"Bonjour"}},
		{"C1 controls are Windows-1252", "BT /F1 12 Tf 72 700 Td (l\\222\\351t\\351) Tj ET", []string{"l’été"}},
		{"upper Windows-1252 range", "BT /F1 12 Tf 72 700 Td (\\377\\200) Tj ET", []string{"ÿ€"}},
		{"inline image skipped", "BI /W 2 /H 2 /BPC 8 /CS /G ID (((\x00\xff EI BT /F1 12 Tf 72 700 Td (apr\\350s) Tj ET", []string{"après"}},
		{"form XObject", "q 1 0 0 1 0 -100 cm /Fm1 Do Q", []string{"dans le formulaire"}},
		{"duplicate fake bold drawn once", "BT /F1 12 Tf 72 700 Td (Gras) Tj ET BT /F1 12 Tf 72.3 700 Td (Gras) Tj ET", []string{"Gras"}},
	}
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F9 6 0 R >> >>",
		"BT /F9 12 Tf 72 700 Td (dans le formulaire) Tj ET")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := read(t, onePage(tt.content, form))
			got := lineTexts(doc)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Read(%q) lines = %q, want %q", tt.content, got, tt.want)
			}
		})
	}
}

func TestReadStyleAndGeometry(t *testing.T) {
	bold := "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Arial-BoldMT /Encoding /WinAnsiEncoding >>"
	weight := "<< /Type /Font /Subtype /TrueType /BaseFont /Corps /Encoding /WinAnsiEncoding /FontDescriptor 10 0 R >>"
	desc := "<< /Type /FontDescriptor /FontName /Corps /FontWeight 700 /Flags 64 /ItalicAngle -12 >>"
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	data := onePage(`BT /F1 10 Tf 72 700 Td (normal) Tj ET
q 2 0 0 2 0 0 cm BT /F1 10 Tf 36 300 Td (double) Tj ET Q
BT 2 Tr /F1 10 Tf 72 500 Td (contour) Tj ET
BT /F2 10 Tf 72 400 Td (nom) Tj ET
BT /F3 10 Tf 72 300 Td (poids) Tj ET`, form, bold, weight, desc)
	// The page's resources name F2 and F3 too.
	data = bytes.Replace(data, []byte("/F1 6 0 R >>"), []byte("/F1 6 0 R /F2 8 0 R /F3 9 0 R >>"), 1)
	data = fixXref(data)
	doc := read(t, data)
	want := map[string]struct {
		font         string
		size         float64
		bold, italic bool
		y            float64
	}{
		"normal":  {"Helvetica", 10, false, false, 792 - 700 - 8},
		"double":  {"Helvetica", 20, false, false, 792 - 600 - 16},
		"contour": {"Helvetica", 10, true, false, 792 - 500 - 8},
		"nom":     {"Arial-BoldMT", 10, true, false, 792 - 400 - 8},
		"poids":   {"Corps", 10, true, true, 792 - 300 - 8},
	}
	seen := 0
	for _, l := range doc.Pages[0].Lines {
		w, ok := want[l.Text()]
		if !ok {
			t.Errorf("unexpected line %q", l.Text())
			continue
		}
		seen++
		s := l.Spans[0]
		if s.Font != w.font || s.Size != w.size || s.Bold != w.bold || s.Italic != w.italic {
			t.Errorf("line %q span = %+v, want font %s size %g bold %v italic %v", l.Text(), s, w.font, w.size, w.bold, w.italic)
		}
		if d := l.Y - w.y; d > 0.5 || d < -0.5 {
			t.Errorf("line %q Y = %g, want %g", l.Text(), l.Y, w.y)
		}
	}
	if seen != len(want) {
		t.Errorf("got %d of the %d lines: %q", seen, len(want), lineTexts(doc))
	}
	if doc.Info.Title != "Rapport de mission" || doc.Info.Created != "2019-04-15" || doc.Info.Producer != "test" {
		t.Errorf("Info = %+v, want title, 2019-04-15 and producer", doc.Info)
	}
	if doc.Pages[0].Width != 612 || doc.Pages[0].Height != 792 {
		t.Errorf("page size = %gx%g, want 612x792", doc.Pages[0].Width, doc.Pages[0].Height)
	}
}

// fixXref recomputes the xref of a PDF edited in place.
func fixXref(data []byte) []byte {
	out, _, err := rewrite(data)
	if err != nil {
		panic(err)
	}
	return out
}

// TestReadIdentityH checks a Type0 font: two-byte codes, text from
// ToUnicode and positions from the W array.
func TestReadIdentityH(t *testing.T) {
	cmap := `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <0041> <0002> <00E9> endbfchar
1 beginbfrange <0003> <0005> <0061> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`
	type0 := "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Calibri-Bold /Encoding /Identity-H /DescendantFonts [9 0 R] /ToUnicode 10 0 R >>"
	cid := "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Calibri-Bold /DW 1000 /W [1 [500 600] 3 5 250] /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	data := onePage("BT /F1 10 Tf 100 700 Td <000100020003> Tj 20 0 Td <00040005> Tj ET", form, type0, cid, stream("", cmap))
	data = fixXref(bytes.Replace(data, []byte("/F1 6 0 R"), []byte("/F1 8 0 R"), 1))
	doc := read(t, data)
	lines := doc.Pages[0].Lines
	if len(lines) != 1 {
		t.Fatalf("lines = %q, want one", lineTexts(doc))
	}
	l := lines[0]
	if l.Text() != "Aéa bc" {
		t.Errorf("text = %q, want %q", l.Text(), "Aéa bc")
	}
	// 5 + 6 + 2.5 = 13.5 points, then the 20-point move, then 2 x 2.5.
	if l.X != 100 || l.W != 20+5 {
		t.Errorf("box X %g W %g, want 100 and 25", l.X, l.W)
	}
	if !l.Spans[0].Bold || l.Spans[0].Font != "Calibri-Bold" {
		t.Errorf("span = %+v, want bold Calibri-Bold", l.Spans[0])
	}
}

// TestReadFontPerObject: the same resource name on two pages names two
// different fonts; each page must decode with its own.
func TestReadFontPerObject(t *testing.T) {
	diff := "<< /Type /Font /Subtype /Type1 /BaseFont /Autre /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /eacute /egrave] >> >>"
	data := buildPDF(
		"<< /Type /Catalog /Pages 3 0 R >>",
		"<< >>",
		"<< /Type /Pages /Kids [4 0 R 5 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 8 0 R >> >> /Contents 6 0 R >>",
		"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 9 0 R >> >> /Contents 7 0 R >>",
		stream("", "BT /F1 12 Tf 72 700 Td (ABC) Tj ET"),
		stream("", "BT /F1 12 Tf 72 700 Td (ABC) Tj ET"),
		helvetica,
		diff,
	)
	got := lineTexts(read(t, data))
	want := []string{"ABC", "éèC"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

// TestReadColumns: two columns drawn line by line across the page are read
// column after column.
func TestReadColumns(t *testing.T) {
	var c strings.Builder
	c.WriteString("BT /F1 10 Tf\n")
	for i := 0; i < 5; i++ {
		y := 700 - 12*i
		fmt.Fprintf(&c, "1 0 0 1 72 %d Tm (gauche ligne %d du texte de la colonne) Tj\n", y, i)
		fmt.Fprintf(&c, "1 0 0 1 330 %d Tm (droite ligne %d du texte de la colonne) Tj\n", y, i)
	}
	c.WriteString("ET")
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	got := lineTexts(read(t, onePage(c.String(), form)))
	var want []string
	for _, side := range []string{"gauche", "droite"} {
		for i := 0; i < 5; i++ {
			want = append(want, fmt.Sprintf("%s ligne %d du texte de la colonne", side, i))
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

// TestReadTable: one-line cells drawn row by row are read row by row.
func TestReadTable(t *testing.T) {
	var c strings.Builder
	c.WriteString("BT /F1 10 Tf\n")
	rows := [][2]string{{"Poste", "Montant"}, {"Transport", "3 412"}, {"Hébergement", "2 160"}, {"Total", "5 572"}}
	for i, r := range rows {
		y := 700 - 12*i
		fmt.Fprintf(&c, "1 0 0 1 72 %d Tm (%s) Tj 1 0 0 1 400 %d Tm (%s) Tj\n", y, strings.ReplaceAll(r[0], "é", "\\351"), y, r[1])
	}
	c.WriteString("ET")
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	got := lineTexts(read(t, onePage(c.String(), form)))
	var want []string
	for _, r := range rows {
		want = append(want, r[0], r[1])
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

func TestReadRefusals(t *testing.T) {
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	three := buildPDF(
		"<< /Type /Catalog /Pages 3 0 R >>",
		"<< >>",
		"<< /Type /Pages /Kids [4 0 R 4 0 R 5 0 R 6 0 R] /Count 3 >>",
		"<< /Type /Page /Parent 3 0 R /Contents 7 0 R >>",
		"<< /Type /Page /Parent 3 0 R /Contents 7 0 R /Rotate 90 >>",
		"<< /Type /Page /Parent 3 0 R >>",
		stream("", ""),
	)
	tests := []struct {
		name  string
		data  []byte
		opts  Options
		want  error
		pages int
	}{
		{"not a PDF", []byte("\x89PNG\r\n\x1a\n"), Options{}, mission.ErrDamaged, 0},
		{"header only", []byte("%PDF-1.4\n%%EOF\n"), Options{}, mission.ErrDamaged, 0},
		{"too many pages", three, Options{MaxPages: 2}, mission.ErrTooManyPages, 0},
		{"pages within the limit", three, Options{MaxPages: 3}, nil, 3},
		{"truncated", onePage("BT /F1 12 Tf 72 700 Td (Bonjour) Tj ET", form)[:300], Options{}, mission.ErrDamaged, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), tt.data, tt.opts)
			if tt.want == nil {
				if err != nil || len(doc.Pages) != tt.pages {
					t.Fatalf("Read() = %v pages, error %v; want %d pages", doc, err, tt.pages)
				}
				if p := doc.Pages[1]; p.Width != 792 || p.Height != 612 {
					t.Errorf("rotated page size %gx%g, want 792x612", p.Width, p.Height)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Read() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	_, err := Read(ctx, onePage("BT /F1 12 Tf 72 700 Td (Bonjour) Tj ET", form), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Read(cancelled) error = %v, want context.Canceled", err)
	}
}

// TestReadStreamLimit: a stream larger than the limit is cut, with a
// warning, instead of being decompressed whole.
func TestReadStreamLimit(t *testing.T) {
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "")
	content := "BT /F1 12 Tf 72 700 Td (d\\351but) Tj ET " + strings.Repeat("% remplissage\n", 1000)
	doc, err := Read(context.Background(), onePage(content, form), Options{MaxStreamBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineTexts(doc); len(got) != 1 || got[0] != "début" {
		t.Errorf("lines = %q, want [début]", got)
	}
	if len(doc.Warnings) == 0 {
		t.Errorf("Warnings empty, want the truncation reported")
	}
}

func TestPDFDate(t *testing.T) {
	for in, want := range map[string]string{
		"D:20190415093000+02'00'": "2019-04-15",
		"20240102":                "2024-01-02",
		"D:2019":                  "",
		"D:20191345":              "",
		"hier":                    "",
	} {
		if got := pdfDate(in); got != want {
			t.Errorf("pdfDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripSubset(t *testing.T) {
	for in, want := range map[string]string{
		"ABCDEF+Calibri-Bold": "Calibri-Bold",
		"Calibri":             "Calibri",
		"abcdef+Calibri":      "abcdef+Calibri",
		"AB+C":                "AB+C",
	} {
		if got := stripSubset(in); got != want {
			t.Errorf("stripSubset(%q) = %q, want %q", in, got, want)
		}
	}
}
