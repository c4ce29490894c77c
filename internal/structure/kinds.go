package structure

import (
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
	{mission.KindObjectives, "intentions"},

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
	{mission.KindOutcomes, "apport*"},
	{mission.KindOutcomes, "avancees"},
	{mission.KindOutcomes, "points forts"},
	{mission.KindOutcomes, "enseignements"},
	{mission.KindOutcomes, "succes"},
	{mission.KindOutcomes, "livrables"},

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

// keywordWords are sectionWords split into words, as headings are.
var keywordWords = func() [][]string {
	out := make([][]string, len(sectionWords))
	for i, k := range sectionWords {
		out[i] = splitWords(k.word)
	}
	return out
}()

// splitWords cuts folded text into words at anything but letters, digits
// and the "*" of a keyword.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*'
	})
}

// fillers are the words a heading may put before its section word:
// « Aperçu des principales retombées », « Nos objectifs », « Actions de
// suivi ». Any other word first (« Assurer le suivi des ententes », « Mission
// de suivi à Lisbonne ») means the section word is part of a sentence or a
// name, not what the heading announces.
var fillers = map[string]bool{
	"apercu": true, "principales": true, "principaux": true, "principal": true, "principale": true,
	"les": true, "des": true, "de": true, "du": true, "la": true, "le": true, "l": true, "d": true,
	"nos": true, "notre": true, "quelques": true, "bref": true, "breve": true, "synthese": true,
	"grands": true, "grandes": true, "autres": true, "premiers": true, "premieres": true,
	"et": true, "en": true, "pistes": true, "actions": true, "mesures": true, "etat": true,
	"sommaire": true, "resume": true, "tableau": true, "vue": true, "ensemble": true, "d'ensemble": true,
}

// findKeyword returns the word position of the section word that names a
// folded heading and its kind; pos is -1 when there is none. Only fillers
// and other section words may come before it. When a heading holds several
// (« Contexte et objectifs », « Conclusion et retombées »), objectives and
// outcomes win: they are what the record looks for in it; else the first.
func findKeyword(words []string) (pos int, kind string) {
	pos = -1
	for i := 0; i < len(words); {
		at, k, n := -1, "", 0
		for j, kw := range keywordWords {
			if len(kw) > len(words)-i || len(kw) <= n {
				continue
			}
			if matchWords(words[i:], kw) {
				at, k, n = i, sectionWords[j].kind, len(kw)
			}
		}
		switch {
		case at >= 0 && (k == mission.KindObjectives || k == mission.KindOutcomes):
			return at, k
		case at >= 0:
			if pos < 0 {
				pos, kind = at, k
			}
			i += n
		case fillers[words[i]]:
			i++
		default:
			return pos, kind
		}
	}
	return pos, kind
}

func matchWords(words, kw []string) bool {
	for j, w := range kw {
		if prefix, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(words[j], prefix) {
				return false
			}
		} else if words[j] != w {
			return false
		}
	}
	return true
}

// headingKind names the kind of section a heading opens, or "" when its
// words say nothing.
func headingKind(heading string) string {
	_, kind := findKeyword(splitWords(fold(stripNumbering(heading))))
	return kind
}

var numberingRE = lazyRegexp(`^\s*(?:(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}|[A-Za-z])\s*[.)\-–—:]?\s+|[•·▪■●◦\-–—*]\s+)`)

// stripNumbering removes « 1. », « II – », « A) » or a bullet before a heading.
func stripNumbering(s string) string {
	s = strings.TrimSpace(s)
	if m := numberingRE().FindString(s); m != "" && len(m) < len(s) {
		s = s[len(m):]
	}
	return strings.TrimSpace(strings.TrimRight(s, " :\u00a0"))
}

var foldReplacer = strings.NewReplacer("’", "'", "\u00a0", " ", "\u202f", " ", "œ", "oe", "æ", "ae")

// fold lowercases and strips accents, and unifies apostrophes and spaces.
func fold(s string) string {
	s = strings.ToLower(s)
	s = foldReplacer.Replace(s)
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
