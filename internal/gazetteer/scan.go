package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold is the key names are compared by: lowercase, without accents, with
// hyphens, apostrophes and runs of spaces made one space (« Trois-Rivières »
// and « trois rivieres » fold alike).
func Fold(s string) string {
	if ascii(s) {
		return foldASCII(s) // most names and aliases
	}
	return foldRunes(s)
}

func foldRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case r == '.' || r == '&':
			// « St. Louis », « Bosnia & Herzegovina » keep their marks.
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// foldASCII is foldRunes for ASCII text, without decomposing it.
func foldASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '&':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Mention is a place named in a text.
type Mention struct {
	Start, End int    // byte offsets of the name in the text
	Text       string // the name as written
	Cities     []City // the cities it may mean, likeliest first; empty for a country
	Alias      bool   // the likeliest city matched an alias, not its French name
	Country    *Country
	Regions    []Region // the regions it may mean (« Ontario », « Géorgie »)
}

type token struct {
	start, end int
	upper      bool // starts with a capital letter
}

// key folds a token's word. Scan folds only the words a name may start
// with or continue through, not every word of the text.
func (t token) key(text string) string { return Fold(text[t.start:t.end]) }

// tokens splits text into words (letters and digits), with their offsets.
func tokens(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			out = append(out, newToken(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, newToken(text, start, len(text)))
	}
	return out
}

func newToken(text string, start, end int) token {
	r, _ := utf8.DecodeRuneInString(text[start:])
	return token{start: start, end: end, upper: unicode.IsUpper(r)}
}

// Scan finds the cities and countries a text names, longest names first and
// without overlap. Only names written with a capital initial count: « tours »
// is a word, « Tours » may be a city.
func (g *Gazetteer) Scan(text string) []Mention {
	toks := tokens(text)
	var out []Mention
	for i := 0; i < len(toks); {
		if !toks[i].upper {
			i++
			continue
		}
		// Grow the name word by word while it is the beginning of some
		// name, keeping the longest that is a whole name.
		var kb strings.Builder
		bestN, best := 0, places{}
		for n := 1; n <= g.maxWords && i+n <= len(toks); n++ {
			t := toks[i+n-1]
			if n > 1 {
				// A name is one run of words joined by spaces, hyphens or
				// apostrophes: no sentence punctuation inside.
				if strings.ContainsAny(text[toks[i+n-2].end:t.start], ",;:.()«»\"\n") {
					break
				}
				kb.WriteByte(' ')
			}
			kb.WriteString(t.key(text))
			k := kb.String()
			p := g.lookup(k)
			if i > 0 && !p.known() {
				// « au Havre », « du Caire », « à la Nouvelle-Orléans »: the
				// article of « Le Havre » is written in lowercase, or
				// contracted into the preposition before it.
				if art, ok := articles[toks[i-1].key(text)]; ok {
					if ap := g.lookup(art + " " + k); ap.cities > 0 {
						bestN, best = n, ap
					}
				}
			}
			if p.known() {
				bestN, best = n, p
			}
			if !p.prefix {
				break
			}
		}
		if bestN == 0 {
			i++
			continue
		}
		last := toks[i+bestN-1]
		m := Mention{Start: toks[i].start, End: last.end, Text: text[toks[i].start:last.end]}
		if best.cities > 0 {
			m.Cities = make([]City, best.cities)
			for j := range m.Cities {
				c, alias := g.cityOf(best, j)
				m.Cities[j] = g.city(c)
				if j == 0 {
					m.Alias = alias
				}
			}
		}
		if best.countries > 0 {
			c := g.country(g.countryOf(best, 0))
			m.Country = &c
		}
		m.Regions = g.regionsOf(best)
		out = append(out, m)
		i += bestN
	}
	return out
}

// articles are the words that may stand for the article opening a city's
// name (« Le Havre », « La Nouvelle-Orléans », « Les Sables-d'Olonne »).
var articles = map[string]string{
	"le": "le", "la": "la", "les": "les", "l": "l",
	"au": "le", "du": "le", "aux": "les", "des": "les",
}
