package meta

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// endRegexp matches a pattern that ends with $, as the patterns that read
// the text before a mention do (« mission à », « État de »). Go's regexp
// tries such a pattern from every byte of the text; endRegexp runs the
// reversed pattern, anchored at its start, on the reversed text, so that a
// match is tried from the text's end only: same answers, a few steps each.
type endRegexp struct {
	expr     string // as written, for the tests
	reversed *regexp.Regexp
}

// lazyEndRegexp is lazyRegexp for a pattern that ends with $.
func lazyEndRegexp(expr string) func() endRegexp {
	return sync.OnceValue(func() endRegexp {
		re, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			panic("meta: " + expr + ": " + err.Error())
		}
		reverseSyntax(re)
		return endRegexp{expr: expr, reversed: regexp.MustCompile(re.String())}
	})
}

// MatchString reports whether s matches the pattern.
func (e endRegexp) MatchString(s string) bool {
	return e.reversed.MatchString(reverseRunes(s))
}

// reverseSyntax turns re into the pattern that matches the reversed texts
// of those it matched: concatenations and literals read backwards, and
// the text's and lines' ends swap with their beginnings.
func reverseSyntax(re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		slices.Reverse(re.Rune)
	case syntax.OpConcat:
		slices.Reverse(re.Sub)
	case syntax.OpBeginText:
		re.Op = syntax.OpEndText
	case syntax.OpEndText:
		re.Op = syntax.OpBeginText
	case syntax.OpBeginLine:
		re.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		re.Op = syntax.OpBeginLine
	}
	for _, sub := range re.Sub {
		reverseSyntax(sub)
	}
}

// reverseRunes returns s with its runes in reverse order; a byte that is not
// UTF-8 becomes U+FFFD, as the regexp reads it either way.
func reverseRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := len(s); i > 0; {
		if c := s[i-1]; c < utf8.RuneSelf {
			b.WriteByte(c)
			i--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(s[:i])
		b.WriteRune(r)
		i -= n
	}
	return b.String()
}
