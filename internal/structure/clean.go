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
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
		case r >= 0x80 && r <= 0x9f:
			if c := charmap.Windows1252.DecodeByte(byte(r)); c != utf8.RuneError {
				b.WriteRune(c)
			}
		case ligatures[r] != "":
			b.WriteString(ligatures[r])
		case isPrivate(r):
		case r == '\t':
			b.WriteRune(r)
		case r == '\u00ad':
			b.WriteRune(r) // resolved when lines are joined
		case r < 0x20 || r == 0x7f:
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
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
