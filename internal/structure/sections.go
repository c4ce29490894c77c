package structure

import (
	"math"
	"strings"
	"unicode"

	"escale/internal/dates"
	"escale/internal/mission"
)

// section is a heading and the paragraphs under it; head is -1 for what
// comes before the first heading.
type section struct {
	head  int
	kind  string
	rank  float64
	paras []int
	sub   map[int]float64 // sub-headings (outcome categories) and their rank
}

// titleWords say that a line names a report rather than a part of it.
var titleWords = map[string]bool{
	"rapport": true, "mission": true, "compte rendu": true, "visite": true,
	"deplacement": true, "voyage": true, "sejour": true,
}

// findTitle picks the report's own title among the first paragraphs, before
// the first section heading: the level-1 heading of Markdown, the most
// prominent heading of a PDF's first page, the first line of a text when it
// reads as a title. Among equals, one that says « rapport » or « mission »
// wins over a letterhead. It returns -1 when the report has none.
func findTitle(ps []para, hs []head, format string) int {
	const window = 6
	var cands []int
	// skipped counts the letterhead and dateline paragraphs before i: what
	// opens a report is its first paragraph after them.
	skipped := make([]int, min(len(ps), window)+1)
	for i := 0; i < len(ps) && i < window; i++ {
		skipped[i+1] = skipped[i]
		if ps[i].page != ps[0].page {
			break
		}
		if hs[i].is && sectionHeading(ps[i], hs[i]) {
			break
		}
		if letterhead(ps[i].body()) || dateline(ps[i].body()) {
			skipped[i+1]++
			continue
		}
		if titleShape(&ps[i]) || isSubject(ps[i].body()) {
			cands = append(cands, i)
		}
	}
	// prefer returns the first candidate that ok accepts, one naming a
	// report if there is one.
	prefer := func(ok func(i int) bool) int {
		first := -1
		for _, i := range cands {
			if !ok(i) {
				continue
			}
			if namesReport(ps[i].text) {
				return i
			}
			if first < 0 {
				first = i
			}
		}
		return first
	}
	switch format {
	case mission.FormatMarkdown:
		if t := prefer(func(i int) bool { return ps[i].heading == 1 }); t >= 0 {
			return t
		}
		if t := prefer(func(i int) bool { return ps[i].heading > 0 }); t >= 0 {
			return t
		}
	case mission.FormatPDF:
		body := bodySize(ps)
		top := 0.0
		for _, i := range cands {
			if hs[i].is || ps[i].size >= body+0.9 {
				top = max(top, ps[i].size)
			}
		}
		if top > 0 {
			return prefer(func(i int) bool { return (hs[i].is || ps[i].size >= body+0.9) && ps[i].size >= top-0.3 })
		}
		return prefer(func(i int) bool { return namesReport(ps[i].text) })
	}
	if t := prefer(func(i int) bool { return i-skipped[i] <= 3 && namesReport(ps[i].text) }); t >= 0 {
		return t
	}
	if len(cands) > 0 && cands[0] == skipped[cands[0]] {
		return cands[0]
	}
	return -1
}

// titleText is the title a paragraph gives: its text, or what its subject
// line is about (« Objet : Mission à Abidjan » is titled « Mission à
// Abidjan »).
func titleText(p *para) string {
	t := p.body()
	if s, ok := subject(t); ok {
		return s
	}
	return t
}

// subjectLabel opens a memo's subject line.
var subjectLabel = lazyRegexp(`^(?i)(objet|sujet|re)\s*:\s*`)

// subject returns what a subject line (« Objet : ... ») says, when it reads
// as a title: short, no sentence end.
func subject(t string) (string, bool) {
	loc := subjectLabel().FindStringIndex(t)
	if loc == nil {
		return "", false
	}
	rest := strings.TrimSpace(t[loc[1]:])
	n := len(strings.Fields(rest))
	if n == 0 || n > 25 || !hasLetter(rest) || startsLower(rest) {
		return "", false
	}
	switch lastRune(rest) {
	case '.', ';', ',', ':':
		return "", false
	}
	return rest, true
}

func isSubject(t string) bool {
	_, ok := subject(t)
	return ok
}

// orgHead opens the name of an organisation that sends a report: a city
// (« Ville de Québec »), one of its offices (« Bureau des relations
// internationales », « Cabinet du maire », « Service de l'urbanisme »), a
// government.
var orgHead = lazyRegexp(`^(la |le |l')?((ville|municipalite|mairie|cite|commune|agglomeration|communaute urbaine|communaute metropolitaine|arrondissement|hotel de ville|region|province|departement|prefecture|canton|etat) (de |d'|du )` +
	`|(cabinet|bureau|service|direction|division|secretariat|ministere|conseil|office|agence|commission|gouvernement|delegation generale|unite|section) (de |d'|du |des |general|municipal|executif))`)

