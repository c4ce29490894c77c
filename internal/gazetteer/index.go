package gazetteer

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The index is a gazetteer file compiled for lookups that need no parsing
// at start: every extraction runs in a child process, and filling maps from
// the file took each child 75 ms and 250,000 allocations for a few hundred
// lookups.
// Records stay in the file, the one source of truth: the index says where
// their lines start, and a lookup decodes only the lines it returns.
//
// Layout, every number a little-endian uint32 unless said:
//
//	header     magic "gazidx1\n"; the file's length in bytes; the longest
//	           name in words; the numbers of countries, regions, cities
//	           and slots
//	countries  per country, in file order: where its line starts
//	regions    per region, in file order: where its line starts
//	cities     per city, in file order: where its line starts, its country
//	slots      a hash table of the folded names (FNV-1a, linear probing, a
//	           power of two at most half full): where the name's record
//	           starts in the index, 0 for an empty slot
//	records    per folded name, in the order the file first gives them
//	           (the names of countries, regions and cities, then the first
//	           words of longer names): its length (uvarint), the name, a
//	           flag byte (1: the first words of a longer name, which Scan
//	           must keep reading), the numbers of its cities, countries and
//	           regions (uvarints), then their indexes: cities likeliest
//	           first, as index<<1 | 1 when the name is only an alias;
//	           countries and regions in file order
const (
	magic      = "gazidx1\n"
	headerSize = len(magic) + 6*4
	prefixFlag = 1
)

// places is the record of a folded name: what it may mean.
type places struct {
	prefix                     bool // the first words of a longer name
	cities, countries, regions int
	at                         int // where their indexes start in the index
}

func (p places) known() bool { return p.cities+p.countries+p.regions > 0 }

// lookup returns the record of a folded name, a zero one if it has none.
func (g *Gazetteer) lookup(k string) places {
	for i := hash(k) & g.mask; ; i = (i + 1) & g.mask {
		r := int(g.u32(g.slots + 4*int(i)))
		if r == 0 {
			return places{}
		}
		n, at := uvarint(g.ix, r)
		if g.ix[at:at+n] != k {
			continue
		}
		at += n
		p := places{prefix: g.ix[at]&prefixFlag != 0}
		p.cities, at = uvarint(g.ix, at+1)
		p.countries, at = uvarint(g.ix, at)
		p.regions, at = uvarint(g.ix, at)
		p.at = at
		return p
	}
}

// cityOf returns the index of the j-th city of p, likeliest first, and
// whether p names it only by an alias.
func (g *Gazetteer) cityOf(p places, j int) (int, bool) {
	v := g.u32(p.at + 4*j)
	return int(v >> 1), v&1 != 0
}

func (g *Gazetteer) countryOf(p places, j int) int {
	return int(g.u32(p.at + 4*(p.cities+j)))
}

func (g *Gazetteer) regionsOf(p places) []Region {
	var out []Region
	for j := range p.regions {
		out = append(out, g.region(int(g.u32(p.at+4*(p.cities+p.countries+j)))))
	}
	return out
}

