package structure

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// ligatures are the presentation forms some PDF fonts map glyphs to; the
// words they spell are searched letter by letter.
var ligatures = map[rune]string{
	'\ufb00': "ff", '\ufb01': "fi", '\ufb02': "fl", '\ufb03': "ffi",
	'\ufb04': "ffl", '\ufb05': "st", '\ufb06': "st",
}

// softHyphenEnd marks a line that ended with a soft hyphen: the word was cut
// by hyphenation, so joining drops the hyphen whatever the vocabulary says.
const softHyphenEnd = "\u00ad"

// Clean repairs one run of extracted text: invalid UTF-8 and U+FFFD dropped,
// C1 controls read as the Windows-1252 characters they stand for (fonts and
// old converters produce them for ’ « » – …), ligatures expanded, private-use
// glyphs (symbol-font bullets) and invisible controls dropped, then NFC.
// Guillemets, apostrophes and non-breaking spaces are kept as written.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	if !strings.ContainsFunc(s, func(r rune) bool { _, changed := cleanRune(r); return changed }) {
		return norm.NFC.String(s) // s itself when already composed: most text
	}
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if out, changed := cleanRune(r); changed {
			b.WriteString(out)
		} else {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// cleanRune returns what Clean writes for r when that is not r itself.
func cleanRune(r rune) (out string, changed bool) {
	switch {
	case r >= 0x20 && r < 0x7f:
		return "", false
	case r == utf8.RuneError:
		return "", true
	case r >= 0x80 && r <= 0x9f:
		if c := charmap.Windows1252.DecodeByte(byte(r)); c != utf8.RuneError {
			return string(c), true
		}
		return "", true
	case ligatures[r] != "":
		return ligatures[r], true
	case isPrivate(r):
		return "", true
	case r == '\t':
		return "", false
	case r == '\u00ad':
		return "", false // resolved when lines are joined
	case r < 0x20 || r == 0x7f:
		return "", true
	case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
		return "", true
	}
	return "", false
}

// isClean is the fast path: printable ASCII needs no repair.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func isPrivate(r rune) bool {
	return (r >= 0xe000 && r <= 0xf8ff) || r >= 0xf0000
}

// dropSoftHyphens removes soft hyphens inside a line; one at the very end is
// kept as softHyphenEnd for the joiner.
func dropSoftHyphens(s string) string {
	if !strings.Contains(s, "\u00ad") {
		return s
	}
	end := strings.HasSuffix(strings.TrimRightFunc(s, unicode.IsSpace), "\u00ad")
	s = strings.ReplaceAll(s, "\u00ad", "")
	if end {
		s = strings.TrimRightFunc(s, unicode.IsSpace) + softHyphenEnd
	}
	return s
}