// letterhead reports whether a line is a letterhead: the name of the
// sending organisation alone, possibly in parts (« Ville de Québec – Bureau
// des relations internationales »). A letterhead is not the report's title.
func letterhead(t string) bool {
	f := strings.NewReplacer(" – ", "|", " — ", "|", " - ", "|", " | ", "|", ", ", "|", "’", "'").Replace(fold(strings.TrimSpace(t)))
	if len(strings.Fields(f)) > 14 {
		return false
	}
	for _, part := range strings.Split(f, "|") {
		if !orgHead().MatchString(strings.TrimSpace(part)) {
			return false
		}
	}
	return true
}

// dateline reports whether a line only dates the report: a date, possibly
// after the place it was signed at (« Québec, le 4 décembre 1998 »,
// « Novembre 1998 »).
func dateline(t string) bool {
	spans := dates.Parse(t)
	if len(spans) == 0 {
		return false
	}
	rest := t[:spans[0].Start]
	for i, s := range spans {
		end := len(t)
		if i+1 < len(spans) {
			end = spans[i+1].Start
		}
		rest += " " + t[s.End:end]
	}
	return datelineRest().MatchString(fold(rest)) && !namesReport(t)
}

// datelineRest is what a dateline holds besides its date: a place and
// « le ».
var datelineRest = lazyRegexp(`^\s*([\pL'.-]+( [\pL'.-]+){0,2},)?\s*(le|du)?\s*[.]?\s*$`)

// namesReport reports whether a line says what it is: a report, a mission.
func namesReport(s string) bool {
	words := splitWords(fold(s))
	for i, w := range words {
		if titleWords[w] || (i+1 < len(words) && titleWords[w+" "+words[i+1]]) {
			return true
		}
	}
	return false
}

// titleShape is a paragraph that can be a title: short, no sentence end, no
// label (« Dates : ... »), not a list item.
func titleShape(p *para) bool {
	t := p.body()
	n := p.words()
	if p.table || p.marker != "" || n == 0 || n > 25 || startsLower(t) || !hasLetter(t) {
		return false
	}
	switch lastRune(t) {
	case '.', ';', ',', ':':
		return false
	}
	return !isLabel(t)
}

// fieldLabels are the labels of a report's cover fields (« Dates : ... »).
var fieldLabels = map[string]bool{
	"date": true, "dates": true, "lieu": true, "lieux": true, "destination": true, "destinations": true,
	"duree": true, "periode": true, "objet": true, "ville": true, "villes": true, "pays": true,
	"auteur": true, "auteurs": true, "redaction": true, "responsable": true, "responsables": true,
	"direction": true, "service": true, "unite": true, "dossier": true, "reference": true, "numero": true,
	"no": true, "n°": true, "version": true, "statut": true, "classification": true,
	"chef de delegation": true, "chef de mission": true, "organisateur": true, "organisateurs": true,
}

// isLabel reports whether a line is a cover field, « Dates : du 1er au 3 mai »:
// a label that is a field name or a section word, then a colon.
func isLabel(t string) bool {
	i := strings.Index(t, ":")
	if i < 0 {
		return false
	}
	label := fold(strings.TrimSpace(t[:i]))
	return fieldLabels[label] || (len(strings.Fields(label)) <= 3 && headingKind(label) != "")
}

// sectionHeading reports whether a heading opens a section by its words
// rather than naming the report: « Objectifs de la mission » does,
// « Mission de suivi à Lisbonne » and « Bilan de la mission à Bordeaux » do not.
func sectionHeading(p para, h head) bool {
	if h.kind == "" {
		return false
	}
	words := splitWords(fold(stripNumbering(p.text)))
	kw, _ := findKeyword(words)
	for i, w := range words {
		if titleWords[w] || (i+1 < len(words) && titleWords[w+" "+words[i+1]]) {
			if kw >= 0 && kw < i {
				return !namesPlace(p.body())
			}
			return false
		}
	}
	return true
}

// namesPlace reports whether a heading names something particular, as a
// title does and a section heading does not: a capitalised word after the
// first one (« Bilan de la mission à Bordeaux »), a year, or a dash before a
// subtitle (« BILAN DE MISSION – LYON 2023 »).
func namesPlace(s string) bool {
	if strings.Contains(s, " – ") || strings.Contains(s, " — ") || strings.Contains(s, " - ") {
		return true
	}
	for i, w := range strings.Fields(s) {
		if isYear(strings.Trim(w, "(),.")) {
			return true
		}
		if i > 0 && !isCaps(s) && unicode.IsUpper(firstRune(w)) {
			return true
		}
	}
	return false
}

