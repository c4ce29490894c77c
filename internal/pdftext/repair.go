package pdftext

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"escale/internal/mission"
)

// The rebuild: when the PDF library cannot open a file as it is (PDF 2.0
// header, bytes after %%EOF, an xref table pointing at the wrong bytes,
// encryption), Escale scans the file for its objects ("N G obj"), decrypts
// them when the file opens without a user password, expands object streams,
// and writes a plain PDF 1.7 copy with a fresh xref table for the library
// to read. This is what viewers do on their side; it costs one pass over
// the file and about its size in memory.

// rawObject is one object found by the scan.
type rawObject struct {
	num, gen int
	value    obj
	data     []byte // stream data as stored (still filtered)
	stream   bool
	pos      int  // where it was found: later definitions win
	inObjStm bool // came out of an object stream (already decrypted)
}

const (
	maxObjects      = 1 << 20
	maxObjectNumber = 1 << 22
	maxObjStmBytes  = 64 << 20
)

// rewrite returns a copy of data that the PDF library can open, and the
// warnings of what it repaired.
func rewrite(data []byte) ([]byte, []string, error) {
	objs, trailers := scanObjects(data)
	if len(objs) == 0 {
		return nil, nil, mission.Refuse(mission.ErrDamaged, "pdf: no objects found")
	}
	trailer := mergeTrailers(trailers)
	var warns []string

	// Encryption.
	var dec *decrypter
	encryptNum := -1
	if e, ok := trailer.key("Encrypt"); ok {
		encDict := e
		if e.k == kNum { // a reference: trailer keys are kept as "N G R" tokens
			encryptNum = int(e.num)
			if o, ok := objs[encryptNum]; ok {
				encDict = o.value
			}
		}
		if encDict.k != kDict {
			return nil, nil, mission.Refuse(mission.ErrDamaged, "pdf: encryption dictionary not found")
		}
		id := ""
		if ids, ok := trailer.key("ID"); ok && ids.k == kArray && len(ids.arr) > 0 {
			id = ids.arr[0].str
		}
		d, err := newDecrypter(encDict, id)
		if err != nil {
			return nil, nil, err
		}
		dec = d
		warns = append(warns, "Le PDF était chiffré sans mot de passe d’ouverture : il a été déchiffré.")
	}
	if dec != nil {
		for num, o := range objs {
			if num == encryptNum || o.inObjStm {
				continue
			}
			if isType(o.value, "XRef") {
				continue
			}
			o.value = decryptStrings(o.value, dec, o.num, o.gen)
			if o.stream && !(isType(o.value, "Metadata") && !dec.encryptMeta) {
				if plain, err := dec.decrypt(o.data, o.num, o.gen, true); err == nil {
					o.data = plain
				}
			}
		}
	}

	// Object streams, in file order: their objects fill in numbers that no
	// later top-level definition has.
	var streams []*rawObject
	for _, o := range objs {
		if o.stream && isType(o.value, "ObjStm") {
			streams = append(streams, o)
		}
	}
	slices.SortFunc(streams, func(a, b *rawObject) int { return a.pos - b.pos })
	for _, s := range streams {
		expandObjStm(s, objs)
	}

	// Catalog.
	root, ok := trailer.key("Root")
	if !ok || root.k != kNum || objs[int(root.num)] == nil {
		root = obj{k: kNum, num: -1}
		for _, o := range objs {
			if isType(o.value, "Catalog") && o.num > int(root.num) {
				root = obj{k: kNum, num: float64(o.num)}
			}
		}
		if root.num < 0 {
			return nil, nil, mission.Refuse(mission.ErrDamaged, "pdf: no document catalog")
		}
	}
	out := write(objs, int(root.num), trailer, encryptNum)
	return out, warns, nil
}

func isType(v obj, t string) bool {
	x, ok := v.key("Type")
	return ok && x.k == kName && x.str == t
}

// scanObjects finds every "N G obj" definition and every trailer
// dictionary. It moves past stream data, so that bytes inside a stream are
// never taken for objects.
func scanObjects(data []byte) (map[int]*rawObject, []obj) {
	objs := map[int]*rawObject{}
	var trailers []obj
	pos := 0
	for pos < len(data) && len(objs) < maxObjects {
		i := bytes.Index(data[pos:], []byte("obj"))
		j := bytes.Index(data[pos:], []byte("trailer"))
		if i < 0 && j < 0 {
			break
		}
		if j >= 0 && (i < 0 || j < i) {
			l := &lexer{data: data, pos: pos + j + len("trailer")}
			if t := l.object(); t.k == kDict {
				trailers = append(trailers, t)
			}
			pos = pos + j + len("trailer")
			continue
		}
		at := pos + i
		pos = at + 3
		if pos < len(data) && !isSpace(data[pos]) && !isDelim(data[pos]) {
			continue // "objects", "endobj" are handled below
		}
		num, gen, ok := objHeader(data, at)
		if !ok {
			continue
		}
		o, end := parseObject(data, pos, num, gen)
		o.pos = at
		if num > 0 && num < maxObjectNumber {
			if old, ok := objs[num]; !ok || old.pos < at {
				objs[num] = o
			}
		}
		pos = end
		if o.stream && o.value.k == kDict {
			if isType(o.value, "XRef") {
				trailers = append(trailers, o.value)
			}
		}
	}
	return objs, trailers
}

