package meta

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"sync"
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
	// What the fallback weighs when no city has enough evidence.
	mentions int  // the text's mentions of the city
	event    bool // an event was held there (« s'est tenue à Nice »)
	notCity  bool // the text also writes the name as a river's or a region's
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
	placeLine = lazyRegexp(`^\W*(lieux?|destinations?|villes? visitees?|endroits?)( de la mission| visites?)?\s*:`)
	// tripBefore precedes a destination in a sentence (« mission à »,
	// « arrivée à », « séjour à »).
	tripBefore = lazyEndRegexp(`(mission|sejour|deplacement|arrivee|arrive|arrives|arrivees|visite|voyage|escale|delegation|rendue?s?|rendus|depart pour|direction|vol pour|vol vers|train pour|passage)( [\w']+){0,3} (a|au|en|vers|de|d') ?$`)
	// tripNext joins a destination to the one before it (« à Anvers puis à
	// Rotterdam », « à Dakar et à Virginia Beach »).
	tripNext = lazyRegexp(`^\s*(,|et|puis|ainsi qu'a|ainsi qu'au|, puis|, et)\s*(a|au|aux|en)?\s*$`)
	// representedAt precedes the city of an office that represents a third
	// party abroad (« Bureau du Québec à Barcelone », « Consulat général du
	// Canada à Boston »): the office is met, its city is not a destination.
	representedAt = lazyEndRegexp(`(bureau|delegation|consulat|ambassade|representation|mission permanente|mission du|attache|attachee|antenne)\b[^.;:()]{0,45}\b(a|au|aux) $`)
	// regionOf precedes a region's name (« État de Washington »).
	regionOf = lazyEndRegexp(`\b(etat|province|region|comte|canton|departement|district|territoire|ile|iles|prefecture|land|oblast)( \w+)? (de|du|d'|des) ?$`)
	// nameOf precedes a person's name used in an organisation's
	// (« Université Laval », « rue Saint-Jean »).
	nameOf = lazyEndRegexp(`\b(universite|college|lycee|ecole|institut|rue|avenue|boulevard|chemin|route|autoroute|place|pont|station|gare|terminal|quai|parc|musee|fondation|prix|salle|centre|pavillon|stade|hotel|hopital|chateau|eglise|cathedrale|basilique|chapelle|paroisse|quartier|secteur|arrondissement|marche|lac|fleuve|riviere|canal|golfe|estuaire|detroit|vallee|mont|cap|baie) $`)
	// articleBefore precedes a river, a region or a country, never a city
	// whose name holds no article: « le Saint-Laurent », « du Québec », « au
	// Japon », « en Californie » (« au Havre » is « Le Havre »).
	articleBefore = lazyEndRegexp(`(^|[^\pL])(le|la|les|l'|au|aux|du|des|en) ?$`)
	// transitBefore precedes a city the delegation only passed through
	// (« via Paris », « correspondance à Francfort », « l'aéroport de
	// Santiago »).
	transitBefore = lazyEndRegexp(`(^|[^\pL])(via|transit|transite|en transit (a|au|par)|transit (a|au|par)|correspondances? (a|au|vers|pour|de|d')|escale technique (a|au)|aeroports?( international)? (de|d'))\s?$`)
	// eventBefore precedes the city where an event was held (« la
	// conférence s'est tenue à Nice », « a eu lieu du 9 au 13 juin à
	// Nice », « accueilli par la Ville de Nice »).
	eventBefore = lazyEndRegexp(`(\b(s'est|se sont|s'etait|s'etaient) (tenu|deroule)e?s?|\bse (tenait|tenaient|tient|tiendra|deroulait|deroulaient|deroule|deroulera)|\b(a|ont|avait|avaient|aura) eu lieu|\b(a|avait|aura) lieu|\borganisee?s?)([ ,]+[\w'’-]+){0,6}[ ,]+(a|au) $|\baccueillie?s? par (la ville|la municipalite|la metropole|le maire|la mairie) (de |d')$`)
	// homeBefore precedes the home city (« Ville de Québec », « départ de
	// Québec »).
	homeBefore = lazyEndRegexp(`(ville de|ville d'|depart de|retour a|de retour a|retour vers|mairie de|maire de|conseil municipal de|region de) ?$`)
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
	if regionOf().MatchString(b) || nameOf().MatchString(b) {
		return false
	}
	c := m.Cities[0]
	if articleBefore().MatchString(b) && !hasArticle(c.Name) {
		return false
	}
	// A name that is also a common French word (« Tours ») counts only for
	// notable places, and an alias (« Lisboa ») only for them too.
	if (c.CommonWord || m.Alias) && !c.Notable {
		return false
	}
	return true
}

