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
	var b strings.Builder
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

// Mention is a place named in a text.
type Mention struct {
	Start, End int    // byte offsets of the name in the text
	Text       string // the name as written
	Cities     []City // the cities it may mean, likeliest first; empty for a country
	Alias      bool   // the likeliest city matched an alias, not its French name
	Country    *Country
}

type token struct {
	start, end int
	key        string
	upper      bool // starts with a capital letter
}

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
	return token{start: start, end: end, key: Fold(text[start:end]), upper: unicode.IsUpper(r)}
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
		found := false
		for n := min(g.maxWords, len(toks)-i); n >= 1 && !found; n-- {
			last := toks[i+n-1]
			// A name is one run of words joined by spaces, hyphens or
			// apostrophes: no sentence punctuation inside.
			if n > 1 && strings.ContainsAny(text[toks[i].start:last.end], ",;:.()«»\"\n") {
				continue
			}
			var kb strings.Builder
			for j := i; j < i+n; j++ {
				if j > i {
					kb.WriteByte(' ')
				}
				kb.WriteString(toks[j].key)
			}
			k := kb.String()
			m := Mention{Start: toks[i].start, End: last.end, Text: text[toks[i].start:last.end]}
			// « au Havre », « du Caire »: the article of « Le Havre » is
			// contracted into the preposition before it.
			if i > 0 && (toks[i-1].key == "au" || toks[i-1].key == "du") && toks[i-1].end < toks[i].start {
				if _, ok := g.cityBy[k]; !ok {
					if _, ok := g.cityBy["le "+k]; ok {
						k = "le " + k
					}
				}
			}
			if es := g.cityBy[k]; len(es) > 0 {
				m.Cities = make([]City, len(es))
				for j, e := range es {
					m.Cities[j] = g.cities[e.city]
				}
				m.Alias = es[0].alias
			}
			if cs := g.countryBy[k]; len(cs) > 0 {
				c := g.countries[cs[0]]
				m.Country = &c
			}
			if m.Cities != nil || m.Country != nil {
				out = append(out, m)
				i += n
				found = true
			}
		}
		if !found {
			i++
		}
	}
	return out
}
