package unaccent

import (
	"os"
	"path/filepath"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestLower(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"delegation", "delegation"},
		{"Délégation GÉNÉRALE", "delegation generale"},
		{"Québec", "quebec"},
		{"Que\u0301bec", "quebec"}, // already decomposed
		{"l’AIVP « Œuvre » – 2019…", "l’aivp « œuvre » – 2019…"},
		{"ǺNGSTRÖM", "angstrom"}, // a rune with two marks
		{"Ελληνικά", "ελληνικα"}, // beyond the spans
		{"São Paulo, Hô-Chi-Minh-Ville", "sao paulo, ho-chi-minh-ville"},
		{"bad \xff byte É", decomposed("bad \xff byte É")},
	} {
		if got := Lower(tt.in); got != tt.want {
			t.Errorf("Lower(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSpansFoldAlone checks what Lower relies on: the decomposition of
// every rune of the spans holds only starters and nonspacing marks, so no
// neighbour's marks reorder around what stays, and each such rune folds
// alone as decomposing it would.
func TestSpansFoldAlone(t *testing.T) {
	for _, sp := range spans {
		for r := sp.lo; r <= sp.hi; r++ {
			if got, want := Lower(string(r)), decomposed(string(r)); got != want {
				t.Errorf("Lower(%q) = %q, want %q (decomposed)", string(r), got, want)
			}
			for _, d := range norm.NFD.String(string(r)) {
				if norm.NFD.PropertiesString(string(d)).CCC() != 0 && !unicode.Is(unicode.Mn, d) {
					t.Errorf("rune %U decomposes into %U, a non-starter that is not a nonspacing mark", r, d)
				}
			}
		}
	}
}

// TestLowerCorpus compares Lower with the decomposing definition on every
// text file and truth of the test corpora, line by line.
func TestLowerCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/corpus/*/truth/*.json")
	more, _ := filepath.Glob("../../testdata/corpus/*/files/*.txt")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if got, want := Lower(s), decomposed(s); got != want {
			t.Errorf("Lower(%s) differs from its decomposition", f)
		}
	}
}

func FuzzLower(f *testing.F) {
	for _, s := range []string{"Québec", "Que\u0301bec", "ǺNGSTRÖM", "Ελληνικά", "a\u0301\u0327\u0316b", "\xff", "ở Hà Nội"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Lower(s), decomposed(s); got != want {
			t.Errorf("Lower(%q) = %q, want %q (decomposed)", s, got, want)
		}
	})
}

// BenchmarkLower folds the words of the annotated reports' truths one by
// one, as the metadata's word lists do.
func BenchmarkLower(b *testing.B) {
	files, _ := filepath.Glob("../../testdata/corpus/visible/truth/*.json")
	var words []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, w := range splitFields(string(data)) {
			words = append(words, w)
		}
	}
	b.Run("Lower", func(b *testing.B) {
		for b.Loop() {
			for _, w := range words {
				Lower(w)
			}
		}
	})
	b.Run("decomposed", func(b *testing.B) {
		for b.Loop() {
			for _, w := range words {
				decomposed(w)
			}
		}
	})
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		letter := unicode.IsLetter(r)
		if letter && start < 0 {
			start = i
		}
		if !letter && start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	return out
}
