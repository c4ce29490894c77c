package gazetteer

import (
	"slices"
	"strings"
	"testing"

	"escale/internal/score"
)

func TestDefaultCoversCapitalsAndMajorCities(t *testing.T) {
	g := Default()
	if g.Len() < 10000 {
		t.Fatalf("Default().Len() = %d, want at least 10000", g.Len())
	}
	capitals := 0
	for c := range g.All() {
		if c.Capital {
			capitals++
		}
	}
	if capitals < 180 {
		t.Errorf("Default() has %d capitals, want at least 180", capitals)
	}
	for _, name := range []string{"Anvers", "Rotterdam", "Le Havre", "Hambourg", "Valparaiso", "Durban"} {
		if c, ok := g.City(name); !ok || !c.Port {
			t.Errorf("City(%q).Port = false, want a port", name)
		}
	}
	tests := []struct{ name, city, country string }{
		{"Anvers", "Anvers", "Belgique"},
		{"Antwerpen", "Anvers", "Belgique"},
		{"Lisboa", "Lisbonne", "Portugal"},
		{"lisbonne", "Lisbonne", "Portugal"},
		{"Hambourg", "Hambourg", "Allemagne"},
		{"Boston", "Boston", "États-Unis"},
		{"Londres", "Londres", "Royaume-Uni"},
		{"Pékin", "Pékin", "Chine"},
		{"Le Cap", "Le Cap", "Afrique du Sud"},
		{"Saint-Pétersbourg", "Saint-Pétersbourg", "Russie"},
		{"Trois Rivieres", "Trois-Rivières", "Canada"},
		{"Séoul", "Séoul", "Corée du Sud"},
		{"Valparaíso", "Valparaiso", "Chili"},
		{"Le Havre", "Le Havre", "France"},
		{"Gdańsk", "Gdańsk", "Pologne"},
		{"Ouagadougou", "Ouagadougou", "Burkina Faso"},
		{"Nouméa", "Nouméa", "Nouvelle-Calédonie"},
		{"Sept-Îles", "Sept-Îles", "Canada"},
		{"Singapour", "Singapour", "Singapour"},
		{"Francfort", "Francfort-sur-le-Main", "Allemagne"},
		{"Santiago", "Santiago du Chili", "Chili"},
		{"Iqaluit", "Iqaluit", "Canada"},
		{"Monaco", "Monaco", "Monaco"},
	}
	for _, tt := range tests {
		c, ok := g.City(tt.name)
		if !ok || c.Name != tt.city || c.Country != tt.country {
			t.Errorf("City(%q) = %q, %q, %v; want %q, %q", tt.name, c.Name, c.Country, ok, tt.city, tt.country)
		}
	}
}

func TestCountry(t *testing.T) {
	g := Default()
	tests := []struct{ name, want string }{
		{"Belgique", "Belgique"}, {"pays-bas", "Pays-Bas"}, {"Etats-Unis", "États-Unis"},
		{"Corée du Sud", "Corée du Sud"}, {"Russie", "Russie"}, {"Germany", "Allemagne"},
		{"Angleterre", "Royaume-Uni"}, {"Sénégal", "Sénégal"}, {"Côte d’Ivoire", "Côte d'Ivoire"},
	}
	for _, tt := range tests {
		c, ok := g.Country(tt.name)
		if !ok || c.Name != tt.want {
			t.Errorf("Country(%q) = %q, %v; want %q", tt.name, c.Name, ok, tt.want)
		}
	}
	if c, ok := g.Country("Bordeaux"); ok {
		t.Errorf("Country(%q) = %q, want none", "Bordeaux", c.Name)
	}
}

