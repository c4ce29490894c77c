package gazetteer

import (
	"slices"
	"testing"
)

func TestZones(t *testing.T) {
	for _, tc := range []struct {
		code string
		want []string // among its zones
		not  []string
	}{
		{"SN", []string{"Afrique", "Afrique de l'Ouest", "Afrique subsaharienne"}, []string{"Europe", "Maghreb"}},
		{"fr", []string{"Europe", "Union européenne", "Europe de l'Ouest"}, []string{"Afrique"}},
		{"JP", []string{"Asie", "Asie de l'Est"}, nil},
		{"CL", []string{"Amérique du Sud", "Amérique", "Amérique latine"}, []string{"Amérique du Nord"}},
		{"US", []string{"Amérique du Nord", "Amérique"}, []string{"Amérique latine"}},
	} {
		got := Zones(tc.code)
		if len(got) == 0 || got[0] != tc.want[0] {
			t.Errorf("Zones(%s) = %q, want the continent %s first", tc.code, got, tc.want[0])
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("Zones(%s) = %q, want %s among them", tc.code, got, w)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(got, w) {
				t.Errorf("Zones(%s) = %q, want no %s", tc.code, got, w)
			}
		}
	}
	if got := Zones("ZZ"); got != nil {
		t.Errorf("Zones(ZZ) = %q, want none", got)
	}
	// Every country of the embedded gazetteer is on a continent.
	for _, c := range Default().Countries() {
		if len(Zones(c.Code)) == 0 {
			t.Errorf("country %s (%s) is in no zone", c.Code, c.Name)
		}
	}
	for _, bad := range []string{"Afrique\n", "Afrique : sn\n", " : SN\n"} {
		if _, err := parseZones(bad); err == nil {
			t.Errorf("parseZones(%q) = nil error, want a refusal", bad)
		}
	}
}

func TestZonesOf(t *testing.T) {
	g := Default()
	if got := g.ZonesOf("Sénégal"); len(got) == 0 || got[0] != "Afrique" {
		t.Errorf("ZonesOf(Sénégal) = %q, want Afrique first", got)
	}
	if got := g.ZonesOf("Atlantide"); got != nil {
		t.Errorf("ZonesOf(Atlantide) = %q, want none", got)
	}
}

func TestCanonical(t *testing.T) {
	g := Default()
	for _, tc := range []struct{ name, want string }{{"Antwerpen", "Anvers"}, {"germany", "Allemagne"}} {
		if got, ok := g.Canonical(tc.name); !ok || got != tc.want {
			t.Errorf("Canonical(%s) = %q, %v; want %s", tc.name, got, ok, tc.want)
		}
	}
	if _, ok := g.Canonical("Xyzzyville"); ok {
		t.Errorf("Canonical(Xyzzyville) found a place")
	}
}
