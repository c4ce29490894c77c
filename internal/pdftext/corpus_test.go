package pdftext

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"escale/internal/layout"
	"escale/internal/mission"
	"escale/internal/score"
)

const (
	visibleDir = "../../testdata/corpus/visible"
	hardDir    = "../../testdata/corpus/hard"
)

// scanOnly names the visible report that is a scan without a text layer.
const scanOnly = "RM-2025-031_Hambourg.pdf"

// pageNumber matches the page-number lines the structure package removes.
var pageNumber = regexp.MustCompile(`(?i)^\s*(page\s*)?[-–—]?\s*\d+\s*((de|sur|/|of)\s*\d+)?\s*[-–—]?\s*$`)

// scoringText joins a document's lines the way the structure package will
// see them, minus what it removes before the truth is compared: lines
// repeated on several pages (running headers and footers), page numbers,
// and line-end hyphenation. This keeps the reader's figures comparable to
// the truth without depending on the structure package.
func scoringText(doc *layout.Document) string {
	digits := regexp.MustCompile(`\d+`)
	seen := map[string]map[int]bool{}
	for _, p := range doc.Pages {
		for _, l := range p.Lines {
			k := digits.ReplaceAllString(strings.TrimSpace(l.Text()), "#")
			if seen[k] == nil {
				seen[k] = map[int]bool{}
			}
			seen[k][p.Number] = true
		}
	}
	var lines []string
	for _, p := range doc.Pages {
		for _, l := range p.Lines {
			t := strings.TrimSpace(l.Text())
			k := digits.ReplaceAllString(t, "#")
			if t == "" || pageNumber.MatchString(t) || len(doc.Pages) > 1 && len(seen[k]) > 1 && len(seen[k]) >= len(doc.Pages)-1 {
				continue
			}
			lines = append(lines, t)
		}
	}
	var b strings.Builder
	for i, t := range lines {
		if i > 0 {
			prev := lines[i-1]
			r, _ := utf8.DecodeRuneInString(t)
			if strings.HasSuffix(prev, "-") && len(prev) > 1 && unicode.IsLower(r) {
				// hyphenation: the hyphen was written, drop it
				s := b.String()
				b.Reset()
				b.WriteString(s[:len(s)-1])
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

type manifestEntry struct {
	File   string `json:"file"`
	Expect string `json:"expect"`
	Truth  string `json:"truth"`
	Kind   string `json:"kind"`
}

func loadManifest(t testing.TB) []manifestEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(hardDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m []manifestEntry
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func readFile(t testing.TB, path string) *layout.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), data, Options{MaxPages: 500})
	if err != nil {
		t.Fatalf("Read(%s) error = %v, want none", path, err)
	}
	return doc
}

// TestVisibleCorpus holds the reader to the visible corpus's truth: text
// F1 >= 0.995 and order F1 >= 0.99 on average, no file far below.
func TestVisibleCorpus(t *testing.T) {
	truths, err := score.LoadTruth(visibleDir)
	if err != nil {
		t.Fatal(err)
	}
	var sumText, sumOrder float64
	n := 0
	for _, tr := range truths {
		if !strings.HasSuffix(tr.File, ".pdf") {
			continue
		}
		doc := readFile(t, filepath.Join(visibleDir, "files", tr.File))
		if tr.File == scanOnly {
			for _, p := range doc.Pages {
				if len(p.Lines) > 0 {
					t.Errorf("Read(%s) page %d has %d lines, want none (a scan)", tr.File, p.Number, len(p.Lines))
				}
			}
			if len(doc.Pages) == 0 {
				t.Errorf("Read(%s) has no pages, want its empty pages", tr.File)
			}
			continue
		}
		got := scoringText(doc)
		tf, of := score.TextF1(tr.Text, got), score.OrderF1(tr.Text, got)
		t.Logf("%-52s text %.4f order %.4f", tr.File, tf, of)
		if os.Getenv("PDFTEXT_DUMP") != "" {
			dumpDoc(t, tr.ID, doc, got)
		}
		if tf < 0.97 || of < 0.95 {
			t.Errorf("Read(%s): text F1 %.4f, order F1 %.4f, want >= 0.97 and >= 0.95", tr.File, tf, of)
		}
		sumText += tf
		sumOrder += of
		n++
	}
	avgText, avgOrder := sumText/float64(n), sumOrder/float64(n)
	t.Logf("average over %d PDFs: text %.4f order %.4f", n, avgText, avgOrder)
	if avgText < 0.995 || avgOrder < 0.99 {
		t.Errorf("average text F1 %.4f, order F1 %.4f, want >= 0.995 and >= 0.99", avgText, avgOrder)
	}
}

// TestHardCorpus reads every PDF of the hard corpus: "ok" files must read
// like their source report, "error" files be refused with a stable code,
// "no-harm" files either.
func TestHardCorpus(t *testing.T) {
	truths, err := score.LoadTruth(visibleDir)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for _, tr := range truths {
		byID[tr.ID] = tr.Text
	}
	for _, e := range loadManifest(t) {
		if !strings.HasSuffix(e.File, ".pdf") {
			continue
		}
		t.Run(e.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(hardDir, "files", e.File))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(context.Background(), data, Options{MaxPages: 500})
			switch e.Expect {
			case "ok":
				if err != nil {
					t.Fatalf("Read(%s) error = %v, want none", e.File, err)
				}
				got := scoringText(doc)
				tf, of := score.TextF1(byID[e.Truth], got), score.OrderF1(byID[e.Truth], got)
				t.Logf("%-45s text %.4f order %.4f warnings %q", e.File, tf, of, doc.Warnings)
				if tf < 0.97 {
					t.Errorf("Read(%s): text F1 %.4f, want >= 0.97", e.File, tf)
				}
			case "error":
				if _, ok := mission.RefusalOf(err); !ok {
					t.Errorf("Read(%s) error = %v, want a refusal", e.File, err)
				}
				if strings.Contains(e.Kind, "password") && !errors.Is(err, mission.ErrEncrypted) {
					t.Errorf("Read(%s) error = %v, want %v", e.File, err, mission.ErrEncrypted)
				}
			default:
				if err != nil {
					if _, ok := mission.RefusalOf(err); !ok {
						t.Errorf("Read(%s) error = %v, want a refusal or none", e.File, err)
					}
				}
				if doc != nil {
					t.Logf("%s: %d pages, %d chars, warnings %q", e.File, len(doc.Pages), textLen(doc), doc.Warnings)
				} else {
					t.Logf("%s: refused: %v", e.File, err)
				}
			}
		})
	}
}

func dumpDoc(t *testing.T, id string, doc *layout.Document, text string) {
	dir := os.Getenv("PDFTEXT_DUMP")
	var b strings.Builder
	for _, p := range doc.Pages {
		fmt.Fprintf(&b, "=== page %d (%gx%g)\n", p.Number, p.Width, p.Height)
		for _, l := range p.Lines {
			fmt.Fprintf(&b, "[%6.1f %6.1f %5.1f %4.1f] ", l.X, l.Y, l.W, l.H)
			for _, s := range l.Spans {
				style := ""
				if s.Bold {
					style += "B"
				}
				if s.Italic {
					style += "I"
				}
				fmt.Fprintf(&b, "{%s %.1f %s}%s", s.Font, s.Size, style, s.Text)
			}
			b.WriteByte('\n')
		}
	}
	os.WriteFile(filepath.Join(dir, id+".lines"), []byte(b.String()), 0o644)
	os.WriteFile(filepath.Join(dir, id+".txt"), []byte(text), 0o644)
}
