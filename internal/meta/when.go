package meta

import (
	"strconv"

	"escale/internal/dates"
	"escale/internal/mission"
)

type when struct {
	start, end *string
	year       *int
}

// writingLine tells a line that dates the report itself, not the trip.
var writingLine = lazyRegexp(`(?i)^\W*(document )?(prepare|redige|date du rapport|mis a jour|mise a jour|version|transmis|depose|approuve|signe|imprime|produit)`)

// letterDate is a letter's dateline (« Québec, le 12 juillet 2016 »): the
// day the report was signed.
var letterDate = lazyRegexp(`^\W*[a-z][a-z' .-]*, le (1er|[0-9])`)

// datesLine is a line that states the trip's dates (« Dates : du 17 au 23
// novembre 2019 »).
var datesLine = lazyRegexp(`^\W*(dates?|periode|duree|quand|calendrier)( de la mission| du sejour)?\s*:`)

// tripSentence is a sentence saying when the mission itself took place.
var tripSentence = lazyRegexp(`\b(la|cette|notre|une|de) (mission|delegation|sejour|deplacement|visite)\b|\b(mission|sejour|deplacement) (s'est|a eu lieu|se deroulait|s'etait|aura lieu|se tiendra|s'est tenue|se deroulera)`)

// otherEvent marks a sentence about something else that happened at some
// date (a conference held earlier, a founding, an announcement).
var otherEvent = lazyRegexp(`\b(tenue?s? |s'est tenue?|avait|a ete (cree|fonde|inaugure|annonce|signe|adopte)|depuis|lors de la precedente|derniere mission|premiere mission|precedente)`)

// tripDates finds the trip's start and end dates and its year.
func tripDates(d *doc) when {
	fallback := fallbackYear(d)
	span, ok := tripSpan(d)
	var w when
	if ok {
		y := fallback
		if y == 0 {
			y = span.From.Year
		}
		if y == 0 {
			y = span.To.Year
		}
		if y > 0 {
			span = span.WithYear(y)
		}
		if span.From.Complete() && span.To.Complete() {
			w.start, w.end = mission.Ptr(span.From.String()), mission.Ptr(span.To.String())
			w.year = mission.Ptr(span.From.Year)
			// A trip that straddles the new year belongs to the year it
			// mostly fell in; the start is as good a rule as any and is
			// the one people file reports by.
			return w
		}
	}
	if fallback > 0 {
		w.year = mission.Ptr(fallback)
	}
	return w
}

// tripSpan finds the dates of the trip: in the title or the heading block,
// on a « Dates : » line, in a sentence about the mission, or from the first
// and last days of the program.
func tripSpan(d *doc) (dates.Span, bool) {
	if s, ok := bestSpan(dates.Parse(d.title)); ok {
		return s, true
	}
	for _, l := range d.lines[:d.head] {
		if writingLine().MatchString(fold(l.text)) {
			continue
		}
		// A long line is a paragraph whose single dates may be anything;
		// a dateline dates the letter.
		if s, ok := bestSpan(dates.Parse(l.text)); ok && (s.Kind == dates.Range || len(l.text) < 120 && !letterDate().MatchString(fold(l.text))) {
			return s, true
		}
	}
	for _, l := range d.lines {
		if datesLine().MatchString(fold(l.text)) {
			if s, ok := bestSpan(dates.Parse(l.text)); ok {
				return s, true
			}
		}
	}
	// A line near the top that is nothing but a range dates the trip, even
	// when a subtitle ended the heading block early (« Rencontres
	// internationales de l'aménagement », then « Du 3 au 8 novembre 2013 »).
	for _, l := range d.lines[:min(len(d.lines), headMost)] {
		for _, s := range dates.Parse(l.text) {
			if s.Kind == dates.Range && 2*(s.End-s.Start) >= len(l.text) && !signedLine(l.text) {
				return s, true
			}
		}
	}
	if s, ok := sentenceSpan(d); ok {
		return s, true
	}
	return programSpan(d)
}

// bestSpan picks the trip's dates among a line's spans: a range, else a day
// with its month.
func bestSpan(spans []dates.Span) (dates.Span, bool) {
	for _, s := range spans {
		if s.Kind == dates.Range {
			return s, true
		}
	}
	for _, s := range spans {
		if s.Kind == dates.Day && s.From.Month > 0 {
			return s, true
		}
	}
	return dates.Span{}, false
}

