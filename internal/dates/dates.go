// Package dates finds the dates a French text gives: single days (« le 3
// février 2025 », « 1er mars », « Lundi 21 mars »), ranges (« du 26 au 30
// novembre 2024 », « 26-30 novembre », « du 30 novembre au 2 décembre », « les
// 22 et 23 avril »), months (« juin 2018 », « sept. 2019 »), numeric dates
// (« 2024-11-26 », « 26/11/2024 ») and periods of years (« 2025-2030 »), each
// with its position, so that callers can choose which one they need. Month
// names may be abbreviated, accented or not, in any case.
package dates

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"escale/internal/unaccent"
)

// Date is a calendar date as far as the text gives it: a zero field was not
// stated (« 26 novembre » has no Year, « juin 2018 » no Day).
type Date struct {
	Year, Month, Day int
}

// Complete reports whether year, month and day are all known.
func (d Date) Complete() bool { return d.Year > 0 && d.Month > 0 && d.Day > 0 }

// String formats a complete date as YYYY-MM-DD, and partial ones with
// question marks (« ????-11-26 »).
func (d Date) String() string {
	y, m, dd := fmt.Sprintf("%04d", d.Year), fmt.Sprintf("%02d", d.Month), fmt.Sprintf("%02d", d.Day)
	if d.Year == 0 {
		y = "????"
	}
	if d.Month == 0 {
		m = "??"
	}
	if d.Day == 0 {
		dd = "??"
	}
	return y + "-" + m + "-" + dd
}

// Time returns the date as a time.Time at midnight UTC; ok is false when the
// date is incomplete.
func (d Date) Time() (time.Time, bool) {
	if !d.Complete() {
		return time.Time{}, false
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC), true
}

// Valid reports whether the known fields make a real date (no 31 avril).
func (d Date) Valid() bool {
	if d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 || d.Year < 0 {
		return false
	}
	if d.Day > 0 && d.Month > 0 {
		y := d.Year
		if y == 0 {
			y = 2000 // a leap year: « 29 février » without a year is allowed
		}
		return d.Day <= daysIn(y, d.Month)
	}
	return true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Kind is the shape of a span.
type Kind int

// The kinds of span Parse finds.
const (
	Day       Kind = iota // one day, possibly without a month or year
	Range                 // from one day to another
	Month                 // a month, possibly with its year, without a day
	YearRange             // a period of years (« 2025-2030 »): From and To have only a Year
)

func (k Kind) String() string {
	switch k {
	case Day:
		return "day"
	case Range:
		return "range"
	case Month:
		return "month"
	case YearRange:
		return "years"
	}
	return "unknown"
}

// Span is one date expression found in a text.
type Span struct {
	Start, End int // byte offsets in the text
	Kind       Kind
	From, To   Date // To equals From for a day or a month
}

// Text returns the span's words in text.
func (s Span) Text(text string) string { return text[s.Start:s.End] }

// WithYear completes the span's dates that lack a year with y (the year
// stated elsewhere in the report), keeping a range in order: « du 28
// décembre au 3 janvier » with y = 2025 runs from 2024-12-28 to 2025-01-03.
func (s Span) WithYear(y int) Span {
	switch {
	case s.From.Year == 0 && s.To.Year == 0:
		s.From.Year, s.To.Year = y, y
		if s.Kind == Range && s.From.Month > s.To.Month {
			s.From.Year = y - 1
		}
	case s.From.Year == 0:
		s.From.Year = s.To.Year
	case s.To.Year == 0:
		s.To.Year = s.From.Year
	}
	return s
}

type tokKind int

const (
	tNum tokKind = iota
	tWord
	tPunct
	tBreak // a line end: no date runs across it
)

type tok struct {
	kind       tokKind
	start, end int
	text       string // as written
	key        string // folded: lowercase without accents
	val        int    // for numbers
	glued      bool   // no space before it
}

func lex(text string) []tok {
	var out []tok
	glued := false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == '\u2028' || r == '\u2029':
			out = append(out, tok{kind: tBreak, start: i, end: i + n})
			i += n
			glued = false
		case unicode.IsSpace(r):
			i += n
			glued = false
		case r >= '0' && r <= '9':
			j := i
			v := 0
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				if v < 1e6 {
					v = v*10 + int(text[j]-'0')
				}
				j++
			}
			out = append(out, tok{kind: tNum, start: i, end: j, text: text[i:j], key: text[i:j], val: v, glued: glued})
			i = j
			glued = true
		case unicode.IsLetter(r):
			j := i
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(r2) && !unicode.Is(unicode.Mn, r2) {
					break
				}
				j += n2
			}
			out = append(out, tok{kind: tWord, start: i, end: j, text: text[i:j], key: unaccent.Lower(text[i:j]), glued: glued})
			i = j
			glued = true
		default:
			out = append(out, tok{kind: tPunct, start: i, end: i + n, text: text[i : i+n], key: text[i : i+n], glued: glued})
			i += n
			glued = true
		}
	}
	return out
}

