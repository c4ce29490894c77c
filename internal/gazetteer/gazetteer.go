// Package gazetteer knows the world's cities and countries by their French
// names: it finds the city a name means (aliases, accents, ambiguity settled by
// population) and the country it lies in. The default data is generated from
// GeoNames, Debian's libgeonames and iso-codes by internal/tools/gengazetteer and
// embedded in the binary; Load reads an administrator's replacement.
package gazetteer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/cities.tsv.gz
var defaultData []byte

// City is one populated place.
type City struct {
	ID          int      // GeoNames id
	Name        string   // French name (« Anvers »)
	Aliases     []string // other names it is written as (« Antwerpen », « Antwerp »)
	CountryCode string   // ISO 3166-1 alpha-2
	Country     string   // French country name (« Belgique »)
	Population  int
	Lat, Lon    float64
	Capital     bool
	Port        bool
}

// Gazetteer is a read-only set of cities, safe for concurrent use.
type Gazetteer struct {
	cities []City
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

// Load reads a gazetteer file: gzipped or plain TSV, one city a line, columns
// id, French name, aliases (joined by « | »), country code, French country
// name, population, latitude, longitude, flags (C capital, P port). Lines
// starting with « # » are comments.
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
	g := &Gazetteer{}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: line %d: %w", n, err)
		}
		g.cities = append(g.cities, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gazetteer: read: %w", err)
	}
	return g, nil
}

func parseLine(line string) (City, error) {
	f := strings.Split(line, "\t")
	if len(f) < 9 {
		return City{}, fmt.Errorf("%d columns, want 9", len(f))
	}
	id, err := strconv.Atoi(f[0])
	if err != nil {
		return City{}, fmt.Errorf("id %q: %w", f[0], err)
	}
	pop, _ := strconv.Atoi(f[5])
	lat, _ := strconv.ParseFloat(f[6], 64)
	lon, _ := strconv.ParseFloat(f[7], 64)
	c := City{ID: id, Name: f[1], CountryCode: f[3], Country: f[4], Population: pop, Lat: lat, Lon: lon,
		Capital: strings.Contains(f[8], "C"), Port: strings.Contains(f[8], "P")}
	if f[2] != "" {
		c.Aliases = strings.Split(f[2], "|")
	}
	return c, nil
}

// Len returns the number of cities.
func (g *Gazetteer) Len() int { return len(g.cities) }