// hasArticle reports whether a city's name opens on an article (« Le
// Havre », « La Nouvelle-Orléans », « L'Aquila »).
func hasArticle(name string) bool {
	f := gazetteer.Fold(name)
	for _, a := range []string{"le ", "la ", "les ", "l "} {
		if strings.HasPrefix(f, a) {
			return true
		}
	}
	return false
}

// transit reports whether a mention names a city the delegation passed
// through.
func transit(s string, m gazetteer.Mention) bool {
	return transitBefore().MatchString(before(s, m.Start, 40))
}

// qualified returns the candidate city a mention means, using a country or
// a region written right after it (« Valence (Espagne) », « Boston,
// États-Unis », « Londres (Ontario) »), and whether that qualifier confirmed
// it.
func qualified(g *gazetteer.Gazetteer, s string, m gazetteer.Mention, countries map[string]float64) (gazetteer.City, bool) {
	for _, code := range qualifierCountries(g, s, m) {
		for _, c := range m.Cities {
			if c.CountryCode == code {
				return c, true
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

// qualifierCountries returns the countries that the words right after a
// mention name: everything in the parentheses that follow it, or the first
// name after a comma (« Portland (Maine) », « Halifax, Nouvelle-Écosse »).
func qualifierCountries(g *gazetteer.Gazetteer, s string, m gazetteer.Mention) []string {
	t := strings.TrimLeft(after(s, m.End, 80), " \u00a0")
	var scope string
	switch {
	case strings.HasPrefix(t, "("):
		scope = t[1:]
		if i := strings.IndexByte(scope, ')'); i >= 0 {
			scope = scope[:i]
		}
	case strings.HasPrefix(t, ","):
		scope = t[1:]
	default:
		return nil
	}
	var out []string
	for i, cm := range g.Scan(scope) {
		if t[0] == ',' && (i > 0 || strings.TrimSpace(scope[:cm.Start]) != "") {
			break
		}
		if cm.Country != nil {
			out = append(out, cm.Country.Code)
		}
		for _, r := range cm.Regions {
			out = append(out, r.CountryCode)
		}
	}
	return out
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
// Knowledge when the gazetteer knows it, else the city the report speaks
// from (« la Ville de X », « départ de X », running headers), which is
// rarely the title's.
func homeCity(d *doc, k Knowledge) *gazetteer.City {
	g := k.Gazetteer
	if k.Home != "" {
		if c, ok := g.City(k.Home); ok {
			return &c
		}
		// A name the gazetteer does not know (the command line refuses it):
		// detect the home city as if none were set.
	}
	score := map[int]float64{}
	cities := map[int]gazetteer.City{}
	add := func(s string, ms []gazetteer.Mention, w float64) {
		for _, m := range ms {
			if len(m.Cities) == 0 || m.Alias {
				continue
			}
			c := m.Cities[0]
			cities[c.ID] = c
			bonus := 0.0
			if homeBefore().MatchString(before(s, m.Start, 30)) {
				bonus = 2
			}
			score[c.ID] += w * (1 + bonus)
		}
	}
	add(d.text, d.textPlaces, 1)
	for _, h := range d.src.Headers {
		add(h, g.Scan(h), 3)
	}
	// The title, the file name, the heading block's dated line and a
	// « Lieu : » line name the destination, rarely the home, unless as the
	// sender (« Mission de la Ville de Sherbrooke à Lyon »).
	named := []string{d.title, titleCase(d.fileKey)}
	for _, l := range d.datedTopLines() {
		named = append(named, l.text)
	}
	for _, l := range d.lines {
		if placeLine().MatchString(fold(l.text)) {
			named = append(named, l.text)
		}
	}
	for _, s := range named {
		for _, m := range g.Scan(s) {
			if homeBefore().MatchString(before(s, m.Start, 30)) {
				continue
			}
			for _, c := range m.Cities {
				delete(score, c.ID) // however often the report names it
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

// destinations finds where the delegation went, in the report's order.
// year is the trip's year, 0 when unknown.
func destinations(d *doc, g *gazetteer.Gazetteer, home *gazetteer.City, year *int) []mission.Destination {
	list := rankPlaces(d, g, home, year)
	var chosen []*place
	for _, p := range list {
		if p.score < minScore || p.score < minShare*list[0].score || len(chosen) == maxPlaces {
			break
		}
		chosen = append(chosen, p)
	}
	// Keep the report's order among the chosen (« Anvers et Rotterdam »).
	slices.SortStableFunc(chosen, func(a, b *place) int { return cmp.Compare(a.first, b.first) })
	var out []mission.Destination
	for _, p := range chosen {
		out = append(out, mission.Destination{City: p.city.Name, Country: p.city.Country})
	}
	if len(out) > 0 {
		return out
	}
	country, hasCountry := titleCountry(d, g)
	if p := fallbackPlace(list, home); p != nil && (!hasCountry || p.city.Country == country.Name) {
		return []mission.Destination{{City: p.city.Name, Country: p.city.Country}}
	}
	if hasCountry {
		return []mission.Destination{{Country: country.Name}}
	}
	return nil
}

// fallbackPlace is the destination of a report whose title, heading block,
// file name and trip sentences name none: the city where the event the
// delegation attended was held, else the foreign city the report names most
// when it is clearly ahead of the others, or nil. A name the report also
// writes as a river's or a region's (« le Saint-Laurent ») is not one.
func fallbackPlace(list []*place, home *gazetteer.City) *place {
	var events, named []*place
	for _, p := range list {
		if p.notCity {
			continue
		}
		if p.event {
			events = append(events, p)
		}
		if p.mentions > 0 {
			named = append(named, p)
		}
	}
	byMentions := func(a, b *place) int {
		if c := cmp.Compare(b.mentions, a.mentions); c != 0 {
			return c
		}
		return cmp.Compare(a.city.Name, b.city.Name)
	}
	// Several events (the conference and a side event at Monaco): the one
	// where the report keeps returning.
	slices.SortStableFunc(events, byMentions)
	if len(events) == 1 || len(events) > 1 && clearlyAhead(events[0].mentions, events[1].mentions) {
		return events[0]
	}
	slices.SortStableFunc(named, byMentions)
	if len(named) == 0 || named[0].mentions < minNamed {
		return nil
	}
	if home != nil && named[0].city.CountryCode == home.CountryCode {
		return nil // a city at home named often is a partner, not a trip
	}
	if len(named) > 1 && !clearlyAhead(named[0].mentions, named[1].mentions) {
		return nil
	}
	return named[0]
}

// minNamed is how often the report must name a city for the fallback to take
// it for the destination on its mentions alone.
const minNamed = 3

// clearlyAhead reports whether a count is at least twice the next one.
func clearlyAhead(first, second int) bool {
	return first >= 2*second
}

// rankPlaces weighs the evidence that the delegation went to each city the
// report names, best first: one place per name (two cities called Halifax
// are one mention read two ways), never the home city.
func rankPlaces(d *doc, g *gazetteer.Gazetteer, home *gazetteer.City, year *int) []*place {
	countries := countriesNamed(d, g)
	places := map[string]*place{} // by folded name
	order := 0
	add := func(s string, m gazetteer.Mention, w float64, strong bool) {
		c, confirmed := qualified(g, s, m, countries)
		if confirmed {
			w += wCountry
		}
		k := gazetteer.Fold(c.Name)
		p := places[k]
		if p == nil {
			p = &place{city: c, first: 1 << 30}
			places[k] = p
		}
		if confirmed && p.city.ID != c.ID {
			p.city = c // a qualified mention settles which city the name means
		}
		p.score += w
		if strong && p.first > order {
			p.first = order
		}
		order++
	}
	candidate := func(s string, m gazetteer.Mention, inside bool) bool {
		return usable(s, m) && !inside && !transit(s, m) && !representedAt().MatchString(before(s, m.Start, 70))
	}
	scan := func(s string, w float64) {
		ms := g.Scan(s)
		inside := qualifiers(s, ms)
		for i, m := range ms {
			if candidate(s, m, inside[i]) {
				add(s, m, w, true)
			}
		}
	}
	scan(d.title, wTitle)
	for i, l := range d.lines[:d.head] {
		if i == 0 && l.text == d.title {
			continue
		}
		if signedLine(l.text) {
			continue // where and when the report was signed, not the trip
		}
		w := float64(wHead)
		for _, s := range sentences(l.text) {
			if _, ok := bestSpan(parseDates(s)); ok {
				w = wHeadDate
			}
		}
		scan(l.text, w)
	}
	// A dated line just after a heading block that ended early (on a
	// subtitle) still says where the trip went.
	for _, l := range d.datedTopLines() {
		if d.head < len(d.lines) && l.start >= d.lines[d.head].start {
			scan(l.text, wHeadDate)
		}
	}
	for _, l := range d.lines {
		if placeLine().MatchString(fold(l.text)) {
			scan(l.text, wPlace)
		}
	}
	mentionCount := map[string]int{}
	named := map[string]int{}    // mentions of each name, uncapped
	held := map[string]bool{}    // names where an event was held
	notCity := map[string]bool{} // names written as a river's or a region's
	ms := d.textPlaces
	inside := qualifiers(d.text, ms)
	lastTrip := -1 // end of the last mention the trip went to
	for i, m := range ms {
		if len(m.Cities) > 0 && !hasArticle(m.Cities[0].Name) {
			if b := before(d.text, m.Start, 60); articleBefore().MatchString(b) || regionOf().MatchString(b) {
				notCity[gazetteer.Fold(m.Cities[0].Name)] = true
			}
		}
		if !candidate(d.text, m, inside[i]) || partOfName(d.text, m) {
			continue
		}
		c, _ := qualified(g, d.text, m, countries)
		k := gazetteer.Fold(c.Name)
		named[k]++
		if eventBefore().MatchString(before(d.text, m.Start, 90)) && eventThisYear(sentenceAt(d.text, m.Start), year) {
			held[k] = true
		}
		w := 0.0
		if mentionCount[k] < maxMentions {
			w = wMention
			mentionCount[k]++
		}
		if tripBefore().MatchString(before(d.text, m.Start, 70)) ||
			lastTrip >= 0 && m.Start-lastTrip < 20 && tripNext().MatchString(fold(d.text[lastTrip:m.Start])) {
			w += wTrip
			if _, ok := bestSpan(parseDates(sentenceAt(d.text, m.Start))); ok {
				// « La mission s'est déroulée à Dakar et à Virginia Beach
				// du 7 au 13 novembre »: the trip's own sentence.
				w += wHeadDate - wTrip
			}
			lastTrip = m.End
		}
		if w > 0 || held[k] {
			add(d.text, m, w, false)
		}
	}
	for k, p := range places {
		p.mentions, p.event, p.notCity = named[k], held[k], notCity[k]
	}
	// A word of the file name is weak evidence: it counts for a city the
	// report names too (« nola-tricentenaire.md » names no city Nola).
	fileKey := titleCase(d.fileKey)
	for _, m := range g.Scan(fileKey) {
		if !usable(fileKey, m) {
			continue
		}
		if p := places[gazetteer.Fold(m.Cities[0].Name)]; p != nil && p.score > 0 {
			add(fileKey, m, wFile, true)
		}
	}
	var list []*place
	for k, p := range places {
		if home != nil && (p.city.ID == home.ID || k == gazetteer.Fold(home.Name)) {
			continue
		}
		list = append(list, p)
	}
	slices.SortFunc(list, func(a, b *place) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.first, b.first); c != 0 {
			return c
		}
		return cmp.Compare(a.city.Name, b.city.Name)
	})
	return list
}

// eventThisYear reports whether a sentence about an event can be about the
// trip's: it names no year, or the trip's (« le premier forum s'est tenu à
// Lisbonne en 2017 » is not this year's).
func eventThisYear(sentence string, year *int) bool {
	y := yearIn(sentence)
	return y == 0 || year == nil || y == *year
}

// datedTopLines are the short lines among the report's first that give a
// date (« Amsterdam (Pays-Bas), 6 au 11 septembre 2019 »), besides the
// title and the lines that date the report itself; after the heading block,
// only lines that read like headings, not sentences.
func (d *doc) datedTopLines() []line {
	var out []line
	for i, l := range d.lines[:min(len(d.lines), headMost)] {
		if len(l.text) >= 120 || l.text == d.title || signedLine(l.text) {
			continue
		}
		if i >= d.head && (len(l.text) >= 90 || strings.HasSuffix(l.text, ".")) {
			continue
		}
		if _, ok := bestSpan(parseDates(l.text)); ok {
			out = append(out, l)
		}
	}
	return out
}

// signedLine reports whether a line dates the report itself: a letter's
// dateline (« Québec, le 4 décembre 1998 ») or a « Préparé par … » line.
func signedLine(text string) bool {
	f := fold(text)
	return letterDate().MatchString(f) || writingLine().MatchString(f)
}

// sentenceAt returns the sentence of text around byte offset i, within its
// line and at most 300 bytes each side (a long text stays linear to read).
func sentenceAt(text string, i int) string {
	const most = 300
	lo := max(0, i-most)
	for lo < i && !utf8.RuneStart(text[lo]) {
		lo++
	}
	hi := min(len(text), i+most)
	for hi > i && hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi--
	}
	start := lo + strings.LastIndexAny(text[lo:i], ".;!?\n") + 1
	end := strings.IndexAny(text[i:hi], ".;!?\n")
	if end < 0 {
		end = hi - i
	}
	return text[start : i+end]
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
	for _, m := range d.textPlaces {
		if m.Country != nil {
			out[m.Country.Code]++
		}
		if len(m.Cities) == 0 {
			// A region names its country (« en Californie »).
			for _, r := range m.Regions {
				if !r.CommonWord {
					out[r.CountryCode]++
				}
			}
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

// lazyRegexp returns a regular expression compiled the first time it is
// asked for: every process of the binary links this package (the parent of
// each extraction, the server), only extraction children run it.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
