package structure

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"escale/internal/mission"
)

// keyword is a word or phrase that names a kind of section when a heading
// holds it, written folded (lowercase, no accents). A trailing "*" matches
// any ending (« retombée* » for « retombées »).
type keyword struct {
	kind string
	word string
}

// sectionWords is the French vocabulary of mission-report headings, with the
// variants reports use. When a heading holds several, the first one wins
// (« Bilan financier » is costs, « Suivis et prochaines étapes » follow-up);
// at the same place, the longer phrase wins.
var sectionWords = []keyword{
	{mission.KindObjectives, "objectif*"},
	{mission.KindObjectives, "buts"},
	{mission.KindObjectives, "but de*"},
	{mission.KindObjectives, "but du"},
	{mission.KindObjectives, "but poursuivi"},
	{mission.KindObjectives, "finalite*"},
	{mission.KindObjectives, "visees"},
	{mission.KindObjectives, "mandat*"},
	{mission.KindObjectives, "raison d'etre"},
	{mission.KindObjectives, "attentes"},

	{mission.KindOutcomes, "retombee*"},
	{mission.KindOutcomes, "resultat*"},
	{mission.KindOutcomes, "faits saillants"},
	{mission.KindOutcomes, "fait saillant"},
	{mission.KindOutcomes, "points saillants"},
	{mission.KindOutcomes, "faits marquants"},
	{mission.KindOutcomes, "bilan*"},
	{mission.KindOutcomes, "constat*"},
	{mission.KindOutcomes, "acquis"},
	{mission.KindOutcomes, "gains"},
	{mission.KindOutcomes, "benefice*"},
	{mission.KindOutcomes, "impact*"},
	{mission.KindOutcomes, "realisations"},
	{mission.KindOutcomes, "principales realisations"},
	{mission.KindOutcomes, "apprentissages"},
	{mission.KindOutcomes, "lecons*"},
	{mission.KindOutcomes, "ce que nous retenons"},
	{mission.KindOutcomes, "ce qu'il faut retenir"},
	{mission.KindOutcomes, "faits et gestes"},

	{mission.KindContext, "contexte"},
	{mission.KindContext, "mise en contexte"},
	{mission.KindContext, "rappel*"},
	{mission.KindContext, "historique"},
	{mission.KindContext, "introduction"},
	{mission.KindContext, "preambule"},
	{mission.KindContext, "mise en situation"},
	{mission.KindContext, "origine*"},
	{mission.KindContext, "justification"},
	{mission.KindContext, "enjeux"},
	{mission.KindContext, "description de la mission"},
	{mission.KindContext, "presentation de la mission"},

	{mission.KindProgram, "programme*"},
	{mission.KindProgram, "deroulement*"},
	{mission.KindProgram, "itineraire*"},
	{mission.KindProgram, "horaire*"},
	{mission.KindProgram, "calendrier*"},
	{mission.KindProgram, "agenda*"},
	{mission.KindProgram, "activites"},
	{mission.KindProgram, "emploi du temps"},
	{mission.KindProgram, "rencontres"},
	{mission.KindProgram, "principales rencontres"},
	{mission.KindProgram, "visites"},
	{mission.KindProgram, "sejour"},

	{mission.KindDelegation, "delegation*"},
	{mission.KindDelegation, "participants"},
	{mission.KindDelegation, "composition*"},
	{mission.KindDelegation, "membres de la delegation"},
	{mission.KindDelegation, "representants de la ville"},

	{mission.KindFollowup, "suivi*"},
	{mission.KindFollowup, "suite*"},
	{mission.KindFollowup, "prochaines etapes"},
	{mission.KindFollowup, "etapes a venir"},
	{mission.KindFollowup, "recommandation*"},
	{mission.KindFollowup, "actions a venir"},
	{mission.KindFollowup, "actions a poser"},
	{mission.KindFollowup, "perspectives"},
	{mission.KindFollowup, "pistes d'action"},
	{mission.KindFollowup, "engagements"},
	{mission.KindFollowup, "plan d'action"},
	{mission.KindFollowup, "a faire"},

	{mission.KindCosts, "cout*"},
	{mission.KindCosts, "budget*"},
	{mission.KindCosts, "depense*"},
	{mission.KindCosts, "frais"},
	{mission.KindCosts, "bilan financier"},
	{mission.KindCosts, "financement"},
	{mission.KindCosts, "ventilation"},

	{mission.KindOther, "conclusion*"},
	{mission.KindOther, "remerciement*"},
	{mission.KindOther, "annexe*"},
	{mission.KindOther, "signature*"},
	{mission.KindOther, "redige par"},
	{mission.KindOther, "prepare par"},
	{mission.KindOther, "approbation"},
	{mission.KindOther, "liste des*"},
	{mission.KindOther, "personnes rencontrees"},
	{mission.KindOther, "interlocuteurs"},
	{mission.KindOther, "contacts"},
	{mission.KindOther, "references"},
	{mission.KindOther, "pieces jointes"},
	{mission.KindOther, "sommaire"},
	{mission.KindOther, "resume"},
	{mission.KindOther, "table des matieres"},
}

// keywordREs are sectionWords compiled to whole-word patterns.
var keywordREs = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(sectionWords))
	for i, k := range sectionWords {
		w := regexp.QuoteMeta(strings.TrimSuffix(k.word, "*"))
		if strings.HasSuffix(k.word, "*") {
			w += `\w*`
		}
		out[i] = regexp.MustCompile(`(?:^|[^\w])(` + w + `)(?:$|[^\w])`)
	}
	return out
}()

// headingKind names the kind of section a heading opens, or "" when its
// words say nothing.
func headingKind(heading string) string {
	f := fold(stripNumbering(heading))
	best, bestPos, bestLen := "", len(f)+1, 0
	for i, re := range keywordREs {
		m := re.FindStringSubmatchIndex(f)
		if m == nil {
			continue
		}
		pos, n := m[2], m[3]-m[2]
		if pos < bestPos || (pos == bestPos && n > bestLen) {
			best, bestPos, bestLen = sectionWords[i].kind, pos, n
		}
	}
	return best
}

var numberingRE = regexp.MustCompile(`^\s*(?:(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}|[A-Za-z])\s*[.)\-–—:]?\s+|[•·▪■●◦\-–—*]\s+)`)

// stripNumbering removes « 1. », « II – », « A) » or a bullet before a heading.
func stripNumbering(s string) string {
	s = strings.TrimSpace(s)
	if m := numberingRE.FindString(s); m != "" && len(m) < len(s) {
		s = s[len(m):]
	}
	return strings.TrimSpace(strings.TrimRight(s, " :\u00a0"))
}

// fold lowercases and strips accents, and unifies apostrophes and spaces.
func fold(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("’", "'", "\u00a0", " ", "\u202f", " ", "œ", "oe", "æ", "ae").Replace(s)
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