// months maps folded month names and abbreviations to their number.
var months = map[string]int{
	"janvier": 1, "janv": 1, "jan": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "fevri": 2,
	"mars":  3,
	"avril": 4, "avr": 4,
	"mai":     5,
	"juin":    6,
	"juillet": 7, "juil": 7,
	"aout":      8,
	"septembre": 9, "sept": 9, "sep": 9,
	"octobre": 10, "oct": 10,
	"novembre": 11, "nov": 11,
	"decembre": 12, "dec": 12,
}

// abbreviated month names need their period or a number after them to count:
// « jan » or « oct » alone are rarely months in running text.
func isAbbrev(key string) bool {
	switch key {
	case "janv", "jan", "fevr", "fev", "fevri", "avr", "juil", "sept", "sep", "oct", "nov", "dec":
		return true
	}
	return false
}

var weekdays = map[string]bool{
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true, "samedi": true, "dimanche": true,
}

// rangeWords join the two ends of a range.
var rangeWords = map[string]bool{"au": true, "a": true, "jusqu": true, "jusquau": true}

func isDash(t tok) bool {
	return t.kind == tPunct && strings.Contains("-–—‑‒", t.text)
}

func validYear(y int) bool { return y >= 1900 && y <= 2100 }

type parser struct {
	t []tok
}

func (p *parser) at(i int) tok {
	if i < 0 || i >= len(p.t) {
		return tok{kind: tBreak}
	}
	return p.t[i]
}

// month reads a month name at i (with its abbreviation period), returning the
// month and the index after it, or 0.
func (p *parser) month(i int) (int, int) {
	t := p.at(i)
	if t.kind != tWord {
		return 0, i
	}
	m, ok := months[t.key]
	if !ok {
		return 0, i
	}
	j := i + 1
	if n := p.at(j); n.kind == tPunct && n.text == "." && n.glued {
		j++
	} else if isAbbrev(t.key) && p.at(j).kind != tNum {
		return 0, i
	}
	return m, j
}

// year reads a four-digit year at i.
func (p *parser) year(i int) (int, int) {
	t := p.at(i)
	if t.kind == tNum && len(t.text) == 4 && validYear(t.val) {
		// « 2024-2025 »: a period, not this date's year.
		if n := p.at(i + 1); isDash(n) && n.glued {
			if m := p.at(i + 2); m.kind == tNum && len(m.text) == 4 {
				return 0, i
			}
		}
		return t.val, i + 1
	}
	return 0, i
}

// day reads « [weekday] D[er] » at i and returns the day and the index after.
func (p *parser) day(i int) (int, int) {
	j := i
	if weekdays[p.at(j).key] {
		j++
		if p.at(j).kind == tPunct && p.at(j).text == "," {
			j++
		}
	}
	t := p.at(j)
	if t.kind != tNum || len(t.text) > 2 || t.val < 1 || t.val > 31 {
		return 0, i
	}
	j++
	// « 1er », « 1re », « 2e » glued to the number.
	if s := p.at(j); s.kind == tWord && s.glued && (s.key == "er" || s.key == "re" || s.key == "e") {
		j++
	}
	// « 26.11 » and « 26/11 » are numeric dates, read elsewhere.
	if s := p.at(j); s.kind == tPunct && s.glued && (s.text == "/" || s.text == ".") && p.at(j+1).kind == tNum && p.at(j+1).glued {
		return 0, i
	}
	// « 2 000 participants »: a number with a thousands group is no day.
	if s := p.at(j); s.kind == tNum && len(s.text) == 3 {
		return 0, i
	}
	return t.val, j
}

// part reads a day with its optional month and year.
func (p *parser) part(i int) (Date, int, bool) {
	d, j := p.day(i)
	if d == 0 {
		return Date{}, i, false
	}
	date := Date{Day: d}
	if m, k := p.month(j); m > 0 {
		date.Month, j = m, k
		if y, k := p.year(j); y > 0 {
			date.Year, j = y, k
		}
	}
	return date, j, true
}

// numeric reads « 2024-11-26 », « 26/11/2024 » or « 26.11.2024 ».
func (p *parser) numeric(i int) (Date, int, bool) {
	a, s1, b, s2, c := p.at(i), p.at(i+1), p.at(i+2), p.at(i+3), p.at(i+4)
	if a.kind != tNum || b.kind != tNum || c.kind != tNum || s1.kind != tPunct || s1.text != s2.text || !s1.glued || !b.glued || !s2.glued || !c.glued {
		return Date{}, i, false
	}
	// A longer run of numbers (a phone number, 1.2.3.4) is no date.
	if n := p.at(i + 5); n.kind == tPunct && n.glued && n.text == s1.text && p.at(i+6).kind == tNum {
		return Date{}, i, false
	}
	var d Date
	switch {
	case s1.text == "-" && len(a.text) == 4 && len(b.text) <= 2 && len(c.text) <= 2:
		d = Date{Year: a.val, Month: b.val, Day: c.val}
	case (s1.text == "/" || s1.text == "." || s1.text == "-") && len(a.text) <= 2 && len(b.text) <= 2 && len(c.text) == 4:
		d = Date{Year: c.val, Month: b.val, Day: a.val}
	default:
		return Date{}, i, false
	}
	if !validYear(d.Year) || d.Month < 1 || d.Day < 1 || !d.Valid() {
		return Date{}, i, false
	}
	return d, i + 5, true
}

