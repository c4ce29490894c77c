package index

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"escale/internal/gazetteer"
	"escale/internal/mission"
	"escale/internal/score"
	"escale/internal/synonyms"
	"escale/internal/tools/synthrec"
)

// engineQueries are searches of every shape: the judged queries, then
// filters (multi-select), years, sections, advanced syntax, sorts and pages.
func engineQueries(t *testing.T) []Query {
	queries, err := score.LoadQueries(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var qs []Query
	for _, j := range queries {
		qs = append(qs, Query{Text: j.Q, Filters: j.Filters})
	}
	two := map[string][]string{"country": {"France", "Portugal", "Canada"}, "theme": {"tourisme", "ville-port"}}
	qs = append(qs,
		Query{},
		Query{Filters: two},
		Query{Filters: map[string][]string{"section": {"outcomes"}}},
		Query{Text: "port", Filters: two, YearFrom: 2016},
		Query{Text: "port croisière", Filters: map[string][]string{"section": {"outcomes", "context"}}},
		Query{Text: "patrimoine", YearFrom: 2010, YearTo: 2020},
		Query{Text: "ville", Filters: map[string][]string{"year": {"2019", "2023"}}},
		Query{Text: "ville", Sort: SortDate},
		Query{Text: "ville", Page: 2, Size: 5},
		Query{Text: "économie", Size: 100},
		Query{Text: `"villes et ports"`},
		Query{Text: `+port -croisière`, Advanced: true},
		Query{Text: `-port`, Advanced: true},
		Query{Text: `port*`, Advanced: true},
		Query{Text: `title:mission économie`, Advanced: true},
		Query{Text: `country:France tourisme`, Advanced: true},
		Query{Text: "missions à Lisbonne 2025"},
		Query{Text: "inondatons patrimoinne"},
		Query{Text: "zzzz introuvable"},
	)
	return qs
}

// sameResult reports how two results of one query differ, "" when they
// agree: totals, hits in order, scores, facets and passages.
func sameResult(got, want *Result) string {
	if got.Total != want.Total {
		return fmt.Sprintf("total = %d, want %d", got.Total, want.Total)
	}
	if len(got.Hits) != len(want.Hits) {
		return fmt.Sprintf("%d hits, want %d", len(got.Hits), len(want.Hits))
	}
	wantHits := tiesAsIn(want.Hits, got.Hits)
	for i := range got.Hits {
		g, w := got.Hits[i], wantHits[i]
		if g.MissionID != w.MissionID {
			return fmt.Sprintf("hit %d = %s, want %s", i, g.MissionID, w.MissionID)
		}
		if math.Abs(g.Score-w.Score) > 1e-9*math.Max(1, math.Abs(w.Score)) {
			return fmt.Sprintf("hit %d (%s) score = %v, want %v", i, g.MissionID, g.Score, w.Score)
		}
		if !reflect.DeepEqual(g.Passages, w.Passages) {
			return fmt.Sprintf("hit %d (%s) passages = %+v, want %+v", i, g.MissionID, g.Passages, w.Passages)
		}
		g.Score, w.Score, g.Passages, w.Passages = 0, 0, nil, nil
		if !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("hit %d = %+v, want %+v", i, g, w)
		}
	}
	if !reflect.DeepEqual(got.Facets, want.Facets) {
		return fmt.Sprintf("facets = %v, want %v", got.Facets, want.Facets)
	}
	if !reflect.DeepEqual(got.Years, want.Years) {
		return fmt.Sprintf("years = %v, want %v", got.Years, want.Years)
	}
	return ""
}

// tiesAsIn returns want with each run of hits of equal scores in the order
// got has them, where got holds the same hits in that run: the two paths
// may order tied hits differently (each in its own index order, which
// merges change), and either order is right.
func tiesAsIn(want, got []Hit) []Hit {
	out := slices.Clone(want)
	same := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && same(out[j].Score, out[i].Score) {
			j++
		}
		if j-i > 1 && j <= len(got) {
			pos := map[string]int{}
			for k := i; k < j; k++ {
				pos[got[k].MissionID] = k
			}
			run := out[i:j]
			if !slices.ContainsFunc(run, func(h Hit) bool { _, ok := pos[h.MissionID]; return !ok }) {
				slices.SortFunc(run, func(a, b Hit) int { return pos[a.MissionID] - pos[b.MissionID] })
			}
		}
		i = j
	}
	return out
}

// syntheticIndex opens an index in a temporary directory holding the first
// n of synthrec's records of seed, put batch at a time (a segment each,
// until merged), and returns it with the records in order. The caller
// closes it.
func syntheticIndex(t *testing.T, seed int64, n, batch int) (*Index, []*mission.Mission) {
	t.Helper()
	src, err := synthrec.New(seed)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var all []*mission.Mission
	err = src.Batches(context.Background(), 0, n, batch, 0, func(items []synthrec.Item) error {
		var ms []*mission.Mission
		for _, it := range items {
			ms = append(ms, it.Mission)
		}
		all = append(all, ms...)
		return ix.PutBatch(ms)
	})
	if err != nil {
		ix.Close()
		t.Fatal(err)
	}
	return ix, all
}

