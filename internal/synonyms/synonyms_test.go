package synonyms

import (
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	g := Default()
	if len(g) < 50 {
		t.Fatalf("Default() has %d groups, want the embedded list (50 or more)", len(g))
	}
	found := false
	for _, grp := range g {
		for _, m := range grp {
			if m == "matières résiduelles" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("Default() lacks « matières résiduelles »")
	}
}

func TestLoad(t *testing.T) {
	g, err := Load(strings.NewReader("# comment\n\n déchets ,  matières   résiduelles # trailing\nbus, autobus\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Groups{{"déchets", "matières résiduelles"}, {"bus", "autobus"}}
	if len(g) != len(want) || g[0][1] != want[0][1] || g[1][0] != want[1][0] {
		t.Errorf("Load = %q, want %q", g, want)
	}
	for _, bad := range []string{"seul\n", "a,\n", ", ,\n"} {
		if _, err := Load(strings.NewReader(bad)); err == nil {
			t.Errorf("Load(%q) = nil error, want a refusal of a one-member group", bad)
		}
	}
}
