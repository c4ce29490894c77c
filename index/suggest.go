package index

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	bindex "github.com/blevesearch/bleve_index_api"
)

// Suggest proposes another spelling for a query that found nothing: each
// word of text that no mission holds becomes the indexed word nearest to it
// (one edit away for words of up to five letters, two beyond), the most
// frequent among the nearest. The words come back folded (lowercase, no
// accents), which the search ignores anyway. It returns "" when no word
// changes.
func (ix *Index) Suggest(ctx context.Context, text string) (string, error) {
	adv, err := ix.missions.Advanced()
	if err != nil {
		return "", fmt.Errorf("index: suggest: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return "", fmt.Errorf("index: suggest: %w", err)
	}
	defer r.Close()
	fuzzy, ok := r.(bindex.IndexReaderFuzzy)
	if !ok {
		return "", nil
	}
	var out strings.Builder
	last, changed := 0, false
	for _, tok := range ix.exact.Analyze([]byte(text)) {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		term := string(tok.Term)
		n := utf8.RuneCountInString(term)
		if n < 3 || isYear(term) {
			continue
		}
		edits := 1
		if n > 5 {
			edits = 2
		}
		best, err := nearest(fuzzy, term, edits)
		if err != nil {
			return "", fmt.Errorf("index: suggest %q: %w", term, err)
		}
		if best == "" || best == term {
			continue
		}
		out.WriteString(text[last:tok.Start])
		out.WriteString(best)
		last, changed = tok.End, true
	}
	if !changed {
		return "", nil
	}
	out.WriteString(text[last:])
	return out.String(), nil
}

// nearest returns term itself when the missions' text holds it, else the
// closest indexed word within edits, the most frequent among equals.
func nearest(r bindex.IndexReaderFuzzy, term string, edits int) (string, error) {
	dict, err := r.FieldDictFuzzy(fExact, term, edits, "")
	if err != nil {
		return "", err
	}
	defer dict.Close()
	best, bestDist, bestCount := "", uint8(255), uint64(0)
	for {
		e, err := dict.Next()
		if err != nil {
			return "", err
		}
		if e == nil {
			break
		}
		if e.Term == term {
			return term, nil
		}
		if e.EditDistance < bestDist || e.EditDistance == bestDist && e.Count > bestCount {
			best, bestDist, bestCount = e.Term, e.EditDistance, e.Count
		}
	}
	return best, nil
}
