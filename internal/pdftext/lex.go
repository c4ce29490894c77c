package pdftext

import (
	"bytes"
	"strconv"
)

// kind is the type of a lexical token or parsed object of PDF syntax.
type kind uint8

const (
	kEOF       kind = iota
	kNull           // null
	kBool           // true, false
	kNum            // integer or real
	kStr            // literal or hexadecimal string, raw bytes
	kName           // /Name, without the slash
	kOp             // any other keyword: an operator in content streams
	kArrOpen        // [
	kArrClose       // ]
	kDictOpen       // <<
	kDictClose      // >>
	kArray          // a parsed array (object only)
	kDict           // a parsed dictionary (object only)
)

// obj is a token or a small parsed object of a content stream or of an
// object body. Dictionaries keep their keys and values in order.
type obj struct {
	k    kind
	num  float64
	str  string // string bytes, name, operator
	arr  []obj  // array elements, or dictionary keys and values alternated
	pos  int    // offset of the token in the lexer's input
	end  int    // offset just after the token
	bval bool
}

// lexer splits PDF syntax into tokens. It never panics and never reads past
// its input: malformed bytes become operators that callers ignore.
type lexer struct {
	data []byte
	pos  int
}

// maxString bounds the bytes kept of one string: past it the string is
// consumed but not stored (a decompression bomb is often one huge string).
const maxString = 1 << 20

// maxNesting bounds the depth of arrays and dictionaries the lexer builds:
// deeper structures are skipped, so that hostile nesting costs neither stack
// nor memory.
const maxNesting = 32

func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.data) && l.data[l.pos] != '\n' && l.data[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// token returns the next token. Arrays and dictionaries come as their
// delimiters; use object to get them whole.
func (l *lexer) token() obj {
	l.skipSpace()
	start := l.pos
	if l.pos >= len(l.data) {
		return obj{k: kEOF, pos: start, end: start}
	}
	c := l.data[l.pos]
	t := obj{pos: start}
	switch c {
	case '(':
		t.k, t.str = kStr, l.literal()
	case '<':
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '<' {
			l.pos += 2
			t.k = kDictOpen
		} else {
			t.k, t.str = kStr, l.hex()
		}
	case '>':
		l.pos++
		if l.pos < len(l.data) && l.data[l.pos] == '>' {
			l.pos++
			t.k = kDictClose
		} else {
			t.k, t.str = kOp, ">"
		}
	case '[':
		l.pos++
		t.k = kArrOpen
	case ']':
		l.pos++
		t.k = kArrClose
	case '/':
		l.pos++
		t.k, t.str = kName, l.name()
	case ')', '{', '}':
		l.pos++
		t.k, t.str = kOp, string(c)
	default:
		s := l.regular()
		t.str = s
		switch {
		case s == "true" || s == "false":
			t.k, t.bval = kBool, s == "true"
		case s == "null":
			t.k = kNull
		default:
			if n, ok := parseNumber(s); ok {
				t.k, t.num = kNum, n
			} else {
				t.k = kOp
			}
		}
	}
	t.end = l.pos
	return t
}

// regular reads a run of regular characters.
func (l *lexer) regular() string {
	start := l.pos
	for l.pos < len(l.data) && !isSpace(l.data[l.pos]) && !isDelim(l.data[l.pos]) {
		l.pos++
	}
	if l.pos == start { // a lone delimiter we do not handle: consume it
		l.pos++
	}
	return string(l.data[start:l.pos])
}

// parseNumber accepts PDF numbers, including the sloppy forms producers
// write ("-.5", "4.", "--3", "1.2.3" is rejected).
func parseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return 0, false
	}
	for len(s) > 1 && (s[0] == '-' || s[0] == '+') && (s[1] == '-' || s[1] == '+') {
		s = s[1:]
	}
	dots := 0
	digits := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.':
			dots++
		case (s[i] == '-' || s[i] == '+') && i == 0:
		default:
			return 0, false
		}
	}
	if dots > 1 || digits == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func (l *lexer) name() string {
	var b []byte
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		if isSpace(c) || isDelim(c) {
			break
		}
		if c == '#' && l.pos+2 < len(l.data) {
			if h, ok := unhex2(l.data[l.pos+1], l.data[l.pos+2]); ok {
				b = append(b, h)
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return string(b)
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex2(a, b byte) (byte, bool) {
	x, ok1 := unhex(a)
	y, ok2 := unhex(b)
	return x<<4 | y, ok1 && ok2
}

func (l *lexer) hex() string {
	l.pos++ // <
	var b []byte
	var hi byte
	half := false
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v, ok := unhex(c)
		if !ok {
			continue // whitespace and junk are ignored, as viewers do
		}
		if half {
			if len(b) < maxString {
				b = append(b, hi<<4|v)
			}
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return string(b)
}

func (l *lexer) literal() string {
	l.pos++ // (
	var b []byte
	depth := 1
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(b)
			}
		case '\\':
			if l.pos >= len(l.data) {
				return string(b)
			}
			c = l.data[l.pos]
			l.pos++
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.data) && l.data[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if c >= '0' && c <= '7' {
					x := int(c - '0')
					for i := 0; i < 2 && l.pos < len(l.data); i++ {
						d := l.data[l.pos]
						if d < '0' || d > '7' {
							break
						}
						x = x*8 + int(d-'0')
						l.pos++
					}
					c = byte(x)
				}
				// other escaped characters stand for themselves
			}
		}
		if len(b) < maxString {
			b = append(b, c)
		}
	}
	return string(b)
}

