package meta

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"escale/internal/gazetteer"
)

// Organisations are found two ways, both meant to be precise rather than
// complete (they feed a search facet): a name the report defines with its
// acronym (« Association internationale Villes et Ports (AIVP) »), and a
// name opened by a word that names an organisation (« Ville de Lisbonne »,
// « Ambassade du Canada au Portugal », « ministère des Relations
// internationales et de la Francophonie ») and carrying a proper name.

const maxOrganizations = 15

// orgHeads open an organisation's name.
var orgHeads = map[string]bool{
	"ville": true, "port": true, "universite": true, "ambassade": true, "consulat": true, "delegation": true,
	"bureau": true, "ministere": true, "office": true, "chambre": true, "musee": true, "bibliotheque": true,
	"agence": true, "association": true, "federation": true, "organisation": true, "commission": true,
	"conseil": true, "societe": true, "autorite": true, "administration": true, "region": true, "institut": true,
	"fondation": true, "communaute": true, "secretariat": true, "mairie": true, "union": true, "alliance": true,
	"reseau": true, "centre": true, "ecole": true, "college": true, "theatre": true, "cite": true,
	"camara": true, "ajuntament": true, "city": true, "university": true, "department": true,
	"gouvernement": true, "parlement": true, "banque": true, "groupe": true,
}

// orgAdjectives may follow a name's words in lowercase and stay in it
// (« Délégation générale », « Relations internationales »).
var orgAdjectives = wordSet(`
	general generale generaux internationale international internationales internationaux national nationale
	nationaux nationales municipal municipale municipaux municipales portuaire portuaires canadien canadienne
	canadiens canadiennes europeen europeenne europeens europeennes mondial mondiale mondiaux metropolitain
	metropolitaine federal federale regional regionale superieur superieure polytechnique publique public
	scientifique scientifiques francophone francophones franco quebecois quebecoise permanent permanente
	maritime maritimes libre hanseatique economique economiques culturel culturelle touristique durable
	mixte communs commun etrangers etrangeres exterieures unis unies`)

