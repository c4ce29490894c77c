package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"escale/internal/mission"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is the part of a record that the reading and the structure give.
// Metadata (destinations, dates, themes...) is left out: internal/meta
// tests it, and its changes must not churn these files.
type golden struct {
	Format     string              `json:"format"`
	Pages      int                 `json:"pages"`
	Title      *string             `json:"title"`
	Sections   []goldenSection     `json:"sections"`
	Objectives []mission.Objective `json:"objectives"`
	Outcomes   []goldenOutcome     `json:"outcomes"`
	Warnings   []string            `json:"warnings"`
	Text       []string            `json:"text"` // one paragraph per element, for readable diffs
}

type goldenSection struct {
	Heading string `json:"heading"`
	Kind    string `json:"kind"`
	Page    int    `json:"page"`
}

type goldenOutcome struct {
	Category *string `json:"category"`
	Title    *string `json:"title"`
	Text     string  `json:"text"`
	Page     int     `json:"page"`
}

func toGolden(m *mission.Mission) golden {
	g := golden{Format: m.Format, Pages: m.Pages, Title: m.Title, Objectives: m.Objectives,
		Warnings: m.Warnings, Text: strings.Split(m.Text, "\n")}
	for _, s := range m.Sections {
		g.Sections = append(g.Sections, goldenSection{s.Heading, s.Kind, s.Page})
	}
	for _, o := range m.Outcomes {
		g.Outcomes = append(g.Outcomes, goldenOutcome{o.Category, o.Title, o.Text, o.Page})
	}
	return g
}

// TestGolden extracts every report of the visible corpus and compares the
// structure of its record with testdata/golden/FILE.json. Run
// `go test ./internal/extract -run TestGolden -update` to accept changes,
// then review the diff like code.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(visible, "files", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			m, err := Extract(context.Background(), data, name, Options{})
			if err != nil {
				r, _ := mission.RefusalOf(err)
				got, _ = json.MarshalIndent(map[string]string{"refused": r.Code}, "", "  ")
			} else {
				got, _ = json.MarshalIndent(toGolden(m), "", "  ")
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Extract(%s) differs from %s (go test -update to accept):\n%s", name, path, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + a + "\n  got  " + b
		}
	}
	return ""
}