// objHeader reads "N G " backwards from the "obj" keyword at i.
func objHeader(data []byte, i int) (num, gen int, ok bool) {
	if i > 0 && data[i-1] == 'd' { // endobj
		return 0, 0, false
	}
	j := i
	for j > 0 && isSpace(data[j-1]) {
		j--
	}
	gEnd := j
	for j > 0 && data[j-1] >= '0' && data[j-1] <= '9' {
		j--
	}
	if j == gEnd || gEnd-j > 5 {
		return 0, 0, false
	}
	gen, _ = strconv.Atoi(string(data[j:gEnd]))
	k := j
	for k > 0 && isSpace(data[k-1]) {
		k--
	}
	if k == j {
		return 0, 0, false
	}
	nEnd := k
	for k > 0 && data[k-1] >= '0' && data[k-1] <= '9' {
		k--
	}
	if k == nEnd || nEnd-k > 10 {
		return 0, 0, false
	}
	if k > 0 && !isSpace(data[k-1]) && !isDelim(data[k-1]) {
		return 0, 0, false
	}
	num, err := strconv.Atoi(string(data[k:nEnd]))
	return num, gen, err == nil
}

// parseObject reads an object's value (and stream data) from pos, just
// after "obj"; it returns where scanning goes on.
func parseObject(data []byte, pos, num, gen int) (*rawObject, int) {
	l := &lexer{data: data, pos: pos}
	o := &rawObject{num: num, gen: gen}
	o.value = l.object()
	end := l.pos
	if o.value.k != kDict {
		return o, end
	}
	t := l.token()
	if t.k != kOp || t.str != "stream" {
		return o, end
	}
	start := l.pos
	if start < len(data) && data[start] == '\r' {
		start++
	}
	if start < len(data) && data[start] == '\n' {
		start++
	}
	o.stream = true
	length := -1
	if v, ok := o.value.key("Length"); ok && v.k == kNum && v.end < len(data) {
		// a direct length, unless followed by "G R"
		rest := bytes.TrimLeft(data[v.end:min(len(data), v.end+16)], " \r\n\t")
		if !(len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9') {
			length = int(v.num)
		}
	}
	stop := -1
	if length >= 0 && start+length <= len(data) {
		after := bytes.TrimLeft(data[start+length:min(len(data), start+length+32)], " \r\n\t\x00")
		if bytes.HasPrefix(after, []byte("endstream")) {
			stop = start + length
		}
	}
	if stop < 0 {
		k := bytes.Index(data[start:], []byte("endstream"))
		if k < 0 {
			stop = len(data) // truncated: keep what there is
		} else {
			stop = start + k
			if stop > start && data[stop-1] == '\n' {
				stop--
			}
			if stop > start && data[stop-1] == '\r' {
				stop--
			}
		}
	}
	o.data = data[start:stop]
	end = stop
	return o, end
}

// mergeTrailers keeps, for each key, the value of the last trailer that has
// it: the newest update wins.
func mergeTrailers(ts []obj) obj {
	out := obj{k: kDict}
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		for j := 0; j+1 < len(t.arr); j += 2 {
			k := t.arr[j].str
			if _, ok := out.key(k); ok {
				continue
			}
			switch k {
			case "Root", "Info", "Encrypt", "ID":
				out.arr = append(out.arr, t.arr[j], refValue(t, j+1))
			}
		}
	}
	return out
}

// refValue returns the value after key index j of a parsed dictionary; a
// reference "N G R" comes back as the number N (the lexer splits it into
// three tokens, and the dictionary's pairs shift).
func refValue(d obj, j int) obj {
	v := d.arr[j]
	if v.k == kNum && j+2 < len(d.arr) && d.arr[j+1].k == kNum && d.arr[j+2].k == kOp && d.arr[j+2].str == "R" {
		return obj{k: kNum, num: v.num}
	}
	return v
}

// decryptStrings returns v with its strings decrypted.
func decryptStrings(v obj, d *decrypter, num, gen int) obj {
	switch v.k {
	case kStr:
		if p, err := d.decrypt([]byte(v.str), num, gen, false); err == nil {
			v.str = string(p)
		}
	case kArray, kDict:
		arr := make([]obj, len(v.arr))
		for i, e := range v.arr {
			arr[i] = decryptStrings(e, d, num, gen)
		}
		v.arr = arr
	}
	return v
}

