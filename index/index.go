// Package index is Escale's search index: the Bleve mapping and French
// analysis (the index's on-disk contract), the documents built from a mission
// record, and the searches staff and analysts run (missions with facets,
// outcomes, and outcome counts compared across years).
//
// The index is derived data: the catalog is the source of truth, and IDs lets
// the service reconcile the two at start. An index written by another schema
// version is rebuilt empty on Open.
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bolt "go.etcd.io/bbolt"

	"escale/internal/mission"
)

// ErrLocked means another process (usually a running server) holds the index.
var ErrLocked = errors.New("index: locked by another process")

// ErrBadQuery marks a query the caller got wrong (unknown filter, bad year,
// page out of range); the message says which.
var ErrBadQuery = errors.New("index: bad query")

// Places recognises place names in a query, so that « missions à Lisbon »
// boosts the missions that went to Lisbonne. The gazetteer implements it.
type Places interface {
	// Canonical returns the French name of the city or country that name
	// designates (in any language or spelling), and whether it knows one.
	Canonical(name string) (string, bool)
}

// Options configures Open.
type Options struct {
	Logger *slog.Logger // nil: discard
	Places Places       // nil: only the names written in the records are known
	// Synonyms are groups of words or expressions a query treats as one
	// (internal/synonyms); nil: none.
	Synonyms [][]string
	// Zones names the world regions a destination country is in
	// (« Afrique », « Afrique de l'Ouest »), which a query may name for the
	// missions that went there; nil: none.
	Zones func(country string) []string
}

// Index holds the two Bleve indexes under one directory: missions (one
// document per report, for ranking and facets) and passages (one per
// objective, outcome and section, for highlights, outcomes and comparisons).
type Index struct {
	missions bleve.Index
	passages bleve.Index
	log      *slog.Logger
	places   Places
	synonyms *thesaurus
	zones    func(country string) []string
	fr       analysis.Analyzer // AnalyzerFrench, for query words
	exact    analysis.Analyzer // AnalyzerExact
	root     analysis.Analyzer // AnalyzerRoot
	stats    atomic.Pointer[stats]
	write    sync.Mutex             // a mission and its passages change together
	tables   *tables                // the missions' segments as their search reads them (segtable.go)
	advised  advisers               // segments advised random reads (advise.go)
	trace    func(hits, scored int) // benchmarks: how many hits each search scored
}

const (
	missionsDir = "missions"
	passagesDir = "passages"
	schemaKey   = "escale_schema"
)

// Open opens the index in dir, creating it when missing and rebuilding it
// (empty) when another schema version wrote it.
func Open(dir string, opts Options) (*Index, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	mm, err := missionMapping()
	if err != nil {
		return nil, fmt.Errorf("index: mission mapping: %w", err)
	}
	pm, err := passageMapping()
	if err != nil {
		return nil, fmt.Errorf("index: passage mapping: %w", err)
	}
	missions, err := openOne(filepath.Join(dir, missionsDir), mm, 0, log)
	if err != nil {
		return nil, err
	}
	passages, err := openOne(filepath.Join(dir, passagesDir), pm, passageSegmentDocs, log)
	if err != nil {
		missions.Close()
		return nil, err
	}
	ix := &Index{missions: missions, passages: passages, log: log, places: opts.Places, tables: newTables(),
		advised: advisers{missions: newRandomReads(filepath.Join(dir, missionsDir), log), passages: newRandomReads(filepath.Join(dir, passagesDir), log)}}
	ix.fr = mm.AnalyzerNamed(AnalyzerFrench)
	ix.exact = mm.AnalyzerNamed(AnalyzerExact)
	ix.root = mm.AnalyzerNamed(AnalyzerRoot)
	if ix.fr == nil || ix.exact == nil || ix.root == nil {
		ix.Close()
		return nil, fmt.Errorf("index: analyzers missing from the mapping")
	}
	ix.synonyms = ix.newThesaurus(opts.Synonyms)
	ix.zones = opts.Zones
	st, err := loadStats(missions)
	if err != nil {
		ix.Close()
		return nil, fmt.Errorf("index: %w", err)
	}
	ix.stats.Store(st)
	// Read each segment's facet values now rather than in the first search
	// (a fraction of a second at 100,000 missions).
	if snap, ok, err := ix.openSnapshot(); err != nil {
		ix.Close()
		return nil, fmt.Errorf("index: %w", err)
	} else if ok {
		snap.close()
	}
	return ix, nil
}

