package synth

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"escale/internal/mission"
	"escale/internal/score"
)

// style is how one report is written: every layout choice the corpus shows
// varying from one report to the next.
type style struct {
	upperHeadings bool
	titled        bool // the report has a title
	upperTitle    bool
	objMarker     string // "1.", "1)", "a)", "•", "–", "" (paragraphs)
	objIntro      bool   // a sentence announces the objectives
	outMarker     string // "•", "1.", "–", "" (paragraphs)
	outTitled     bool   // outcomes have a lead phrase
	outOwnLine    bool   // the lead phrase is a line of its own (PDF only)
	leadPunct     string // ".", " :", " –"
	catSet        int    // index into categorySets, -1 for none
	progStyle     int    // 0 a paragraph a day, 1 bullets, 2 one paragraph, 3 table
	followMarker  string
	delegation    int // 0 inline « Délégation : … », 1 section with a paragraph, 2 section with a list
	datesShown    bool
	datesWithCity bool
}

func (b *builder) chooseStyle() {
	r := b.r
	st := &b.st
	st.upperHeadings = r.chance(0.3)
	st.titled = r.chance(0.85)
	st.upperTitle = r.chance(0.2)
	st.objMarker = []string{"1.", "1)", "a)", "•", "–", ""}[r.weighted(5, 1, 0.5, 3, 1, 2)]
	st.objIntro = r.chance(0.2)
	st.outTitled = r.chance(0.75)
	st.outMarker = []string{"•", "1.", "–", ""}[r.weighted(5, 1.5, 1, 3)]
	st.outOwnLine = st.outTitled && b.format == mission.FormatPDF && st.outMarker == "" && r.chance(0.3)
	st.leadPunct = []string{".", " :", " –"}[r.weighted(6, 2, 1)]
	if b.format == mission.FormatPDF && !st.outOwnLine {
		st.leadPunct = []string{".", " :"}[r.weighted(8, 2)]
	}
	st.catSet = -1
	if r.chance(0.6) {
		st.catSet = r.weighted(5, 2, 2, 1.5)
	}
	st.progStyle = r.weighted(4, 2, 2, 1)
	if st.progStyle == 3 && b.format == mission.FormatText {
		st.progStyle = 0
	}
	st.followMarker = []string{"•", "–", "1.", "-"}[r.weighted(5, 2, 1, 1)]
	st.delegation = r.weighted(4, 3, 2)
	st.datesShown = r.chance(0.85)
	st.datesWithCity = r.chance(0.4)
}

// number returns the marker of the k-th item (from 0) in a style.
func number(style string, k int) string {
	switch style {
	case "1.":
		return fmt.Sprintf("%d.", k+1)
	case "1)":
		return fmt.Sprintf("%d)", k+1)
	case "a)":
		return fmt.Sprintf("%c)", 'a'+k%26)
	}
	return style
}

func (b *builder) titleText() string {
	p, r := b.p, b.r
	c := p.dests[0]
	y := fmt.Sprint(p.end.Year())
	cityCountry := c.City.Name + " (" + c.Country + ")"
	var t string
	switch len(p.dests) {
	case 1:
		t = pick(r, []string{
			"Rapport de mission – " + c.City.Name + " " + y,
			"Rapport de mission – " + cityCountry,
			"Mission à " + c.City.Name + " " + y + " – Rapport de mission",
			"Rapport de mission à " + cityCountry,
			"Rapport de mission à " + c.City.Name,
			"Mission à " + c.City.Name + " : " + b.topicOf(b.themeOf(0)),
			"Bilan de mission – " + c.City.Name,
			"Mission de suivi à " + c.City.Name + " – " + b.eventName(),
			"Rapport de mission – " + b.eventName() + " " + y,
		})
		if (p.end.Year() == 2020 || p.end.Year() == 2021) && r.chance(0.3) {
			t = "Mission virtuelle - " + cityCountry
		}
	default:
		names := p.destNames()
		t = pick(r, []string{
			"Rapport de mission – " + joinFr(names),
			"Mission à " + strings.Join(names, " et à ") + " – " + upperFirst(b.topicOf(b.themeOf(0))),
			"Rapport de mission – " + joinFr(names) + " " + y,
		})
	}
	t = contract(t)
	if b.st.upperTitle {
		t = strings.ToUpper(t)
	}
	return t
}

// eventName is an event of the first theme as a title names it, without its
// article: « Conférence mondiale de l’AIVP ».
func (b *builder) eventName() string {
	return upperFirst(bare(b.homeFill(pick(b.r, b.themeOf(0).events))))
}

