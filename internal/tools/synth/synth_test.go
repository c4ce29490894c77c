package synth

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"escale/internal/gazetteer"
	"escale/internal/layout"
	"escale/internal/pdftext"
	"escale/internal/score"
	"escale/internal/taxonomy"
	"escale/internal/textfile"
)

// reports is kept small: CI runs it with -race.
const reports = 12

func newGen(t testing.TB, opt Options) *Generator {
	t.Helper()
	g, err := New(gazetteer.Default(), taxonomy.Default(), opt)
	if err != nil {
		t.Fatalf("New(%+v) error: %v", opt, err)
	}
	return g
}

func TestSameSeedSameBytes(t *testing.T) {
	const n = 6
	a, b := newGen(t, Options{Seed: 1}), newGen(t, Options{Seed: 1})
	other := newGen(t, Options{Seed: 8})
	first := make([]Report, n)
	for i := range n {
		r, err := a.Report(i)
		if err != nil {
			t.Fatalf("Report(%d) error: %v", i, err)
		}
		first[i] = r
	}
	exts := map[string]bool{}
	for _, r := range first {
		exts[filepath.Ext(r.Name)] = true
	}
	if !exts[".pdf"] || !exts[".txt"] && !exts[".md"] {
		t.Fatalf("reports 0 to %d of seed 1 are %v, want PDF and text for this test", n-1, exts)
	}
	// The second generator goes backwards: a report must not depend on the
	// ones made before it.
	for i := n - 1; i >= 0; i-- {
		ra, rb := first[i], must(t, b, i)
		if !bytes.Equal(ra.Data, rb.Data) || ra.Name != rb.Name {
			t.Errorf("Report(%d) twice with seed 1: %s (%d bytes) and %s (%d bytes), want the same", i, ra.Name, len(ra.Data), rb.Name, len(rb.Data))
		}
		if !reflect.DeepEqual(ra.Truth, rb.Truth) {
			t.Errorf("Report(%d).Truth differs between two runs with seed 1", i)
		}
	}
	for i := range 2 {
		if bytes.Equal(first[i].Data, must(t, other, i).Data) {
			t.Errorf("Report(%d) is the same with seeds 1 and 8, want different reports", i)
		}
	}
}

func must(t *testing.T, g *Generator, i int) Report {
	t.Helper()
	r, err := g.Report(i)
	if err != nil {
		t.Fatalf("Report(%d) error: %v", i, err)
	}
	return r
}

func read(t *testing.T, r Report) *layout.Document {
	t.Helper()
	var d *layout.Document
	var err error
	if filepath.Ext(r.Name) == ".pdf" {
		d, err = pdftext.Read(context.Background(), r.Data, pdftext.Options{})
	} else {
		d, err = textfile.Read(r.Data)
	}
	if err != nil {
		t.Fatalf("reading %s: %v", r.Name, err)
	}
	return d
}

