package textfile

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"escale/internal/layout"
	"escale/internal/mission"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xfeff}, u...)
	}
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		if bigEndian {
			b = append(b, byte(c>>8), byte(c))
		} else {
			b = append(b, byte(c), byte(c>>8))
		}
	}
	return b
}

func texts(doc *layout.Document) []string {
	var out []string
	for _, l := range doc.Pages[0].Lines {
		out = append(out, l.Text())
	}
	return out
}

func TestReadEncodings(t *testing.T) {
	const want = "Délégation à Québec – « Ville-Port »\n\nŒuvre d’art"
	wantLines := []string{"Délégation à Québec – « Ville-Port »", "", "Œuvre d’art"}
	tests := []struct {
		name string
		data []byte
	}{
		{"utf8", []byte(want)},
		{"utf8 bom", append([]byte("\xef\xbb\xbf"), want...)},
		{"utf8 crlf", []byte(strings.ReplaceAll(want, "\n", "\r\n"))},
		{"utf8 cr", []byte(strings.ReplaceAll(want, "\n", "\r"))},
		{"utf16le bom", utf16Bytes(want, false, true)},
		{"utf16be bom", utf16Bytes(want, true, true)},
		{"utf16le no bom", utf16Bytes(want, false, false)},
		{"cp1252", []byte("D\xe9l\xe9gation \xe0 Qu\xe9bec \x96 \xab Ville-Port \xbb\r\n\r\n\x8cuvre d\x92art\r\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Read(tc.data)
			if err != nil {
				t.Fatalf("Read(%s) error %v", tc.name, err)
			}
			if doc.Format != mission.FormatText || len(doc.Pages) != 1 {
				t.Errorf("Read(%s) = format %q, %d pages, want text, 1 page", tc.name, doc.Format, len(doc.Pages))
			}
			if got := texts(doc); !slices.Equal(got, wantLines) {
				t.Errorf("Read(%s) lines = %q, want %q", tc.name, got, wantLines)
			}
		})
	}
}

func TestReadInvalidUTF8Dropped(t *testing.T) {
	doc, err := Read([]byte("Québec est une ville\xff portuaire où l’on s’arrête."))
	if err != nil {
		t.Fatalf("Read error %v", err)
	}
	if got, want := texts(doc)[0], "Québec est une ville portuaire où l’on s’arrête."; got != want {
		t.Errorf("Read line = %q, want %q", got, want)
	}
	if len(doc.Warnings) == 0 {
		t.Errorf("Read warnings = none, want one about invalid bytes")
	}
}

func TestReadRefusesBinary(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, mission.ErrEmpty},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), mission.ErrUnsupported},
		{"zip", []byte("PK\x03\x04\x14\x00\x06\x00"), mission.ErrUnsupported},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), mission.ErrUnsupported},
		{"nul bytes", []byte("abc\x00\x01\x02def\x00ghi\x00\x00jkl"), mission.ErrUnsupported},
		{"controls", []byte(strings.Repeat("a\x01\x02\x03\x04b", 20)), mission.ErrUnsupported},
	}
	for _, tc := range tests {
		doc, err := Read(tc.data)
		if !errors.Is(err, tc.want) {
			t.Errorf("Read(%s) = %v, %v; want error %v", tc.name, doc, err, tc.want)
		}
	}
}

