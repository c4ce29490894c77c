package index

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func analyzers(t *testing.T) map[string]analysis.Analyzer {
	t.Helper()
	m, err := missionMapping()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]analysis.Analyzer{}
	for _, name := range []string{AnalyzerFrench, AnalyzerExact, AnalyzerRoot} {
		a := m.AnalyzerNamed(name)
		if a == nil {
			t.Fatalf("mapping has no analyzer %s", name)
		}
		out[name] = a
	}
	return out
}

// tokens returns the terms an analyzer makes of text.
func tokens(a analysis.Analyzer, text string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// TestAnalyzersMeet checks that the forms staff type and the forms reports
// use give the same terms.
func TestAnalyzersMeet(t *testing.T) {
	as := analyzers(t)
	tests := []struct {
		analyzer string
		forms    []string
	}{
		{AnalyzerFrench, []string{"economie", "l’économie", "L'ÉCONOMIE", "économies", "économiques", "Économique"}},
		{AnalyzerFrench, []string{"inondation", "inondations", "d’inondations"}},
		{AnalyzerFrench, []string{"partenariats", "partenariat"}},
		{AnalyzerFrench, []string{"croisières", "croisiere", "CROISIÈRES"}},
		{AnalyzerFrench, []string{"œnotourisme", "oenotourisme"}},
		{AnalyzerExact, []string{"Québec", "quebec", "QUÉBEC"}},
		{AnalyzerExact, []string{"l’interface", "interface", "L'Interface"}},
		{AnalyzerRoot, []string{"partenariat", "partenaires"}},
		{AnalyzerRoot, []string{"tourisme", "touristiques"}},
	}
	for _, tt := range tests {
		want := tokens(as[tt.analyzer], tt.forms[0])
		if len(want) != 1 {
			t.Errorf("%s(%q) = %v, want one term", tt.analyzer, tt.forms[0], want)
			continue
		}
		for _, f := range tt.forms[1:] {
			if got := tokens(as[tt.analyzer], f); !slices.Equal(got, want) {
				t.Errorf("%s(%q) = %v, want %v (as %q)", tt.analyzer, f, got, want, tt.forms[0])
			}
		}
	}
}

func TestAnalyzerStopWords(t *testing.T) {
	as := analyzers(t)
	tests := []struct {
		analyzer, text string
		want           []string
	}{
		// « à » and « a » both go (the stop list is folded like the terms).
		{AnalyzerFrench, "missions à Bordeaux", []string{"mision", "bordeau"}},
		{AnalyzerFrench, "Il a été reçu", []string{"recu"}},
		// The exact field keeps every word, for phrases.
		{AnalyzerExact, "Villes et Ports", []string{"villes", "et", "ports"}},
	}
	for _, tt := range tests {
		if got := tokens(as[tt.analyzer], tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%s(%q) = %v, want %v", tt.analyzer, tt.text, got, tt.want)
		}
	}
}

// TestAnalyzerOffsets checks that folding keeps each token's offsets on the
// original text, accents and all: highlights depend on it.
func TestAnalyzerOffsets(t *testing.T) {
	as := analyzers(t)
	text := "Réunion sur l’économie à Montréal"
	var got []string
	for _, tok := range as[AnalyzerFrench].Analyze([]byte(text)) {
		got = append(got, text[tok.Start:tok.End])
	}
	want := []string{"Réunion", "l’économie", "Montréal"}
	if !slices.Equal(got, want) {
		t.Errorf("offsets of %q give %q, want %q", text, got, want)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Québec RAYONNE", "quebec rayonne"},
		{"Saint-Jean-de-Luz", "saint jean de luz"},
		{"  Île-de-France ", "ile de france"},
		{"Œuvre d’art", "oeuvre d art"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
