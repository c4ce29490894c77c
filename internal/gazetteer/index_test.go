package gazetteer

import (
	"bytes"
	"compress/gzip"
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"escale/internal/score"
)

var update = flag.Bool("update", false, "rewrite data/gazetteer.tsv.idx from data/gazetteer.tsv")

// The embedded index is compiled from the embedded file: a file changed
// without its index fails here.
func TestIndexFresh(t *testing.T) {
	ix, err := compile(defaultText)
	if err != nil {
		t.Fatalf("compile(data/gazetteer.tsv) = %v", err)
	}
	if *update {
		if err := os.WriteFile("data/gazetteer.tsv.idx", []byte(ix), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if ix != defaultIndex {
		t.Fatalf("data/gazetteer.tsv.idx (%d bytes) is not compiled from data/gazetteer.tsv (%d bytes expected): run go generate ./internal/gazetteer", len(defaultIndex), len(ix))
	}
}

func TestOpenRefusesAnotherFilesIndex(t *testing.T) {
	if _, err := open(defaultText+"\n", defaultIndex); err == nil {
		t.Errorf("open(another file, the embedded index) succeeded, want an error")
	}
	for _, ix := range []string{"", "gazidx1\n", "not an index at all, not at all", defaultIndex[:headerSize+8]} {
		if _, err := open(defaultText, ix); err == nil {
			t.Errorf("open(file, %q) succeeded, want an error", ix[:min(len(ix), 12)])
		}
	}
}

// The index answers every question as the maps the file used to be parsed
// into (reference_test.go): for every name and alias of the embedded file,
// and for the places in the texts of the annotated reports.
func TestIndexMatchesReference(t *testing.T) {
	ref, err := refLoad(strings.NewReader(defaultText))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range ref.countries {
		names = append(names, c.Code, c.Name)
		names = append(names, c.Aliases...)
	}
	for _, r := range ref.regions {
		names = append(names, r.Code, r.Name)
		names = append(names, r.Aliases...)
	}
	for _, c := range ref.cities {
		names = append(names, c.Name)
		names = append(names, c.Aliases...)
	}
	var texts []string
	for _, corpus := range []string{"visible", "extra"} {
		truths, err := score.LoadTruth("../../testdata/corpus/" + corpus)
		if err != nil || len(truths) == 0 {
			t.Fatalf("LoadTruth(%s) = %d reports, %v", corpus, len(truths), err)
		}
		for _, tr := range truths {
			texts = append(texts, tr.Text)
		}
	}
	// Every name in running text, after the articles and prepositions Scan
	// reads names through.
	for chunk := range slices.Chunk(names, 500) {
		texts = append(texts, "Mission à "+strings.Join(chunk, " et au ")+".")
	}
	slices.Sort(names)
	names = slices.Compact(names)
	sameAnswers(t, Default(), ref, names, texts)
}

// sameAnswers fails when g answers any question on names or texts
// differently from ref.
func sameAnswers(t *testing.T, g *Gazetteer, ref *refGazetteer, names, texts []string) {
	t.Helper()
	if g.Len() != ref.Len() {
		t.Fatalf("Len() = %d, want %d", g.Len(), ref.Len())
	}
	if g.maxWords != ref.maxWords {
		t.Errorf("maxWords = %d, want %d", g.maxWords, ref.maxWords)
	}
	if got, want := g.Countries(), ref.Countries(); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
		t.Errorf("Countries() = %v, want %v", got, want)
	}
	if got := slices.Collect(g.All()); !reflect.DeepEqual(got, ref.cities) && len(got)+len(ref.cities) > 0 {
		t.Errorf("All() differs from the file's cities")
	}
	same := func(call string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s = %+v, want %+v", call, got, want)
		}
	}
	for _, c := range append(ref.Countries(), Country{Code: "zz"}, Country{Code: ""}) {
		for _, code := range []string{c.Code, strings.ToLower(c.Code)} {
			got, ok := g.CountryByCode(code)
			want, wok := ref.CountryByCode(code)
			same("CountryByCode("+code+")", []any{got, ok}, []any{want, wok})
		}
	}
	// Every lookup folds the name first: one spelling of each is enough.
	for _, n := range names {
		got, ok := g.City(n)
		want, wok := ref.City(n)
		same("City("+n+")", []any{got, ok}, []any{want, wok})
		same("Cities("+n+")", g.Cities(n), ref.Cities(n))
		codes := []string{got.CountryCode, "FR"}
		if all := ref.Cities(n); len(all) > 1 {
			codes = append(codes, all[len(all)-1].CountryCode)
		}
		for _, code := range codes {
			got, ok := g.CityIn(n, code)
			want, wok := ref.CityIn(n, code)
			same("CityIn("+n+", "+code+")", []any{got, ok}, []any{want, wok})
		}
		gc, ok := g.Country(n)
		wc, wok := ref.Country(n)
		same("Country("+n+")", []any{gc, ok}, []any{wc, wok})
		same("Regions("+n+")", g.Regions(n), ref.Regions(n))
		gn, ok := g.Canonical(n)
		wn, wok := ref.Canonical(n)
		same("Canonical("+n+")", []any{gn, ok}, []any{wn, wok})
		same("ZonesOf("+n+")", g.ZonesOf(n), ref.ZonesOf(n))
	}
	for _, text := range texts {
		same("Scan("+text[:min(len(text), 60)]+"...)", g.Scan(text), ref.Scan(text))
	}
}

func TestLoadGzipAndDefaultCopy(t *testing.T) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte("country\tFR\tFrance\t\ncity\t1\tVillebrune\t\tFR\t12\t1.5\t2.5\t\n"))
	zw.Close()
	g, err := Load(&z)
	if err != nil {
		t.Fatalf("Load(gzipped file) = %v", err)
	}
	if c, ok := g.City("villebrune"); !ok || c.Country != "France" {
		t.Errorf("Load(gzipped file).City(villebrune) = %+v, %v; want Villebrune in France", c, ok)
	}
	// A data directory's copy of the embedded file needs no compiling.
	if g, err := Load(strings.NewReader(defaultText)); err != nil || g != Default() {
		t.Errorf("Load(the embedded file) = %p, %v; want Default() %p", g, err, Default())
	}
}
