package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// clause is one part of a parsed query.
type clause struct {
	Text   string // the words, or the phrase without its quotes
	Phrase bool   // "…": the words in this order
	Must   bool   // required (+word, a quoted phrase, AND)
	Not    bool   // excluded (-word, NOT word)
	Prefix bool   // word*: any word starting so (advanced)
	Field  string // field:value (advanced): a text field or a facet
}

// queryFields are the names advanced queries may put before a colon: text
// fields (searched) and facets (filtered).
var queryFields = map[string]bool{
	"titre": true, "title": true, "texte": true, "text": true,
	FacetCity: true, "ville": true, FacetCountry: true, "pays": true,
	FacetYear: true, "annee": true, FacetTheme: true, FacetCategory: true,
	FacetSection: true, FacetOrganization: true, "organisation": true,
}

// fieldAlias maps the French spellings to the canonical names.
var fieldAlias = map[string]string{
	"titre": "title", "texte": "text", "ville": FacetCity, "pays": FacetCountry,
	"annee": FacetYear, "organisation": FacetOrganization,
}

// maxQueryLen bounds what is parsed: a query longer than this is cut (at a
// rune boundary), as nobody types more and every word costs a searcher.
const maxQueryLen = 1000

// maxClauses bounds the clauses a query yields, for the same reason.
const maxClauses = 32

// parse reads a query. In the default mode the only syntax is "quoted
// phrases", which are required; every other character is text (so « C++ »
// or « Saint-Jean: bilan » never fail). The advanced mode adds +word, -word,
// AND / OR / NOT, word* and field:value.
func parse(s string, advanced bool) []clause {
	s = cut(strings.ToValidUTF8(s, " "), maxQueryLen)
	var out []clause
	if !advanced {
		free := []string{}
		for s != "" {
			i := strings.IndexAny(s, "\"«»“”")
			if i < 0 {
				free = append(free, s)
				break
			}
			free = append(free, s[:i])
			_, w := utf8.DecodeRuneInString(s[i:])
			rest := s[i+w:]
			j := strings.IndexAny(rest, "\"«»“”")
			if j < 0 { // an unclosed quote: plain words
				free = append(free, rest)
				break
			}
			if p := strings.TrimSpace(rest[:j]); p != "" {
				out = append(out, clause{Text: p, Phrase: true, Must: true})
			}
			_, w = utf8.DecodeRuneInString(rest[j:])
			s = rest[j+w:]
		}
		if t := strings.TrimSpace(strings.Join(free, " ")); t != "" {
			out = append([]clause{{Text: t}}, out...)
		}
		return limit(out)
	}
	toks := splitAdvanced(s)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.text {
		case "AND", "ET":
			if len(out) > 0 && !out[len(out)-1].Not {
				out[len(out)-1].Must = true
			}
			if i+1 < len(toks) {
				toks[i+1].must = true
			}
			continue
		case "OR", "OU":
			continue // words are alternatives already
		case "NOT", "SAUF":
			if i+1 < len(toks) {
				toks[i+1].not = true
			}
			continue
		}
		c := clause{Text: t.text, Phrase: t.quoted, Must: t.must, Not: t.not}
		if !t.quoted {
			if f, v, ok := strings.Cut(c.Text, ":"); ok && queryFields[strings.ToLower(f)] {
				f = strings.ToLower(f)
				if a, ok := fieldAlias[f]; ok {
					f = a
				}
				c.Field = f
				c.Text = v
				if v == "" && i+1 < len(toks) && toks[i+1].quoted {
					c.Text, c.Phrase = toks[i+1].text, true
					i++
				}
			}
			if !c.Phrase && strings.HasSuffix(c.Text, "*") {
				c.Text = strings.TrimRight(c.Text, "*")
				c.Prefix = true
			}
		}
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		out = append(out, c)
	}
	return limit(out)
}

func limit(cs []clause) []clause {
	if len(cs) > maxClauses {
		return cs[:maxClauses]
	}
	return cs
}

type advTok struct {
	text      string
	quoted    bool
	must, not bool
}

// splitAdvanced splits on spaces, keeping "quoted phrases" whole and reading
// a leading + or - as required or excluded.
func splitAdvanced(s string) []advTok {
	var out []advTok
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return out
		}
		var t advTok
		for s != "" && (s[0] == '+' || s[0] == '-') {
			if s[0] == '+' {
				t.must = true
			} else {
				t.not = true
			}
			s = s[1:]
		}
		r, w := utf8.DecodeRuneInString(s)
		if isQuote(r) {
			rest := s[w:]
			j := strings.IndexFunc(rest, isQuote)
			if j < 0 {
				t.text, t.quoted, s = rest, true, ""
			} else {
				_, qw := utf8.DecodeRuneInString(rest[j:])
				t.text, t.quoted, s = rest[:j], true, rest[j+qw:]
			}
			t.text = strings.TrimSpace(t.text)
		} else {
			j := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) })
			if j < 0 {
				j = len(s)
			}
			t.text, s = s[:j], s[j:]
			// field:"a phrase" — keep the quote for the next token
		}
		if t.text != "" || t.quoted {
			out = append(out, t)
		}
	}
}

func isQuote(r rune) bool { return r == '"' || r == '«' || r == '»' || r == '“' || r == '”' }

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
