package meta

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"escale/internal/gazetteer"
	"escale/internal/mission"
)

// place is a city named in the report, with the evidence that the
// delegation went there.
type place struct {
	city  gazetteer.City
	score float64
	first int // order of first strong mention, for a stable output
}

// Weights of the evidence for a destination.
const (
	wTitle    = 10 // named in the report's title
	wPlace    = 10 // on a « Lieu : » line
	wFile     = 6  // in the file name
	wHeadDate = 5  // on a line of the heading block that dates the trip
	wHead     = 3  // elsewhere in the heading block
	wTrip     = 3  // after « mission à », « arrivée à »...
	wMention  = 1  // any other mention, up to maxMentions
	wCountry  = 2  // the report names the city's country right after it

	maxMentions = 6
	minScore    = 6   // a destination needs at least this
	minShare    = 0.3 // and this share of the best destination's score
	maxPlaces   = 6
)

var (
	// placeLine states where the mission went.
	placeLine = regexp.MustCompile(`^\W*(lieux?|destinations?|villes? visitees?|endroits?)( de la mission| visites?)?\s*:`)
	// tripBefore precedes a destination in a sentence (« mission à »,
	// « arrivée à », « séjour à »).
	tripBefore = regexp.MustCompile(`(mission|sejour|deplacement|arrivee|arrive|arrives|arrivees|visite|voyage|escale|delegation|rendue?s?|rendus|depart pour|direction|vol pour|vol vers|train pour|passage)( \w+)? (a|au|en|vers|de|d') ?$`)
	// representedAt precedes the city of an office that represents a third
	// party abroad (« Bureau du Québec à Barcelone », « Consulat général du
	// Canada à Boston »): the office is met, its city is not a destination.
	representedAt = regexp.MustCompile(`(bureau|delegation|consulat|ambassade|representation|mission permanente|mission du|attache|attachee|antenne)\b[^.;:()]{0,45}\b(a|au|aux) $`)
	// regionOf precedes a region's name (« État de Washington »).
	regionOf = regexp.MustCompile(`\b(etat|province|region|comte|canton|departement|district|territoire|ile|iles|prefecture|land|oblast)( \w+)? (de|du|d'|des) ?$`)
	// nameOf precedes a person's name used in an organisation's
	// (« Université Laval », « rue Saint-Jean »).
	nameOf = regexp.MustCompile(`\b(universite|college|ecole|institut|rue|avenue|boulevard|place|pont|station|gare|parc|musee|fondation|prix|salle|centre|pavillon|stade|hotel|chateau|lac|fleuve|riviere|mont|cap|baie) $`)
	// homeBefore precedes the home city (« Ville de Québec », « départ de
	// Québec »).
	homeBefore = regexp.MustCompile(`(ville de|ville d'|depart de|retour a|de retour a|retour vers|mairie de|maire de|conseil municipal de|region de) ?$`)
)

// mentions scans s for the places it names.
func mentions(g *gazetteer.Gazetteer, s string) []gazetteer.Mention {
	return g.Scan(s)
}

// before returns the folded text just before byte offset i of s (up to n
// bytes, cut at a line end).
func before(s string, i, n int) string {
	j := max(0, i-n)
	for j < i && !utf8.RuneStart(s[j]) {
		j++
	}
	t := s[j:i]
	if k := strings.LastIndexByte(t, '\n'); k >= 0 {
		t = t[k+1:]
	}
	return fold(t)
}

// after returns the text just after byte offset i of s.
func after(s string, i, n int) string {
	j := min(len(s), i+n)
	for j > i && j < len(s) && !utf8.RuneStart(s[j]) {
		j--
	}
	return s[i:j]
}

// usable reports whether a mention can name a destination: a city (not
// only a country), not a region's name, not part of a person's name.
func usable(s string, m gazetteer.Mention) bool {
	if len(m.Cities) == 0 {
		return false
	}
	b := before(s, m.Start, 60)
	if regionOf.MatchString(b) || nameOf.MatchString(b) {
		return false
	}
	c := m.Cities[0]
	// A name that is also a common French word (« Tours ») counts only for
	// notable places, and an alias (« Lisboa ») only for them too.
	if (c.CommonWord || m.Alias) && !c.Notable {
		return false
	}
	return true
}

