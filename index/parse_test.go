package index

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		advanced bool
		want     []clause
	}{
		{"gestion des inondations", false, []clause{{Text: "gestion des inondations"}}},
		{`tunnels "contre les inondations" Lisbonne`, false, []clause{{Text: "tunnels   Lisbonne"}, {Text: "contre les inondations", Phrase: true, Must: true}}},
		{"« villes et ports »", false, []clause{{Text: "villes et ports", Phrase: true, Must: true}}},
		{`unclosed "quote here`, false, []clause{{Text: "unclosed  quote here"}}},
		{"+patrimoine -crues C++ ville:lyon", false, []clause{{Text: "+patrimoine -crues C++ ville:lyon"}}},
		{`""`, false, nil},
		{"+patrimoine -crues visite", true, []clause{{Text: "patrimoine", Must: true}, {Text: "crues", Not: true}, {Text: "visite"}}},
		{"port AND ville OR quai NOT crue", true, []clause{{Text: "port", Must: true}, {Text: "ville", Must: true}, {Text: "quai"}, {Text: "crue", Not: true}}},
		{"inond* ville:Lyon pays:France titre:bordeaux", true, []clause{{Text: "inond", Prefix: true}, {Text: "Lyon", Field: "city"}, {Text: "France", Field: "country"}, {Text: "bordeaux", Field: "title"}}},
		{`titre:"rapport de mission" inconnu:x`, true, []clause{{Text: "rapport de mission", Phrase: true, Field: "title"}, {Text: "inconnu:x"}}},
		{`-"ports et villes"`, true, []clause{{Text: "ports et villes", Phrase: true, Not: true}}},
	}
	for _, tt := range tests {
		if got := parse(tt.in, tt.advanced); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parse(%q, %v) = %+v, want %+v", tt.in, tt.advanced, got, tt.want)
		}
	}
}

func TestParseBounds(t *testing.T) {
	long := strings.Repeat("mot ", 2000)
	for _, adv := range []bool{false, true} {
		cs := parse(long, adv)
		n := 0
		for _, c := range cs {
			n += len(c.Text)
		}
		if n > maxQueryLen || len(cs) > maxClauses {
			t.Errorf("parse(2000 words, %v) = %d clauses of %d bytes, want at most %d and %d", adv, len(cs), n, maxClauses, maxQueryLen)
		}
	}
}

// FuzzParse feeds arbitrary queries to the parser and to a search: neither
// may fail or panic, and clauses are valid UTF-8 and never empty.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"gestion des inondations", `"villes et ports"`, `« a » "b`, "+a -b c* ville:x titre:\"y z\"",
		"AND OR NOT", "-", "+", "*", ":", `"`, "ville:", "\xff\xfe", "l’économie", strings.Repeat("a ", 50),
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	ix, err := Open(f.TempDir(), Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	f.Fuzz(func(t *testing.T, s string, advanced bool) {
		for _, c := range parse(s, advanced) {
			if !utf8.ValidString(c.Text) || strings.TrimSpace(c.Text) == "" {
				t.Fatalf("parse(%q, %v) gives clause %+v", s, advanced, c)
			}
		}
		if _, err := ix.Search(context.Background(), Query{Text: s, Advanced: advanced}); err != nil {
			t.Fatalf("Search(%q, advanced=%v): %v", s, advanced, err)
		}
	})
}
