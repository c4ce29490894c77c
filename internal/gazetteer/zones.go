package gazetteer

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// zonesData lists the world regions (continents and usual groupings) with
// their countries; its header documents the format.
//
//go:embed data/zones.txt
var zonesData string

// zonesByCode maps a country code to the regions it is in, in file order.
var zonesByCode = sync.OnceValue(func() map[string][]string {
	m, err := parseZones(zonesData)
	if err != nil {
		panic(fmt.Sprintf("gazetteer: embedded zones: %v", err))
	}
	return m
})

func parseZones(data string) (map[string][]string, error) {
	m := map[string][]string{}
	for n, line := range strings.Split(data, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, codes, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || len(strings.Fields(codes)) == 0 {
			return nil, fmt.Errorf("line %d: want « Name : CODE CODE ... »", n+1)
		}
		for _, c := range strings.Fields(codes) {
			if len(c) != 2 || strings.ToUpper(c) != c {
				return nil, fmt.Errorf("line %d: %q is not an ISO 3166-1 alpha-2 code", n+1, c)
			}
			m[c] = append(m[c], name)
		}
	}
	return m, nil
}

// Zones returns the French names of the world regions the country with
// this ISO 3166-1 alpha-2 code is in (« Afrique », « Afrique de l'Ouest »),
// continent first.
func Zones(code string) []string {
	return zonesByCode()[strings.ToUpper(code)]
}

// ZonesOf returns the world regions of the country a name means (French,
// official or English), none when it knows no such country.
func (g *Gazetteer) ZonesOf(country string) []string {
	if c, ok := g.Country(country); ok {
		return Zones(c.Code)
	}
	return nil
}
