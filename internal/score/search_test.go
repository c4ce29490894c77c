package score

import (
	"math"
	"testing"
)

func TestNDCGRecall(t *testing.T) {
	rel := map[string]int{"a": 2, "b": 1}
	tests := []struct {
		ranked    []string
		k         int
		ndcg, rec float64
	}{
		{[]string{"a", "b", "x"}, 10, 1, 1},
		// dcg = 1/log2(2) + 3/log2(3); idcg = 3/log2(2) + 1/log2(3)
		{[]string{"b", "a"}, 10, (1 + 3/math.Log2(3)) / (3 + 1/math.Log2(3)), 1},
		{[]string{"x", "a"}, 1, 0, 0},
		{nil, 10, 0, 0},
		{[]string{"x", "y", "a"}, 10, (3 / 2.0) / (3 + 1/math.Log2(3)), 0.5},
	}
	for _, tt := range tests {
		if got := NDCG(tt.ranked, rel, tt.k); math.Abs(got-tt.ndcg) > 1e-9 {
			t.Errorf("NDCG(%v, %v, %d) = %.6f, want %.6f", tt.ranked, rel, tt.k, got, tt.ndcg)
		}
		if got := Recall(tt.ranked, rel, tt.k); math.Abs(got-tt.rec) > 1e-9 {
			t.Errorf("Recall(%v, %v, %d) = %.3f, want %.3f", tt.ranked, rel, tt.k, got, tt.rec)
		}
	}
	if got := NDCG([]string{"a"}, map[string]int{}, 10); got != 1 {
		t.Errorf("NDCG with nothing relevant = %v, want 1 (as score.py)", got)
	}
}

func TestLoadQueries(t *testing.T) {
	qs, err := LoadQueries("../../testdata/corpus/visible")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) == 0 {
		t.Fatal("LoadQueries: no queries")
	}
	found := false
	for _, q := range qs {
		if q.Q == "" || len(q.Relevant) == 0 {
			t.Errorf("query %+v: want text and judgments", q)
		}
		if y := q.Filters["year"]; len(y) == 1 && y[0] == "2023" {
			found = true
		}
	}
	if !found {
		t.Error("LoadQueries: no query with filter year=[2023] (numbers must come back as strings)")
	}
}
