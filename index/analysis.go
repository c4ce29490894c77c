package index

import (
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/token/truncate"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// This file is the one place where Escale's text analysis is defined. The index
// stores the mapping (analyzer names and their configuration) in its metadata, so
// every binary that opens an index must import this package: the only component
// that is not Bleve's own, the accent-folding token filter, registers itself here.

// Analyzer names, as stored in the index mapping.
const (
	// AnalyzerFrench is for ranking: lowercase, elision, stop words, accent
	// folding and a light French stemmer, so « économies », « l’économie » and
	// « economiques » meet.
	AnalyzerFrench = "escale_fr"
	// AnalyzerExact keeps every word unstemmed (lowercase, elision, accent
	// folding): exact phrases, prefixes and typo tolerance use it.
	AnalyzerExact = "escale_exact"
	// AnalyzerRoot is AnalyzerFrench cut to its first rootLen letters: a
	// crude derivational stemmer (« partenariat » and « partenaire »,
	// « tourisme » and « touristique » meet) that ranking weighs low.
	AnalyzerRoot = "escale_root"
	// AnalyzerKeyword keeps a facet value whole.
	AnalyzerKeyword = keyword.Name
)

const (
	foldFilterName = "escale_fold"
	stopMapName    = "escale_stop_fr"
	stopFilterName = "escale_stop_fr"
	rootFilterName = "escale_root"
	rootLen        = 6
)

func init() {
	// Folding runs on tokens rather than on the raw text (Bleve's asciifolding
	// char filter) because a char filter that changes byte lengths shifts every
	// highlight offset after the first accent: `<mark>L’écono</mark>mie`.
	err := registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	if err != nil {
		panic(err)
	}
}

// foldFilter replaces each token's term by its accent-free form (é→e, œ→oe);
// Start and End still point into the original text.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if !isASCII(tok.Term) {
			tok.Term = asciifolding.New().Filter(tok.Term)
		}
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// Fold lowercases s and removes its accents and ligatures, the way the index
// compares facet values: Fold("Québec RAYONNE") == "quebec rayonne". Runs of
// spaces, hyphens and apostrophes become one space, so "Saint-Jean" and
// "saint jean" fold alike.
func Fold(s string) string {
	s = string(asciifolding.New().Filter([]byte(strings.ToLower(s))))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}), " ")
}

// frenchStopWords is Bleve's French (Snowball) stop list, folded, since the stop
// filter runs after folding: « à » and « a », « été » and « ete » all go.
func frenchStopWords() []any {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(fr.FrenchStopWords); err != nil {
		panic(err) // embedded data: cannot fail
	}
	seen := map[string]bool{}
	for w := range tm {
		seen[string(asciifolding.New().Filter([]byte(w)))] = true
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	out := make([]any, len(words))
	for i, w := range words {
		out[i] = w
	}
	return out
}

// addAnalysis defines Escale's analyzers in m.
func addAnalysis(m *mapping.IndexMappingImpl) error {
	if err := m.AddCustomTokenMap(stopMapName, map[string]any{
		"type":   tokenmap.Name,
		"tokens": frenchStopWords(),
	}); err != nil {
		return err
	}
	if err := m.AddCustomTokenFilter(stopFilterName, map[string]any{
		"type":           stop.Name,
		"stop_token_map": stopMapName,
	}); err != nil {
		return err
	}
	// Order matters: elision needs lowercase articles; folding comes before the
	// stop list and the stemmer so that a word typed without its accents goes
	// through exactly the same steps as the word written with them.
	if err := m.AddCustomAnalyzer(AnalyzerFrench, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{lowercase.Name, fr.ElisionName, foldFilterName, stopFilterName, fr.LightStemmerName},
	}); err != nil {
		return err
	}
	if err := m.AddCustomTokenFilter(rootFilterName, map[string]any{
		"type":   truncate.Name,
		"length": float64(rootLen),
	}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(AnalyzerRoot, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{lowercase.Name, fr.ElisionName, foldFilterName, stopFilterName, fr.LightStemmerName, rootFilterName},
	}); err != nil {
		return err
	}
	return m.AddCustomAnalyzer(AnalyzerExact, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{lowercase.Name, fr.ElisionName, foldFilterName},
	})
}