// runtimeConfig bounds the wait for another process's lock, so that a second
// process fails with ErrLocked instead of hanging. A new map each time:
// Bleve writes the index's path into it.
//
// Merging: each ingested report adds a segment to both indexes (one mission,
// thirty passages). Bleve's default floor counts every segment under 2,000
// documents as 2,000, so the small ones were merged again and again into
// ever larger ones: two thirds of a Put's CPU at 10,000 missions. With a
// floor of 10, tiers grow by ten from the start (a Put at 10,000 missions:
// about 150 -> 55 ms on the shared 2-core machine); a search reads a few
// more segments, which costs it little (engine.go reads each term's
// postings per segment once).
//
// maxSegment, when above 0, caps a merged segment's documents: see
// passageSegmentDocs.
func runtimeConfig(maxSegment int) map[string]any {
	plan := map[string]any{"FloorSegmentSize": 10}
	if maxSegment > 0 {
		plan["MaxSegmentSize"] = maxSegment
	}
	return map[string]any{
		"bolt_timeout":           "1s",
		"scorchMergePlanOptions": plan,
	}
}

// passageSegmentDocs caps the passages index's segments. A search looks
// each query word up in every segment (its frequency in the whole index),
// so fewer segments cost less: at 100,000 missions (2 million passages),
// segments of 25,000 made 81 of them, and a search's passages took 2.4 ms.
// Scoring a hit's passages decodes only the chunks of its segment's lists
// that hold them (cursor.go), though opening a list still writes the bits
// of all its documents, in proportion to the list. The cap bounds what one
// merge rewrites.
const passageSegmentDocs = 250000

func openOne(path string, m mapping.IndexMapping, maxSegment int, log *slog.Logger) (bleve.Index, error) {
	idx, err := bleve.OpenUsing(path, runtimeConfig(maxSegment))
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return create(path, m, maxSegment)
	case err != nil && (errors.Is(err, bolt.ErrTimeout) || strings.Contains(err.Error(), bolt.ErrTimeout.Error())):
		return nil, fmt.Errorf("%w: %s", ErrLocked, path)
	case err != nil:
		// The index is derived from the catalog: rebuilding it is always
		// safe, and reconciliation refills it.
		log.Warn("index unreadable, rebuilding", "path", path, "error", err)
		return recreate(path, m, maxSegment)
	}
	v, err := idx.GetInternal([]byte(schemaKey))
	if err != nil || string(v) != schemaVersion {
		idx.Close()
		log.Info("index schema changed, rebuilding", "path", path, "was", string(v), "now", schemaVersion)
		return recreate(path, m, maxSegment)
	}
	return idx, nil
}

func recreate(path string, m mapping.IndexMapping, maxSegment int) (bleve.Index, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("index: remove %s: %w", path, err)
	}
	return create(path, m, maxSegment)
}

func create(path string, m mapping.IndexMapping, maxSegment int) (bleve.Index, error) {
	idx, err := bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, runtimeConfig(maxSegment))
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", path, err)
	}
	if err := idx.SetInternal([]byte(schemaKey), []byte(schemaVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: create %s: %w", path, err)
	}
	return idx, nil
}

// Close closes the index.
func (ix *Index) Close() error {
	return errors.Join(ix.passages.Close(), ix.missions.Close())
}

// Put indexes m (its MissionID set), replacing what was indexed under that id.
func (ix *Index) Put(m *mission.Mission) error {
	return ix.PutBatch([]*mission.Mission{m})
}

// PutBatch indexes several missions at once, which is much faster than one
// Put each when rebuilding.
func (ix *Index) PutBatch(ms []*mission.Mission) error {
	ix.write.Lock()
	defer ix.write.Unlock()
	pb := ix.passages.NewBatch()
	mb := ix.missions.NewBatch()
	st := ix.stats.Load().clone()
	pending := map[string]lens{}
	for _, m := range ms {
		if m.MissionID == "" {
			return fmt.Errorf("index: put %q: mission has no id", m.Filename)
		}
		fp, err := fingerprint(m)
		if err != nil {
			return fmt.Errorf("index: put %s: %w", m.MissionID, err)
		}
		old, err := ix.passageIDs(m.MissionID)
		if err != nil {
			return fmt.Errorf("index: put %s: %w", m.MissionID, err)
		}
		for _, id := range old {
			pb.Delete(id)
		}
		fv := missionFacets(m)
		var pdocs []map[string]any
		for _, p := range passages(m) {
			doc, err := passageDoc(m, fv, p)
			if err != nil {
				return fmt.Errorf("index: put %s: %w", m.MissionID, err)
			}
			if err := pb.Index(passageID(m.MissionID, p.Ord), doc); err != nil {
				return fmt.Errorf("index: put %s: %w", m.MissionID, err)
			}
			pdocs = append(pdocs, doc)
		}
		doc, err := missionDoc(m, fp, ix.zones)
		if err != nil {
			return fmt.Errorf("index: put %s: %w", m.MissionID, err)
		}
		oldLens, seen := pending[m.MissionID]
		if !seen {
			if oldLens, err = ix.storedLens(m.MissionID); err != nil {
				return fmt.Errorf("index: put %s: %w", m.MissionID, err)
			}
		}
		newLens := ix.lensOf(doc, pdocs)
		st.apply(oldLens, newLens)
		pending[m.MissionID] = newLens
		lb, err := json.Marshal(newLens)
		if err != nil {
			return fmt.Errorf("index: put %s: %w", m.MissionID, err)
		}
		doc[fLens] = string(lb)
		if err := mb.Index(m.MissionID, doc); err != nil {
			return fmt.Errorf("index: put %s: %w", m.MissionID, err)
		}
	}
	// Passages first: the mission's fingerprint, written last, vouches for
	// them, so a crash in between leaves a mission that reconciliation redoes.
	if err := ix.passages.Batch(pb); err != nil {
		return fmt.Errorf("index: put passages: %w", err)
	}
	sb, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("index: put: %w", err)
	}
	mb.SetInternal([]byte(statsKey), sb)
	if err := ix.missions.Batch(mb); err != nil {
		return fmt.Errorf("index: put missions: %w", err)
	}
	ix.stats.Store(st)
	return nil
}

