package pdftext

import (
	"unicode/utf16"
	"unicode/utf8"
)

// cmap is what Escale needs of a CMap: how a font's byte string splits into
// codes (codespace ranges) and, for ToUnicode CMaps, the text of each code.
type cmap struct {
	space  []codeRange // codespace ranges
	single map[uint32]string
	ranges []bfRange
}

type codeRange struct {
	n      int // bytes per code
	lo, hi uint32
}

type bfRange struct {
	n      int
	lo, hi uint32
	dst    []rune   // text of lo; the last rune grows with the code
	arr    []string // or one text per code
	hasArr bool
}

// maxCMapEntries bounds a CMap's mappings: real fonts have a few thousand.
const maxCMapEntries = 1 << 17

// parseCMap reads the operators of a CMap program: codespace ranges,
// bfchar and bfrange (cidchar and cidrange are read as codespace hints only).
func parseCMap(data []byte) *cmap {
	m := &cmap{single: map[uint32]string{}}
	l := &lexer{data: data}
	var stack []obj
	entries := 0
	for {
		t := l.object()
		if t.k == kEOF {
			break
		}
		if t.k != kOp {
			if len(stack) < 1<<16 {
				stack = append(stack, t)
			}
			continue
		}
		switch t.str {
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, hi := stack[i], stack[i+1]
				if lo.k != kStr || hi.k != kStr || len(lo.str) == 0 || len(lo.str) > 4 || len(lo.str) != len(hi.str) {
					continue
				}
				m.space = append(m.space, codeRange{len(lo.str), be(lo.str), be(hi.str)})
			}
		case "endbfchar":
			for i := 0; i+1 < len(stack) && entries < maxCMapEntries; i += 2 {
				src, dst := stack[i], stack[i+1]
				if src.k != kStr || len(src.str) == 0 || len(src.str) > 4 {
					continue
				}
				m.single[be(src.str)] = dstText(dst)
				entries++
			}
		case "endbfrange":
			for i := 0; i+2 < len(stack) && entries < maxCMapEntries; i += 3 {
				lo, hi, dst := stack[i], stack[i+1], stack[i+2]
				if lo.k != kStr || hi.k != kStr || len(lo.str) == 0 || len(lo.str) > 4 {
					continue
				}
				r := bfRange{n: len(lo.str), lo: be(lo.str), hi: be(hi.str)}
				if r.hi < r.lo {
					continue
				}
				switch dst.k {
				case kArray:
					r.hasArr = true
					for _, e := range dst.arr {
						r.arr = append(r.arr, dstText(e))
					}
				case kStr:
					r.dst = []rune(dstText(dst))
					if len(r.dst) == 0 {
						continue
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
				entries++
			}
		}
		stack = stack[:0]
	}
	return m
}

// be reads a big-endian code.
func be(s string) uint32 {
	var x uint32
	for i := 0; i < len(s); i++ {
		x = x<<8 | uint32(s[i])
	}
	return x
}

// dstText decodes a ToUnicode destination: UTF-16BE, or a glyph name.
func dstText(o obj) string {
	switch o.k {
	case kStr:
		s := o.str
		if len(s)%2 == 1 { // not UTF-16: some producers write single bytes
			return latin1(s)
		}
		u := make([]uint16, len(s)/2)
		for i := range u {
			u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
		}
		return string(utf16.Decode(u))
	case kName:
		if r, ok := glyphRune(o.str); ok {
			return string(r)
		}
	}
	return ""
}

func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}

// lookup returns the text of a code and whether the CMap maps it.
func (m *cmap) lookup(code uint32, n int) (string, bool) {
	if s, ok := m.single[code]; ok {
		return s, true
	}
	for _, r := range m.ranges {
		if code < r.lo || code > r.hi || (r.n != n && n != 0) {
			continue
		}
		off := code - r.lo
		if r.hasArr {
			if int(off) < len(r.arr) {
				return r.arr[off], true
			}
			return "", true
		}
		d := append([]rune(nil), r.dst...)
		d[len(d)-1] += rune(off)
		return string(d), true
	}
	return "", false
}

// appendSplit cuts a string shown with a font into codes, appended to out,
// using the codespace ranges; fallback is the code length when no range
// matches.
func (m *cmap) appendSplit(out []code, s string, fallback int) []code {
	for i := 0; i < len(s); {
		n := 0
		for _, r := range m.space {
			if i+r.n <= len(s) {
				c := be(s[i : i+r.n])
				if c >= r.lo && c <= r.hi {
					n = r.n
					break
				}
			}
		}
		if n == 0 {
			n = fallback
		}
		if i+n > len(s) {
			n = len(s) - i
		}
		out = append(out, code{be(s[i : i+n]), n})
		i += n
	}
	return out
}

// code is one character code of a shown string.
type code struct {
	v uint32
	n int // bytes
}
