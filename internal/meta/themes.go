package meta

import (
	"escale/internal/mission"
	"escale/internal/taxonomy"
)

// themes classifies the title, each objective and each outcome (its title
// with its text); each outcome gets its own themes and the mission those of
// all these passages together (taxonomy.ClassifyReport decides).
func themes(m *mission.Mission, t *taxonomy.Taxonomy) []string {
	var passages []string
	if m.Title != nil {
		passages = append(passages, *m.Title)
	}
	for _, o := range m.Objectives {
		passages = append(passages, o.Text)
	}
	first := len(passages) // the outcomes' passages come last
	for i := range m.Outcomes {
		o := &m.Outcomes[i]
		s := o.Text
		if o.Title != nil {
			s = *o.Title + ". " + s
		}
		passages = append(passages, s)
	}
	if len(m.Objectives) == 0 && len(m.Outcomes) == 0 {
		return fallbackThemes(m, t)
	}
	report, each := t.ClassifyReport(passages)
	for i := range m.Outcomes {
		m.Outcomes[i].Themes = each[first+i]
	}
	return report
}

// fallbackThemes classifies the paragraphs of a report whose objectives and
// outcomes were not found: a theme needs two paragraphs about it.
func fallbackThemes(m *mission.Mission, t *taxonomy.Taxonomy) []string {
	count := map[string]int{}
	if m.Title != nil {
		for _, id := range t.Classify(*m.Title) {
			count[id] += 2
		}
	}
	for _, p := range paragraphs(m.Text) {
		for _, id := range t.Classify(p) {
			count[id]++
		}
	}
	var out []string
	for _, th := range t.Themes {
		if count[th.ID] >= 2 {
			out = append(out, th.ID)
		}
	}
	return out
}
