package structure

import (
	"strings"
	"unicode"
)

// splitBoldLead separates a paragraph body into its bold run-in title and
// the rest, when the bold run is followed by text of its own.
func splitBoldLead(body, lead string) (title, rest string, ok bool) {
	if lead == "" || !strings.HasPrefix(body, lead) {
		return "", "", false
	}
	rest = strings.TrimSpace(body[len(lead):])
	rest = strings.TrimLeft(rest, ".:–—- \u00a0")
	if len(strings.Fields(rest)) < 2 {
		return "", "", false
	}
	title = trimTitle(lead)
	if title == "" {
		return "", "", false
	}
	return title, rest, true
}

// trimTitle drops the punctuation that ends a run-in title.
func trimTitle(s string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ".:–—- \u00a0"))
}

// leadSepRE finds where a run-in title ends in plain text: « . » before a
// new sentence, « : », or a spaced dash.
var leadSepRE = lazyRegexp(`\.\s+[«"“(]?[\p{Lu}\d]|\s?:\s+|\s[–—-]\s+`)

// splitTextLead finds, in a plain-text outcome, the lead phrase that names
// it: a noun phrase ended by « . », « : » or « – » and followed by the
// outcome's text. A lead that reads as a sentence (it has a finite verb) is
// the text itself, not a title.
func splitTextLead(body string) (title, rest string, ok bool) {
	loc := leadSepRE().FindStringIndex(body)
	if loc == nil {
		return "", "", false
	}
	lead := strings.TrimSpace(body[:loc[0]])
	sep := body[loc[0]:loc[1]]
	restStart := loc[1]
	if strings.HasPrefix(sep, ".") {
		// The separator match took the first letter of the next sentence.
		restStart = loc[0] + 1
	}
	rest = strings.TrimSpace(body[restStart:])
	words := strings.Fields(lead)
	switch {
	case len(words) == 0 || len(words) > 30 || len(strings.Fields(rest)) < 3:
		return "", "", false
	case strings.HasPrefix(sep, ".") && isAbbreviation(words[len(words)-1]):
		return "", "", false
	case hasFiniteVerb(words), sentenceStart[strings.ToLower(words[0])]:
		return "", "", false
	case !unicode.IsUpper(firstRune(lead)) && !unicode.IsDigit(firstRune(lead)):
		return "", "", false
	}
	return trimTitle(lead), rest, true
}

func isAbbreviation(w string) bool {
	w = strings.ToLower(strings.TrimRight(w, "."))
	if len([]rune(w)) <= 1 {
		return true
	}
	switch w {
	case "m", "mm", "mme", "mmes", "mlle", "dr", "st", "ste", "etc", "env", "p", "pp", "ex", "no", "vol", "art", "min", "max", "av", "boul", "inc", "ltée", "cie", "j.-c":
		return true
	}
	return false
}

// sentenceStart are the words that open a sentence's subject rather than a
// title: definite articles, demonstratives, possessives, pronouns.
var sentenceStart = map[string]bool{
	"le": true, "la": true, "les": true, "ce": true, "cet": true, "cette": true, "ces": true,
	"son": true, "sa": true, "ses": true, "leur": true, "leurs": true, "notre": true, "nos": true,
	"il": true, "elle": true, "ils": true, "elles": true, "on": true, "nous": true,
}

// finiteVerbs are the conjugated forms that make a lead phrase a sentence:
// auxiliaries and the verbs reports use most in outcome sentences.
var finiteVerbs = map[string]bool{
	"a": true, "ont": true, "est": true, "sont": true, "était": true, "étaient": true,
	"sera": true, "seront": true, "serait": true, "seraient": true, "fut": true,
	"avait": true, "avaient": true, "aura": true, "auront": true, "aurait": true,
	"peut": true, "peuvent": true, "pourra": true, "pourront": true, "pourrait": true,
	"doit": true, "doivent": true, "devra": true, "devront": true, "devrait": true,
	"font": true, "fera": true, "feront": true, "va": true, "vont": true,
	"permet": true, "permettent": true, "permettra": true, "permettront": true,
	"demeure": true, "demeurent": true, "reste": true, "restent": true,
	"semble": true, "semblent": true, "constitue": true, "constituent": true,
	"s'est": true, "s’est": true, "se": true, "y": true, "ai": true, "avons": true, "sommes": true,
	"souhaite": true, "souhaitent": true, "entend": true, "entendent": true, "envisage": true,
	"prévoit": true, "comptent": true, "offrent": true,
}

func hasFiniteVerb(words []string) bool {
	for i, w := range words {
		l := strings.ToLower(strings.Trim(w, ",;()«»\"“”"))
		if finiteVerbs[l] {
			return true
		}
		if i > 0 && strings.HasSuffix(l, "ent") && !strings.HasSuffix(l, "ment") && len([]rune(l)) > 5 && !nounsInEnt[l] {
			return true
		}
	}
	return false
}

// nounsInEnt are common words in -ent that are not verbs.
var nounsInEnt = map[string]bool{
	"président": true, "présidents": true, "présent": true, "récent": true, "différent": true,
	"permanent": true, "important": true, "excellent": true, "urgent": true, "talent": true,
	"accident": true, "argent": true, "client": true, "agent": true, "parent": true,
	"continent": true, "segment": true, "adjacent": true, "évident": true, "fréquent": true,
	"intelligent": true, "compétent": true, "pertinent": true, "cohérent": true, "ardent": true,
	"patient": true, "équivalent": true, "conséquent": true, "précédent": true, "régent": true,
	"vice-président": true, "consent": true, "incident": true, "occident": true, "orient": true,
	"strident": true, "prudent": true, "récurrent": true, "transparent": true, "apparent": true,
	"indépendant": true, "résident": true, "ascendant": true, "descendant": true,
}
