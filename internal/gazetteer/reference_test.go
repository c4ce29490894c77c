package gazetteer

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strconv"
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
			if len(f) < 3 || f[1] == "" || f[2] == "" {
				return nil, fmt.Errorf("gazetteer: line %d: a country needs a code and a name", n)
			}
			c := Country{Code: f[1], Name: f[2]}
			if len(f) > 3 {
				c.Aliases = refSplitList(f[3])
			}
			g.byCode[c.Code] = len(g.countries)
			g.countries = append(g.countries, c)
		case "region":
			if len(f) < 3 || len(f[1]) < 4 || f[1][2] != '-' || f[2] == "" {
				return nil, fmt.Errorf("gazetteer: line %d: a region needs an ISO 3166-2 code (« CA-QC ») and a name", n)
			}
			r := Region{Code: f[1], Name: f[2], CountryCode: f[1][:2]}
			if len(f) > 3 {
				r.Aliases = refSplitList(f[3])
			}
			if len(f) > 4 {
				r.CommonWord = strings.Contains(f[4], "W")
			}
			g.regions = append(g.regions, r)
			regionLines = append(regionLines, n)
		case "city":
			c, err := refParseCity(f)
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

func (g *refGazetteer) weight(e refEntry) float64 {
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

func refSplitList(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func refParseCity(f []string) (City, error) {
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
	c := City{ID: id, Name: f[2], Aliases: refSplitList(f[3]), CountryCode: f[4]}
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
