package pdftext

import (
	"strconv"
	"strings"
)

// glyphRune maps a glyph name to its character: the uniXXXX and uXXXX[XX]
// forms of the Adobe Glyph List specification and the names French reports
// use that the PDF library's table misses. ok is false for unknown names.
func glyphRune(name string) (rune, bool) {
	if r, ok := glyphNames[name]; ok {
		return r, true
	}
	if i := strings.IndexByte(name, '.'); i > 0 { // "eacute.sc", "a.alt"
		name = name[:i]
		if r, ok := glyphNames[name]; ok {
			return r, true
		}
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 {
		if v, err := strconv.ParseUint(name[3:7], 16, 32); err == nil {
			return rune(v), true
		}
	}
	if strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7 {
		if v, err := strconv.ParseUint(name[1:], 16, 32); err == nil {
			return rune(v), true
		}
	}
	return 0, false
}

// glyphNames holds the Latin-1 and punctuation glyph names, enough for
// French text; other names fall back to the PDF library's own table.
var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "parenleft": '(', "parenright": ')', "asterisk": '*',
	"plus": '+', "comma": ',', "hyphen": '-', "period": '.', "slash": '/', "zero": '0', "one": '1',
	"two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7', "eight": '8',
	"nine": '9', "colon": ':', "semicolon": ';', "less": '<', "equal": '=', "greater": '>',
	"question": '?', "at": '@', "bracketleft": '[', "backslash": '\\', "bracketright": ']',
	"asciicircum": '^', "underscore": '_', "grave": '`', "braceleft": '{', "bar": '|',
	"braceright": '}', "asciitilde": '~', "quoteleft": '‘', "quoteright": '’',
	"quotedblleft": '“', "quotedblright": '”', "quotesinglbase": '‚', "quotedblbase": '„',
	"guillemotleft": '«', "guillemotright": '»', "guilsinglleft": '‹', "guilsinglright": '›',
	"endash": '–', "emdash": '—', "bullet": '•', "ellipsis": '…', "periodcentered": '·',
	"degree": '°', "Euro": '€', "euro": '€', "nbspace": '\u00a0', "nonbreakingspace": '\u00a0',
	"fi": 'ﬁ', "fl": 'ﬂ', "ff": 'ﬀ', "ffi": 'ﬃ', "ffl": 'ﬄ', "oe": 'œ', "OE": 'Œ', "ae": 'æ', "AE": 'Æ',
	"agrave": 'à', "aacute": 'á', "acircumflex": 'â', "atilde": 'ã', "adieresis": 'ä', "aring": 'å',
	"ccedilla": 'ç', "egrave": 'è', "eacute": 'é', "ecircumflex": 'ê', "edieresis": 'ë',
	"igrave": 'ì', "iacute": 'í', "icircumflex": 'î', "idieresis": 'ï', "ntilde": 'ñ',
	"ograve": 'ò', "oacute": 'ó', "ocircumflex": 'ô', "otilde": 'õ', "odieresis": 'ö',
	"ugrave": 'ù', "uacute": 'ú', "ucircumflex": 'û', "udieresis": 'ü', "ydieresis": 'ÿ',
	"Agrave": 'À', "Aacute": 'Á', "Acircumflex": 'Â', "Atilde": 'Ã', "Adieresis": 'Ä', "Aring": 'Å',
	"Ccedilla": 'Ç', "Egrave": 'È', "Eacute": 'É', "Ecircumflex": 'Ê', "Edieresis": 'Ë',
	"Igrave": 'Ì', "Iacute": 'Í', "Icircumflex": 'Î', "Idieresis": 'Ï', "Ntilde": 'Ñ',
	"Ograve": 'Ò', "Oacute": 'Ó', "Ocircumflex": 'Ô', "Otilde": 'Õ', "Odieresis": 'Ö',
	"Ugrave": 'Ù', "Uacute": 'Ú', "Ucircumflex": 'Û', "Udieresis": 'Ü', "Ydieresis": 'Ÿ',
	"germandbls": 'ß', "section": '§', "paragraph": '¶', "copyright": '©', "registered": '®',
	"trademark": '™', "dagger": '†', "daggerdbl": '‡', "minus": '−', "multiply": '×', "divide": '÷',
	"onehalf": '½', "onequarter": '¼', "threequarters": '¾', "ordfeminine": 'ª', "ordmasculine": 'º',
	"sterling": '£', "yen": '¥', "cent": '¢', "currency": '¤', "brokenbar": '¦', "dieresis": '¨',
	"macron": '¯', "acute": '´', "cedilla": '¸', "circumflex": 'ˆ', "tilde": '˜', "mu": 'µ',
	"exclamdown": '¡', "questiondown": '¿', "logicalnot": '¬', "plusminus": '±', "twosuperior": '²',
	"threesuperior": '³', "onesuperior": '¹', "perthousand": '‰', "florin": 'ƒ', "Scaron": 'Š',
	"scaron": 'š', "Zcaron": 'Ž', "zcaron": 'ž', "dotlessi": 'ı', "fraction": '⁄', "middot": '·',
}