// compareEngine runs every query through the engine and through Bleve.
func compareEngine(t *testing.T, ix *Index, qs []Query) {
	ctx := context.Background()
	for _, q := range qs {
		got, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		nq := q
		if err := normPage(&nq); err != nil {
			t.Fatal(err)
		}
		p, err := ix.newPlan(nq)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ix.searchBleve(ctx, nq, p, ix.stats.Load())
		if err != nil {
			t.Fatalf("searchBleve(%+v): %v", q, err)
		}
		if d := sameResult(got, want); d != "" {
			t.Errorf("Search(%+v): %s (engine against Bleve)", q, d)
		}
	}
}

// TestEngineMatchesBleve checks that the missions' own search gives what
// Bleve's searchers, collector and facets give, over the visible corpus and
// the search tests' sample.
func TestEngineMatchesBleve(t *testing.T) {
	qs := engineQueries(t)
	t.Run("corpus", func(t *testing.T) { compareEngine(t, openCorpus(t), qs) })
	t.Run("sample", func(t *testing.T) {
		ix, _ := openSample(t)
		compareEngine(t, ix, qs)
	})
	t.Run("synonyms", func(t *testing.T) {
		g := gazetteer.Default()
		ix := openCorpusWith(t, Options{Places: g, Synonyms: synonyms.Default(), Zones: g.ZonesOf})
		compareEngine(t, ix, append(qs,
			Query{Text: "électrifier les quais pour les paquebots"},
			Query{Text: "électrification des quais"},
			Query{Text: "matières résiduelles et déchets"},
			Query{Text: "transport en commun", Filters: map[string][]string{"country": {"France", "Espagne"}}},
			Query{Text: "sciences de la vie et biotech"},
			Query{Text: "missions en Europe"},
			Query{Text: "hausse du niveau de la mer", Sort: SortDate},
		))
	})
}

// TestEngineSegments checks the engine over an index of many segments with
// deleted and replaced documents, the state an archive reaches after months
// of ingestion and corrections.
func TestEngineSegments(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 120 synthetic records")
	}
	ix, all := syntheticIndex(t, 7, 120, 20)
	defer ix.Close()
	for i := 0; i < len(all); i += 7 {
		if err := ix.Delete(all[i].MissionID); err != nil {
			t.Fatal(err)
		}
	}
	for i := 3; i < len(all); i += 11 {
		m := *all[i]
		y := 2001
		m.Year = &y
		if err := ix.Put(&m); err != nil {
			t.Fatal(err)
		}
	}
	qs := engineQueries(t)
	for _, c := range synthrec.Classes {
		for _, sq := range c.Queries {
			qs = append(qs, Query{Text: sq.Text, Filters: sq.Filters, YearFrom: sq.YearFrom})
			qs = append(qs, Query{Text: sq.Text, Filters: sq.Filters, YearFrom: sq.YearFrom, Sort: SortDate, Page: 2, Size: 7})
		}
	}
	compareEngine(t, ix, qs)

	// IDs reads the segments too: the same ids and fingerprints as Bleve's
	// search gives, deleted and replaced missions included.
	got, err := ix.IDs()
	if err != nil {
		t.Fatal(err)
	}
	want, err := ix.idsBleve()
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); len(got) != int(n) || !reflect.DeepEqual(got, want) {
		t.Errorf("IDs() = %d ids, want the %d of Bleve's search (index count %d); equal: %v", len(got), len(want), n, reflect.DeepEqual(got, want))
	}
}

// TestSplit checks where scoreDocs and topByScore cut their documents in
// two: in the middle of the documents, not at all for a few; and where
// halves cuts the segments: on the boundary nearest the middle of the
// index, never leaving a side empty.
func TestSplit(t *testing.T) {
	seq := func(from, to uint32) []uint32 {
		var out []uint32
		for d := from; d < to; d++ {
			out = append(out, d)
		}
		return out
	}
	for _, c := range []struct {
		name string
		docs []uint32
		want int
	}{
		{"every document", seq(0, 150), 75},
		{"spread", append(seq(0, 40), seq(110, 150)...), 40},
		{"few", seq(0, 20), 0},
	} {
		if got := halfway(c.docs); got != c.want {
			t.Errorf("%s: halfway(%d docs from %d) = %d, want %d", c.name, len(c.docs), c.docs[0], got, c.want)
		}
	}
	for _, c := range []struct {
		base []uint64
		want int
	}{
		{[]uint64{0, 50, 100, 140}, 2}, // 50 and 100 are both 25 from the middle: the later
		{[]uint64{0, 20, 55}, 2},
		{[]uint64{0, 140}, 1},
		{[]uint64{0}, 0},
	} {
		s := &snapshot{base: c.base, maxDoc: 150, segs: make([]*scorch.SegmentSnapshot, len(c.base))}
		if got := s.middle(); got != c.want {
			t.Errorf("middle of segments starting at %v = %d, want %d", c.base, got, c.want)
		}
	}
}