// titleBlock writes the title, subtitle and labelled lines at the top. A
// report without a title starts with a section: a line above it would read
// as its title.
func (b *builder) titleBlock() {
	p, r, st := b.p, b.r, &b.st
	if !st.titled {
		return
	}
	b.add(block{kind: bTitle, text: b.titleText()})
	if r.chance(0.5) {
		var sub string
		if r.chance(0.5) {
			sub = b.eventName()
		} else {
			var ts []string
			for k := range min(3, len(p.themes)) {
				ts = append(ts, bare(b.topicOf(b.themeOf(k))))
			}
			sub = upperFirst(joinFr(dedupe(ts)))
		}
		b.add(block{kind: bSubtitle, text: sub})
	}
	if st.datesShown {
		d := datesPhrase(r, p.start, p.end)
		if st.datesWithCity {
			var places []string
			for _, x := range p.dests {
				places = append(places, x.City.Name+" ("+x.Country+")")
			}
			b.add(block{kind: bMeta, text: strings.Join(places, " et ") + ", " + d})
		} else if r.chance(0.4) {
			b.add(block{kind: bMeta, lead: "Dates :", text: d})
		} else {
			b.add(block{kind: bMeta, text: upperFirst(d)})
		}
	}
	if r.chance(0.3) {
		b.add(block{kind: bMeta, text: "Ville de " + p.home + " – Bureau des relations internationales"})
	}
	if r.chance(0.12) {
		m := p.end.AddDate(0, 0, r.between(5, 25))
		if m.Year() != p.end.Year() {
			m = p.end
		}
		b.add(block{kind: bMeta, text: "Préparé par le Bureau des relations internationales, " + months[m.Month()-1] + " " + fmt.Sprint(m.Year())})
	}
	if st.delegation == 0 {
		b.add(block{kind: bMeta, lead: pick(r, []string{"Délégation :", "Participants :"}), text: b.roleList("; ") + "."})
	}
}

// roles draws the delegation.
func (b *builder) roles() []string {
	r := b.r
	var pool []string
	for k := range b.p.themes {
		pool = append(pool, b.themeOf(k).roles...)
	}
	n := r.between(2, 5)
	rs := sample(r, pool, n)
	lead := sample(r, commonRoles, r.between(1, 2))
	out := append(lead, rs...)
	for i := range out {
		out[i] = b.homeFill(out[i])
	}
	return out
}

func (b *builder) roleList(sep string) string { return strings.Join(b.roles(), sep) }

func (b *builder) delegation() {
	r := b.r
	switch b.st.delegation {
	case 1:
		b.heading(mission.KindDelegation)
		rs := b.roles()
		var parts []string
		for _, x := range rs {
			parts = append(parts, de(x))
		}
		b.add(block{kind: bPara, section: mission.KindDelegation,
			text: "La délégation était composée " + joinFr(parts) + "."})
	case 2:
		b.heading(mission.KindDelegation)
		for _, x := range b.roles() {
			b.add(block{kind: bItem, section: mission.KindDelegation, marker: "•", text: upperFirst(x)})
		}
	}
	_ = r
}

