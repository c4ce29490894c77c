package meta

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
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
		var b strings.Builder
		writeSyntax(&b, re)
		return endRegexp{expr: expr, reversed: regexp.MustCompile(b.String())}
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

// writeSyntax writes re as a pattern that parses back to the same tree.
// syntax.Regexp.String does too, but first works out the fewest flags to
// print by folding every rune of every character class: 2.4 ms for the one
// [^.;:()] above, most of what reading a one-page report cost in a new
// process. Here classes are written as their ranges and literals rune by
// rune, which needs no flag but (?i) on a literal that folds case.
func writeSyntax(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpNoMatch:
		b.WriteString(`[^\x{0}-\x{10FFFF}]`)
	case syntax.OpEmptyMatch:
		b.WriteString(`(?:)`)
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			b.WriteString(`(?i:`)
		} else {
			b.WriteString(`(?:`)
		}
		for _, r := range re.Rune {
			writeRune(b, r)
		}
		b.WriteByte(')')
	case syntax.OpCharClass:
		b.WriteByte('[')
		ranges := re.Rune
		if len(ranges) == 0 {
			b.WriteString(`^\x{0}-\x{10FFFF}`)
		} else if ranges[0] == 0 && ranges[len(ranges)-1] == unicode.MaxRune {
			// All but a few runes ([^\pL]): the few are shorter to write,
			// and to parse back.
			b.WriteByte('^')
			for i := 1; i+1 < len(ranges); i += 2 {
				writeRange(b, ranges[i]+1, ranges[i+1]-1)
			}
			ranges = nil
		}
		for i := 0; i+1 < len(ranges); i += 2 {
			writeRange(b, ranges[i], ranges[i+1])
		}
		b.WriteByte(']')
	case syntax.OpAnyCharNotNL:
		b.WriteString(`(?-s:.)`)
	case syntax.OpAnyChar:
		b.WriteString(`(?s:.)`)
	case syntax.OpBeginLine:
		b.WriteString(`(?m:^)`)
	case syntax.OpEndLine:
		b.WriteString(`(?m:$)`)
	case syntax.OpBeginText:
		b.WriteString(`\A`)
	case syntax.OpEndText:
		if re.Flags&syntax.WasDollar != 0 {
			b.WriteString(`(?-m:$)`)
		} else {
			b.WriteString(`\z`)
		}
	case syntax.OpWordBoundary:
		b.WriteString(`\b`)
	case syntax.OpNoWordBoundary:
		b.WriteString(`\B`)
	case syntax.OpCapture:
		b.WriteByte('(')
		if re.Name != "" {
			b.WriteString("?P<" + re.Name + ">")
		}
		writeSyntax(b, re.Sub[0])
		b.WriteByte(')')
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		b.WriteString(`(?:`)
		writeSyntax(b, re.Sub[0])
		b.WriteByte(')')
		switch re.Op {
		case syntax.OpStar:
			b.WriteByte('*')
		case syntax.OpPlus:
			b.WriteByte('+')
		case syntax.OpQuest:
			b.WriteByte('?')
		default:
			b.WriteString("{" + strconv.Itoa(re.Min))
			if re.Max != re.Min {
				b.WriteByte(',')
				if re.Max >= 0 {
					b.WriteString(strconv.Itoa(re.Max))
				}
			}
			b.WriteByte('}')
		}
		if re.Flags&syntax.NonGreedy != 0 {
			b.WriteByte('?')
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			writeSyntax(b, sub)
		}
	case syntax.OpAlternate:
		b.WriteString(`(?:`)
		for i, sub := range re.Sub {
			if i > 0 {
				b.WriteByte('|')
			}
			writeSyntax(b, sub)
		}
		b.WriteByte(')')
	default:
		panic(fmt.Sprintf("meta: writeSyntax: operator %v", re.Op))
	}
}

// writeRange writes the runes lo to hi inside a class.
func writeRange(b *strings.Builder, lo, hi rune) {
	writeRune(b, lo)
	if hi != lo {
		b.WriteByte('-')
		writeRune(b, hi)
	}
}

// writeRune writes r as a pattern matches it, inside a class or out: a
// letter or a digit as it is, which no syntax reads otherwise, any other
// rune by its number.
func writeRune(b *strings.Builder, r rune) {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		b.WriteRune(r)
		return
	}
	b.WriteString(`\x{`)
	b.WriteString(strconv.FormatInt(int64(r), 16))
	b.WriteByte('}')
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
