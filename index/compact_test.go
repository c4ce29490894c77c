package index

import (
	"context"
	"math"
	"reflect"
	"testing"

	"escale/internal/tools/synthrec"
)

// segments counts the missions index's segments.
func segments(t *testing.T, ix *Index) int {
	t.Helper()
	s, ok, err := openSnapshot(ix.missions, nil)
	if err != nil || !ok {
		t.Fatalf("openSnapshot: %v, %v", ok, err)
	}
	defer s.close()
	return len(s.segs)
}

// TestCompact checks that Compact leaves a few segments, but two at least,
// none holding more than half the missions (eight segments would merge
// into one without that cap), and that every search gives the same totals,
// facets and scores as before (ties may change order: merging renumbers
// the documents).
func TestCompact(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 200 synthetic records")
	}
	ix, all := syntheticIndex(t, 11, 200, 25) // eight segments
	defer ix.Close()
	ctx := context.Background()
	for i := 0; i < len(all); i += 9 {
		if err := ix.Delete(all[i].MissionID); err != nil {
			t.Fatal(err)
		}
	}
	if merged, err := ix.Compact(ctx); err != nil || merged {
		t.Fatalf("Compact of %d missions = %v, %v; want false (below compactMin)", len(all), merged, err)
	}
	before := segments(t, ix)
	if before < 4 {
		t.Fatalf("%d segments before compacting, want several (Compact merged below compactMin?)", before)
	}
	var qs []Query
	for _, c := range synthrec.Classes {
		for _, sq := range c.Queries {
			qs = append(qs, Query{Text: sq.Text, Filters: sq.Filters, YearFrom: sq.YearFrom, Size: 20})
		}
	}
	want := make([]*Result, len(qs))
	for i, q := range qs {
		var err error
		if want[i], err = ix.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	if merged, err := ix.compact(ctx, 0); err != nil || !merged {
		t.Fatalf("compact = %v, %v; want true", merged, err)
	}
	after := segments(t, ix)
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := openSnapshot(ix.missions, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ss := range s.segs {
		if live := ss.Count() - ss.Deleted().GetCardinality(); live > n/2+1 {
			t.Errorf("a segment holds %d of %d missions, more than half", live, n)
		}
	}
	s.close()
	if after >= before || after > compactSegments || after < 2 {
		t.Errorf("%d segments after compacting, %d before: want 2 to %d", after, before, compactSegments)
	}
	if merged, err := ix.compact(ctx, 0); err != nil || merged {
		t.Errorf("compact again = %v, %v; want false (already compact)", merged, err)
	}
	t.Logf("%d segments -> %d", before, after)
	for i, q := range qs {
		got, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want[i].Total || !reflect.DeepEqual(got.Facets, want[i].Facets) {
			t.Errorf("Search(%q): total %d, facets %v after compacting; before %d, %v", q.Text, got.Total, got.Facets, want[i].Total, want[i].Facets)
			continue
		}
		for k := range got.Hits {
			if a, b := got.Hits[k].Score, want[i].Hits[k].Score; math.Abs(a-b) > 1e-9*math.Max(1, b) {
				t.Errorf("Search(%q): hit %d scores %v after compacting, %v before", q.Text, k, a, b)
			}
		}
	}
	compareEngine(t, ix, qs)
}