// expandObjStm adds the objects of an object stream to objs, unless a
// definition found later in the file replaces them.
func expandObjStm(s *rawObject, objs map[int]*rawObject) {
	data := s.data
	if f, ok := s.value.key("Filter"); ok {
		name := f.str
		if f.k == kArray && len(f.arr) == 1 {
			name = f.arr[0].str
		}
		if name != "FlateDecode" {
			return
		}
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		plain, _ := io.ReadAll(io.LimitReader(zr, maxObjStmBytes))
		data = plain
	}
	n := int(numKey(s.value, "N", 0))
	first := int(numKey(s.value, "First", 0))
	if n <= 0 || first <= 0 || first > len(data) {
		return
	}
	l := &lexer{data: data[:first]}
	type entry struct{ num, off int }
	var entries []entry
	for i := 0; i < n && i < maxObjects; i++ {
		a, b := l.token(), l.token()
		if a.k != kNum || b.k != kNum {
			break
		}
		entries = append(entries, entry{int(a.num), int(b.num)})
	}
	for _, e := range entries {
		if e.num <= 0 || e.num >= maxObjectNumber || first+e.off >= len(data) || e.off < 0 {
			continue
		}
		if old, ok := objs[e.num]; ok && old.pos > s.pos {
			continue
		}
		ol := &lexer{data: data, pos: first + e.off}
		objs[e.num] = &rawObject{num: e.num, value: ol.object(), pos: s.pos, inObjStm: true}
	}
}

// write serializes the objects as a PDF 1.7 file with a classic xref
// table. Object and xref streams are left out: their content is now plain
// objects.
func write(objs map[int]*rawObject, root int, trailer obj, encryptNum int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	maxNum := 0
	for n := range objs {
		maxNum = max(maxNum, n)
	}
	offsets := make([]int, maxNum+1)
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		o := objs[n]
		if n == encryptNum || o.stream && (isType(o.value, "ObjStm") || isType(o.value, "XRef")) {
			continue
		}
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d %d obj\n", n, o.gen)
		if o.stream {
			v := setKey(o.value, "Length", obj{k: kNum, num: float64(len(o.data))})
			serialize(&b, v)
			b.WriteString("\nstream\n")
			b.Write(o.data)
			b.WriteString("\nendstream")
		} else {
			serialize(&b, o.value)
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", maxNum+1)
	for n := 1; n <= maxNum; n++ {
		if offsets[n] == 0 {
			b.WriteString("0000000000 65535 f \n")
			continue
		}
		fmt.Fprintf(&b, "%010d %05d n \n", offsets[n], objs[n].gen)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R", maxNum+1, root)
	if info, ok := trailer.key("Info"); ok && info.k == kNum && objs[int(info.num)] != nil {
		fmt.Fprintf(&b, " /Info %d 0 R", int(info.num))
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// setKey returns a dictionary with key set to v, replacing a direct value
// or a reference.
func setKey(d obj, key string, v obj) obj {
	out := obj{k: kDict}
	for i := 0; i < len(d.arr); i++ {
		e := d.arr[i]
		if e.k == kName && e.str == key && i+1 < len(d.arr) {
			// skip the value, and "G R" when it is a reference
			if i+3 < len(d.arr) && d.arr[i+1].k == kNum && d.arr[i+2].k == kNum && d.arr[i+3].k == kOp && d.arr[i+3].str == "R" {
				i += 3
			} else {
				i++
			}
			continue
		}
		out.arr = append(out.arr, e)
	}
	out.arr = append(out.arr, obj{k: kName, str: key}, v)
	return out
}

// serialize writes an object in PDF syntax; strings are written in hex, so
// that decrypted bytes need no escaping.
func serialize(b *bytes.Buffer, v obj) {
	switch v.k {
	case kNull:
		b.WriteString("null")
	case kBool:
		if v.bval {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case kNum:
		if v.num == math.Trunc(v.num) && math.Abs(v.num) < 1e15 {
			b.WriteString(strconv.FormatInt(int64(v.num), 10))
		} else {
			b.WriteString(strconv.FormatFloat(v.num, 'f', -1, 64))
		}
	case kStr:
		fmt.Fprintf(b, "<%x>", v.str)
	case kName:
		b.WriteByte('/')
		for i := 0; i < len(v.str); i++ {
			c := v.str[i]
			if c <= ' ' || c >= 0x7f || c == '#' || isDelim(c) {
				fmt.Fprintf(b, "#%02x", c)
			} else {
				b.WriteByte(c)
			}
		}
	case kOp:
		b.WriteString(v.str)
	case kArray:
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(' ')
			}
			serialize(b, e)
		}
		b.WriteByte(']')
	case kDict:
		b.WriteString("<<")
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(' ')
			}
			serialize(b, e)
		}
		b.WriteString(">>")
	default:
		b.WriteString("null")
	}
}
