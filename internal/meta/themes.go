package meta

import (
	"escale/internal/mission"
	"escale/internal/taxonomy"
)

// themes classifies each objective, outcome and the title; the mission has
// the themes of its passages, each outcome its own.
func themes(m *mission.Mission, t *taxonomy.Taxonomy) []string {
	found := map[string]bool{}
	mark := func(ids []string) {
		for _, id := range ids {
			found[id] = true
		}
	}
	if m.Title != nil {
		mark(t.Classify(*m.Title))
	}
	for _, o := range m.Objectives {
		mark(t.Classify(o.Text))
	}
	for i := range m.Outcomes {
		o := &m.Outcomes[i]
		s := o.Text
		if o.Title != nil {
			s = *o.Title + ". " + s
		}
		o.Themes = t.Classify(s)
		mark(o.Themes)
	}
	if len(m.Objectives) == 0 && len(m.Outcomes) == 0 {
		mark(fallbackThemes(m, t))
	}
	var out []string
	for _, th := range t.Themes {
		if found[th.ID] {
			out = append(out, th.ID)
		}
	}
	return out
}

// fallbackThemes classifies the paragraphs of a report whose objectives and
// outcomes were not found: a theme needs two paragraphs about it.
func fallbackThemes(m *mission.Mission, t *taxonomy.Taxonomy) []string {
	count := map[string]int{}
	for _, p := range paragraphs(m.Text) {
		for _, id := range t.Classify(p) {
			count[id]++
		}
	}
	var out []string
	for id, n := range count {
		if n >= 2 {
			out = append(out, id)
		}
	}
	return out
}