func docText(d *layout.Document) string {
	var b strings.Builder
	for _, p := range d.Pages {
		for _, l := range p.Lines {
			b.WriteString(l.Text())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// The files open with the project's readers, and what they read is the
// truth's text, give or take running headers, page numbers, hyphens and
// Markdown marks.
func TestReportsReadBack(t *testing.T) {
	g := newGen(t, Options{Seed: 1, PDF: 0.5})
	kinds := map[string]int{}
	for i := range reports {
		r, err := g.Report(i)
		if err != nil {
			t.Fatalf("Report(%d) error: %v", i, err)
		}
		ext := filepath.Ext(r.Name)
		kinds[ext]++
		d := read(t, r)
		got := docText(d)
		f1 := score.TextF1(r.Truth.Text, got)
		want := 0.97
		if ext == ".pdf" {
			want = 0.85 // page numbers, headers and cut words are in the file, not in the truth
			if len(d.Pages) != r.Pages || r.Pages < 1 || r.Pages > 6 {
				t.Errorf("Report(%d) %s: reader sees %d pages, Report.Pages = %d, want the same, 1 to 6", i, r.Name, len(d.Pages), r.Pages)
			}
		}
		if f1 < want {
			t.Errorf("Report(%d) %s: text F1 against its truth = %.3f, want at least %.2f", i, r.Name, f1, want)
		}
		if ext == ".pdf" {
			bold := false
			for _, l := range d.Pages[0].Lines {
				bold = bold || l.Bold()
			}
			if !bold {
				t.Errorf("Report(%d) %s: no bold line on page 1, want headings in bold", i, r.Name)
			}
		}
	}
	for _, ext := range []string{".pdf", ".txt", ".md"} {
		if kinds[ext] == 0 {
			t.Errorf("%d reports have no %s file, want every format (got %v)", reports, ext, kinds)
		}
	}
}

// The truth agrees with itself: what it lists is in its text, ids and names
// are unique, themes are the taxonomy's, dates make a trip.
func TestTruthConsistent(t *testing.T) {
	g := newGen(t, Options{Seed: 3})
	tx := taxonomy.Default()
	names, ids := map[string]bool{}, map[string]bool{}
	for i := range reports {
		r, err := g.Report(i)
		if err != nil {
			t.Fatalf("Report(%d) error: %v", i, err)
		}
		tr := r.Truth
		where := fmt.Sprintf("Report(%d) %s", i, r.Name)
		if names[r.Name] || ids[tr.ID] || tr.File != r.Name {
			t.Errorf("%s: id %q, file %q: want a unique id and name, file = name", where, tr.ID, tr.File)
		}
		names[r.Name], ids[tr.ID] = true, true
		in := func(what, s string) {
			if !strings.Contains(tr.Text, s) {
				t.Errorf("%s: %s %q is not in the truth's text", where, what, s)
			}
		}
		if tr.Title != nil {
			in("title", *tr.Title)
		}
		if len(tr.Objectives) == 0 || len(tr.Outcomes) == 0 {
			t.Errorf("%s: %d objectives, %d outcomes, want some of each", where, len(tr.Objectives), len(tr.Outcomes))
		}
		for _, o := range tr.Objectives {
			in("objective", o)
		}
		for _, o := range tr.Outcomes {
			in("outcome text", o.Text)
			if o.Title != nil {
				in("outcome title", *o.Title)
			}
			if o.Category != nil {
				in("category", *o.Category)
			}
		}
		if len(tr.Destinations) == 0 {
			t.Errorf("%s: no destination", where)
		}
		for _, d := range tr.Destinations {
			in("destination", d.City)
		}
		for _, th := range tr.Themes {
			if !tx.Has(th) {
				t.Errorf("%s: theme %q is not in the taxonomy", where, th)
			}
		}
		if len(tr.Themes) == 0 {
			t.Errorf("%s: no theme", where)
		}
		if (tr.StartDate == nil) != (tr.EndDate == nil) {
			t.Errorf("%s: start %v, end %v: want both or neither", where, tr.StartDate, tr.EndDate)
		}
		if tr.StartDate != nil {
			if *tr.StartDate > *tr.EndDate || tr.Year == nil || (*tr.EndDate)[:4] != fmt.Sprint(*tr.Year) {
				t.Errorf("%s: start %s, end %s, year %v: want start ≤ end in the year", where, *tr.StartDate, *tr.EndDate, tr.Year)
			}
		}
		if tr.Year != nil && (*tr.Year < 1995 || *tr.Year > 2026) {
			t.Errorf("%s: year %d, want 1995 to 2026", where, *tr.Year)
		}
		if strings.HasSuffix(r.Name, ".pdf") != strings.HasPrefix(tr.Format, "pdf") {
			t.Errorf("%s: format %q does not match the file's extension", where, tr.Format)
		}
	}
}

// Every template fills for every theme: a slot without a value panics.
func TestTemplatesFill(t *testing.T) {
	g := newGen(t, Options{Seed: 1})
	r := newRNG(1, 0)
	p := g.plan(r)
	b := &builder{g: g, r: r, p: p, mentioned: map[string]bool{}, used: map[string]bool{}, truthThemes: map[string]bool{}}
	sets := [][]string{goalTemplates, titleTemplates, resultTemplates, followTemplates, activityTemplates, contextTemplates, dayTemplates}
	for i := range themes {
		th := &themes[i]
		all := append([]string{}, th.context...)
		all = append(all, th.results...)
		for _, s := range sets {
			all = append(all, s...)
		}
		for _, tmpl := range all {
			for _, topic := range th.topics {
				s := b.sentence(tmpl, th, b.homeFill(topic))
				if strings.ContainsAny(s, "{}") {
					t.Errorf("sentence(%q, %s) = %q, want every slot filled", tmpl, th.id, s)
				}
				for _, bad := range []string{" de le ", " à le ", " de les ", " à les ", " de des ", " de un"} {
					if strings.Contains(" "+s, bad) {
						t.Errorf("sentence(%q, %s) = %q, want %q contracted", tmpl, th.id, s, bad)
					}
				}
			}
		}
	}
}

func TestPagesOption(t *testing.T) {
	for _, want := range []int{1, 3} {
		g := newGen(t, Options{Seed: 5, PDF: 1, Pages: want})
		hit := 0
		for i := range 6 {
			r, err := g.Report(i)
			if err != nil {
				t.Fatalf("Report(%d) error: %v", i, err)
			}
			if r.Pages == want {
				hit++
			}
		}
		if hit < 5 {
			t.Errorf("Options{Pages: %d}: %d of 6 PDFs have %d pages, want at least 5", want, hit, want)
		}
	}
}

func TestSyllableBreak(t *testing.T) {
	tests := []struct {
		word string
		at   int
		want bool
	}{
		{"urbaniste", 2, true},      // ur-baniste
		{"patrimoine", 3, false},    // never between t and r
		{"patrimoine", 2, true},     // pa-trimoine
		{"conseillère", 3, true},    // con-seillère
		{"architecture", 4, false},  // arch-itecture: « ch » stays whole
		{"l’aménagement", 2, false}, // never right after « l’ »
		{"développement", 2, true},  // dé-veloppement
		{"développement", 3, false},
		{"2023-2026", 4, false},
	}
	for _, tc := range tests {
		got := syllableBreak([]rune(tc.word), tc.at)
		if got != tc.want {
			t.Errorf("syllableBreak(%q, %d) = %v, want %v", tc.word, tc.at, got, tc.want)
		}
	}
}

// BenchmarkReport measures one report of the default mix (65 % PDF).
func BenchmarkReport(b *testing.B) {
	g := newGen(b, Options{Seed: 1})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := g.Report(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkReportPDF measures one two-page PDF.
func BenchmarkReportPDF(b *testing.B) {
	g := newGen(b, Options{Seed: 1, PDF: 1, Pages: 2})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := g.Report(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