func (g *Gazetteer) u32(at int) uint32 {
	s := g.ix[at : at+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func uvarint(s string, at int) (int, int) {
	v, shift := 0, 0
	for {
		b := s[at]
		at++
		v |= int(b&0x7f) << shift
		if b < 0x80 {
			return v, at
		}
		shift += 7
	}
}

// hash is FNV-1a: the index is built once and read by every process, so
// its hash cannot be seeded per process like Go's maps.
func hash(k string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(k); i++ {
		h ^= uint32(k[i])
		h *= 16777619
	}
	return h
}

// open reads the header of an index compiled from text.
func open(text, ix string) (*Gazetteer, error) {
	if len(ix) < headerSize || !strings.HasPrefix(ix, magic) {
		return nil, errors.New("index: not a gazetteer index")
	}
	g := &Gazetteer{text: text, ix: ix}
	h := func(i int) int { return int(g.u32(len(magic) + 4*i)) }
	if h(0) != len(text) {
		return nil, fmt.Errorf("index: compiled from a file of %d bytes, not this one of %d (rebuild it: go generate ./internal/gazetteer)", h(0), len(text))
	}
	g.maxWords, g.nCountries, g.nRegions, g.nCities = h(1), h(2), h(3), h(4)
	nSlots := h(5)
	g.countries = headerSize
	g.regions = g.countries + 4*g.nCountries
	g.cities = g.regions + 4*g.nRegions
	g.slots = g.cities + 8*g.nCities
	g.mask = uint32(nSlots - 1)
	if nSlots == 0 || nSlots&(nSlots-1) != 0 || g.slots+4*nSlots > len(ix) {
		return nil, errors.New("index: truncated")
	}
	return g, nil
}

// compile checks a gazetteer file and builds its index.
func compile(text string) (string, error) {
	f, err := parse(text)
	if err != nil {
		return "", err
	}
	return f.encode(f.names())
}

// file is a gazetteer file's records, and where their lines start.
type file struct {
	text                        string
	countries                   []Country
	regions                     []Region
	cities                      []City
	countryAt, regionAt, cityAt []uint32
	cityCountry                 []int // the country of each city
}

func parse(text string) (*file, error) {
	if len(text) > math.MaxUint32 {
		return nil, errors.New("gazetteer: file larger than 4 GiB")
	}
	f := &file{text: text}
	var regionLines, cityLines []int // for errors
	byCode := map[string]int{}
	for start, next, n := 0, 0, 1; start < len(text); start, n = next, n+1 {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end, next = len(text), len(text)
		} else {
			end += start
			next = end + 1
		}
		line := strings.TrimRight(text[start:end], "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		switch fields[0] {
		case "country":
			c, err := parseCountry(fields)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
			}
			byCode[c.Code] = len(f.countries) // the last line of a code wins
			f.countries = append(f.countries, c)
			f.countryAt = append(f.countryAt, uint32(start))
		case "region":
			r, err := parseRegion(fields)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
			}
			f.regions = append(f.regions, r)
			f.regionAt = append(f.regionAt, uint32(start))
			regionLines = append(regionLines, n)
		case "city":
			c, err := parseCity(fields)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
			}
			f.cities = append(f.cities, c)
			f.cityAt = append(f.cityAt, uint32(start))
			cityLines = append(cityLines, n)
		default:
			return nil, fmt.Errorf("gazetteer: line %d: unknown record %q (want country, region or city)", n, fields[0])
		}
	}
	for i, r := range f.regions {
		if _, ok := byCode[r.CountryCode]; !ok {
			return nil, fmt.Errorf("gazetteer: line %d: region %s in unknown country %q", regionLines[i], r.Name, r.CountryCode)
		}
	}
	f.cityCountry = make([]int, len(f.cities))
	for i, c := range f.cities {
		ci, ok := byCode[c.CountryCode]
		if !ok {
			return nil, fmt.Errorf("gazetteer: line %d: city %s in unknown country %q", cityLines[i], c.Name, c.CountryCode)
		}
		f.cityCountry[i] = ci
	}
	return f, nil
}

// meaning is what a folded name may mean.
type meaning struct {
	cities             []entry // likeliest first
	countries, regions []int   // in file order
	prefix             bool    // the first words of a longer name
}

// names returns every folded name and alias with its meaning, in the order
// the file first gives them (the index must not depend on the order a map
// is read in), and the longest name in words.
func (f *file) names() ([]string, []meaning, int) {
	n := 0
	for _, c := range f.cities {
		n += 1 + len(c.Aliases)
	}
	keys := make([]string, 0, n)
	meanings := make([]meaning, 0, n)
	index := make(map[string]int, n)
	get := func(k string) *meaning {
		i, ok := index[k]
		if !ok {
			i = len(keys)
			index[k] = i
			keys = append(keys, k)
			meanings = append(meanings, meaning{})
		}
		return &meanings[i]
	}
	each := func(name string, aliases []string, add func(k string, alias bool)) {
		for j := -1; j < len(aliases); j++ {
			n := name
			if j >= 0 {
				n = aliases[j]
			}
			if k := Fold(n); k != "" {
				add(k, j >= 0)
			}
		}
	}
	for i, c := range f.countries {
		each(c.Name, c.Aliases, func(k string, _ bool) {
			if m := get(k); !slices.Contains(m.countries, i) {
				m.countries = append(m.countries, i)
			}
		})
	}
	for i, r := range f.regions {
		each(r.Name, r.Aliases, func(k string, _ bool) {
			if m := get(k); !slices.Contains(m.regions, i) {
				m.regions = append(m.regions, i)
			}
		})
	}
	for i, c := range f.cities {
		// A city is listed once under each of its names, as its French
		// name when an alias folds alike.
		each(c.Name, c.Aliases, func(k string, alias bool) {
			if m := get(k); len(m.cities) == 0 || m.cities[len(m.cities)-1].city != i {
				m.cities = append(m.cities, entry{i, alias})
			}
		})
	}
	maxWords := 0
	var prefixes []string
	addPrefixes := func(k string) {
		maxWords = max(maxWords, strings.Count(k, " ")+1)
		for i := range len(k) {
			if k[i] == ' ' {
				prefixes = append(prefixes, k[:i])
			}
		}
	}
	for i, k := range keys {
		m := &meanings[i]
		slices.SortStableFunc(m.cities, func(a, b entry) int { return cmp.Compare(f.weight(b), f.weight(a)) })
		addPrefixes(k)
		if len(m.cities) == 0 {
			continue
		}
		// « la Nouvelle-Orléans »: Scan reads the name from its capital,
		// after the lowercase article.
		for art := range articles {
			if rest, ok := strings.CutPrefix(k, art+" "); ok {
				addPrefixes(rest)
			}
		}
	}
	for _, k := range prefixes {
		get(k).prefix = true
	}
	return keys, meanings, maxWords
}

