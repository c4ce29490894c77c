package score

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// Judged is one judged query of CORPUS/queries.json.
type Judged struct {
	Q        string              `json:"q"`
	Filters  map[string][]string `json:"-"`
	Relevant map[string]int      `json:"relevant"` // truth id -> grade (2 = want it first)
}

// LoadQueries reads CORPUS/queries.json. Filter values may be a string, a
// number or a list of them, as score.py accepts; they come back as strings.
func LoadQueries(corpus string) ([]Judged, error) {
	b, err := os.ReadFile(filepath.Join(corpus, "queries.json"))
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	var raw []struct {
		Judged
		RawFilters map[string]json.RawMessage `json:"filters"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("score: queries.json: %w", err)
	}
	out := make([]Judged, len(raw))
	for i, r := range raw {
		j := r.Judged
		j.Filters = map[string][]string{}
		for k, v := range r.RawFilters {
			vals, err := filterValues(v)
			if err != nil {
				return nil, fmt.Errorf("score: queries.json: query %q, filter %s: %w", j.Q, k, err)
			}
			j.Filters[k] = vals
		}
		out[i] = j
	}
	return out, nil
}

func filterValues(raw json.RawMessage) ([]string, error) {
	var list []any
	if err := json.Unmarshal(raw, &list); err != nil {
		var one any
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, err
		}
		list = []any{one}
	}
	var out []string
	for _, v := range list {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case float64:
			out = append(out, strconv.FormatFloat(v, 'f', -1, 64))
		default:
			return nil, fmt.Errorf("unexpected value %v", v)
		}
	}
	return out, nil
}

// NDCG is score.py's ndcg: gains 2^grade − 1 over the first k of ranked
// (distinct ids, best first), divided by the ideal ordering's; 1 when nothing
// is relevant.
func NDCG(ranked []string, rel map[string]int, k int) float64 {
	dcg := 0.0
	for i, d := range ranked[:min(k, len(ranked))] {
		dcg += (math.Pow(2, float64(rel[d])) - 1) / math.Log2(float64(i+2))
	}
	var ideal []int
	for _, g := range rel {
		ideal = append(ideal, g)
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	idcg := 0.0
	for i, g := range ideal[:min(k, len(ideal))] {
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 1
	}
	return dcg / idcg
}

// Recall is score.py's recall@k: the share of the relevant ids found in the
// first k of ranked.
func Recall(ranked []string, rel map[string]int, k int) float64 {
	found := 0
	for _, d := range ranked[:min(k, len(ranked))] {
		if _, ok := rel[d]; ok {
			found++
		}
	}
	return float64(found) / float64(max(1, len(rel)))
}