func isYear(w string) bool {
	if len(w) != 4 || (w[:2] != "19" && w[:2] != "20") {
		return false
	}
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// buildSections groups paragraphs under their headings. A heading opens a
// section when its words name a kind of section or when it looks as strong
// as the headings that do; a weaker heading inside a section is a
// sub-heading (in an outcomes section, the category of the outcomes below
// it).
func buildSections(ps []para, hs []head, title int, pdf bool) []section {
	// The visual rank of the headings that name sections.
	counts := map[float64]int{}
	bestRank, bestN := 0.0, 0
	for i, h := range hs {
		if i != title && h.is && h.kind != "" && !h.weak {
			counts[h.rank]++
			if counts[h.rank] > bestN || (counts[h.rank] == bestN && h.rank > bestRank) {
				bestRank, bestN = h.rank, counts[h.rank]
			}
		}
	}
	secs := []section{{head: -1}}
	cur := &secs[0]
	for i := range ps {
		h := hs[i]
		if i == title || !h.is {
			cur.paras = append(cur.paras, i)
			continue
		}
		if cur.head >= 0 && subHeading(cur, h, pdf) {
			cur.addSub(i, h.rank)
			cur.paras = append(cur.paras, i)
			continue
		}
		kind := h.kind
		if kind == "" {
			// Before the first section, headings that name no section are
			// the cover's (« VILLE DE QUÉBEC »), not sections.
			if h.weak || (bestN > 0 && h.rank < bestRank-0.5) || (len(secs) == 1 && bestN > 0) {
				cur.addSub(i, h.rank)
				cur.paras = append(cur.paras, i)
				continue
			}
			kind = mission.KindOther
		}
		if kind == mission.KindOutcomes && (wrapUp(secs) || closing(ps[i].text, secs)) {
			kind = mission.KindOther
		}
		secs = append(secs, section{head: i, kind: kind, rank: h.rank})
		cur = &secs[len(secs)-1]
	}
	return secs
}

// wrapUp reports whether an outcomes heading would come after the outcomes
// and the follow-up: a report's closing « Bilan » sums up, it lists no
// outcomes of its own.
func wrapUp(secs []section) bool {
	seen := false
	for _, s := range secs {
		switch {
		case s.kind == mission.KindOutcomes:
			seen = true
		case seen && (s.kind == mission.KindFollowup || s.kind == mission.KindCosts):
			return true
		}
	}
	return false
}

// closing reports whether a « Bilan » heading comes after the outcomes
// already listed: the report's conclusion.
func closing(heading string, secs []section) bool {
	words := splitWords(fold(stripNumbering(heading)))
	if len(words) == 0 || !strings.HasPrefix(words[0], "bilan") {
		return false
	}
	for _, s := range secs {
		if s.kind == mission.KindOutcomes {
			return true
		}
	}
	return false
}

// subHeading reports whether heading h, inside section cur, belongs to it:
// a weaker heading, or in an outcomes section any heading that names no
// other kind of section (« Québec RAYONNE », « Retombées économiques »).
func subHeading(cur *section, h head, pdf bool) bool {
	margin := 0.5
	if h.ocr {
		// Sizes measured on pixels stray by up to 15 % (headings set at
		// 22 pt measured 21.1 to 25.0): only a clearly smaller one is weaker.
		margin = ocrWeaker * cur.rank
	}
	visiblyWeaker := h.rank < cur.rank-margin
	weaker := visiblyWeaker
	if cur.kind == mission.KindOutcomes && h.kind != mission.KindOutcomes {
		// Categories may look like the outcomes heading itself: only a
		// section word or a stronger heading ends the outcomes.
		weaker = h.rank <= cur.rank+0.5
	}
	if !pdf && cur.kind == mission.KindOutcomes {
		// Text has few ranks: a plain line names a category even under a
		// plain heading, but a heading in capitals under capitals does not.
		weaker = h.rank <= cur.rank+0.5 && !(h.kind != "" && h.rank >= capsRank && h.rank >= cur.rank-0.5)
	}
	if h.ocr && h.kind == cur.kind && !weaker {
		// Recognised pages rank headings by a few measured levels: a
		// heading of the section's own kind is its first category when it
		// follows the section's heading at once (« Faits saillants »,
		// then « Retombées institutionnelles »), or another one at a
		// category's level.
		if len(cur.paras) == 0 {
			return true
		}
		for _, r := range cur.sub {
			if math.Abs(r-h.rank) <= 0.5 {
				return true
			}
		}
	}
	switch {
	case h.kind == "":
		return weaker || h.weak
	case h.kind == cur.kind:
		return weaker
	case pdf && cur.kind == mission.KindOutcomes && visiblyWeaker:
		// A visibly weaker heading inside the outcomes is an outcome's own
		// title line (« Suivi de la coopération... »), whatever its words.
		return true
	}
	return false
}

// ocrWeaker is how much smaller a recognised heading must measure than
// its section's to be weaker.
const ocrWeaker = 0.15

// items are the paragraphs of a section that hold its entries: its list
// items when it has a list, else its paragraphs, leaving out sub-headings,
// tables and introductions ending with « : ».
func items(ps []para, s section) []int {
	list := 0
	for _, i := range s.paras {
		if _, sub := s.sub[i]; ps[i].marker != "" && !sub {
			list++
		}
	}
	var out []int
	for _, i := range s.paras {
		p := &ps[i]
		_, sub := s.sub[i]
		switch {
		case sub, p.table:
		case list >= 2 && p.marker == "":
		case list < 2 && strings.HasSuffix(strings.TrimSpace(p.text), ":"):
		case !hasLetter(p.body()):
		default:
			out = append(out, i)
		}
	}
	return out
}

func objectives(ps []para, s section) []mission.Objective {
	var out []mission.Objective
	for _, i := range items(ps, s) {
		out = append(out, mission.Objective{Text: ps[i].body(), Page: ps[i].page})
	}
	return out
}

func outcomes(ps []para, s section, pdf bool) []mission.Outcome {
	keep := map[int]bool{}
	for _, i := range items(ps, s) {
		keep[i] = true
	}
	titled := titleLines(ps, s, pdf)
	var out []mission.Outcome
	var category, title *string
	for _, i := range s.paras {
		p := &ps[i]
		if _, sub := s.sub[i]; sub {
			c := trimTitle(p.body())
			if titled[i] {
				title = &c
			} else {
				category, title = &c, nil
			}
			continue
		}
		if !keep[i] {
			continue
		}
		o := mission.Outcome{Category: category, Title: title, Text: p.body(), Page: p.page}
		title = nil
		if o.Title != nil {
			// The title stood on its own line above.
		} else if t, rest, ok := splitBoldLead(p.body(), p.lead); ok && !p.ocr {
			o.Title, o.Text = &t, rest
		} else if (!pdf && p.lead == "") || p.ocr {
			if t, rest, ok := splitTextLead(p.body()); ok {
				o.Title, o.Text = &t, rest
			}
		}
		out = append(out, o)
	}
	return out
}

// addSub records paragraph i as a sub-heading of the section.
func (s *section) addSub(i int, rank float64) {
	if s.sub == nil {
		s.sub = map[int]float64{}
	}
	s.sub[i] = rank
}

// titleLines finds the sub-headings that are outcome titles set on their own
// line: each heads exactly one plain paragraph, one that does not name
// itself. They are recognised by rank: every sub-heading of that rank must
// head one such paragraph, and there must be two of them, or other
// sub-headings (the categories) beside them.
func titleLines(ps []para, s section, pdf bool) map[int]bool {
	if len(s.sub) < 2 {
		return nil
	}
	type info struct {
		rank  float64
		items int
		plain bool
	}
	var order []int
	heads := map[int]*info{}
	cur := -1
	for _, i := range s.paras {
		if r, ok := s.sub[i]; ok {
			heads[i] = &info{rank: r, plain: true}
			order = append(order, i)
			cur = i
			continue
		}
		if cur < 0 {
			continue
		}
		h := heads[cur]
		h.items++
		p := &ps[i]
		if p.marker != "" || p.table || namesItself(p, pdf) {
			h.plain = false
		}
	}
	byRank := map[float64][]int{}
	for _, i := range order {
		byRank[heads[i].rank] = append(byRank[heads[i].rank], i)
	}
	// Within one rank, a heading directly followed by another heading is
	// the category above it; the others must each head one plain paragraph.
	out := map[int]bool{}
	for _, group := range byRank {
		var titles []int
		ok := true
		for _, i := range group {
			switch h := heads[i]; {
			case h.items == 0:
			case h.items == 1 && h.plain:
				titles = append(titles, i)
			default:
				ok = false
			}
		}
		if ok && (len(titles) >= 2 || len(titles) == 1 && len(byRank) > 1) {
			for _, i := range titles {
				out[i] = true
			}
		}
	}
	return out
}

// namesItself reports whether a paragraph opens on its own run-in title.
func namesItself(p *para, pdf bool) bool {
	if _, _, ok := splitBoldLead(p.body(), p.lead); ok {
		return true
	}
	if !pdf || p.ocr {
		_, _, ok := splitTextLead(p.body())
		return ok
	}
	return false
}