// encode writes the index (layout at the top of this file).
func (f *file) encode(keys []string, meanings []meaning, maxWords int) (string, error) {
	nSlots := 2
	for nSlots < 2*len(keys) {
		nSlots *= 2
	}
	recordsAt := headerSize + 4*(len(f.countries)+len(f.regions)+2*len(f.cities)+nSlots)
	slots := make([]uint32, nSlots)
	var records []byte
	for ki, k := range keys {
		at := recordsAt + len(records)
		if at > math.MaxUint32 {
			return "", errors.New("gazetteer: index larger than 4 GiB")
		}
		i := hash(k) & uint32(nSlots-1)
		for slots[i] != 0 {
			i = (i + 1) & uint32(nSlots-1)
		}
		slots[i] = uint32(at)
		m := &meanings[ki]
		records = binary.AppendUvarint(records, uint64(len(k)))
		records = append(records, k...)
		flags := byte(0)
		if m.prefix {
			flags |= prefixFlag
		}
		records = append(records, flags)
		records = binary.AppendUvarint(records, uint64(len(m.cities)))
		records = binary.AppendUvarint(records, uint64(len(m.countries)))
		records = binary.AppendUvarint(records, uint64(len(m.regions)))
		for _, e := range m.cities {
			v := uint32(e.city) << 1
			if e.alias {
				v |= 1
			}
			records = binary.LittleEndian.AppendUint32(records, v)
		}
		for _, i := range slices.Concat(m.countries, m.regions) {
			records = binary.LittleEndian.AppendUint32(records, uint32(i))
		}
	}

	b := make([]byte, 0, recordsAt+len(records))
	b = append(b, magic...)
	for _, v := range []int{len(f.text), maxWords, len(f.countries), len(f.regions), len(f.cities), nSlots} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	for _, at := range slices.Concat(f.countryAt, f.regionAt) {
		b = binary.LittleEndian.AppendUint32(b, at)
	}
	for i, at := range f.cityAt {
		b = binary.LittleEndian.AppendUint32(b, at)
		b = binary.LittleEndian.AppendUint32(b, uint32(f.cityCountry[i]))
	}
	for _, s := range slots {
		b = binary.LittleEndian.AppendUint32(b, s)
	}
	return string(append(b, records...)), nil
}

// entry is a city a name may mean.
type entry struct {
	city  int
	alias bool // the name is one of its aliases, not its French name
}

// weight orders the cities a name may mean, likeliest first, by their
// population weighed by how well known they are: a place libgeonames names
// in French and a capital count three times each, a match on an alias
// (« Monaco » for Munich in Italian) one twentieth.
func (f *file) weight(e entry) float64 { return likelihood(&f.cities[e.city], e.alias) }

// likelihood is a city's weight when a name may mean it (see weight).
func likelihood(c *City, alias bool) float64 {
	w := float64(c.Population + 1)
	if c.Notable {
		w *= 3
	}
	if c.Capital {
		w *= 3
	}
	if alias {
		w /= 20
	}
	return w
}
