package index

import (
	"math"
	"testing"
)

// TestCountWords checks that the cheap word count stays close to the
// analyzers' token counts over the corpus, as the average lengths need.
func TestCountWords(t *testing.T) {
	as := analyzers(t)
	var words, toks, all, exact float64
	for _, m := range truthMissions(t) {
		words += float64(countWords(m.Text, true))
		toks += float64(len(as[AnalyzerFrench].Analyze([]byte(m.Text))))
		all += float64(countWords(m.Text, false))
		exact += float64(len(as[AnalyzerExact].Analyze([]byte(m.Text))))
	}
	t.Logf("ratios: %.3f %.3f", words/toks, all/exact)
	if r := words / toks; math.Abs(r-1) > 0.05 {
		t.Errorf("countWords(text, true) / French tokens = %.3f over the corpus, want within 5%% of 1", r)
	}
	if r := all / exact; math.Abs(r-1) > 0.1 {
		t.Errorf("countWords(text, false) / exact tokens = %.3f over the corpus, want within 10%% of 1", r)
	}
}
