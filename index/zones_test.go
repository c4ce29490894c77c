package index

import (
	"slices"
	"testing"

	"escale/internal/mission"
)

func TestZones(t *testing.T) {
	zones := func(country string) []string {
		return map[string][]string{"Sénégal": {"Afrique", "Afrique de l'Ouest"}, "Japon": {"Asie", "Asie de l'Est"}}[country]
	}
	mk := func(id, city, country, text string) *mission.Mission {
		return &mission.Mission{MissionID: id, Destinations: []mission.Destination{{City: city, Country: country}}, Text: text,
			Objectives: []mission.Objective{{Text: text, Page: 1}}}
	}
	ms := []*mission.Mission{
		mk("dakar", "Dakar", "Sénégal", "Séminaire de l’AIMF sur la gestion des eaux pluviales."),
		mk("yokohama", "Yokohama", "Japon", "Visite du port et des digues contre les tsunamis."),
		mk("mention", "Lyon", "France", "Rencontre avec des maires d’Afrique et d’Asie sur le patrimoine."),
	}
	ix, err := Open(t.TempDir(), Options{Zones: zones})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.PutBatch(ms); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		// The mission that went there first, before one that names the region.
		{"missions en Afrique", []string{"dakar", "mention"}},
		{"missions en Afrique de l'Ouest", []string{"dakar", "mention"}},
		{"eaux pluviales en Asie", []string{"dakar", "yokohama", "mention"}},
	} {
		got := searchIDs(t, ix, Query{Text: tc.q})
		if len(got) == 0 || got[0] != tc.want[0] || !slices.Equal(sorted(got), sorted(tc.want)) {
			t.Errorf("Search(%q) = %v, want %v (first %s)", tc.q, got, tc.want, tc.want[0])
		}
	}
	// Without zones, a region is only a word of the text.
	plain, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if err := plain.PutBatch(ms); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, plain, Query{Text: "missions en Afrique"}); !slices.Equal(got, []string{"mention"}) {
		t.Errorf("Search(missions en Afrique) without zones = %v, want [mention]", got)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