func TestReadMarkdown(t *testing.T) {
	src := "# Mission à Lyon\n\n**Dates :** du 1er au 3 mai\n\n## Faits saillants\n\n" +
		"- **Présence d’artistes.** La Ville a invité [le collectif](https://example.org/x) à *Lyon*.\n" +
		"* Voir <https://example.org/y> et snake_case_name.\n\n---\n\n| Poste | Montant |\n|---|---:|\n| Avion | 1 200 |\n"
	doc, err := Read([]byte(src))
	if err != nil {
		t.Fatalf("Read error %v", err)
	}
	if doc.Format != mission.FormatMarkdown {
		t.Fatalf("Read format = %q, want markdown", doc.Format)
	}
	lines := doc.Pages[0].Lines
	want := []struct {
		text    string
		heading int
	}{
		{"Mission à Lyon", 1}, {"", 0}, {"Dates : du 1er au 3 mai", 0}, {"", 0}, {"Faits saillants", 2}, {"", 0},
		{"• Présence d’artistes. La Ville a invité le collectif (https://example.org/x) à Lyon.", 0},
		{"• Voir https://example.org/y et snake_case_name.", 0}, {"", 0}, {"", 0}, {"", 0},
		{"Poste\tMontant", 0}, {"", 0}, {"Avion\t1 200", 0},
	}
	if len(lines) != len(want) {
		t.Fatalf("Read gave %d lines %q, want %d", len(lines), texts(doc), len(want))
	}
	for i, w := range want {
		if lines[i].Text() != w.text || lines[i].Heading != w.heading {
			t.Errorf("line %d = %q heading %d, want %q heading %d", i, lines[i].Text(), lines[i].Heading, w.text, w.heading)
		}
	}
	item := lines[6].Spans
	if len(item) < 3 || !item[1].Bold || item[1].Text != "Présence d’artistes." || item[2].Bold {
		t.Errorf("bullet spans = %+v, want a bold lead «Présence d’artistes.» after the bullet", item)
	}
	if !lines[2].Spans[0].Bold || lines[2].Spans[0].Text != "Dates :" {
		t.Errorf("label spans = %+v, want bold «Dates :»", lines[2].Spans)
	}
}

// TestReadMarkdownBoldAcrossLines: a bold run may close on a later line of
// its paragraph, as in CommonMark.
func TestReadMarkdownBoldAcrossLines(t *testing.T) {
	doc, err := Read([]byte("# Titre\n\n- **Partage d’expertise en gestion\n  municipale –** Les échanges ont permis beaucoup.\n- **Seul.** Suite.\n"))
	if err != nil {
		t.Fatalf("Read error %v", err)
	}
	lines := doc.Pages[0].Lines
	if len(lines) != 5 {
		t.Fatalf("Read gave %d lines, want 5", len(lines))
	}
	first, second := lines[2].Spans, lines[3].Spans
	if len(first) < 2 || !first[1].Bold || first[1].Text != "Partage d’expertise en gestion" {
		t.Errorf("line 2 spans = %+v, want a bold run opening after the bullet", first)
	}
	if len(second) < 3 || !second[1].Bold || second[1].Text != "municipale –" || second[2].Bold {
		t.Errorf("line 3 spans = %+v, want the bold run closing after «municipale –»", second)
	}
	if got := lines[4].Text(); got != "• Seul. Suite." {
		t.Errorf("line 4 = %q, want the next item parsed on its own", got)
	}
}

func TestReadPlainDashListIsNotMarkdown(t *testing.T) {
	doc, err := Read([]byte("OBJECTIFS\n\n- Participer au congrès.\n- Visiter des projets.\n"))
	if err != nil {
		t.Fatalf("Read error %v", err)
	}
	if doc.Format != mission.FormatText {
		t.Errorf("Read format = %q, want text", doc.Format)
	}
	if got := texts(doc)[2]; got != "- Participer au congrès." {
		t.Errorf("Read line 2 = %q, want the dash kept", got)
	}
}

// TestReadCorpus reads every text report of the visible corpus and the hard
// corpus's text files.
func TestReadCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/corpus/visible/files/*")
	hard, _ := filepath.Glob("../../testdata/corpus/hard/files/*.txt")
	files = append(files, hard...)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".pdf") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Read(data)
		if strings.Contains(f, "nul-bytes") {
			if !errors.Is(err, mission.ErrUnsupported) {
				t.Errorf("Read(%s) error = %v, want unsupported", filepath.Base(f), err)
			}
			continue
		}
		n++
		if err != nil {
			t.Errorf("Read(%s) error %v", filepath.Base(f), err)
			continue
		}
		all := strings.Join(texts(doc), "\n")
		if !strings.Contains(all, "Québec") || strings.ContainsRune(all, '\r') || strings.ContainsRune(all, '\ufffd') {
			t.Errorf("Read(%s) text badly decoded: %.200q", filepath.Base(f), all)
		}
	}
	if n < 5 {
		t.Errorf("read %d text files from the corpus, want at least 5", n)
	}
}
