package pdftext

import (
	"reflect"
	"strings"
	"testing"
)

func TestLexerObjects(t *testing.T) {
	tests := []struct {
		in   string
		kind kind
		want string // str of the object, or its first element's
		num  float64
	}{
		{`(a\(b\)c\101\n)`, kStr, "a(b)cA\n", 0},
		{`(par (nested) ok)`, kStr, "par (nested) ok", 0},
		{`<41 42 4>`, kStr, "AB@", 0},
		{`/Nom#20Espace`, kName, "Nom Espace", 0},
		{`-.5`, kNum, "-.5", -0.5},
		{`--3`, kNum, "--3", -3},
		{`4.`, kNum, "4.", 4},
		{`1.2.3`, kOp, "1.2.3", 0},
		{`[1 [2] (x)]`, kArray, "", 0},
		{`<< /K (v) /L [1 2] >>`, kDict, "", 0},
		{`Tj`, kOp, "Tj", 0},
		{`)`, kOp, ")", 0},
		{``, kEOF, "", 0},
	}
	for _, tt := range tests {
		l := &lexer{data: []byte(tt.in)}
		got := l.object()
		if got.k != tt.kind || got.str != tt.want || got.num != tt.num {
			t.Errorf("object(%q) = kind %d str %q num %g, want kind %d str %q num %g", tt.in, got.k, got.str, got.num, tt.kind, tt.want, tt.num)
		}
	}
	l := &lexer{data: []byte(`<< /K (v) /L 3 0 R >>`)}
	d := l.object()
	if v, ok := d.key("K"); !ok || v.str != "v" {
		t.Errorf("key(K) = %+v, %v, want (v)", v, ok)
	}
	if v, ok := d.key("L"); !ok || v.num != 3 {
		t.Errorf("key(L) = %+v, %v, want the reference's number 3", v, ok)
	}
}

// TestLexerOperands reads a content stream with operand, reusing one arena
// for the operands of each operator, and compares each operand with what
// object reads: two arrays of one operator keep their own elements.
func TestLexerOperands(t *testing.T) {
	const content = `[(a) -120 (b)] [1 [2 3] << /K [4] >> ] TJ [] 0 d [(c)] TJ << /MCID 0 >> BDC /F1 12 Tf ]`
	want := &lexer{data: []byte(content)}
	l := &lexer{data: []byte(content)}
	var args, arena []obj
	for {
		var got obj
		got, arena = l.operand(arena)
		w := want.object()
		args = append(args, got)
		if !reflect.DeepEqual(normalObj(got), normalObj(w)) {
			t.Errorf("operand at %d = %+v, want %+v (object)", w.pos, got, w)
		}
		if got.k == kEOF {
			break
		}
		if got.k == kOp {
			for i, a := range args {
				if a.k == kArray && a.pos < len(content) && content[a.pos] != '[' {
					t.Errorf("operand %d of %s: an array at %d, where %q stands", i, got.str, a.pos, content[a.pos])
				}
			}
			if first := args[0].pos == 0; first && (len(args[0].arr) != 3 || len(args[1].arr) != 3 || args[0].arr[0].str != "a") {
				t.Errorf("operands of the first TJ = %+v, want two arrays of 3 elements, the first opening on (a)", args)
			}
			args, arena = args[:0], arena[:0]
		}
	}
}

// normalObj makes an empty array nil, as object returns it.
func normalObj(o obj) obj {
	if len(o.arr) == 0 {
		o.arr = nil
	}
	return o
}

// TestLexerBounds: hostile nesting and huge strings cost neither stack nor
// memory.
func TestLexerBounds(t *testing.T) {
	deep := strings.Repeat("[", 1_000_000) + " (après) "
	l := &lexer{data: []byte(deep)}
	if got := l.object(); got.k != kArray {
		t.Errorf("object(deep) kind = %d, want an array", got.k)
	}
	long := "(" + strings.Repeat("A", 3*maxString) + ") Tj"
	l = &lexer{data: []byte(long)}
	if got := l.object(); len(got.str) != maxString {
		t.Errorf("object(long string) kept %d bytes, want %d", len(got.str), maxString)
	}
	if got := l.object(); got.k != kOp || got.str != "Tj" {
		t.Errorf("after the long string: %+v, want Tj", got)
	}
}

func TestParseCMap(t *testing.T) {
	m := parseCMap([]byte(`1 begincodespacerange <00> <80> <8100> <FFFF> endcodespacerange
2 beginbfchar <01> <0041> <8101> <00660069> endbfchar
2 beginbfrange <10> <12> <0061> <20> <21> [<00E9> <00E8>] endbfrange`))
	tests := []struct {
		code uint32
		n    int
		want string
		ok   bool
	}{
		{0x01, 1, "A", true},
		{0x8101, 2, "fi", true},
		{0x11, 1, "b", true},
		{0x21, 1, "è", true},
		{0x30, 1, "", false},
	}
	for _, tt := range tests {
		got, ok := m.lookup(tt.code, tt.n)
		if got != tt.want || ok != tt.ok {
			t.Errorf("lookup(%#x) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
	codes := m.appendSplit([]code{{7, 1}}, "\x01\x81\x01\x11", 2)[1:]
	if len(codes) != 3 || codes[1].v != 0x8101 || codes[1].n != 2 {
		t.Errorf("appendSplit after one code = %+v, want 01, 8101, 11 after it", codes)
	}
}
