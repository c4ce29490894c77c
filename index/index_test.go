package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"escale/internal/mission"
)

func searchIDs(t *testing.T, ix *Index, q Query) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.MissionID)
	}
	return ids
}

func passageCount(t *testing.T, ix *Index, id string) int {
	t.Helper()
	ids, err := ix.passageIDs(id)
	if err != nil {
		t.Fatal(err)
	}
	return len(ids)
}

func TestPutReplaces(t *testing.T) {
	ix, ms := openSample(t)
	m := *ms[0]
	before := passageCount(t, ix, m.MissionID)
	if before == 0 {
		t.Fatalf("passages of %s = 0, want some", m.MissionID)
	}
	st := *ix.stats.Load()
	// The same record again changes nothing.
	if err := ix.Put(&m); err != nil {
		t.Fatal(err)
	}
	if got := passageCount(t, ix, m.MissionID); got != before {
		t.Errorf("after the same Put, passages of %s = %d, want %d", m.MissionID, got, before)
	}
	if got := ix.stats.Load(); got.N != st.N || got.Sum[fBody] != st.Sum[fBody] {
		t.Errorf("after the same Put, stats = %+v, want %+v", got, st)
	}
	// A shorter record drops the passages it no longer has.
	m.Outcomes = nil
	m.Sections = m.Sections[:1]
	m.Text = "Lyon, texte corrigé."
	if err := ix.Put(&m); err != nil {
		t.Fatal(err)
	}
	want := len(m.Objectives) + 1
	if got := passageCount(t, ix, m.MissionID); got != want {
		t.Errorf("after a shorter Put, passages of %s = %d, want %d", m.MissionID, got, want)
	}
	if ids := searchIDs(t, ix, Query{Text: "ateliers lyonnais"}); len(ids) != 0 {
		t.Errorf("Search(ateliers lyonnais) after correction = %v, want nothing", ids)
	}
	fp, err := Fingerprint(&m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.IDs()
	if err != nil {
		t.Fatal(err)
	}
	if got[m.MissionID] != fp {
		t.Errorf("IDs()[%s] = %q, want Fingerprint = %q", m.MissionID, got[m.MissionID], fp)
	}
	if len(got) != len(ms) {
		t.Errorf("IDs() has %d missions, want %d", len(got), len(ms))
	}
}

func TestDelete(t *testing.T) {
	ix, ms := openSample(t)
	id := "rotterdam-2018"
	if ids := searchIDs(t, ix, Query{Text: "inondations"}); len(ids) == 0 || ids[0] != id {
		t.Fatalf("Search(inondations) = %v, want %s first", ids, id)
	}
	n := ix.stats.Load().N
	if err := ix.Delete(id); err != nil {
		t.Fatalf("Delete(%s): %v", id, err)
	}
	if ids := searchIDs(t, ix, Query{Text: "inondations"}); len(ids) != 0 {
		t.Errorf("Search(inondations) after Delete = %v, want nothing", ids)
	}
	if got := passageCount(t, ix, id); got != 0 {
		t.Errorf("passages of %s after Delete = %d, want 0", id, got)
	}
	res, err := ix.Outcomes(context.Background(), Query{Text: "inondations"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("Outcomes(inondations) after Delete total = %d, want 0", res.Total)
	}
	all, err := ix.IDs()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := all[id]; ok || len(all) != len(ms)-1 {
		t.Errorf("IDs() after Delete(%s) = %v, want the %d others", id, all, len(ms)-1)
	}
	if got := ix.stats.Load().N; got != n-1 {
		t.Errorf("stats.N after Delete = %d, want %d", got, n-1)
	}
	if err := ix.Delete(id); err != nil {
		t.Errorf("Delete(%s) again: %v, want nil", id, err)
	}
	if got := ix.stats.Load().N; got != n-1 {
		t.Errorf("stats.N after a second Delete = %d, want %d", got, n-1)
	}
}

func TestPutNeedsID(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(&mission.Mission{Filename: "x.txt", Text: "x"}); err == nil {
		t.Error("Put(mission without id) = nil, want an error")
	}
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	var ms []*mission.Mission
	loadJSON(t, filepath.Join("testdata", "search", "missions.json"), &ms)
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.PutBatch(ms); err != nil {
		t.Fatal(err)
	}
	want := searchIDs(t, ix, Query{Text: "économie créative inondations"})
	st := *ix.stats.Load()
	// A second process is refused while the first holds the index.
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open while open = %v, want ErrLocked", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := searchIDs(t, ix, Query{Text: "économie créative inondations"})
	if len(got) == 0 || len(got) != len(want) || got[0] != want[0] {
		t.Errorf("after reopening, hits = %v, want %v", got, want)
	}
	if gs := ix.stats.Load(); gs.N != st.N || gs.Sum[fBody] != st.Sum[fBody] {
		t.Errorf("after reopening, stats = %+v, want %+v", gs, st)
	}
	ix.Close()

	// Another schema version: the index is rebuilt empty.
	other, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.missions.SetInternal([]byte(schemaKey), []byte("escale-index-0")); err != nil {
		t.Fatal(err)
	}
	other.Close()
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.Count(); err != nil || n != 0 {
		t.Errorf("after a schema change, Count() = %d, %v, want 0", n, err)
	}
}

func TestOpenDamaged(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, missionsDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, missionsDir, "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open(damaged index) = %v, want it rebuilt", err)
	}
	defer ix.Close()
	if n, err := ix.Count(); err != nil || n != 0 {
		t.Errorf("Count() = %d, %v, want 0", n, err)
	}
}

