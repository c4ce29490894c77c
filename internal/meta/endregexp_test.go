package meta

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"escale/internal/score"
)

// endRegexps are the patterns read with endRegexp.
var endRegexps = map[string]func() endRegexp{
	"tripBefore": tripBefore, "representedAt": representedAt, "regionOf": regionOf, "nameOf": nameOf,
	"articleBefore": articleBefore, "transitBefore": transitBefore, "eventBefore": eventBefore, "homeBefore": homeBefore,
}

func TestEndRegexp(t *testing.T) {
	for _, tt := range []struct {
		name, s string
		want    bool
	}{
		{"tripBefore", "la mission a ", true},
		{"tripBefore", "la delegation s'est rendue a ", true},
		{"tripBefore", "la mission a ete utile", false},
		{"regionOf", "dans l'etat de ", true},
		{"regionOf", "l'ile du ", true},
		{"regionOf", "l'etat des lieux, puis ", false},
		{"articleBefore", "le ", true},
		{"articleBefore", "vers le", true},
		{"articleBefore", "ville ", false},
		{"eventBefore", "la conference s'est tenue a ", true},
		{"eventBefore", "accueillie par la ville de ", true},
		{"eventBefore", "la conference a ", false},
		{"transitBefore", "via ", true},
		{"transitBefore", "l'aeroport international de ", true},
		{"transitBefore", "avia ", false},
		{"homeBefore", "depart de ", true},
		{"homeBefore", "depart ", false},
	} {
		if got := endRegexps[tt.name]().MatchString(tt.s); got != tt.want {
			t.Errorf("%s().MatchString(%q) = %v, want %v", tt.name, tt.s, got, tt.want)
		}
	}
}

// TestEndRegexpCorpus compares each endRegexp with its pattern run forward
// on the folded text before every capitalised word of the annotated reports'
// texts, where a mention may start.
func TestEndRegexpCorpus(t *testing.T) {
	var texts []string
	for _, corpus := range []string{"../../testdata/corpus/visible", "../../testdata/corpus/extra"} {
		truths, err := score.LoadTruth(corpus)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range truths {
			texts = append(texts, tr.Text)
		}
	}
	for name, re := range endRegexps {
		forward := regexp.MustCompile(re().expr)
		matches := 0
		for _, text := range texts {
			for i := range text {
				if r, _ := utf8.DecodeRuneInString(text[i:]); i == 0 || text[i-1] != ' ' || !unicode.IsUpper(r) {
					continue
				}
				b := before(text, i, 90)
				got, want := re().MatchString(b), forward.MatchString(b)
				if got != want {
					t.Errorf("%s().MatchString(%q) = %v, want %v", name, b, got, want)
				}
				if want {
					matches++
				}
			}
		}
		if matches == 0 {
			t.Errorf("%s matches nothing in the corpora", name)
		}
	}
}

func FuzzEndRegexp(f *testing.F) {
	for _, s := range []string{"la mission a ", "dans l'etat de ", "vers le", "\xff\xe2\x82 au ", "accueillie par la ville de "} {
		f.Add(s)
	}
	forward := map[string]*regexp.Regexp{}
	for name, re := range endRegexps {
		forward[name] = regexp.MustCompile(re().expr)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, re := range endRegexps {
			if got, want := re().MatchString(s), forward[name].MatchString(s); got != want {
				t.Errorf("%s().MatchString(%q) = %v, want %v", name, s, got, want)
			}
		}
	})
}

func TestReverseRunes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"la mission a ", " a noissim al"},
		{"l’état de ", " ed taté’l"},
		{"a\xffb", "b\uFFFDa"},
	} {
		if got := reverseRunes(tt.in); got != tt.want {
			t.Errorf("reverseRunes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteSyntax checks that writeSyntax writes each tree as a pattern that
// parses back to the same tree.
func TestWriteSyntax(t *testing.T) {
	exprs := []string{
		`(?i)Ville de$`, `a*?b+c??d{2}e{2,}f{0,3}g{1,2}?`, `[^.;:()]{0,45}\b[a-c\d]\B`,
		`^(?P<name>x|y|)$`, `(?s:.)(?-s:.)`, `(?m:^a$)`, `[^\pL]\s?[\x{FFFD}’-]`, `\A\z`,
	}
	for _, re := range endRegexps {
		exprs = append(exprs, re().expr)
	}
	for _, expr := range exprs {
		want, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatalf("syntax.Parse(%q): %v", expr, err)
		}
		var b strings.Builder
		writeSyntax(&b, want)
		got, err := syntax.Parse(b.String(), syntax.Perl)
		if err != nil {
			t.Errorf("writeSyntax(%q) = %q, which does not parse: %v", expr, b.String(), err)
			continue
		}
		if !got.Equal(want) {
			t.Errorf("writeSyntax(%q) = %q, parsed back as %v, want %v", expr, b.String(), got, want)
		}
	}
}