// Delete removes a mission and its passages; deleting an absent id is not an error.
func (ix *Index) Delete(id string) error {
	ix.write.Lock()
	defer ix.write.Unlock()
	old, err := ix.passageIDs(id)
	if err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	pb := ix.passages.NewBatch()
	for _, pid := range old {
		pb.Delete(pid)
	}
	if err := ix.passages.Batch(pb); err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	oldLens, err := ix.storedLens(id)
	if err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	if oldLens == nil {
		return nil
	}
	st := ix.stats.Load().clone()
	st.apply(oldLens, nil)
	sb, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	mb := ix.missions.NewBatch()
	mb.Delete(id)
	mb.SetInternal([]byte(statsKey), sb)
	if err := ix.missions.Batch(mb); err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	ix.stats.Store(st)
	return nil
}

// passageIDs lists the ids of the passages indexed for a mission.
func (ix *Index) passageIDs(id string) ([]string, error) {
	var ids []string
	const page = 1000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(termQuery(fMission, id), page, from, false)
		req.Score = "none"
		res, err := ix.passages.Search(req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < page {
			return ids, nil
		}
	}
}

// IDs returns every indexed mission id with the fingerprint of the record
// indexed under it. The service compares them with the catalog at start and
// puts again any mission whose fingerprint differs (Fingerprint).
func (ix *Index) IDs() (map[string]string, error) {
	s, ok, err := openSnapshot(ix.missions, nil)
	if err != nil {
		return nil, fmt.Errorf("index: ids: %w", err)
	}
	if !ok {
		return ix.idsBleve()
	}
	defer s.close()
	out, err := s.ids()
	if err != nil {
		return nil, fmt.Errorf("index: ids: %w", err)
	}
	return out, nil
}

// ids reads every live document's id and fingerprint from the segments'
// dictionaries, a pass over two fields. Bleve's way (idsBleve), a search
// sorted by id a page at a time, sorts the whole index again for each
// page: 4.5 s at 100,000 missions, against 0.3 s.
func (s *snapshot) ids() (map[string]string, error) {
	out := make(map[string]string, s.live)
	for _, ss := range s.segs {
		seg := ss.Segment()
		ids := make([]string, seg.Count())
		fps := make([]string, seg.Count())
		for field, to := range map[string][]string{"_id": ids, fFP: fps} {
			err := eachTerm(seg, field, func(term string, docs func(func(uint64))) {
				docs(func(d uint64) { to[d] = term })
			})
			if err != nil {
				return nil, err
			}
		}
		del := ss.Deleted()
		for d, id := range ids {
			if id != "" && (del == nil || !del.Contains(uint32(d))) {
				out[id] = fps[d]
			}
		}
	}
	return out, nil
}

// idsBleve is IDs through Bleve's search, for an index that is not scorch
// (and, in the tests, the reference ids is held to).
func (ix *Index) idsBleve() (map[string]string, error) {
	out := map[string]string{}
	const page = 1000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, 0, false)
		req.Score = "none"
		req.SortByCustom(search.SortOrder{&search.SortDocID{}, &search.SortField{Field: fFP, Type: search.SortFieldAsString}})
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.missions.SearchInContext(context.Background(), req)
		if err != nil {
			return nil, fmt.Errorf("index: ids: %w", err)
		}
		for _, h := range res.Hits {
			fp := ""
			if len(h.Sort) > 1 {
				fp = h.Sort[1]
			}
			out[h.ID] = fp
		}
		if len(res.Hits) < page {
			return out, nil
		}
		last := res.Hits[len(res.Hits)-1]
		after = last.Sort
	}
}

// Fingerprint is the value IDs reports for m once m is indexed: when they
// differ, the index holds an older record (or one from another schema).
func Fingerprint(m *mission.Mission) (string, error) {
	fp, err := fingerprint(m)
	if err != nil {
		return "", fmt.Errorf("index: fingerprint: %w", err)
	}
	return fp, nil
}

// Count returns how many missions are indexed.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.missions.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	return n, nil
}

func termQuery(field, term string) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}
