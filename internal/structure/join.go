package structure

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// vocabulary counts the words of a document as written inside lines, so
// that a word cut at a line end can be checked against the same document:
// « Mu- / CEM » is « MuCEM » when « MuCEM » appears elsewhere, « Ville- /
// Port » stays hyphenated when « Ville-Port » does.
type vocabulary map[string]int

// words returns the words of s: runs of letters and digits, hyphenated
// compounds kept whole.
func words(s string) []string {
	var out []string
	start := -1
	prevAlnum := false
	for i, r := range s {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case alnum && start < 0:
			start = i
		case r == '-' && prevAlnum && i+1 < len(s) && isAlnumAt(s, i+1):
			// inside a compound
		case !alnum && start >= 0 && r != '-':
			out = append(out, s[start:i])
			start = -1
		case !alnum && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
		prevAlnum = alnum
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func isAlnumAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// newVocabulary counts words and the parts of hyphenated words, leaving out
// the fragments around a line-end hyphen.
func newVocabulary(pages [][]line) vocabulary {
	v := vocabulary{}
	cut := false // the previous line ended with a hyphen
	for _, ls := range pages {
		for _, l := range ls {
			t := l.text
			words := words(t)
			from, to := 0, len(words)
			if cut && to > 0 {
				from = 1
			}
			cut = endsWithHyphen(t)
			if cut && to > from {
				to--
			}
			for _, w := range words[from:to] {
				w = strings.ToLower(w)
				v[w]++
				if strings.Contains(w, "-") {
					for _, part := range strings.Split(w, "-") {
						v[part]++
					}
				}
			}
		}
	}
	return v
}

func endsWithHyphen(s string) bool {
	if strings.HasSuffix(s, softHyphenEnd) {
		return true
	}
	if !strings.HasSuffix(s, "-") || len(s) < 2 {
		return false
	}
	r := lastRune(strings.TrimSuffix(s, "-"))
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// join appends the next line b to the text a of a paragraph, undoing
// line-end hyphenation while keeping real compounds.
func (v vocabulary) join(a, b string) string {
	drop, sep := v.glue(a, b)
	return a[:len(a)-drop] + sep + b
}

// glue says how to append line b after text ending with tail: drop that
// many bytes from the end of the text (a hyphen added by hyphenation), then
// add sep.
func (v vocabulary) glue(tail, b string) (drop int, sep string) {
	switch {
	case tail == "" || b == "":
		return 0, ""
	case strings.HasSuffix(tail, softHyphenEnd):
		return len(softHyphenEnd), ""
	case endsWithHyphen(tail):
		if v.keepHyphen(tail, b) {
			return 0, ""
		}
		return 1, ""
	case strings.HasSuffix(tail, "/") && isURLToken(lastToken(tail)):
		return 0, ""
	}
	r := lastRune(tail)
	if (r == '–' || r == '—') && !strings.HasSuffix(tail, " "+string(r)) {
		// « Québec– / Bruxelles »: a dash between words, not a clause dash.
		p := lastRune(strings.TrimSuffix(tail, string(r)))
		if unicode.IsLetter(p) {
			return 0, ""
		}
	}
	return 0, " "
}

// keepHyphen decides whether the hyphen that ends a belongs to the word
// (a compound cut after its hyphen) or was added by hyphenation.
func (v vocabulary) keepHyphen(a, b string) bool {
	lastTok := lastToken(a)
	if isURLToken(lastTok) {
		return true
	}
	left := strings.TrimSuffix(lastTok, "-")
	if i := strings.LastIndexAny(left, "-'’"); i >= 0 {
		left = left[i+1:]
	}
	ws := words(b)
	if len(ws) == 0 || !strings.HasPrefix(b, ws[0]) {
		return true
	}
	right := ws[0]
	if i := strings.Index(right, "-"); i >= 0 {
		right = right[:i]
	}
	joined := strings.ToLower(left + right)
	hyph := strings.ToLower(left + "-" + right)
	switch {
	case v[hyph] > 0:
		return true
	case v[joined] > 0:
		return false
	case unicode.IsUpper(firstRune(right)) || unicode.IsDigit(firstRune(right)):
		return true
	case len([]rune(left)) >= 3 && len([]rune(right)) >= 3 && v[strings.ToLower(left)] > 0 && v[strings.ToLower(right)] > 0:
		return true
	}
	return false
}

func lastToken(s string) string {
	if i := strings.LastIndexAny(s, " \t\u00a0"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func isURLToken(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || strings.Contains(l, "@") ||
		(strings.Count(l, "/") >= 2 && !strings.Contains(l, " "))
}

// isBareURL reports whether a whole line is one address.
func isBareURL(s string) bool {
	return !strings.ContainsAny(s, " \t") && isURLToken(s)
}

// terminal reports whether a line ends a sentence.
func terminal(s string) bool {
	s = strings.TrimRight(s, " \u00a0»\"”’')]")
	if s == "" {
		return false
	}
	switch lastRune(s) {
	case '.', '!', '?', ':', ';', '…':
		return true
	}
	return false
}

// continuesSentence reports whether a line ending a clause with « : » or
// « ; » may go on below (« trois axes : / patrimoine et tourisme »).
func continuesSentence(s string) bool {
	s = strings.TrimRight(s, " \u00a0")
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, ";") || strings.HasSuffix(s, ",")
}

func startsLower(s string) bool {
	r := firstRune(strings.TrimLeft(s, "«\"“( \u00a0"))
	return unicode.IsLower(r)
}

func startsUpper(s string) bool {
	r := firstRune(strings.TrimLeft(s, "«\"“( \u00a0"))
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// openWords cannot end a sentence: a line ending with one goes on below.
var openWords = map[string]bool{
	"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l'": true, "l’": true,
	"d'": true, "d’": true, "à": true, "au": true, "aux": true, "et": true, "ou": true, "en": true,
	"un": true, "une": true, "pour": true, "par": true, "sur": true, "avec": true, "dans": true,
	"que": true, "qui": true, "dont": true, "son": true, "sa": true, "ses": true, "leur": true,
	"leurs": true, "ce": true, "cet": true, "cette": true, "ces": true, "afin": true, "mais": true,
	"car": true, "entre": true, "vers": true, "chez": true, "sans": true, "sous": true, "notre": true,
	"nos": true, "votre": true, "vos": true, "ni": true, "lors": true, "dès": true, "auprès": true,
}

// endsOpen reports whether a line ends with a word that cannot end a
// paragraph (« de », « la », « et »...).
func endsOpen(s string) bool {
	t := lastToken(strings.TrimRight(s, " \u00a0"))
	if t == "" {
		return false
	}
	t = strings.ToLower(t)
	if openWords[t] {
		return true
	}
	// « l’ » or « d’ » glued to nothing: the word went to the next line.
	return strings.HasSuffix(t, "'") || strings.HasSuffix(t, "’")
}
