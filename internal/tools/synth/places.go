package synth

import (
	"math"
	"slices"
	"sort"

	"golang.org/x/text/encoding/charmap"

	"escale/internal/gazetteer"
)

// place is a destination a mission can go to.
type place struct {
	City    gazetteer.City
	Country string // French name
	Port    bool
}

// places samples destinations weighted toward large, well-known, capital and
// port cities, and toward the countries a French-speaking city office travels
// to most.
type places struct {
	all   []place
	cum   []float64 // cumulative weights, for sampling
	byCC  map[string][]int
	ccCum map[string][]float64
}

// portNames are major sea and river ports by their French name. They raise a
// city's chance of being drawn beyond the gazetteer's port flag, which also
// marks small harbours.
var portNames = []string{
	"Rotterdam", "Anvers", "Hambourg", "Brême", "Le Havre", "Marseille", "Bordeaux",
	"Nantes", "Saint-Nazaire", "Dunkerque", "Rouen", "Brest", "La Rochelle", "Gênes",
	"Naples", "Trieste", "Venise", "Barcelone", "Valence", "Bilbao", "Lisbonne", "Porto",
	"Gdańsk", "Göteborg", "Copenhague", "Aarhus", "Oslo", "Bergen", "Helsinki", "Tallinn",
	"Riga", "Saint-Pétersbourg", "Liverpool", "Southampton", "Glasgow", "Dublin", "Cork",
	"Le Pirée", "Thessalonique", "Istanbul", "Alexandrie", "Tanger", "Casablanca",
	"Dakar", "Abidjan", "Douala", "Lagos", "Durban", "Le Cap", "Mombasa", "Dar es Salam",
	"Djibouti", "Dubaï", "Bombay", "Chennai", "Singapour", "Hong Kong", "Shanghai",
	"Ningbo", "Qingdao", "Tianjin", "Pusan", "Yokohama", "Kōbe", "Osaka", "Kaohsiung",
	"Sydney", "Melbourne", "Brisbane", "Auckland", "Vancouver", "Halifax", "Saint-Jean",
	"Montréal", "Seattle", "Los Angeles", "Long Beach", "San Francisco", "Boston",
	"New York", "Baltimore", "Miami", "La Nouvelle-Orléans", "Houston", "Santos",
	"Buenos Aires", "Valparaiso", "Carthagène", "Veracruz", "Panama", "Port-au-Prince",
	"Pointe-à-Pitre", "Fort-de-France", "Nouméa", "Papeete",
}

// countryWeight favours where such an office goes: the French-speaking world,
// Europe and North America first.
var countryWeight = map[string]float64{
	"FR": 8, "BE": 5, "CH": 4, "US": 6, "CA": 3, "LU": 2, "MC": 1,
	"DE": 3, "ES": 3, "IT": 3, "PT": 3, "NL": 3, "GB": 3, "IE": 2, "DK": 2, "SE": 2,
	"NO": 2, "FI": 2, "AT": 2, "PL": 1.5, "CZ": 1.5, "GR": 1.5, "EE": 1, "LV": 1, "LT": 1,
	"SN": 3, "CI": 2, "MA": 3, "TN": 2, "DZ": 1.5, "CM": 1.5, "BF": 1.5, "ML": 1, "BJ": 1.5,
	"TG": 1, "GA": 1, "NE": 1, "RW": 1, "HT": 2, "MX": 2, "BR": 1.5, "AR": 1, "CL": 1,
	"CO": 1, "PE": 0.8, "CU": 0.8, "JP": 2, "CN": 1.5, "KR": 1.5, "SG": 1.5, "VN": 1.2,
	"IN": 0.8, "AU": 1.2, "NZ": 0.8, "AE": 1, "IL": 0.8, "EG": 0.8, "TR": 1, "ZA": 1,
}

func newPlaces(g *gazetteer.Gazetteer, home gazetteer.City) *places {
	major := map[string]bool{}
	for _, n := range portNames {
		if c, ok := g.City(n); ok {
			major[gazetteer.Fold(c.Name)+"|"+c.CountryCode] = true
		}
	}
	p := &places{byCC: map[string][]int{}, ccCum: map[string][]float64{}}
	enc := charmap.Windows1252.NewEncoder()
	for c := range g.All() {
		big := major[gazetteer.Fold(c.Name)+"|"+c.CountryCode]
		port := c.Port || big
		if c.ID == home.ID || c.CommonWord {
			continue
		}
		if !c.Capital && !big && !((c.Notable || port) && c.Population >= 100000) && c.Population < 500000 {
			continue
		}
		// The report must be writable in cp1252 and in the PDF font, and the
		// name must mean this city when read alone, so the truth is fair.
		if _, err := enc.String(c.Name); err != nil {
			continue
		}
		if best, ok := g.City(c.Name); !ok || best.ID != c.ID {
			continue
		}
		country, ok := g.CountryByCode(c.CountryCode)
		if !ok {
			continue
		}
		if _, err := enc.String(country.Name); err != nil {
			continue
		}
		// Population counts up to a point: an office goes to Lyon about as
		// often as to Shanghai.
		w := math.Pow(float64(min(max(c.Population, 50000), 2000000)), 0.9)
		if c.Notable {
			w *= 2
		}
		if c.Capital {
			w *= 3
		}
		if port {
			w *= 2
		}
		if big {
			w *= 3
		}
		if cw, ok := countryWeight[c.CountryCode]; ok {
			w *= cw
		} else {
			w *= 0.3
		}
		p.all = append(p.all, place{City: c, Country: country.Name, Port: port})
		p.cum = append(p.cum, w)
	}
	// Sort for an order that does not depend on the file's, then accumulate.
	idx := make([]int, len(p.all))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return p.all[a].City.ID - p.all[b].City.ID })
	all, w := make([]place, len(idx)), make([]float64, len(idx))
	for i, j := range idx {
		all[i], w[i] = p.all[j], p.cum[j]
	}
	p.all = all
	p.cum = cumulate(w)
	for i, pl := range p.all {
		p.byCC[pl.City.CountryCode] = append(p.byCC[pl.City.CountryCode], i)
	}
	for cc, ids := range p.byCC {
		ws := make([]float64, len(ids))
		for k, i := range ids {
			ws[k] = w[i]
		}
		p.ccCum[cc] = cumulate(ws)
	}
	return p
}

func cumulate(w []float64) []float64 {
	out := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		out[i] = s
	}
	return out
}

func pickCum(r *rng, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum, x)
}

// pick draws one destination.
func (p *places) pick(r *rng) place { return p.all[pickCum(r, p.cum)] }

// pickIn draws a destination in the same country as pl, other than pl; ok is
// false when the country has no other.
func (p *places) pickIn(r *rng, pl place) (place, bool) {
	ids := p.byCC[pl.City.CountryCode]
	if len(ids) < 2 {
		return place{}, false
	}
	for range 8 {
		q := p.all[ids[pickCum(r, p.ccCum[pl.City.CountryCode])]]
		if q.City.ID != pl.City.ID {
			return q, true
		}
	}
	return place{}, false
}
