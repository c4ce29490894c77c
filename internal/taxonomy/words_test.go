package taxonomy

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"escale/internal/score"
)

// refWords is words as it was written first, a word at a time: words must
// split every text as it does.
func refWords(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '*' && b.Len() > 0:
			b.WriteRune(r)
			flush()
		default:
			flush()
		}
	}
	flush()
	for i, w := range out {
		if strings.ContainsAny(w, "œæ") {
			out[i] = strings.NewReplacer("œ", "oe", "æ", "ae").Replace(w)
		}
	}
	return out
}

func TestWordsMatchesReference(t *testing.T) {
	texts := strings.Split(string(defaultData), "\n")
	texts = append(texts, "", "*", "a*b*", "ŒUVRE cœur Ægée", "Mise en œuvre, main-d’œuvre", "São Tomé, Noël, naïf*, 3e*")
	for _, corpus := range []string{"visible", "extra"} {
		truths, err := score.LoadTruth("../../testdata/corpus/" + corpus)
		if err != nil || len(truths) == 0 {
			t.Fatalf("LoadTruth(%s) = %d reports, %v", corpus, len(truths), err)
		}
		for _, tr := range truths {
			texts = append(texts, tr.Text)
			texts = append(texts, strings.Split(tr.Text, "\n")...)
		}
	}
	for _, s := range texts {
		if got, want := words(s), refWords(s); !slices.Equal(got, want) {
			t.Fatalf("words(%q) = %q, want %q", s[:min(len(s), 80)], got, want)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"Mise en œuvre", "port* maritime*", "ÉCOLE d'été", "a\u0301*b", "*x", "x**"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := words(s), refWords(s); !slices.Equal(got, want) {
			t.Fatalf("words(%q) = %q, want %q", s, got, want)
		}
	})
}
