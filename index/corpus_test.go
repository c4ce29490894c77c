package index

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"escale/internal/mission"
	"escale/internal/score"
)

// corpusDir is the annotated corpus shared by the repository's tests.
const corpusDir = "../testdata/corpus/visible"

// charsPerPage approximates pages in the truth, which has none.
const charsPerPage = 2500

// truthMissions builds mission records from the corpus's annotations, standing
// in for the extractor: sections are cut at heading-like lines, pages guessed
// from character offsets.
func truthMissions(t testing.TB) []*mission.Mission {
	t.Helper()
	truth, err := score.LoadTruth(corpusDir)
	if err != nil {
		t.Fatalf("LoadTruth(%s): %v", corpusDir, err)
	}
	var out []*mission.Mission
	for _, tr := range truth {
		out = append(out, fromTruth(tr))
	}
	return out
}

func fromTruth(tr score.Truth) *mission.Mission {
	text := tr.Text
	page := func(snippet string) int {
		if len(snippet) > 60 {
			snippet = snippet[:60]
		}
		i := strings.Index(text, strings.TrimSpace(snippet))
		if i < 0 {
			return 1
		}
		return i/charsPerPage + 1
	}
	m := &mission.Mission{
		MissionID: tr.ID, Filename: tr.File, Title: tr.Title, Destinations: tr.Destinations,
		StartDate: tr.StartDate, EndDate: tr.EndDate, Year: tr.Year,
		Organizations: tr.Organizations, Themes: tr.Themes, Text: text,
		Pages: len(text)/charsPerPage + 1, Format: tr.Format,
	}
	for _, o := range tr.Objectives {
		m.Objectives = append(m.Objectives, mission.Objective{Text: o, Page: page(o)})
	}
	cats := map[string]bool{}
	for _, o := range tr.Outcomes {
		m.Outcomes = append(m.Outcomes, mission.Outcome{Category: o.Category, Title: o.Title, Text: o.Text, Page: page(o.Text)})
		if o.Category != nil {
			cats[*o.Category] = true
		}
	}
	m.Sections = sectionsOf(text, cats)
	m.Normalize()
	return m
}

// sectionsOf cuts text at heading-like lines: short, no final period, and
// either mostly capitals or starting with a usual heading word.
func sectionsOf(text string, categories map[string]bool) []mission.Section {
	var out []mission.Section
	cur := mission.Section{Heading: "", Kind: mission.KindOther, Page: 1}
	var body []string
	offset := 0
	flush := func() {
		cur.Text = strings.TrimSpace(strings.Join(body, "\n"))
		if cur.Text != "" || cur.Heading != "" {
			out = append(out, cur)
		}
		body = nil
	}
	for _, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(strings.TrimLeft(line, "# "))
		if isHeading(l) && !categories[l] {
			flush()
			cur = mission.Section{Heading: l, Kind: kindOf(l), Page: offset/charsPerPage + 1}
		} else {
			body = append(body, line)
		}
		offset += len(line) + 1
	}
	flush()
	return out
}

var headingWords = []string{"contexte", "mise en contexte", "objectifs", "objectif", "buts", "programme", "délégation", "retombées", "aperçu", "principales retombées", "faits saillants", "suivis", "suivi", "prochaines étapes", "coûts", "budget", "bilan", "résultats"}

func isHeading(l string) bool {
	n := utf8.RuneCountInString(l)
	if n < 4 || n > 80 || strings.HasSuffix(l, ".") || strings.HasPrefix(l, "•") {
		return false
	}
	low := strings.ToLower(l)
	for _, w := range headingWords {
		if strings.HasPrefix(low, w) && n < 60 {
			return true
		}
	}
	var up, letters int
	for _, r := range l {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return letters > 3 && up*10 >= letters*8
}

func kindOf(h string) string {
	h = strings.ToLower(h)
	switch {
	case strings.Contains(h, "objectif") || strings.Contains(h, "buts"):
		return mission.KindObjectives
	case strings.Contains(h, "retombée") || strings.Contains(h, "faits saillants") || strings.Contains(h, "résultats") || strings.Contains(h, "bilan"):
		return mission.KindOutcomes
	case strings.Contains(h, "contexte"):
		return mission.KindContext
	case strings.Contains(h, "programme"):
		return mission.KindProgram
	case strings.Contains(h, "délégation"):
		return mission.KindDelegation
	case strings.Contains(h, "suivi") || strings.Contains(h, "prochaines étapes"):
		return mission.KindFollowup
	case strings.Contains(h, "coût") || strings.Contains(h, "budget"):
		return mission.KindCosts
	}
	return mission.KindOther
}
