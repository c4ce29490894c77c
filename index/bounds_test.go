package index

import (
	"testing"

	"escale/internal/gazetteer"
	"escale/internal/synonyms"
)

// TestBoundsHoldScores checks, for every hit of every query over the
// corpus (with synonyms and places), that the bound rising prunes by is the
// bound of the document's own marks (bounds' table gives no other
// pattern's) and is never below the document's exact score: a bound too
// low would drop a document from the page.
func TestBoundsHoldScores(t *testing.T) {
	g := gazetteer.Default()
	ix := openCorpusWith(t, Options{Places: g, Synonyms: synonyms.Default(), Zones: g.ZonesOf})
	qs := append(engineQueries(t),
		Query{Text: "électrification des quais pour les paquebots"},
		Query{Text: "coopération portuaire et économie bleue à Anvers"},
		Query{Text: "patrimoine mondial 2019"},
	)
	checked := 0
	for _, q := range qs {
		e, hits := engineFor(t, ix, q)
		if e == nil {
			continue
		}
		scores, err := e.scoreDocs(hits)
		if err != nil {
			t.Fatal(err)
		}
		b, direct := e.bounds(), e.bounds()
		for i, d := range hits {
			want := direct.compute(d)
			if got := b.of(d); got != want {
				t.Errorf("%q: document %d: bounds gives %v, its marks' bound is %v", q.Text, d, got, want)
			}
			if want < scores[i]*(1-1e-9) {
				t.Errorf("%q: document %d: bound %v below its score %v", q.Text, d, want, scores[i])
			}
			checked++
		}
		e.s.close()
	}
	if checked < 100 {
		t.Errorf("%d hits checked, want many", checked)
	}
}

// TestBoundsTableCollisions checks that two patterns of marks meeting in
// one slot of bounds' table each get their own bound.
func TestBoundsTableCollisions(t *testing.T) {
	ix := openCorpus(t)
	e, hits := engineFor(t, ix, Query{Text: "patrimoine", Page: 1, Size: 10})
	if e == nil || e.nWords != 1 || len(hits) < 2 {
		t.Fatalf("want a one-word search with hits: %v, %d hits", e != nil, len(hits))
	}
	defer e.s.close()
	// Two patterns (place and year marks, roles) whose keys share a slot
	// and whose bounds differ.
	d1, d2 := hits[0], hits[1]
	b := e.bounds()
	places := []byte{0, markCity, markCtry, markYear, markCity | markYear, markCtry | markYear}
	type pattern struct{ mark, roles byte }
	set := func(d uint32, p pattern) uint64 {
		e.mark[d], e.roles[d] = markHit|p.mark, p.roles
		return b.key(d)
	}
	var want1, want2 float64
	seen := map[uint64]pattern{}
	found := false
search:
	for _, m := range places {
		for r := 1; r < 256; r++ {
			p := pattern{m, byte(r)}
			slot := boundSlot(set(d2, p))
			if other, ok := seen[slot]; ok {
				set(d1, other)
				if want1, want2 = b.compute(d1), b.compute(d2); want1 != want2 {
					found = true
					break search
				}
			}
			seen[slot] = p
		}
	}
	if !found {
		t.Fatal("no two patterns with different bounds share a slot of bounds' table")
	}
	b = e.bounds()
	for _, d := range []uint32{d1, d2, d1, d2} {
		want := want1
		if d == d2 {
			want = want2
		}
		if got := b.of(d); got != want {
			t.Errorf("roles %08b: bounds gives %v, want %v", e.roles[d], got, want)
		}
	}
}

// engineFor prepares the engine's search of q over ix as far as its lists'
// marks, and returns it with the documents the lists hold (nil when q has
// no word to rank by). The caller closes e.s.
func engineFor(t *testing.T, ix *Index, q Query) (*engineSearch, []uint32) {
	t.Helper()
	if err := normPage(&q); err != nil {
		t.Fatal(err)
	}
	p, err := ix.newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	s, ok, err := ix.openSnapshot()
	if err != nil || !ok {
		t.Fatalf("openSnapshot: %v, %v", ok, err)
	}
	rq, _, _ := rankParts(p, missionProfile, ix.stats.Load().averages(missionProfile), true)
	if rq == nil {
		s.close()
		return nil, nil
	}
	e := &engineSearch{s: s, q: q, p: p, rq: rq}
	if e.specs, e.sc, err = rq.lists(s.df, float64(s.live)); err != nil {
		t.Fatal(err)
	}
	e.nWords = len(rq.words)
	e.mark = make([]byte, s.maxDoc)
	e.roles = make([]byte, int(s.maxDoc)*e.nWords)
	if err := e.markLists(0, len(s.segs)); err != nil {
		t.Fatal(err)
	}
	var hits []uint32
	for d, m := range e.mark {
		if m&markHit != 0 {
			hits = append(hits, uint32(d))
		}
	}
	return e, hits
}
