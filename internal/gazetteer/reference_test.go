package gazetteer

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// refGazetteer is the gazetteer as it was before the compiled index: maps
// filled by parsing the whole file. The tests keep it as the reference the
// index's answers must equal (index_test.go).
type refGazetteer struct {
	countries []Country
	regions   []Region
	cities    []City
	byCode    map[string]int
	countryBy map[string][]int
	regionBy  map[string][]int
	cityBy    map[string][]refEntry
	maxWords  int
	prefixes  map[string]bool
}

type refEntry struct {
	city  int32
	alias bool
}

func refLoad(r io.Reader) (*refGazetteer, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	g := &refGazetteer{byCode: map[string]int{}, countryBy: map[string][]int{}, regionBy: map[string][]int{}, cityBy: map[string][]refEntry{}}
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
			c, err := parseCountry(f)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
			}
			g.byCode[c.Code] = len(g.countries)
			g.countries = append(g.countries, c)
		case "region":
			r, err := parseRegion(f)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
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
	g.prefixes = map[string]bool{}
	addPrefixes := func(k string) {
		g.maxWords = max(g.maxWords, strings.Count(k, " ")+1)
		for i := range len(k) {
			if k[i] == ' ' {
				g.prefixes[k[:i]] = true
			}
		}
	}
	for k, es := range g.cityBy {
		slices.SortStableFunc(es, func(a, b refEntry) int { return cmp.Compare(g.weight(b), g.weight(a)) })
		g.cityBy[k] = es
		addPrefixes(k)
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

func (g *refGazetteer) index(k string, i int32, alias bool) {
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
	g.cityBy[k] = append(g.cityBy[k], refEntry{i, alias})
}

// The reference orders, splits and parses as the package does: what it
// checks is the compiled index, not the format's decisions.
func (g *refGazetteer) weight(e refEntry) float64 { return likelihood(&g.cities[e.city], e.alias) }

func (g *refGazetteer) Len() int { return len(g.cities) }

func (g *refGazetteer) Countries() []Country { return slices.Clone(g.countries) }

func (g *refGazetteer) CountryByCode(code string) (Country, bool) {
	i, ok := g.byCode[strings.ToUpper(code)]
	if !ok {
		return Country{}, false
	}
	return g.countries[i], true
}

func (g *refGazetteer) Country(name string) (Country, bool) {
	is := g.countryBy[Fold(name)]
	if len(is) == 0 {
		return Country{}, false
	}
	return g.countries[is[0]], true
}

func (g *refGazetteer) Canonical(name string) (string, bool) {
	if c, ok := g.City(name); ok {
		return c.Name, true
	}
	if c, ok := g.Country(name); ok {
		return c.Name, true
	}
	return "", false
}

func (g *refGazetteer) Regions(name string) []Region {
	var out []Region
	for _, i := range g.regionBy[Fold(name)] {
		out = append(out, g.regions[i])
	}
	return out
}

func (g *refGazetteer) Cities(name string) []City {
	es := g.cityBy[Fold(name)]
	out := make([]City, len(es))
	for i, e := range es {
		out[i] = g.cities[e.city]
	}
	return out
}

func (g *refGazetteer) City(name string) (City, bool) {
	es := g.cityBy[Fold(name)]
	if len(es) == 0 {
		return City{}, false
	}
	return g.cities[es[0].city], true
}

func (g *refGazetteer) CityIn(name, countryCode string) (City, bool) {
	for _, e := range g.cityBy[Fold(name)] {
		if g.cities[e.city].CountryCode == countryCode {
			return g.cities[e.city], true
		}
	}
	return City{}, false
}

func (g *refGazetteer) ZonesOf(country string) []string {
	if c, ok := g.Country(country); ok {
		return Zones(c.Code)
	}
	return nil
}

type refToken struct {
	start, end int
	key        string
	upper      bool
}

func refTokens(text string) []refToken {
	var out []refToken
	start := -1
	add := func(end int) {
		r, _ := utf8.DecodeRuneInString(text[start:])
		out = append(out, refToken{start: start, end: end, key: Fold(text[start:end]), upper: unicode.IsUpper(r)})
	}
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			add(i)
			start = -1
		}
	}
	if start >= 0 {
		add(len(text))
	}
	return out
}

func (g *refGazetteer) Scan(text string) []Mention {
	toks := refTokens(text)
	var out []Mention
	for i := 0; i < len(toks); {
		if !toks[i].upper {
			i++
			continue
		}
		var kb strings.Builder
		bestN, bestKey := 0, ""
		for n := 1; n <= g.maxWords && i+n <= len(toks); n++ {
			t := toks[i+n-1]
			if n > 1 {
				if strings.ContainsAny(text[toks[i+n-2].end:t.start], ",;:.()«»\"\n") {
					break
				}
				kb.WriteByte(' ')
			}
			kb.WriteString(t.key)
			k := kb.String()
			if i > 0 {
				if art, ok := articles[toks[i-1].key]; ok {
					if _, ok := g.cityBy[art+" "+k]; ok && !g.known(k) {
						bestN, bestKey = n, art+" "+k
					}
				}
			}
			if g.known(k) {
				bestN, bestKey = n, k
			}
			if !g.prefixes[k] {
				break
			}
		}
		if bestN == 0 {
			i++
			continue
		}
		last := toks[i+bestN-1]
		m := Mention{Start: toks[i].start, End: last.end, Text: text[toks[i].start:last.end]}
		if es := g.cityBy[bestKey]; len(es) > 0 {
			m.Cities = make([]City, len(es))
			for j, e := range es {
				m.Cities[j] = g.cities[e.city]
			}
			m.Alias = es[0].alias
		}
		if cs := g.countryBy[bestKey]; len(cs) > 0 {
			c := g.countries[cs[0]]
			m.Country = &c
		}
		for _, r := range g.regionBy[bestKey] {
			m.Regions = append(m.Regions, g.regions[r])
		}
		out = append(out, m)
		i += bestN
	}
	return out
}

func (g *refGazetteer) known(k string) bool {
	if _, ok := g.cityBy[k]; ok {
		return true
	}
	if _, ok := g.countryBy[k]; ok {
		return true
	}
	_, ok := g.regionBy[k]
	return ok
}