func TestRegions(t *testing.T) {
	g := Default()
	tests := []struct{ name, code string }{
		{"Ontario", "CA-ON"}, {"Nouvelle-Écosse", "CA-NS"}, {"Nova Scotia", "CA-NS"}, {"Colombie-Britannique", "CA-BC"},
		{"Maine", "US-ME"}, {"Californie", "US-CA"}, {"Bavière", "DE-BY"}, {"Andalousie", "ES-AN"}, {"Drôme", "FR-26"},
	}
	for _, tt := range tests {
		var codes []string
		for _, r := range g.Regions(tt.name) {
			codes = append(codes, r.Code)
			if r.CountryCode != r.Code[:2] {
				t.Errorf("Regions(%q): %s in country %q", tt.name, r.Code, r.CountryCode)
			}
		}
		if !slices.Contains(codes, tt.code) {
			t.Errorf("Regions(%q) = %v, want %s among them", tt.name, codes, tt.code)
		}
	}
	if rs := g.Regions("Bordeaux"); len(rs) != 0 {
		t.Errorf("Regions(%q) = %v, want none", "Bordeaux", rs)
	}
	// A region's name is found in text, and a longer region beats a
	// country's alias inside it (« Écosse » is the United Kingdom's).
	ms := g.Scan("Halifax (Nouvelle-Écosse)")
	if len(ms) != 2 || len(ms[1].Regions) == 0 || ms[1].Regions[0].Code != "CA-NS" || ms[1].Country != nil {
		t.Errorf("Scan(%q) = %+v, want Halifax then the region CA-NS", "Halifax (Nouvelle-Écosse)", ms)
	}
}