// anyDate reads a numeric date or a day with optional month and year.
func (p *parser) anyDate(i int) (Date, int, bool) {
	if d, j, ok := p.numeric(i); ok {
		return d, j, true
	}
	return p.part(i)
}

// Parse returns the date expressions of text in order of position.
func Parse(text string) []Span {
	p := &parser{t: lex(text)}
	var out []Span
	for i := 0; i < len(p.t); {
		if s, j, ok := p.span(i); ok {
			s.Start, s.End = p.t[i].start, p.t[j-1].end
			if s.Kind != YearRange && (!s.From.Valid() || !s.To.Valid()) {
				i = j // « 31 avril »: not a date, and no part of it either
				continue
			}
			out = append(out, s)
			i = j
			continue
		}
		i++
	}
	return out
}

// span tries every shape at token i, longest first.
func (p *parser) span(i int) (Span, int, bool) {
	t := p.at(i)
	start := i
	// « du 26 au 30 », « entre le 3 et le 5 »: the lead word is part of the span.
	lead := false
	if t.kind == tWord && (t.key == "du" || t.key == "des" || t.key == "le" || t.key == "les" || t.key == "entre") {
		i++
		if p.at(i).key == "le" {
			i++
		}
		lead = true
	}
	if from, j, ok := p.anyDate(i); ok {
		// « les 3, 4 et 5 juin »: the days between run to the last.
		if from.Month == 0 {
			k := j
			for p.at(k).text == "," {
				d, k2 := p.day(k + 1)
				if d == 0 {
					break
				}
				k = k2
			}
			if k > j && p.at(k).key == "et" {
				j = k
			}
		}
		if to, k, ok := p.rangeEnd(j, lead); ok {
			if f, to := complete(from, to); before(f, to) {
				return Span{Kind: Range, From: f, To: to}, k, true
			}
		}
		if from.Month > 0 {
			return Span{Kind: Day, From: from, To: from}, j, true
		}
	}
	if lead {
		return Span{}, start, false
	}
	// « 2025-2030 », « 2016 à 2018 »
	if t.kind == tNum && len(t.text) == 4 && validYear(t.val) {
		n, m := p.at(i+1), p.at(i+2)
		if (isDash(n) || n.key == "a") && m.kind == tNum && len(m.text) == 4 && validYear(m.val) && m.val > t.val {
			return Span{Kind: YearRange, From: Date{Year: t.val}, To: Date{Year: m.val}}, i + 3, true
		}
	}
	// « juin 2018 », « sept. 2019 », « mi-juin »
	if m, j := p.month(i); m > 0 {
		d := Date{Month: m}
		if y, k := p.year(j); y > 0 {
			d.Year, j = y, k
		} else if t.key == "mai" || t.key == "mars" {
			// « mai » and « mars » alone are too often other words
			// (« Mars », « mai » in names): they need a year.
			return Span{}, i, false
		}
		return Span{Kind: Month, From: d, To: d}, j, true
	}
	return Span{}, i, false
}

// rangeEnd reads the second end of a range after from: « au 30 novembre »,
// « -30 novembre », « et 23 avril », « et le 23 avril ».
func (p *parser) rangeEnd(j int, lead bool) (Date, int, bool) {
	n := p.at(j)
	switch {
	case isDash(n) || n.text == "/":
		j++
	case n.kind == tWord && rangeWords[n.key]:
		j++
		if p.at(j).text == "’" || p.at(j).text == "'" {
			j++
		}
		if p.at(j).key == "au" {
			j++
		}
	case n.kind == tWord && n.key == "et":
		j++
		if p.at(j).key == "le" {
			j++
		}
	default:
		return Date{}, j, false
	}
	to, k, ok := p.anyDate(j)
	if !ok || to.Month == 0 {
		return Date{}, j, false
	}
	return to, k, true
}

// complete gives the first end of a range the month and year of the second
// when it lacks them.
func complete(from, to Date) (Date, Date) {
	if from.Month == 0 {
		from.Month = to.Month
	}
	if from.Year == 0 && to.Year > 0 {
		from.Year = to.Year
		if from.Month > to.Month {
			from.Year--
		}
	}
	return from, to
}

func before(a, b Date) bool {
	if a.Year > 0 && b.Year > 0 {
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.Day < b.Day
	}
	if a.Month != b.Month {
		// Without years, a later month first means the range spans a new year.
		return true
	}
	return a.Day < b.Day
}