// qualified returns the candidate city a mention means, using a country
// written right after it (« Valence (Espagne) », « Boston, États-Unis »),
// and whether that country confirmed it.
func qualified(g *gazetteer.Gazetteer, s string, m gazetteer.Mention, countries map[string]float64) (gazetteer.City, bool) {
	rest := after(s, m.End, 80)
	t := strings.TrimLeft(rest, " \u00a0")
	if strings.HasPrefix(t, "(") || strings.HasPrefix(t, ",") {
		for _, cm := range g.Scan(t[1:min(len(t), 70)]) {
			if cm.Country == nil {
				continue
			}
			for _, c := range m.Cities {
				if c.CountryCode == cm.Country.Code {
					return c, true
				}
			}
		}
	}
	// Otherwise the likeliest candidate, preferring a country the report
	// names over population, when the candidates are close.
	best := m.Cities[0]
	for _, c := range m.Cities[1:] {
		if countries[c.CountryCode] > countries[best.CountryCode] && c.Population*20 > best.Population {
			best = c
		}
	}
	return best, false
}

// qualifiers returns the mentions that sit in the parentheses right after
// another city (« Seattle (État de Washington) », « Toronto (Ontario) »):
// they qualify it and name no destination. « Forum urbain mondial (Le Caire,
// Égypte) » qualifies no city: Le Caire counts.
func qualifiers(s string, ms []gazetteer.Mention) map[int]bool {
	out := map[int]bool{}
	for i, m := range ms {
		if len(m.Cities) == 0 {
			continue
		}
		rest := strings.TrimLeft(after(s, m.End, 100), " \u00a0")
		if !strings.HasPrefix(rest, "(") {
			continue
		}
		open := m.End + strings.Index(after(s, m.End, 100), "(")
		end := strings.IndexByte(rest, ')')
		if end < 0 || end > 80 {
			end = min(len(rest), 80)
		}
		for j := i + 1; j < len(ms) && ms[j].Start < open+end; j++ {
			out[j] = true
		}
	}
	return out
}

// partOfName reports whether a mention opens a longer proper name
// (« Minato Mirai », « Seattle City Light », « Lisbon Cruise Terminals »):
// the next word, after one space, has a capital and joins no sentence.
func partOfName(s string, m gazetteer.Mention) bool {
	rest := after(s, m.End, 40)
	if !strings.HasPrefix(rest, " ") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest[1:])
	if !unicode.IsUpper(r) {
		return false
	}
	// « Lyon Le 3 mars » or « Paris Québec » in a list are not names; a
	// capitalised article or a place opens no name.
	next := strings.FieldsFunc(rest[1:], func(r rune) bool { return !unicode.IsLetter(r) })
	if len(next) == 0 {
		return false
	}
	switch fold(next[0]) {
	case "le", "la", "les", "l", "et", "du", "de", "des", "a", "en", "au":
		return false
	}
	return true
}

// homeCity finds the city the report is written from: the one set in
// Knowledge, else the city the report speaks from (« la Ville de X »,
// « départ de X », running headers), which is rarely the title's.
func homeCity(d *doc, k Knowledge) *gazetteer.City {
	g := k.Gazetteer
	if k.Home != "" {
		if c, ok := g.City(k.Home); ok {
			return &c
		}
		return nil
	}
	score := map[int]float64{}
	cities := map[int]gazetteer.City{}
	add := func(s string, w float64) {
		for _, m := range g.Scan(s) {
			if len(m.Cities) == 0 || m.Alias {
				continue
			}
			c := m.Cities[0]
			cities[c.ID] = c
			bonus := 0.0
			if homeBefore.MatchString(before(s, m.Start, 30)) {
				bonus = 2
			}
			score[c.ID] += w * (1 + bonus)
		}
	}
	add(d.text, 1)
	for _, h := range d.src.Headers {
		add(h, 3)
	}
	// The title and the file name name the destination, rarely the home.
	for _, s := range []string{d.title, titleCase(d.fileKey)} {
		for _, m := range g.Scan(s) {
			for _, c := range m.Cities {
				score[c.ID] -= 15
			}
		}
	}
	bestID, best := 0, 0.0
	for id, s := range score {
		if s > best || (s == best && id < bestID) {
			bestID, best = id, s
		}
	}
	if best < 5 {
		return nil
	}
	c := cities[bestID]
	return &c
}

