package index

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"escale/internal/mission"
)

// searchCase is one case of testdata/search/cases.json: a query and what its
// result must show. Only the expectations given are checked.
type searchCase struct {
	Name  string `json:"name"`
	Query struct {
		Text     string              `json:"text"`
		Filters  map[string][]string `json:"filters"`
		YearFrom int                 `json:"year_from"`
		YearTo   int                 `json:"year_to"`
		Sort     string              `json:"sort"`
		Page     int                 `json:"page"`
		Size     int                 `json:"size"`
		Advanced bool                `json:"advanced"`
	} `json:"query"`
	Hits        []string                  `json:"hits"`  // exactly these, in this order
	Order       []string                  `json:"order"` // the page starts so
	Set         []string                  `json:"set"`   // exactly these, any order
	First       string                    `json:"first"`
	Total       *int                      `json:"total"`
	Facets      map[string]map[string]int `json:"facets"`       // facet -> value -> count
	Fragment    map[string]string         `json:"fragment"`     // hit -> a passage's fragment contains
	Page        map[string]int            `json:"page"`         // hit -> page of that passage
	DuplicateOf map[string]string         `json:"duplicate_of"` // hit -> duplicate_of
}

func (c searchCase) query() Query {
	q := c.Query
	return Query{Text: q.Text, Filters: q.Filters, YearFrom: q.YearFrom, YearTo: q.YearTo, Sort: q.Sort, Page: q.Page, Size: q.Size, Advanced: q.Advanced}
}

func loadJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// openSample indexes testdata/search/missions.json in a temp dir.
func openSample(t testing.TB) (*Index, []*mission.Mission) {
	t.Helper()
	var ms []*mission.Mission
	loadJSON(t, filepath.Join("testdata", "search", "missions.json"), &ms)
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, m := range ms {
		if err := ix.Put(m); err != nil {
			t.Fatalf("Put(%s): %v", m.MissionID, err)
		}
	}
	return ix, ms
}

// TestSearchCases runs the search tests written as data in testdata/search.
func TestSearchCases(t *testing.T) {
	ix, _ := openSample(t)
	var cases []searchCase
	loadJSON(t, filepath.Join("testdata", "search", "cases.json"), &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			q := c.query()
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			var ids []string
			byID := map[string]Hit{}
			for _, h := range res.Hits {
				ids = append(ids, h.MissionID)
				byID[h.MissionID] = h
			}
			call := "Search(" + strings.TrimSpace(q.Text+" "+fmtFilters(q)) + ")"
			if c.Hits != nil && !slices.Equal(ids, c.Hits) {
				t.Errorf("%s hits = %v, want %v", call, ids, c.Hits)
			}
			if c.Order != nil && (len(ids) < len(c.Order) || !slices.Equal(ids[:len(c.Order)], c.Order)) {
				t.Errorf("%s hits = %v, want them to start with %v", call, ids, c.Order)
			}
			if c.Set != nil {
				got, want := slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values(c.Set))
				if !slices.Equal(got, want) {
					t.Errorf("%s hits = %v, want %v in any order", call, ids, c.Set)
				}
			}
			if c.First != "" && (len(ids) == 0 || ids[0] != c.First) {
				t.Errorf("%s hits = %v, want %s first", call, ids, c.First)
			}
			if c.Total != nil && res.Total != uint64(*c.Total) {
				t.Errorf("%s total = %d, want %d", call, res.Total, *c.Total)
			}
			for f, want := range c.Facets {
				got := map[string]int{}
				for _, v := range res.Facets[f] {
					got[v.Value] = v.Count
				}
				for v, n := range want {
					if got[v] != n {
						t.Errorf("%s facet %s[%q] = %d, want %d (facet: %v)", call, f, v, got[v], n, res.Facets[f])
					}
				}
			}
			for id, want := range c.Fragment {
				h, ok := byID[id]
				if !ok {
					t.Errorf("%s: no hit %s, want one with a fragment containing %q", call, id, want)
					continue
				}
				i := slices.IndexFunc(h.Passages, func(p Passage) bool { return strings.Contains(p.Fragment, want) })
				if i < 0 {
					t.Errorf("%s hit %s passages = %+v, want a fragment containing %q", call, id, h.Passages, want)
					continue
				}
				if page, ok := c.Page[id]; ok && h.Passages[i].Page != page {
					t.Errorf("%s hit %s passage %q page = %d, want %d", call, id, want, h.Passages[i].Page, page)
				}
			}
			for id, want := range c.DuplicateOf {
				if got := byID[id].DuplicateOf; got != want {
					t.Errorf("%s hit %s duplicate_of = %q, want %q", call, id, got, want)
				}
			}
		})
	}
}

func fmtFilters(q Query) string {
	b, _ := json.Marshal(map[string]any{"filters": q.Filters, "from": q.YearFrom, "to": q.YearTo, "sort": q.Sort, "page": q.Page, "size": q.Size, "advanced": q.Advanced})
	return string(b)
}
