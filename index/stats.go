package index

import (
	"encoding/json"
	"fmt"

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

// lengthFields are the fields whose average length ranking uses.
var lengthFields = []string{fBody, fLead, fTitle, fDest, fHeads, fNames, fExact}

// averages returns the average length per posting role; fields never seen
// average 1, which leaves their lengths unnormalised.
func (st *stats) averages() [nRoles]float64 {
	var out [nRoles]float64
	for role, f := range roleField {
		out[role] = 1
		if st == nil || st.N <= 0 {
			continue
		}
		switch role {
		case roleRoot:
			f = fBody // the same tokens, cut
		case roleFuzzy:
			f = fExact
		}
		if s := st.Sum[f]; s > 0 {
			out[role] = float64(s) / float64(st.N)
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

// lensOf counts the tokens each length field of doc holds.
func (ix *Index) lensOf(doc map[string]any) lens {
	l := lens{}
	for _, f := range lengthFields {
		s, _ := doc[f].(string)
		a := ix.fr
		if f == fExact {
			a = ix.exact
		}
		l[f] = uint64(len(a.Analyze([]byte(s))))
	}
	return l
}

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