// destinations finds where the delegation went, best first.
func destinations(d *doc, g *gazetteer.Gazetteer, home *gazetteer.City) []mission.Destination {
	countries := countriesNamed(d, g)
	places := map[int]*place{}
	order := 0
	add := func(s string, m gazetteer.Mention, w float64, strong bool) {
		c, confirmed := qualified(g, s, m, countries)
		if confirmed {
			w += wCountry
		}
		p := places[c.ID]
		if p == nil {
			p = &place{city: c, first: 1 << 30}
			places[c.ID] = p
		}
		p.score += w
		if strong && p.first > order {
			p.first = order
		}
		order++
	}
	scan := func(s string, w float64, strong bool) {
		ms := g.Scan(s)
		inside := qualifiers(s, ms)
		for i, m := range ms {
			if usable(s, m) && !inside[i] && !representedAt.MatchString(before(s, m.Start, 70)) {
				add(s, m, w, strong)
			}
		}
	}
	scan(d.title, wTitle, true)
	for i, l := range d.lines[:d.head] {
		if i == 0 && l.text == d.title {
			continue
		}
		w := float64(wHead)
		for _, s := range sentences(l.text) {
			if _, ok := bestSpan(parseDates(s)); ok {
				w = wHeadDate
			}
		}
		scan(l.text, w, true)
	}
	for _, l := range d.lines {
		if placeLine.MatchString(fold(l.text)) {
			scan(l.text, wPlace, true)
		}
	}
	scan(titleCase(d.fileKey), wFile, true)
	mentionCount := map[int]int{}
	ms := g.Scan(d.text)
	inside := qualifiers(d.text, ms)
	for i, m := range ms {
		if !usable(d.text, m) || inside[i] {
			continue
		}
		b := before(d.text, m.Start, 70)
		if representedAt.MatchString(b) {
			continue
		}
		if partOfName(d.text, m) {
			continue
		}
		c, _ := qualified(g, d.text, m, countries)
		w := 0.0
		if mentionCount[c.ID] < maxMentions {
			w = wMention
			mentionCount[c.ID]++
		}
		if tripBefore.MatchString(b) {
			w += wTrip
		}
		if w > 0 {
			add(d.text, m, w, false)
		}
	}
	var list []*place
	for _, p := range places {
		if home != nil && p.city.ID == home.ID {
			continue
		}
		list = append(list, p)
	}
	slices.SortFunc(list, func(a, b *place) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.first, b.first)
	})
	var out []mission.Destination
	for _, p := range list {
		if p.score < minScore || p.score < minShare*list[0].score || len(out) == maxPlaces {
			break
		}
		out = append(out, mission.Destination{City: p.city.Name, Country: p.city.Country})
	}
	// Keep the report's order among the chosen (« Anvers et Rotterdam »).
	slices.SortStableFunc(out, func(a, b mission.Destination) int {
		return cmp.Compare(firstOf(list, a.City), firstOf(list, b.City))
	})
	if len(out) == 0 {
		if c, ok := titleCountry(d, g); ok {
			out = append(out, mission.Destination{Country: c.Name})
		}
	}
	return out
}

func firstOf(list []*place, name string) int {
	for _, p := range list {
		if p.city.Name == name {
			return p.first
		}
	}
	return 1 << 30
}

// countriesNamed weighs the countries the report names, to settle which of
// several same-named cities it means.
func countriesNamed(d *doc, g *gazetteer.Gazetteer) map[string]float64 {
	out := map[string]float64{}
	for _, m := range g.Scan(d.title) {
		if m.Country != nil {
			out[m.Country.Code] += 5
		}
	}
	for _, m := range g.Scan(d.text) {
		if m.Country != nil {
			out[m.Country.Code]++
		}
	}
	return out
}

// titleCountry is the country a title or heading block names, for a mission
// to a country without a city (« Mission au Japon »).
func titleCountry(d *doc, g *gazetteer.Gazetteer) (gazetteer.Country, bool) {
	texts := []string{d.title}
	for _, l := range d.lines[:d.head] {
		texts = append(texts, l.text)
	}
	for _, s := range texts {
		for _, m := range g.Scan(s) {
			if m.Country != nil && len(m.Cities) == 0 {
				return *m.Country, true
			}
		}
	}
	return gazetteer.Country{}, false
}

// titleCase capitalises each word, so that a file name in lowercase
// (« mission_dakar_final ») can be scanned for names.
func titleCase(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if up && unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(r)
		}
		up = !unicode.IsLetter(r) && r != '\''
	}
	return b.String()
}
