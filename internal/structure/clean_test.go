package structure

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ASCII", "plain ASCII"},
		{"ef\ufb01cace et \ufb02uide, \ufb03ce", "efficace et fluide, ffice"},
		{"l\u0092AIVP \u0093citée\u0094 \u0096 fin\u0085", "l’AIVP “citée” – fin…"},
		{"Qu\ufffdbec", "Qubec"},
		{"\uf0b7 puce", " puce"},
		{"Que\u0301bec", "Québec"},
		{"« Ville\u00a030 » d’été", "« Ville\u00a030 » d’été"},
		{"bad \xff\xfe utf8", "bad  utf8"},
		{"zéro\u200blargeur\ufeff", "zérolargeur"},
		{"a\tb\x01c", "a\tbc"},
		{"main-d’\u0153uvre", "main-d’œuvre"},
	}
	for _, tc := range tests {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// cleanEveryRune is Clean as it was written first, rebuilding every text
// rune by rune: the reference FuzzClean holds Clean's fast paths to.
func cleanEveryRune(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
		case r >= 0x80 && r <= 0x9f:
			if c := charmap.Windows1252.DecodeByte(byte(r)); c != utf8.RuneError {
				b.WriteRune(c)
			}
		case ligatures[r] != "":
			b.WriteString(ligatures[r])
		case isPrivate(r):
		case r == '\t' || r == '\u00ad':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"plain", "d’été « x »", "Que\u0301bec", "l\u0092AIVP", "\ufb01n", "bad \xff", "\uf0b7 a\tb\x01", "inter\u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), cleanEveryRune(s); got != want {
			t.Errorf("Clean(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestJoin(t *testing.T) {
	doc := [][]line{{
		{text: "L’interface Ville-Port et le président-directeur général du MuCEM."},
		{text: "Le président et le directeur de l’Administration portuaire."},
		{text: "Un programme de changement."},
	}}
	v := newVocabulary(doc)
	tests := []struct{ a, b, want string }{
		{"l’interface Ville-", "Port de Québec", "l’interface Ville-Port de Québec"},
		{"Trois-", "Rivières et Sept-Îles", "Trois-Rivières et Sept-Îles"},
		{"le président-", "directeur général", "le président-directeur général"},
		{"autour du Mu-", "CEM et", "autour du MuCEM et"},
		{"avec l’Admi-", "nistration portuaire", "avec l’Administration portuaire"},
		{"un pro-", "gramme complet", "un programme complet"},
		{"les chan-", "gements climatiques", "les changements climatiques"},
		{"de 2026-", "2028, qui", "de 2026-2028, qui"},
		{"https://exemple.org/ville-de-", "quebec-2024", "https://exemple.org/ville-de-quebec-2024"},
		{"une ville inter\u00ad", "nationale", "une ville internationale"},
		{"vol Québec–", "Bruxelles", "vol Québec–Bruxelles"},
		{"une pause –", "puis la suite", "une pause – puis la suite"},
		{"fin de ligne", "suite", "fin de ligne suite"},
	}
	for _, tc := range tests {
		if got := v.join(tc.a, tc.b); got != tc.want {
			t.Errorf("join(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