func TestScan(t *testing.T) {
	g := Default()
	text := "Mission à Anvers (Belgique) et à Rotterdam; retour par Trois-Rivières. Les tours de Saint-Jean-sur-Richelieu. Escale au Havre."
	var got []string
	for _, m := range g.Scan(text) {
		s := m.Text
		if m.Country != nil {
			s += "=country"
		}
		if len(m.Cities) > 0 {
			s += "=" + m.Cities[0].Name
		}
		got = append(got, s)
		if text[m.Start:m.End] != m.Text {
			t.Errorf("Scan mention %q at [%d,%d] = %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
	}
	want := "Mission=Mission Anvers=Anvers Belgique=country Rotterdam=Rotterdam Trois-Rivières=Trois-Rivières Saint-Jean-sur-Richelieu=Saint-Jean-sur-Richelieu Havre=Le Havre"
	if strings.Join(got, " ") != want {
		t.Errorf("Scan(%q) = %q, want %q", text, strings.Join(got, " "), want)
	}
}

func TestScanArticles(t *testing.T) {
	g := Default()
	tests := []struct{ text, want string }{
		{"Séjour à la Nouvelle-Orléans", "La Nouvelle-Orléans"},
		{"Séjour à La Nouvelle-Orléans", "La Nouvelle-Orléans"},
		{"le port du Havre", "Le Havre"},
		{"la ville du Caire", "Le Caire"},
		{"Visite au Cap", "Le Cap"},
		// A lowercase common word is no name.
		{"garder le cap", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range g.Scan(tt.text) {
			if len(m.Cities) > 0 {
				got = append(got, m.Cities[0].Name)
			}
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("Scan(%q) cities = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []string{
		"city\t1\tX\t\tZZ\t1\t0\t0\t\n",
		"country\tFR\n",
		"town\t1\n",
		"country\tFR\tFrance\t\ncity\tx\tParis\t\tFR\t1\t0\t0\t\n",
		"country\tFR\tFrance\t\ncity\t1\tParis\t\tFR\tmany\t0\t0\t\n",
		"country\tFR\tFrance\t\nregion\tFR\tBretagne\n",
		"country\tFR\tFrance\t\nregion\tFR-BRE\t\n",
		"country\tFR\tFrance\t\nregion\tZZ-BRE\tBretagne\n",
	}
	for _, in := range tests {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("Load(%q) succeeded, want an error", in)
		}
	}
	g, err := Load(strings.NewReader("# mine\ncountry\tFR\tFrance\tFrench Republic\ncity\t1\tVillebrune\tVb\tFR\t12\t1.5\t2.5\tCW\n"))
	if err != nil {
		t.Fatalf("Load(valid) = %v", err)
	}
	c, ok := g.City("vb")
	if !ok || c.Name != "Villebrune" || c.Country != "France" || !c.Capital || !c.CommonWord || c.Lat != 1.5 {
		t.Errorf("City(%q) = %+v, %v", "vb", c, ok)
	}
	g, err = Load(strings.NewReader("country\tFR\tFrance\t\nregion\tFR-BRE\tBretagne\tBreizh|Brittany\tW\n"))
	if err != nil {
		t.Fatalf("Load(valid with a region) = %v", err)
	}
	if rs := g.Regions("breizh"); len(rs) != 1 || rs[0].Name != "Bretagne" || rs[0].CountryCode != "FR" || !rs[0].CommonWord {
		t.Errorf("Regions(%q) = %+v, want Bretagne in FR, a common word", "breizh", rs)
	}
}

// FuzzLoadAndScan loads any file as the index and as the reference maps
// (reference_test.go) would, and asks both the same questions.
func FuzzLoadAndScan(f *testing.F) {
	f.Add("country\tFR\tFrance\t\ncity\t1\tParis\tLutèce\tFR\t2\t48.8\t2.3\tCF\n", "Mission à Paris (France), au Havre")
	f.Add("city\t1\n", "")
	f.Add("country\tCA\tCanada\t\nregion\tCA-ON\tOntario\tOnt.\tW\ncity\t2\tLondon\t\tCA\t3\t0\t0\tA\ncity\t3\tLe Port\t\tCA\t1\t0\t0\tW\n", "à London (Ontario), au Port, du Port, la Port")
	f.Add("country\tFR\tFrance\r\ncountry\tFR\tRépublique française\tFrance\r\ncity\t4\tSaint-Denis\tSt Denis\tFR\t\t\t\tW\r\ncity\t5\tSaint Denis\t\tFR\t9\t1\t2\t\n", "Saint-Denis, St-Denis, la France")
	f.Fuzz(func(t *testing.T, data, text string) {
		g, err := Load(strings.NewReader(data))
		ref, rerr := refLoad(strings.NewReader(data))
		if err != nil || rerr != nil {
			if err == nil || rerr == nil || err.Error() != rerr.Error() {
				t.Fatalf("Load(%q) = %v, want %v", data, err, rerr)
			}
			return
		}
		last := 0
		for _, m := range g.Scan(text) {
			if m.Start < last || m.End > len(text) || m.Start >= m.End {
				t.Fatalf("Scan(%q): mention %+v out of order or bounds", text, m)
			}
			last = m.End
		}
		names := strings.FieldsFunc(data+"\n"+text, func(r rune) bool { return r == '\t' || r == '\n' || r == '|' || r == ',' })
		sameAnswers(t, g, ref, names, []string{text, strings.Join(names, " ")})
	})
}

// Fold's ASCII path folds as the general one does, on every name and alias
// of the embedded gazetteer and on every ASCII character.
func TestFoldASCII(t *testing.T) {
	g := Default()
	var names []string
	for c := range g.All() {
		names = append(names, c.Name)
		names = append(names, c.Aliases...)
	}
	for _, c := range g.Countries() {
		names = append(names, c.Name)
		names = append(names, c.Aliases...)
	}
	for c := range 128 {
		names = append(names, "a"+string(rune(c))+"B  c")
	}
	n := 0
	for _, s := range names {
		if !ascii(s) {
			continue
		}
		n++
		if got, want := foldASCII(s), foldRunes(s); got != want {
			t.Fatalf("foldASCII(%q) = %q, want %q", s, got, want)
		}
	}
	if n < 10000 {
		t.Errorf("only %d ASCII names checked", n)
	}
}

// BenchmarkLoad reads a gazetteer file as large as the embedded one and
// compiles its index, as a child given --gazetteer does once.
func BenchmarkLoad(b *testing.B) {
	text := "# another file\n" + defaultText
	for b.Loop() {
		if _, err := Load(strings.NewReader(text)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefault opens the embedded gazetteer, as every extraction child
// does once (it used to parse the file: most of a small file's extraction
// time, BENCHMARKS.md).
func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		if _, err := open(defaultText, defaultIndex); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan finds the places of the annotated reports' texts, as
// metadata extraction does several times a report.
func BenchmarkScan(b *testing.B) {
	truths, err := score.LoadTruth("../../testdata/corpus/visible")
	if err != nil {
		b.Fatal(err)
	}
	g := Default()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range truths {
			g.Scan(t.Text)
		}
	}
}
