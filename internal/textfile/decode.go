package textfile

import (
	"bytes"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"escale/internal/mission"
)

// signatures are the first bytes of binary formats that staff may save with a
// .txt name. Text never starts with them.
var signatures = []struct {
	magic []byte
	name  string
}{
	{[]byte("\x89PNG\r\n\x1a\n"), "une image PNG"},
	{[]byte("\xff\xd8\xff"), "une image JPEG"},
	{[]byte("GIF87a"), "une image GIF"},
	{[]byte("GIF89a"), "une image GIF"},
	{[]byte("II*\x00"), "une image TIFF"},
	{[]byte("MM\x00*"), "une image TIFF"},
	{[]byte("PK\x03\x04"), "une archive ZIP (ou un document Word ou OpenDocument)"},
	{[]byte("PK\x05\x06"), "une archive ZIP"},
	{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "un ancien document Office (.doc, .xls)"},
	{[]byte("\x1f\x8b"), "une archive gzip"},
	{[]byte("BZh"), "une archive bzip2"},
	{[]byte("7z\xbc\xaf\x27\x1c"), "une archive 7-Zip"},
	{[]byte("Rar!\x1a\x07"), "une archive RAR"},
	{[]byte("\x7fELF"), "un programme"},
	{[]byte("%PDF-"), "un PDF"},
	{[]byte("{\\rtf"), "un document RTF"},
	{[]byte("SQLite format 3\x00"), "une base SQLite"},
	{[]byte("Obj\x01"), "un fichier Avro"},
	{[]byte("\x00asm"), "un module WebAssembly"},
	{[]byte("RIFF"), "un fichier multimédia"},
	{[]byte("OggS"), "un fichier audio"},
	{[]byte("ID3"), "un fichier audio MP3"},
}

// decode turns the bytes of a text file into a string, choosing the encoding
// from the content: byte-order marks first, then UTF-8 when the bytes are
// valid (or nearly), else Windows-1252, which is a superset of ISO-8859-1 for
// every printable character. Binary content is refused.
func decode(data []byte) (text string, warnings []string, err error) {
	for _, s := range signatures {
		if bytes.HasPrefix(data, s.magic) {
			return "", nil, mission.Refuse(mission.ErrUnsupported, "le contenu est %s, pas du texte", s.name)
		}
	}
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		text, warnings = decodeUTF8(data[3:])
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		text = decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		text = decodeUTF16(data[2:], true)
	default:
		if be, ok := looksUTF16(data); ok {
			text = decodeUTF16(data, be)
			break
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return "", nil, mission.Refuse(mission.ErrUnsupported, "le fichier contient des octets nuls : ce sont des données binaires")
		}
		text, warnings = decodeUTF8(data)
	}
	if binary(text) {
		return "", nil, mission.Refuse(mission.ErrUnsupported, "le fichier contient trop de caractères de contrôle : ce sont des données binaires")
	}
	return text, warnings, nil
}

// decodeUTF8 reads UTF-8, or Windows-1252 when invalid sequences outnumber
// valid multi-byte ones (a file saved by an old Windows editor). Stray
// invalid bytes in an otherwise UTF-8 file are dropped.
func decodeUTF8(data []byte) (string, []string) {
	if utf8.Valid(data) {
		return string(data), nil
	}
	multi, invalid := 0, 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			invalid++
		case n > 1:
			multi++
		}
		i += n
	}
	if invalid > multi {
		var b bytes.Buffer
		b.Grow(len(data) + len(data)/8)
		for _, c := range data {
			if c < utf8.RuneSelf {
				b.WriteByte(c)
				continue
			}
			if r := charmap.Windows1252.DecodeByte(c); r != utf8.RuneError {
				b.WriteRune(r)
			}
		}
		return b.String(), nil
	}
	return string(bytes.ToValidUTF8(data, nil)),
		[]string{"Le texte contenait des octets invalides en UTF-8 ; ils ont été ignorés."}
}

// looksUTF16 recognises UTF-16 without a byte-order mark: mostly Latin text
// puts a zero byte in every other position.
func looksUTF16(data []byte) (bigEndian, ok bool) {
	if len(data) < 8 {
		return false, false
	}
	n := min(len(data), 4096) &^ 1
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*7 && even*20 <= half:
		return false, true
	case even*10 >= half*7 && odd*20 <= half:
		return true, true
	}
	return false, false
}

func decodeUTF16(data []byte, bigEndian bool) string {
	u := make([]uint16, len(data)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// binary reports whether decoded text holds control characters beyond the
// odd form feed or end-of-file mark that real text files carry. C1 controls
// are not counted: they are cp1252 punctuation mis-converted to Unicode, which
// the structure package repairs.
func binary(s string) bool {
	var runes, controls int
	for _, r := range s {
		runes++
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
		case r == 0:
			return true
		case r < 0x20 || r == 0x7f:
			controls++
		case r == unicode.ReplacementChar:
			controls++
		}
	}
	return controls > 0 && controls*100 > runes
}
