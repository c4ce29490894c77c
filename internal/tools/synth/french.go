package synth

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var months = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

var weekdays = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

func day(t time.Time) string {
	if t.Day() == 1 {
		return "1er"
	}
	return fmt.Sprint(t.Day())
}

// dayMonth is « 6 novembre ».
func dayMonth(t time.Time) string { return day(t) + " " + months[t.Month()-1] }

// weekdayDate is « Lundi 6 novembre ».
func weekdayDate(t time.Time) string {
	return upperFirst(weekdays[t.Weekday()]) + " " + dayMonth(t)
}

// startsVowel reports whether a word takes the elided article (« l’ », « d’ »).
func startsVowel(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("aeiouyàâéèêëîïôûùAEIOUYÀÂÉÈÊÎÔÛœŒhH", r) && !strings.HasPrefix(strings.ToLower(s), "hau") && !strings.HasPrefix(strings.ToLower(s), "hui")
}

// de joins « de » and a noun phrase that starts with its article.
func de(np string) string {
	switch {
	case strings.HasPrefix(np, "le "):
		return "du " + np[3:]
	case strings.HasPrefix(np, "les "):
		return "des " + np[4:]
	case strings.HasPrefix(np, "la "), strings.HasPrefix(np, "l’"):
		return "de " + np
	case startsVowel(np):
		return "d’" + np
	}
	return "de " + np
}

// a joins « à » and a noun phrase that starts with its article.
func a(np string) string {
	switch {
	case strings.HasPrefix(np, "le "):
		return "au " + np[3:]
	case strings.HasPrefix(np, "les "):
		return "aux " + np[4:]
	}
	return "à " + np
}

// bare drops a noun phrase's leading article: « la gestion des crues » → « gestion des crues ».
func bare(np string) string {
	for _, art := range []string{"le ", "la ", "les ", "l’", "un ", "une ", "des "} {
		if strings.HasPrefix(np, art) {
			return np[len(art):]
		}
	}
	return np
}

// enMatiere is « en matière de gestion des crues » or « en matière d’accueil ».
func enMatiere(np string) string {
	b := bare(np)
	if startsVowel(b) {
		return "en matière d’" + b
	}
	return "en matière de " + b
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// amount writes a sum the French way: « 17 660 $ ».
func amount(n int, currency string) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	return b.String() + "\u00a0" + currency
}

// thousands writes a count with French digit groups: « 3 700 000 ».
func thousands(n int) string {
	s := amount(n, "")
	return strings.TrimSuffix(s, "\u00a0")
}

// joinFr joins with commas and « et ».
func joinFr(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " et " + xs[len(xs)-1]
}

// fill replaces {key} in a template by what value returns for it.
func fill(tmpl string, value func(key string) string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		b.WriteString(value(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
	return b.String()
}

// contract writes « à Le Caire » as « au Caire » and « de Le Havre » as
// « du Havre »: city names that begin with an article.
func contract(s string) string {
	if !strings.Contains(s, " Le") && !strings.Contains(s, " Les") {
		return s
	}
	r := strings.NewReplacer(" à Le ", " au ", " de Le ", " du ", " à Les ", " aux ", " de Les ", " des ",
		" À LE ", " AU ", " DE LE ", " DU ")
	return r.Replace(s)
}
