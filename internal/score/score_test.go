package score

import (
	"math"
	"testing"

	"escale/internal/mission"
)

func TestSimilarityMatchesDifflib(t *testing.T) {
	// Figures from Python's difflib.SequenceMatcher(None, a, b, autojunk=False).ratio().
	tests := []struct {
		a, b string
		want float64
	}{
		{"abcd", "bcde", 0.75},
		{"Québec RAYONNE", "québec rayonne", 1},
		{"la ville de Québec", "ville de Québec", 0.9090909},
		{"", "", 1},
		{"abc", "", 0},
	}
	for _, tt := range tests {
		if got := Similarity(tt.a, tt.b); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("Similarity(%q, %q) = %f, want %f", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestTruthScoresPerfectAgainstItself(t *testing.T) {
	truths, err := LoadTruth("../../testdata/corpus/visible")
	if err != nil {
		t.Fatal(err)
	}
	if len(truths) == 0 {
		t.Fatal("LoadTruth found no truth files")
	}
	var s Summary
	for _, tr := range truths {
		m := &mission.Mission{Title: tr.Title, Destinations: tr.Destinations, StartDate: tr.StartDate,
			EndDate: tr.EndDate, Year: tr.Year, Themes: tr.Themes, Text: tr.Text}
		for _, o := range tr.Objectives {
			m.Objectives = append(m.Objectives, mission.Objective{Text: o})
		}
		for _, o := range tr.Outcomes {
			m.Outcomes = append(m.Outcomes, mission.Outcome{Category: o.Category, Title: o.Title, Text: o.Text})
		}
		s.Add(Compare(tr, m))
	}
	for name, v := range s.Metrics() {
		if v != 1 {
			t.Errorf("Metrics()[%q] = %f for truth against itself, want 1", name, v)
		}
	}
	var half Summary
	half.AddRefused(truths[0])
	if got := half.Metrics()["objectives_f1"]; got != 0 {
		t.Errorf("objectives_f1 of a refused document = %f, want 0", got)
	}
}