// orgNouns may sit in lowercase between a name's head and its proper name
// (« Office du tourisme de Québec »), never end it.
var orgNouns = wordSet(`
	tourisme commerce transport transports developpement relations affaires recherche jeunesse patrimoine
	civilisation civilisations congres technologie technologies innovation assainissement sante culture arts
	sciences environnement energie logement municipalites maires villes ports regions collectivites etudes
	droit communication industrie mobilite exportation investissements investissement hypotheques amenagement
	urbanisme ecologie climat eau eaux lieux memoire cooperation medecine art musique theatre danse projet
	projets tramway planification port administration`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// representations may name the place they sit in after « à », « au »
// (« Délégation générale du Québec à Bruxelles »).
var representations = wordSet("delegation bureau consulat ambassade mission representation antenne")

// connectors join the words of a name but neither start nor end it.
var connectors = wordSet("de du des d la le les l et a au aux pour sur en of the and for do da del dels y")

// internalUnits are the home administration's own units, not organisations
// met.
var internalUnits = []string{"bureau des relations", "service ", "division ", "direction ", "cabinet "}

type word struct {
	start, end int
	text, key  string
	upper      bool // capital initial
}

func splitWords(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if w && start < 0 {
			start = i
		}
		if !w && start >= 0 {
			out = append(out, newWord(s, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, newWord(s, start, len(s)))
	}
	return out
}

func newWord(s string, i, j int) word {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return word{start: i, end: j, text: s[i:j], key: fold(s[i:j]), upper: unicode.IsUpper(r)}
}

// joined reports whether only spaces, hyphens and apostrophes separate two
// words, so that they may belong to one name.
func joined(s string, a, b word) bool {
	gap := s[a.end:b.start]
	return len(gap) <= 4 && strings.Trim(gap, " \u00a0-’'") == ""
}

// acronym reports whether w is an acronym: two or more capitals, mostly
// capitals (« AIVP », « MuCEM », « MassBio »).
func acronym(w string) bool {
	up, n := 0, 0
	for _, r := range w {
		n++
		if unicode.IsUpper(r) {
			up++
		}
	}
	return up >= 2 && n <= 10 && up*2 >= n
}

// initials of an acronym, lowercase and folded.
func initials(acr string) string {
	var b strings.Builder
	for _, r := range fold(acr) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// definedAcronyms finds « Long name (ACR) » in s, whose words are ws, and
// returns ACR → long name.
func definedAcronyms(s string, ws []word) map[string]string {
	out := map[string]string{}
	for i := 1; i < len(ws); i++ {
		a := ws[i]
		if !acronym(a.text) || a.start == 0 || s[a.start-1] != '(' || !strings.HasPrefix(s[a.end:], ")") {
			continue
		}
		if _, ok := out[a.text]; ok {
			continue
		}
		if name := longName(s, ws[:i], a.text, a.start-1); name != "" {
			out[a.text] = name
		}
	}
	return out
}

// longName finds, among the words just before an acronym (whose « ( » is at
// byte open), the name whose
// significant words' initials spell it, allowing a few words the acronym
// skips (« Musée des civilisations de l’Europe et de la Méditerranée »).
func longName(s string, before []word, acr string, open int) string {
	want := initials(acr)
	if len(want) < 2 {
		return ""
	}
	end := len(before)
	// The parenthesis follows the name after a space: « Ports (AIVP) ».
	if end == 0 || before[end-1].end > open || strings.TrimSpace(s[before[end-1].end:open]) != "" {
		return ""
	}
	for n := 1; n <= min(14, end); n++ {
		first := before[end-n]
		if n > 1 && !joined(s, first, before[end-n+1]) {
			break
		}
		if !first.upper || connectors[first.key] {
			continue
		}
		var got strings.Builder
		for _, w := range before[end-n:] {
			if !connectors[w.key] {
				got.WriteByte(w.key[0])
			}
		}
		if got.String() == want {
			return strings.TrimSpace(s[first.start:before[end-1].end])
		}
	}
	return ""
}

// headed finds names opened by an organisation word and carrying a proper
// name in s, whose words are ws: « Ville de Lisbonne », « Hamburg Port
// Authority ».
func headed(s string, ws []word) []string {
	var out []string
	for i := 0; i < len(ws); i++ {
		h := ws[i]
		if !orgHeads[h.key] || !h.upper && h.key != "ministere" {
			continue
		}
		if i+1 < len(ws) && strings.Trim(s[h.end:ws[i+1].start], " \u00a0") != "" && !strings.ContainsAny(s[h.end:ws[i+1].start], "’'") {
			continue // « Ville-Port »: a compound, not a name
		}
		last, proper := i, false
		for j := i + 1; j < len(ws) && j-i <= 12 && joined(s, ws[j-1], ws[j]); j++ {
			w, prev := ws[j], ws[j-1]
			switch {
			case w.upper && !connectors[w.key]:
				last, proper = j, true
				continue
			case orgAdjectives[w.key] && j == last+1:
				last = j
				continue
			case orgNouns[w.key]:
				continue
			case w.key == "et":
				// « Relations internationales et de la Francophonie », not
				// « Ville de Québec et la Ville de Liège ».
				if j+1 < len(ws) && (ws[j+1].key == "de" || ws[j+1].key == "d") {
					continue
				}
			case w.key == "a" || w.key == "au" || w.key == "aux" || w.key == "en":
				if representations[h.key] && prev.upper {
					continue
				}
			case connectors[w.key]:
				continue
			}
			break
		}
		if !proper {
			continue
		}
		first := i
		// English names put the proper name first: « Hamburg Port Authority ».
		for k := i - 1; k >= 0 && k >= i-3 && ws[k].upper && !connectors[ws[k].key] && joined(s, ws[k], ws[k+1]) && last > i; k-- {
			if s[ws[k].end:ws[k+1].start] != " " || orgHeads[ws[k].key] {
				break
			}
			first = k
		}
		out = append(out, s[ws[first].start:ws[last].end])
		i = last
	}
	return out
}

// organizations returns the report's main organisations, most cited first.
func organizations(d *doc, home *gazetteer.City) []string {
	// Each text is split into words once, for both ways.
	type passage struct {
		s  string
		ws []word
	}
	var passages []passage
	add := func(s string) { passages = append(passages, passage{s, splitWords(s)}) }
	for _, o := range d.m.Objectives {
		add(o.Text)
	}
	for _, o := range d.m.Outcomes {
		if o.Title != nil {
			add(*o.Title)
		}
		add(o.Text)
	}
	text := passage{d.text, splitWords(d.text)}
	acr := definedAcronyms(text.s, text.ws)
	for _, p := range passages {
		for k, v := range definedAcronyms(p.s, p.ws) {
			if _, ok := acr[k]; !ok {
				acr[k] = v
			}
		}
	}
	long := map[string]string{} // folded long name → acronym
	for a, n := range acr {
		long[fold(n)] = a
	}
	canon := func(name string) string {
		f := fold(name)
		if a, ok := long[f]; ok {
			return acr[a] + " (" + a + ")"
		}
		// « Association internationale Villes » cut at « et Ports ».
		best := ""
		for l := range long {
			if strings.HasPrefix(l, f+" ") && (best == "" || len(l) < len(best) || len(l) == len(best) && l < best) {
				best = l
			}
		}
		if best != "" {
			return acr[long[best]] + " (" + long[best] + ")"
		}
		return name
	}
	score := map[string]float64{}
	firstSeen := map[string]int{}
	order := 0
	count := func(p passage, w float64) {
		var names []string
		for _, n := range headed(p.s, p.ws) {
			names = append(names, canon(n))
		}
		for _, x := range p.ws {
			if n, ok := acr[x.text]; ok {
				names = append(names, n+" ("+x.text+")")
			}
		}
		for _, n := range names {
			if !keepOrg(n, home) {
				continue
			}
			score[n] += w
			if _, ok := firstSeen[n]; !ok {
				firstSeen[n] = order
				order++
			}
		}
	}
	for _, p := range passages {
		count(p, 2)
	}
	count(text, 1)
	var out []string
	for n, s := range score {
		// Named once in passing in the text only: not a main organisation.
		if s >= 2 {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		return cmp.Compare(firstSeen[a], firstSeen[b])
	})
	if len(out) > maxOrganizations {
		out = out[:maxOrganizations]
	}
	return out
}

func keepOrg(name string, home *gazetteer.City) bool {
	f := fold(name)
	for _, u := range internalUnits {
		if strings.HasPrefix(f, u) {
			return false
		}
	}
	if home != nil {
		h := gazetteer.Fold(home.Name)
		if g := gazetteer.Fold(name); g == "ville de "+h || g == "ville d "+h || g == "city of "+h {
			return false
		}
	}
	return true
}