func TestBadQueries(t *testing.T) {
	ix, _ := openSample(t)
	for _, q := range []Query{
		{Filters: map[string][]string{"ville": {"Lyon"}}},
		{Filters: map[string][]string{"year": {"deux mille"}}},
		{Page: -1},
		{Size: MaxSize + 1},
		{Page: 10000, Size: 100},
		{Sort: "random"},
		{YearFrom: 12},
	} {
		if _, err := ix.Search(context.Background(), q); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%+v) = %v, want ErrBadQuery", q, err)
		}
	}
	if _, err := ix.Compare(context.Background(), Query{}, "organization", "theme"); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Compare(by organization) = %v, want ErrBadQuery", err)
	}
}

// TestConcurrent searches while missions are put and deleted (run with -race).
func TestConcurrent(t *testing.T) {
	ix, ms := openSample(t)
	ctx := context.Background()
	done := make(chan error)
	go func() {
		var err error
		for i := 0; i < 20 && err == nil; i++ {
			m := ms[i%len(ms)]
			if i%3 == 2 {
				err = ix.Delete(m.MissionID)
			} else {
				err = ix.Put(m)
			}
		}
		done <- err
	}()
	for i := 0; i < 40; i++ {
		if _, err := ix.Search(ctx, Query{Text: "économie inondations visite", Filters: map[string][]string{"country": {"France"}}}); err != nil {
			t.Fatalf("Search during writes: %v", err)
		}
		if _, err := ix.Outcomes(ctx, Query{Text: "économie"}); err != nil {
			t.Fatalf("Outcomes during writes: %v", err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("writes: %v", err)
	}
}

// TestHomeCity checks that a place most reports name (the home city) does
// not boost the missions held there: « tramway Québec » is about the tramway.
func TestHomeCity(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	mk := func(id, city, text string) *mission.Mission {
		m := &mission.Mission{MissionID: id, Filename: id + ".txt", Destinations: []mission.Destination{{City: city, Country: "Pays"}}, Text: text}
		m.Normalize()
		return m
	}
	ms := []*mission.Mission{
		mk("accueil", "Québec", "Accueil d’une délégation à Québec. Visite du futur tramway."),
		mk("lyon", "Lyon", "Le tramway de Lyon inspire le tramway de Québec : tracé, tramway sur pelouse, tramway en centre ancien."),
		mk("lille", "Lille", "Lille et Québec : échanges sur la culture."),
		mk("nantes", "Nantes", "Nantes et Québec : échanges sur le port."),
	}
	if err := ix.PutBatch(ms); err != nil {
		t.Fatal(err)
	}
	if ids := searchIDs(t, ix, Query{Text: "tramway Québec"}); len(ids) < 2 || ids[0] != "lyon" {
		t.Errorf("Search(tramway Québec) = %v, want lyon first (Québec is in most reports)", ids)
	}
	if ids := searchIDs(t, ix, Query{Text: "tramway Lyon"}); len(ids) < 1 || ids[0] != "lyon" {
		t.Errorf("Search(tramway Lyon) = %v, want lyon first", ids)
	}
}
