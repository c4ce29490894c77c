package index

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
)

// TestShortRootAddsNothing backs rankQuery.lists leaving out the root list
// of a word shorter than a root: put back, over every mission and passage
// of the corpus, it changes no score and no match.
func TestShortRootAddsNothing(t *testing.T) {
	ix := openCorpus(t)
	st := ix.stats.Load()
	indexes := []struct {
		name   string
		idx    bleve.Index
		prof   *profile
		places bool
	}{{"missions", ix.missions, missionProfile, true}, {"passages", ix.passages, passageProfile, false}}
	for _, text := range []string{"ville", "port", "mer", "eau bleu", "port de croisière", "ville et mer"} {
		p, err := ix.newPlan(Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range indexes {
			s, ok, err := openSnapshot(x.idx, nil)
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			rq, _, _ := rankParts(p, x.prof, st.averages(x.prof), x.places)
			specs, sc, err := rq.lists(s.df, float64(s.live))
			if err != nil {
				t.Fatal(err)
			}
			with := slices.Clone(specs)
			for i, w := range rq.words {
				if w.root == w.stem && utf8.RuneCountInString(w.stem) < rootLen {
					with = append(with, listSpec{term: w.root, role: roleRoot, word: i, alt: -1})
				}
			}
			if len(with) == len(specs) {
				t.Fatalf("%q: no word shorter than a root", text)
			}
			docs := make([]uint32, s.maxDoc)
			for i := range docs {
				docs[i] = uint32(i)
			}
			without, err := scoreDocs(s, &sc, specs, docs, false)
			if err != nil {
				t.Fatal(err)
			}
			all, err := scoreDocs(s, &sc, with, docs, false)
			if err != nil {
				t.Fatal(err)
			}
			matched := 0
			for i := range docs {
				if without.scores[i] != all.scores[i] || without.matched[i] != all.matched[i] {
					t.Errorf("%q, %s %d: score %v (matched %v) without the root list, %v (%v) with it",
						text, x.name, i, without.scores[i], without.matched[i], all.scores[i], all.matched[i])
				}
				if all.matched[i] {
					matched++
				}
			}
			if matched == 0 {
				t.Errorf("%q, %s: no document matched", text, x.name)
			}
			s.close()
		}
	}
}
