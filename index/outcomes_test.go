package index

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestOutcomes(t *testing.T) {
	ix, _ := openSample(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		q         Query
		total     uint64
		first     string // mission of the first outcome
		fragment  string // the first outcome's fragment contains
		facet     string
		facetWant map[string]int
	}{
		{name: "all, newest first", q: Query{}, total: 5, first: "quebec-2023"},
		{name: "text", q: Query{Text: "pluie orages"}, total: 1, first: "rotterdam-2018", fragment: "stockent la <mark>pluie</mark> lors des <mark>orages</mark>"},
		{name: "category, folded, merging spellings", q: Query{Filters: map[string][]string{"category": {"quebec apprend"}}}, total: 2,
			facet: "category", facetWant: map[string]int{"Québec APPREND": 2, "Québec RAYONNE": 2}},
		{name: "an outcome's own theme", q: Query{Filters: map[string][]string{"theme": {"culture-patrimoine"}}}, total: 1, first: "lyon-2019"},
		{name: "the mission's themes for an outcome without", q: Query{Filters: map[string][]string{"theme": {"education"}}}, total: 1, first: "quebec-2023"},
		{name: "city and year", q: Query{Filters: map[string][]string{"city": {"Lyon", "Bordeaux"}}, YearFrom: 2017}, total: 2, first: "lyon-2019",
			facet: "city", facetWant: map[string]int{"Lyon": 2, "Rotterdam": 1, "Québec": 1, "Bordeaux": 0}},
	}
	for _, tt := range tests {
		res, err := ix.Outcomes(ctx, tt.q)
		if err != nil {
			t.Fatalf("%s: Outcomes(%+v): %v", tt.name, tt.q, err)
		}
		if res.Total != tt.total || len(res.Outcomes) != int(tt.total) {
			t.Errorf("%s: Outcomes(%+v) total = %d (%d listed), want %d", tt.name, tt.q, res.Total, len(res.Outcomes), tt.total)
			continue
		}
		if tt.first != "" && res.Outcomes[0].MissionID != tt.first {
			t.Errorf("%s: Outcomes(%+v)[0] is of %s, want %s", tt.name, tt.q, res.Outcomes[0].MissionID, tt.first)
		}
		if tt.fragment != "" && !strings.Contains(res.Outcomes[0].Fragment, tt.fragment) {
			t.Errorf("%s: Outcomes(%+v)[0].Fragment = %q, want it to contain %q", tt.name, tt.q, res.Outcomes[0].Fragment, tt.fragment)
		}
		for v, n := range tt.facetWant {
			got := 0
			for _, fv := range res.Facets[tt.facet] {
				if fv.Value == v {
					got = fv.Count
				}
			}
			if got != n {
				t.Errorf("%s: Outcomes(%+v) facet %s[%q] = %d, want %d (%v)", tt.name, tt.q, tt.facet, v, got, n, res.Facets[tt.facet])
			}
		}
	}
	res, err := ix.Outcomes(ctx, Query{Filters: map[string][]string{"city": {"Lyon"}}})
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outcomes[0]
	if o.Page == 0 || o.Text == "" || o.Year == nil || *o.Year != 2019 || len(o.Destinations) != 1 || o.Filename == "" {
		t.Errorf("Outcomes(city=Lyon)[0] = %+v, want page, text, year 2019, destination and file name", o)
	}
}

func TestCompare(t *testing.T) {
	ix, _ := openSample(t)
	ctx := context.Background()
	m, err := ix.Compare(ctx, Query{}, "year", "category")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for i, r := range m.Rows {
		for j, c := range m.Cols {
			if n := m.Counts[i][j]; n > 0 {
				got[r+"|"+c] = n
			}
		}
	}
	want := map[string]int{"2019|Québec APPREND": 1, "2019|Québec RAYONNE": 1, "2018|Québec APPREND": 1, "2016|Québec RAYONNE": 1, "2023|": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Compare(year, category) cells = %v, want %v", got, want)
	}
	if wantRows := []string{"2016", "2018", "2019", "2023"}; !reflect.DeepEqual(m.Rows, wantRows) {
		t.Errorf("Compare(year, category) rows = %v, want %v", m.Rows, wantRows)
	}
	if m.Total != 5 {
		t.Errorf("Compare(year, category) total = %d, want 5", m.Total)
	}

	m, err = ix.Compare(ctx, Query{Text: "économie"}, "year", "theme")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Rows, []string{"2019"}) || !reflect.DeepEqual(m.Cols, []string{"economie-innovation"}) || m.Counts[0][0] != 1 {
		t.Errorf("Compare(économie; year, theme) = %+v, want 2019 × economie-innovation = 1", m)
	}

	m, err = ix.Compare(ctx, Query{Filters: map[string][]string{"country": {"France"}}}, "city", "theme")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Rows) != 2 || m.Total != 3 {
		t.Errorf("Compare(country=France; city, theme) = %+v, want Lyon and Bordeaux, 3 outcomes", m)
	}
}