func (b *builder) context() {
	r, p := b.r, b.p
	b.heading(mission.KindContext)
	paras := min(6, 1+b.p.size/3+r.IntN(2))
	for k := range paras {
		t := b.themeOf(k)
		var ss []string
		if k == 0 && !b.st.titled && b.st.datesShown {
			// Without a title block, the dates are told here.
			ss = append(ss, "La mission s’est déroulée à "+strings.Join(p.destNames(), " et à ")+" "+datesPhrase(r, p.start, p.end)+".")
		}
		n := r.between(2, 3+b.p.size/2)
		for j := range n {
			tmpls := contextTemplates
			if j%2 == 0 {
				tmpls = t.context
			}
			s, ok := b.freshOK(tmpls, t, b.topicOf(t))
			if !ok && (len(ss) > 0 || k > 0) {
				break // said all there is to say
			}
			ss = append(ss, s)
		}
		if len(ss) == 0 {
			continue
		}
		b.add(block{kind: bPara, section: mission.KindContext, text: strings.Join(dedupe(ss), " ")})
	}
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (b *builder) objectives() {
	r := b.r
	b.heading(mission.KindObjectives)
	if b.st.objIntro {
		b.add(block{kind: bPara, section: mission.KindOther, text: pick(r, []string{
			"La mission poursuivait les objectifs suivants :", "Les objectifs de la mission étaient les suivants :"})})
	}
	n := r.between(3, min(8, 3+b.p.size/2))
	for k := range n {
		t := b.themeOf(k)
		topic, also := b.pickTopic(t)
		text := b.fresh(goalTemplates, t, topic)
		b.about(t, also)
		b.add(block{kind: bItem, section: mission.KindObjectives, marker: number(b.st.objMarker, k), text: text})
	}
}

func (b *builder) program() {
	r, p := b.r, b.p
	b.heading(mission.KindProgram)
	days := int(p.end.Sub(p.start).Hours()/24) + 1
	var rows [][2]string
	for k := range days {
		dt := p.start.AddDate(0, 0, k)
		label := weekdayDate(dt)
		if !b.st.datesShown {
			label = fmt.Sprintf("Jour %d", k+1)
		}
		var acts []string
		switch k {
		case 0:
			acts = append(acts, "arrivée à "+p.dests[0].City.Name)
		case days - 1:
			acts = append(acts, "retour à "+p.home)
		}
		if k < days-1 || r.chance(0.5) {
			for range r.between(1, min(4, 2+b.p.size/4)) {
				t := b.themeOf(r.IntN(len(p.themes)))
				acts = append(acts, b.sentence(pick(r, activityTemplates), t, b.topicOf(t)))
			}
		}
		if k == days-1 {
			acts = append(acts[1:], acts[0]) // the return comes last
		}
		text := upperFirst(strings.Join(dedupe(acts), "; ")) + "."
		if b.p.size >= 7 && k < days-1 {
			for range r.between(1, 2) {
				t := b.themeOf(r.IntN(len(p.themes)))
				if s, ok := b.freshOK(dayTemplates, t, b.topicOf(t)); ok {
					text += " " + s
				}
			}
		}
		rows = append(rows, [2]string{label, text})
	}
	switch b.st.progStyle {
	case 0, 1:
		for _, row := range rows {
			bl := block{kind: bItem, section: mission.KindProgram, text: row[0] + " : " + lowerFirst(row[1])}
			if b.st.progStyle == 1 {
				bl.marker = "•"
			}
			b.add(bl)
		}
	case 2:
		var ss []string
		for _, row := range rows {
			ss = append(ss, row[0]+" : "+lowerFirst(row[1]))
		}
		b.add(block{kind: bPara, section: mission.KindProgram, text: strings.Join(ss, " ")})
	case 3:
		tb := block{kind: bTable, section: mission.KindProgram, rows: [][]string{{"Date", "Activités"}}}
		for _, row := range rows {
			tb.rows = append(tb.rows, []string{row[0], row[1]})
		}
		b.add(tb)
	}
}

func lowerFirst(s string) string {
	for i, c := range s {
		return string(unicode.ToLower(c)) + s[i+len(string(c)):]
	}
	return s
}

// outcomes writes the outcomes, under categories or not, and their truth.
func (b *builder) outcomes() {
	r, st := b.r, &b.st
	b.heading(mission.KindOutcomes)
	// Long reports say more about each outcome rather than list more.
	n := r.between(min(1+b.p.size, 10), min(2+b.p.size*5/2, 18))
	type outcome struct {
		t     *theme
		title string
		text  string
	}
	var outs []outcome
	for k := range n {
		t := b.themeOf(k)
		topic, also := b.pickTopic(t)
		var title string
		if st.outTitled {
			title = b.fresh(titleTemplates, t, topic)
		}
		var ss []string
		ss = append(ss, b.fresh(resultTemplates, t, topic))
		for range r.between(1, min(6, 2+b.p.size/3)) {
			tmpls := resultTemplates
			if r.chance(0.5) {
				tmpls = t.results
			}
			if s, ok := b.freshOK(tmpls, t, topic); ok {
				ss = append(ss, s)
			}
		}
		outs = append(outs, outcome{t, title, strings.Join(dedupe(ss), " ")})
		b.about(t, also)
	}
	// Categories: a fixed set spread over the outcomes in order, or one per theme.
	cats := make([]string, len(outs))
	if st.catSet >= 0 {
		set := categorySets[st.catSet]
		if st.catSet == 1 {
			// Kinds of benefits follow the outcomes' themes.
			rank := map[string]int{}
			for i, o := range outs {
				cats[i] = benefitKind[o.t.id]
				if _, ok := rank[cats[i]]; !ok {
					rank[cats[i]] = len(rank)
				}
			}
			idx := seq(0, len(outs)-1)
			slices.SortStableFunc(idx, func(x, y int) int { return rank[cats[x]] - rank[cats[y]] })
			so, sc := make([]outcome, len(outs)), make([]string, len(outs))
			for k, i := range idx {
				so[k], sc[k] = outs[i], cats[i]
			}
			outs, cats = so, sc
		} else if set == nil {
			slices.SortStableFunc(outs, func(x, y outcome) int { return b.themeRank(x.t.id) - b.themeRank(y.t.id) })
			for i, o := range outs {
				cats[i] = b.g.label(o.t.id)
			}
		} else {
			k := min(len(set), len(outs), r.between(2, len(set)))
			// Cut the outcomes into k runs, each at least one long.
			cuts := sample(r, seq(1, len(outs)-1), k-1)
			slices.Sort(cuts)
			c := 0
			for i := range outs {
				if c < len(cuts) && i == cuts[c] {
					c++
				}
				cats[i] = b.homeFill(set[c])
			}
		}
	}
	for i, o := range outs {
		if st.catSet >= 0 && (i == 0 || cats[i] != cats[i-1]) {
			b.add(block{kind: bCategory, section: mission.KindOutcomes, text: cats[i]})
		}
		bl := block{kind: bItem, section: mission.KindOutcomes, marker: number(st.outMarker, i), text: o.text}
		if o.title != "" {
			bl.lead = o.title + st.leadPunct
			if st.outOwnLine {
				bl.lead = o.title
				bl.ownLine = true
			}
		}
		b.add(bl)
		to := score.TruthOutcome{Text: o.text}
		if o.title != "" {
			to.Title = mission.Ptr(o.title)
		}
		if cats[i] != "" {
			to.Category = mission.Ptr(cats[i])
		}
		b.truth.Outcomes = append(b.truth.Outcomes, to)
	}
}

func seq(lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

func (b *builder) themeRank(id string) int {
	for k := range b.p.themes {
		if b.themeOf(k).id == id {
			return k
		}
	}
	return len(themes)
}

func (b *builder) followup() {
	r := b.r
	b.heading(mission.KindFollowup)
	n := r.between(2, 5)
	for k := range n {
		t := b.themeOf(k)
		b.add(block{kind: bItem, section: mission.KindFollowup, marker: number(b.st.followMarker, k),
			text: b.fresh(followTemplates, t, b.topicOf(t))})
	}
}

func (b *builder) costs() {
	r, p := b.r, b.p
	b.heading(mission.KindCosts)
	people := r.between(2, 6)
	nights := int(p.end.Sub(p.start).Hours() / 24)
	// Prices grow with the years, roughly.
	f := 0.6 + float64(p.end.Year()-1995)/40
	items := [][2]any{
		{fmt.Sprintf("Billets d’avion (%d personnes)", people), int(float64(people*r.between(900, 2200)) * f)},
		{fmt.Sprintf("Hébergement (%d nuits)", nights), int(float64(people*nights*r.between(120, 260)) * f)},
		{"Inscriptions", int(float64(people*r.between(200, 900)) * f)},
		{"Allocations de séjour et transport local", int(float64(people*nights*r.between(60, 120)) * f)},
	}
	total := 0
	tb := block{kind: bTable, section: mission.KindCosts, rows: [][]string{{"Poste", "Montant"}}}
	for _, it := range items {
		v := it[1].(int) / 10 * 10
		total += v
		tb.rows = append(tb.rows, []string{it[0].(string), amount(v, p.currency)})
	}
	tb.rows = append(tb.rows, []string{"Total", amount(total, p.currency)})
	if b.format == mission.FormatText || r.chance(0.3) {
		b.add(block{kind: bPara, section: mission.KindCosts, text: fmt.Sprintf(
			"Le coût total de la mission s’élève à %s, dont %s pour le transport aérien et %s pour l’hébergement.",
			amount(total, p.currency), tb.rows[1][1], tb.rows[2][1])})
		return
	}
	b.add(tb)
}

func (b *builder) conclusion() {
	r := b.r
	b.heading("conclusion")
	c := b.p.dests[0].City.Name
	b.add(block{kind: bPara, section: mission.KindOther, text: pick(r, []string{
		"La mission a confirmé la pertinence de " + c + " comme partenaire d’apprentissage pour " + b.p.home + ". Le Bureau des relations internationales propose de maintenir des contacts réguliers avec les interlocuteurs rencontrés.",
		"Cette mission a permis de consolider les liens entre " + b.p.home + " et " + c + " et d’ouvrir plusieurs pistes de collaboration concrètes, dont le suivi sera assuré au cours de la prochaine année.",
		"Le bilan de la mission est très positif : les objectifs fixés ont été atteints et les partenaires rencontrés ont manifesté leur intérêt pour une collaboration durable avec " + b.p.home + ".",
	})})
}

// annex lists the people met, as long reports do.
func (b *builder) annex() {
	r := b.r
	b.add(block{kind: bHeading, section: mission.KindOther, text: b.caseOf(pick(r, []string{
		"Annexe – Personnes rencontrées", "Liste des personnes rencontrées", "Annexe : interlocuteurs rencontrés"}))})
	for range r.between(6, min(24, 4+b.p.size)) {
		t := b.themeOf(r.IntN(len(b.p.themes)))
		o := b.pickOrg(t, b.city())
		person := pick(r, givenNames) + " " + pick(r, familyNames)
		b.add(block{kind: bItem, section: mission.KindOther, marker: "•",
			text: person + ", " + pick(r, functions) + ", " + contract(" " + o.name)[1:]})
	}
}