// object reads one object: a token, or a whole array or dictionary. Past
// maxNesting, nested structures are skipped and come back empty.
func (l *lexer) object() obj {
	return l.objectFrom(l.token(), 0)
}

// operand is object for the operands of a content stream: the elements of
// an array (a TJ's strings and offsets) are appended to arena and returned
// as a slice of it, so that the caller, reusing arena once the operator has
// run, allocates no slice per array.
func (l *lexer) operand(arena []obj) (obj, []obj) {
	t := l.token()
	if t.k != kArrOpen {
		return l.objectFrom(t, 0), arena
	}
	start := len(arena)
	arena = l.elements(0, kArrClose, kDictClose, arena)
	return obj{k: kArray, arr: arena[start:len(arena):len(arena)], pos: t.pos, end: l.pos}, arena
}

// objectFrom reads the object that token t opens, depth levels deep.
func (l *lexer) objectFrom(t obj, depth int) obj {
	if depth >= maxNesting && (t.k == kArrOpen || t.k == kDictOpen) {
		l.skipNested()
		return obj{k: kNull, pos: t.pos, end: l.pos}
	}
	switch t.k {
	case kArrOpen:
		a := obj{k: kArray, pos: t.pos}
		a.arr = l.elements(depth, kArrClose, kDictClose, nil)
		a.end = l.pos
		return a
	case kDictOpen:
		d := obj{k: kDict, pos: t.pos}
		d.arr = l.elements(depth, kDictClose, kArrClose, nil)
		d.end = l.pos
		return d
	}
	return t
}

// elements appends to dst the objects of the array or dictionary just
// opened at depth, up to its closing delimiter; an unbalanced
// delimiter of the other kind (stray) is dropped.
func (l *lexer) elements(depth int, closing, stray kind, dst []obj) []obj {
	for {
		e := l.peekKind()
		if e == kEOF {
			return dst
		}
		if e == closing {
			l.token()
			return dst
		}
		if e == stray {
			l.token()
			continue
		}
		dst = append(dst, l.objectFrom(l.token(), depth+1))
	}
}

// skipNested consumes tokens up to the end of the array or dictionary just
// opened, without recursion.
func (l *lexer) skipNested() {
	depth := 1
	for depth > 0 {
		switch l.token().k {
		case kEOF:
			return
		case kArrOpen, kDictOpen:
			depth++
		case kArrClose, kDictClose:
			depth--
		}
	}
}

func (l *lexer) peekKind() kind {
	save := l.pos
	l.skipSpace()
	if l.pos >= len(l.data) {
		l.pos = save
		return kEOF
	}
	var k kind = kOp
	switch l.data[l.pos] {
	case ']':
		k = kArrClose
	case '>':
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '>' {
			k = kDictClose
		}
	}
	l.pos = save
	return k
}

// key returns the value of name in a parsed dictionary.
func (o obj) key(name string) (obj, bool) {
	if o.k != kDict {
		return obj{}, false
	}
	for i := 0; i+1 < len(o.arr); i += 2 {
		if o.arr[i].k == kName && o.arr[i].str == name {
			return o.arr[i+1], true
		}
	}
	return obj{}, false
}

// skipInlineImage moves past the binary data of an inline image, the lexer
// being just after the ID operator. The data ends at "EI" between
// whitespace; a declared /L or /Length is used when it lands there.
func (l *lexer) skipInlineImage(length int) {
	if l.pos < len(l.data) && isSpace(l.data[l.pos]) {
		l.pos++
	}
	if length > 0 && l.pos+length <= len(l.data) {
		rest := l.data[l.pos+length:]
		trimmed := bytes.TrimLeft(rest, " \t\r\n\x00")
		if bytes.HasPrefix(trimmed, []byte("EI")) && (len(trimmed) == 2 || isSpace(trimmed[2]) || isDelim(trimmed[2])) {
			l.pos = len(l.data) - len(trimmed) + 2
			return
		}
	}
	for i := l.pos; i+2 <= len(l.data); i++ {
		if l.data[i] == 'E' && l.data[i+1] == 'I' && (i == 0 || isSpace(l.data[i-1])) &&
			(i+2 == len(l.data) || isSpace(l.data[i+2]) || isDelim(l.data[i+2])) {
			l.pos = i + 2
			return
		}
	}
	l.pos = len(l.data)
}
