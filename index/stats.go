package index

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// stats are the missions index's field lengths, for BM25's length
// normalisation: Bleve keeps each document's field length (in its norm) but
// not their average. They are kept in the index's internal store, updated in
// the same batch as the documents, so they cannot drift from them.
type stats struct {
	N   int64             `json:"n"`
	Sum map[string]uint64 `json:"sum"` // field -> tokens over all missions
}

const statsKey = "escale_stats"

// lens is one mission's field lengths in tokens, stored with its document so
// that replacing or deleting it can take them off the sums.
type lens map[string]uint64

// lengthFields are the mission fields whose average length ranking uses.
var lengthFields = []string{fBody, fLead, fTitle, fDest, fHeads, fNames, fExact}

// Passage sums, kept with the missions' (a mission's passages come and go with it).
const (
	pN     = "p_n" // passages
	pText  = "p_text"
	pTitle = "p_title"
	pExact = "p_exact"
)

// averages returns the average length of each role's field for prof; a field
// never seen averages 0, which leaves lengths unnormalised.
func (st *stats) averages(prof *profile) [nRoles]float64 {
	var out [nRoles]float64
	if st == nil {
		return out
	}
	for role, key := range prof.avgKey {
		n := float64(st.N)
		if strings.HasPrefix(key, "p_") {
			n = float64(st.Sum[pN])
		}
		if s := st.Sum[key]; key != "" && s > 0 && n > 0 {
			out[role] = float64(s) / n
		}
	}
	return out
}

func (st *stats) clone() *stats {
	c := &stats{N: st.N, Sum: map[string]uint64{}}
	for k, v := range st.Sum {
		c.Sum[k] = v
	}
	return c
}

// apply takes old off and adds new; either may be nil (a new or a deleted mission).
func (st *stats) apply(old, new lens) {
	if old != nil {
		st.N--
		for f, n := range old {
			st.Sum[f] -= min(st.Sum[f], n)
		}
	}
	if new != nil {
		st.N++
		for f, n := range new {
			st.Sum[f] += n
		}
	}
}

// lensOf counts the words each length field of a mission's document and of
// its passages' documents holds, as the analyzers would (stop words left out
// but in the exact field); counted apart, as analysing every text once more
// cost a third of indexing.
func (ix *Index) lensOf(doc map[string]any, passages []map[string]any) lens {
	l := lens{}
	count := func(doc map[string]any, f, key string) {
		s, _ := doc[f].(string)
		l[key] += uint64(countWords(s, f != fExact))
	}
	for _, f := range lengthFields {
		count(doc, f, f)
	}
	l[pN] = uint64(len(passages))
	for _, pd := range passages {
		count(pd, fText, pText)
		count(pd, fTitle, pTitle)
		count(pd, fExact, pExact)
	}
	return l
}

// countWords counts the words of s, without the stop words if asked: an
// estimate of the analyzer's token count (« l’économie » is one token there,
// « l » a stop word here), close enough for an average length.
func countWords(s string, dropStop bool) int {
	n := 0
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		if dropStop && len(w) <= maxStopLen && stopWords[foldWord(w)] {
			continue
		}
		n++
	}
	return n
}

func foldWord(w string) string {
	w = strings.ToLower(w)
	if isASCII([]byte(w)) {
		return w
	}
	return string(asciifolding.New().Filter([]byte(w)))
}

// stopWords is the folded French stop list, as a set; read-only.
var stopWords, maxStopLen = func() (map[string]bool, int) {
	m := map[string]bool{}
	n := 0
	for _, w := range frenchStopWords() {
		m[w.(string)] = true
		n = max(n, len(w.(string))*2) // accented forms are longer in bytes
	}
	return m, n
}()

// storedLens reads the lengths stored with mission id, nil when it is not indexed.
func (ix *Index) storedLens(id string) (lens, error) {
	doc, err := ix.missions.Document(id)
	if err != nil || doc == nil {
		return nil, err
	}
	var out lens
	var perr error
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fLens {
			perr = json.Unmarshal(f.Value(), &out)
		}
	})
	if perr != nil {
		return nil, fmt.Errorf("stored lengths of %s: %w", id, perr)
	}
	if out == nil {
		out = lens{} // indexed, lengths unknown: still counts as one mission
	}
	return out, nil
}

func loadStats(idx bleve.Index) (*stats, error) {
	b, err := idx.GetInternal([]byte(statsKey))
	if err != nil {
		return nil, err
	}
	st := &stats{Sum: map[string]uint64{}}
	if len(b) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("index stats: %w", err)
	}
	if st.Sum == nil {
		st.Sum = map[string]uint64{}
	}
	return st, nil
}
