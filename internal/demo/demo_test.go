package demo

import "testing"

func TestReports(t *testing.T) {
	rs := Reports()
	if len(rs) < 10 {
		t.Fatalf("Reports() = %d reports, want the sample corpus (at least 10)", len(rs))
	}
	for _, r := range rs {
		if len(r.Data) == 0 || r.Name == "" {
			t.Errorf("Reports() has an empty report %q", r.Name)
		}
	}
}
