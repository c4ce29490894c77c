package index

import (
	"sync"
	"testing"
)

func TestDateNumber(t *testing.T) {
	for _, c := range []struct {
		key  string
		want int32
	}{
		{"2019-05-01", 20190501},
		{"2019", 20190000}, // a year alone sorts before any date of that year
		{"1995-12-31", 19951231},
		{"", -1},
		{"n/a", -1},
	} {
		if got := dateNumber(c.key); got != c.want {
			t.Errorf("dateNumber(%q) = %d, want %d", c.key, got, c.want)
		}
	}
	if !(dateNumber("2019") < dateNumber("2019-01-01") && dateNumber("2019-12-31") < dateNumber("2020")) {
		t.Errorf("dateNumber does not sort as the keys do")
	}
}

// TestValueDict checks that values are numbered once, folded alike values
// share a group, and unknown facets are refused, from many goroutines.
func TestValueDict(t *testing.T) {
	d := newValueDict()
	terms := []string{
		FacetCity + pairSep + "Québec", FacetCity + pairSep + "Quebec", FacetCountry + pairSep + "Canada",
		FacetYear + pairSep + "2019", FacetCity + pairSep + "Québec",
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, term := range terms {
				if _, ok := d.ordOf(term); !ok {
					t.Errorf("ordOf(%q) refused a facet value", term)
				}
			}
		}()
	}
	wg.Wait()
	v := d.view()
	if len(v.value) != 4 {
		t.Fatalf("dictionary holds %d values %q, want 4", len(v.value), v.value)
	}
	a, _ := d.ordOf(terms[0])
	b, _ := d.ordOf(terms[1])
	c, _ := d.ordOf(terms[2])
	if v.group[a] != v.group[b] || v.group[a] == v.group[c] {
		t.Errorf("groups: Québec %d, Quebec %d, Canada %d; want the first two alike, the third apart", v.group[a], v.group[b], v.group[c])
	}
	y, _ := d.ordOf(terms[3])
	if v.year[y] != 2019 || v.facet[y] != uint8(facetIndex(FacetYear)) {
		t.Errorf("year value: year %d facet %d, want 2019 in facet %d", v.year[y], v.facet[y], facetIndex(FacetYear))
	}
	if _, ok := d.ordOf("nofacet" + pairSep + "x"); ok {
		t.Errorf("ordOf of an unknown facet = ok, want refused")
	}
}