// sentenceSpan finds a range in a sentence about the mission itself (« la
// mission s'est déroulée du 3 au 7 mai »), not about another event.
func sentenceSpan(d *doc) (dates.Span, bool) {
	for _, l := range d.lines {
		for _, sent := range sentences(l.text) {
			f := fold(sent)
			if !tripSentence().MatchString(f) || otherEvent().MatchString(f) {
				continue
			}
			for _, s := range dates.Parse(sent) {
				if s.Kind == dates.Range {
					return s, true
				}
			}
		}
	}
	return dates.Span{}, false
}

func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '.' || text[i] == ';' || text[i] == '!' || text[i] == '?' {
			// « sept. » and « déc. » end no sentence.
			if text[i] == '.' && i+2 < len(text) && text[i+1] == ' ' && (text[i+2] >= '0' && text[i+2] <= '9') {
				continue
			}
			out = append(out, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// programSpan reads a program's days: lines that open with a date
// (« Mardi 21 juin : arrivée ») give the first and last days of the trip.
func programSpan(d *doc) (dates.Span, bool) {
	var days []dates.Span
	for _, l := range d.lines {
		spans := dates.Parse(l.text)
		if len(spans) == 0 || spans[0].Start > 2 || spans[0].From.Month == 0 {
			continue
		}
		s := spans[0]
		if s.Kind != dates.Day && s.Kind != dates.Range {
			continue
		}
		days = append(days, s)
	}
	if len(days) < 2 {
		return dates.Span{}, false
	}
	first, last := days[0], days[len(days)-1]
	s := dates.Span{Kind: dates.Range, From: first.From, To: last.To}
	// The days must read as one trip: in order, within a month.
	probe := s
	if probe.From.Year == 0 || probe.To.Year == 0 {
		probe = probe.WithYear(2001)
	}
	ta, ok1 := probe.From.Time()
	tb, ok2 := probe.To.Time()
	if !ok1 || !ok2 || !tb.After(ta) || tb.Sub(ta).Hours() > 31*24 {
		return dates.Span{}, false
	}
	return s, true
}

// fallbackYear is the trip's year when its dates do not give it: the title,
// the heading block's dated lines, the running headers, the file name, the
// file's creation date, the date the report says it was written, in that
// order.
func fallbackYear(d *doc) int {
	if y := yearIn(d.title); y > 0 {
		return y
	}
	for _, l := range d.lines[:d.head] {
		if f := fold(l.text); writingLine().MatchString(f) || letterDate().MatchString(f) {
			continue
		}
		for _, s := range dates.Parse(l.text) {
			if (s.Kind == dates.Range || s.Kind == dates.Day || s.Kind == dates.Month) && s.To.Year > 0 {
				return s.From.Year
			}
		}
	}
	for _, h := range d.src.Headers {
		if y := yearIn(h); y > 0 {
			return y
		}
	}
	if y := fileYear(d.fileKey); y > 0 {
		return y
	}
	if c := d.src.Info.Created; len(c) >= 4 {
		if y, err := strconv.Atoi(c[:4]); err == nil && y >= 1900 && y <= 2100 {
			return y
		}
	}
	// Last, the date the report was written, like a creation date.
	for _, l := range d.lines[:d.head] {
		if f := fold(l.text); writingLine().MatchString(f) || letterDate().MatchString(f) {
			if y := yearIn(l.text); y > 0 {
				return y
			}
		}
	}
	return 0
}

var yearRE = lazyRegexp(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)

// yearIn finds a year that stands alone in s: a dated span's year, else a
// four-digit year that is not part of a period (« 2025-2030 ») or a number.
func yearIn(s string) int {
	spans := dates.Parse(s)
	for _, sp := range spans {
		if sp.Kind != dates.YearRange && sp.From.Year > 0 {
			return sp.From.Year
		}
	}
	for _, m := range yearRE().FindAllStringSubmatchIndex(s, -1) {
		inPeriod := false
		for _, sp := range spans {
			if sp.Kind == dates.YearRange && m[2] >= sp.Start && m[3] <= sp.End {
				inPeriod = true
			}
		}
		// « RM-2022-027 » is a year in a reference; « 1 2024 » in a number
		// with a space (« 12 024 ») is not.
		if inPeriod || (m[2] >= 2 && s[m[2]-1] == ' ' && s[m[2]-2] >= '0' && s[m[2]-2] <= '9') {
			continue
		}
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		return y
	}
	return 0
}

// fileYear finds a year in a file name (« RM-2022-027 », « avril2026 »).
func fileYear(name string) int {
	if m := yearRE().FindStringSubmatch(name); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	return 0
}

func parseDates(s string) []dates.Span { return dates.Parse(s) }
