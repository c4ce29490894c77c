package gazetteer

import "testing"

func TestAllYieldsEveryCity(t *testing.T) {
	g := Default()
	n := 0
	for c := range g.All() {
		if c.Name == "" || c.CountryCode == "" {
			t.Fatalf("All() yielded %+v, want a named city with a country", c)
		}
		n++
	}
	if n != g.Len() {
		t.Errorf("All() yielded %d cities, want Len() = %d", n, g.Len())
	}
	for range g.All() {
		break // stopping early must not panic
	}
}
