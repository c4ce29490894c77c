package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"escale/internal/mission"
)

// synonymMissions are three reports: one writes « matières résiduelles »,
// one « déchets », and one about neither.
func synonymMissions() []*mission.Mission {
	mk := func(id, title, objective string) *mission.Mission {
		t := title
		return &mission.Mission{MissionID: id, Title: &t, Text: title + "\n" + objective,
			Objectives: []mission.Objective{{Text: objective, Page: 1}}}
	}
	return []*mission.Mission{
		mk("residuelles", "Mission à Kigali", "Comprendre la collecte des matières résiduelles et le lieu d’enfouissement de la ville."),
		mk("dechets", "Mission à Abidjan", "Étudier la gestion des déchets ménagers du district."),
		mk("ailleurs", "Mission à Lyon", "Présenter le tramway et le réseau cyclable aux élus."),
	}
}

func TestSynonyms(t *testing.T) {
	groups := [][]string{{"déchets", "matières résiduelles", "ordures"}, {"autobus", "bus"}}
	ix, err := Open(t.TempDir(), Options{Synonyms: groups})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.PutBatch(synonymMissions()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q        string
		want     []string // in this order
		anyOrder bool     // two synonyms of equal weight
	}{
		// The word itself first, then its synonym; accents and plural aside.
		{"gestion des dechets", []string{"dechets", "residuelles"}, false},
		// A member of several words, written in the query, meets the others.
		{"matières résiduelles", []string{"residuelles", "dechets"}, false},
		{"ordures", []string{"dechets", "residuelles"}, true},
	} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.MissionID)
		}
		if tc.anyOrder {
			slices.Sort(got)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
	// The passage that holds the synonym is the one shown, highlighted.
	res, err := ix.Search(context.Background(), Query{Text: "déchets"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.MissionID != "residuelles" {
			continue
		}
		if len(h.Passages) == 0 || !strings.Contains(h.Passages[0].Fragment, "<mark>matières</mark> <mark>résiduelles</mark>") {
			t.Errorf("Search(déchets): passages of %s = %+v, want « matières résiduelles » marked", h.MissionID, h.Passages)
		}
	}
	// Without synonyms, only the word itself matches.
	plain, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if err := plain.PutBatch(synonymMissions()); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, plain, Query{Text: "déchets"}); !slices.Equal(got, []string{"dechets"}) {
		t.Errorf("Search(déchets) without synonyms = %v, want [dechets]", got)
	}
}

func TestFrameWords(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, tc := range []struct{ q, want string }{
		{"quelles missions concernent le tramway ?", "tramway"},
		{"qu'est-ce que les autres villes nous ont appris sur le vélo", "vile velo"},
		{"missions", "mision"}, // nothing else to search: kept
	} {
		p, err := ix.newPlan(Query{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range p.words {
			got = append(got, w.stem)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("words of %q = %v, want %s", tc.q, got, tc.want)
		}
	}
}

// A synonym of several words counts where most of its words are, not where
// its rarest word stands alone.
func TestSynonymWords(t *testing.T) {
	groups := [][]string{{"électrification des quais", "alimentation électrique à quai"}}
	ix, err := Open(t.TempDir(), Options{Synonyms: groups})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	mk := func(id, text string) *mission.Mission {
		return &mission.Mission{MissionID: id, Text: text, Objectives: []mission.Objective{{Text: text, Page: 1}}}
	}
	err = ix.PutBatch([]*mission.Mission{
		mk("quai", "Le terminal offre l’alimentation électrique à quai aux paquebots."),
		mk("eau", "L’alimentation en eau potable du quartier des Eaux-Vives."),
		mk("mot", "Électrification des quais de Seattle."),
		mk("rien", "Visite du musée des beaux-arts."),
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "électrification des quais"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.MissionID)
	}
	// « eau » holds « alimentation », the synonym's rarest word, alone.
	if want := []string{"mot", "quai"}; !slices.Equal(got, want) || res.Total != 2 {
		t.Errorf("Search(électrification des quais) = %v (total %d), want %v", got, res.Total, want)
	}
}

// A word of many groups looks for maxSynonyms synonyms at most.
func TestSynonymsBounded(t *testing.T) {
	var groups [][]string
	for g := range 5 {
		grp := []string{"port"}
		for m := range 5 {
			grp = append(grp, fmt.Sprintf("havre%c%c", 'a'+g, 'a'+m))
		}
		groups = append(groups, grp)
	}
	ix, err := Open(t.TempDir(), Options{Synonyms: groups})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	p, err := ix.newPlan(Query{Text: "port de mer"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.words[0].syns); n != maxSynonyms {
		t.Errorf("« port » in 5 groups of 6 looks for %d synonyms, want %d", n, maxSynonyms)
	}
}
