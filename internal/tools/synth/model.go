package synth

import (
	"fmt"
	"strings"
	"time"
)

// kind is what a block of a report is.
type kind int

const (
	bTitle    kind = iota // the report's own title
	bSubtitle             // a line under the title: event, themes
	bMeta                 // a labelled line: dates, delegation, prepared by
	bHeading              // a section heading
	bCategory             // an outcome category heading
	bPara                 // a paragraph
	bItem                 // a list item
	bTable                // a table, first row its header
)

// block is one unit of a report, independent of its format.
type block struct {
	kind    kind
	section string // the section kind it belongs to (mission.Kind…), for styling
	marker  string // list marker as logical text: "•", "1.", "a)"
	lead    string // bold lead as written, punctuation included: "Délégation :", "Vitrine de X."
	ownLine bool   // the lead stands on its own line above the text (PDF)
	text    string // the rest
	rows    [][]string
}

// line is the block as it reads in the truth's text.
func (b block) line() string {
	if b.kind == bTable {
		rows := make([]string, len(b.rows))
		for i, r := range b.rows {
			rows[i] = strings.Join(r, " ")
		}
		return strings.Join(rows, "\n")
	}
	var parts []string
	for _, s := range []string{b.marker, b.lead, b.text} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if b.ownLine {
		// The lead is a line of its own.
		return strings.Join(parts[:len(parts)-1], " ") + "\n" + parts[len(parts)-1]
	}
	return strings.Join(parts, " ")
}

// doc is a report before it is written in a format.
type doc struct {
	blocks    []block
	created   time.Time // the file's creation date (PDF)
	infoTitle string
}

// missionPlan is everything a report is about, drawn before it is written.
type missionPlan struct {
	home       string
	currency   string
	dests      []place
	start, end time.Time
	themes     []int // indexes into themes
	size       int   // how much the report says, from 1; about twice its pages
}

// text returns the truth's text: one line per block, in reading order.
func (d *doc) text() string {
	var b strings.Builder
	for i, bl := range d.blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(bl.line())
	}
	return b.String()
}

func (p *missionPlan) destNames() []string {
	var out []string
	for _, d := range p.dests {
		out = append(out, d.City.Name)
	}
	return out
}

func dateISO(t time.Time) string { return t.Format("2006-01-02") }

// Each kind of date line a report may carry, all naming the same trip.
func datesPhrase(r *rng, s, e time.Time) string {
	y := fmt.Sprint(e.Year())
	switch {
	case r.chance(0.1):
		return fmt.Sprintf("du %s au %s", s.Format("02/01/2006"), e.Format("02/01/2006"))
	case r.chance(0.15) && s.Month() == e.Month():
		return fmt.Sprintf("du %s %s au %s %s", weekdays[s.Weekday()], day(s), weekdays[e.Weekday()], dayMonth(e)+" "+y)
	case s.Month() == e.Month():
		if r.chance(0.15) {
			return fmt.Sprintf("%s au %s %s", day(s), dayMonth(e), y)
		}
		return fmt.Sprintf("du %s au %s %s", day(s), dayMonth(e), y)
	default:
		return fmt.Sprintf("du %s au %s %s", dayMonth(s), dayMonth(e), y)
	}
}
