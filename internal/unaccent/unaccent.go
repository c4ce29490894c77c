// Package unaccent lowercases text and strips its accents, the key the
// extraction compares French words by: « Délégation », « DELEGATION » and
// « delegation » are one word.
package unaccent

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Lower returns s lowercased without the nonspacing marks (accents) of its
// canonical decomposition (NFD): « Québec » → « quebec ». Text made of
// ASCII, Latin letters and common punctuation is folded one rune at a time,
// without decomposing the whole string; anything else is decomposed, with
// the same result.
func Lower(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s // already folded: most words
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !inSpans(r) {
			return decomposed(s)
		}
		d := norm.NFD.PropertiesString(s[i : i+n]).Decomposition()
		if d == nil {
			writeFolded(&b, r)
		}
		for len(d) > 0 {
			x, m := utf8.DecodeRune(d)
			writeFolded(&b, x)
			d = d[m:]
		}
		i += n
	}
	return b.String()
}

// writeFolded writes one rune of a decomposition: lowercase, or nothing
// for a nonspacing mark.
func writeFolded(b *strings.Builder, r rune) {
	if !unicode.Is(unicode.Mn, r) {
		b.WriteRune(unicode.ToLower(r))
	}
}

// decomposed is Lower by the definition: decompose, drop the nonspacing
// marks, lowercase the rest.
func decomposed(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		writeFolded(&b, r)
	}
	return b.String()
}

// spans are the runes beyond ASCII that Lower folds one at a time: Latin
// letters, combining diacritical marks (text already decomposed) and general
// punctuation (’, «, –, …). The decomposition of each holds only starters,
// which canonical ordering never moves, and nonspacing marks, which Lower
// drops (TestSpansFoldAlone), so a text made of them folds as the
// concatenation of its runes' folds.
var spans = []struct{ lo, hi rune }{
	{0x0080, 0x024f}, // Latin-1 Supplement, Latin Extended-A and -B
	{0x0300, 0x036f}, // Combining Diacritical Marks
	{0x1e00, 0x1eff}, // Latin Extended Additional (Vietnamese)
	{0x2000, 0x206f}, // General Punctuation
}

// inSpans reports whether Lower may fold r alone.
func inSpans(r rune) bool {
	for _, sp := range spans {
		if sp.lo <= r && r <= sp.hi {
			return true
		}
	}
	return false
}
