package service

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"sync"

	"escale/internal/mission"
	"escale/internal/store"
)

// batchIndex is an Index that indexes several missions at once.
type batchIndex interface {
	PutBatch(ms []*mission.Mission) error
}

// reconcileBatch is how many missions Reconcile gives a batchIndex at once.
const reconcileBatch = 200

// Reconciled says what Reconcile did.
type Reconciled struct {
	Missions int // in the catalog
	Indexed  int // put (again) in the index
	Removed  int // taken out of the index: the catalog no longer has them
	Orphans  int // originals no mission referred to, deleted
}

// Reconcile brings the index in step with the catalog: it indexes every
// mission the index lacks or holds in an older version, removes from the
// index what the catalog lacks, and deletes originals left by an interrupted
// ingestion. Run it before accepting requests.
func (s *Service) Reconcile(ctx context.Context) (Reconciled, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var r Reconciled
	n, err := s.store.RemoveOrphans(ctx)
	if err != nil {
		return r, fmt.Errorf("service: reconcile: %w", err)
	}
	r.Orphans = n
	catalog, err := s.store.IDs(ctx)
	if err != nil {
		return r, fmt.Errorf("service: reconcile: %w", err)
	}
	r.Missions = len(catalog)
	inCatalog := make(map[string]bool, len(catalog))
	for _, id := range catalog {
		inCatalog[id] = true
	}
	indexed, err := s.index.IDs()
	if err != nil {
		return r, fmt.Errorf("service: reconcile: index ids: %w", err)
	}
	for id := range indexed {
		if !inCatalog[id] {
			if err := s.index.Delete(id); err != nil {
				return r, fmt.Errorf("service: reconcile: %w", err)
			}
			r.Removed++
		}
	}
	if r.Removed > 0 {
		s.wrote()
	}
	stale, err := s.store.Stale(ctx)
	if err != nil {
		return r, fmt.Errorf("service: reconcile: %w", err)
	}
	todo := map[string]bool{}
	for _, id := range stale {
		todo[id] = true
	}
	for _, id := range catalog {
		if _, ok := indexed[id]; !ok {
			todo[id] = true
		}
	}
	staleSet := make(map[string]bool, len(stale))
	for _, id := range stale {
		staleSet[id] = true
	}
	// The index lost or never kept what it confirmed: its fingerprint
	// differs from the catalog's record.
	changed := map[string]bool{}
	if s.cfg.Fingerprint != nil {
		if changed, err = s.changed(ctx, catalog, todo, indexed); err != nil {
			return r, fmt.Errorf("service: reconcile: %w", err)
		}
		for id := range changed {
			todo[id] = true
		}
	}
	// An index that takes missions in batches (index.Index) is given them
	// so: one mission at a time costs it several times more (a new segment
	// and its merging for each).
	bi, batched := s.index.(batchIndex)
	var pending []*store.Entry
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		recs := make([]*mission.Mission, len(pending))
		for i, e := range pending {
			recs[i] = e.Record()
		}
		if err := bi.PutBatch(recs); err != nil {
			return fmt.Errorf("service: reconcile: index: %w", err)
		}
		s.markIndexed(ctx, pending, recs)
		pending = pending[:0]
		return nil
	}
	for _, id := range catalog { // catalog order: stable and sorted
		if !todo[id] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return r, err
		}
		e, err := s.store.Get(ctx, id)
		if err != nil {
			return r, fmt.Errorf("service: reconcile: %w", err)
		}
		// Why it is indexed again: "stale", the catalog changed after the
		// index last confirmed (an interrupted write, a reindex); "missing"
		// or "changed", the index lost or never kept what it confirmed.
		reason := "stale"
		switch {
		case changed[id]:
			reason = "changed"
		case !staleSet[id]:
			reason = "missing"
		}
		if batched {
			pending = append(pending, e)
			if len(pending) == reconcileBatch {
				if err := flush(); err != nil {
					return r, err
				}
			}
		} else if err := s.indexEntry(ctx, e); err != nil {
			return r, fmt.Errorf("service: reconcile: %w", err)
		}
		s.log.Info("mission indexed again", "mission_id", id, "reason", reason)
		r.Indexed++
	}
	if err := flush(); err != nil {
		return r, err
	}
	if r.Indexed+r.Removed+r.Orphans > 0 {
		s.log.Info("index reconciled", "missions", r.Missions, "indexed", r.Indexed, "removed", r.Removed, "orphans", r.Orphans)
	}
	return r, nil
}

// changed returns the catalog's missions, other than those already to do,
// whose fingerprint differs from the one the index holds. Reading and
// fingerprinting every record is most of a start: only the record is read
// (store.Record), by as many goroutines as processors, and not at all when
// the catalog keeps its fingerprint for the record's version under
// cfg.FingerprintKey and the index holds that one. The fingerprints
// computed are kept for the next start. A record whose fingerprint cannot
// be computed is left as it is.
func (s *Service) changed(ctx context.Context, catalog []string, todo map[string]bool, indexed map[string]string) (map[string]bool, error) {
	key := s.cfg.FingerprintKey
	var known map[string]string
	if key != "" {
		var err error
		if known, err = s.store.Fingerprints(ctx, key); err != nil {
			s.log.Warn("kept fingerprints unreadable, every record is read", "err", err)
		}
	}
	ids := make(chan string)
	var (
		mu       sync.Mutex
		out      = map[string]bool{}
		learned  []store.Fingerprint
		firstErr error
		wg       sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for id := range ids {
				rec, version, err := s.store.Record(ctx, id)
				if err == nil {
					fp, ferr := s.cfg.Fingerprint(rec)
					if ferr == nil && key != "" {
						mu.Lock()
						learned = append(learned, store.Fingerprint{ID: id, Value: fp, Version: version})
						mu.Unlock()
					}
					if ferr != nil || fp == indexed[id] {
						continue
					}
				}
				mu.Lock()
				if err != nil {
					firstErr = cmp.Or(firstErr, err)
				} else {
					out[id] = true
				}
				mu.Unlock()
			}
		})
	}
	var err error
	for _, id := range catalog {
		if todo[id] {
			continue
		}
		if fp, ok := known[id]; ok {
			// The record is unchanged since its fingerprint was kept: that
			// fingerprint says whether it is the one indexed.
			if fp != indexed[id] {
				mu.Lock()
				out[id] = true
				mu.Unlock()
			}
			continue
		}
		if err = ctx.Err(); err != nil {
			break
		}
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		ids <- id
	}
	close(ids)
	wg.Wait()
	if len(learned) > 0 {
		if serr := s.store.SetFingerprints(ctx, key, learned); serr != nil {
			s.log.Warn("fingerprints not kept, the next start reads their records again", "err", serr)
		}
	}
	return out, cmp.Or(err, firstErr)
}

// Reindexed says what Reindex did.
type Reindexed struct {
	Missions  int
	Extracted int      // read again from their originals
	Kept      []string // re-extraction failed: the previous record was kept
}

// Reindex puts every mission in the index again (into a fresh index after a
// mapping change). With reextract, each original is read again by the
// current extractor first; people's corrections are applied on top again.
// progress, when not nil, is called after each mission.
func (s *Service) Reindex(ctx context.Context, reextract bool, progress func(done, total int)) (Reindexed, error) {
	var r Reindexed
	ids, err := s.store.IDs(ctx)
	if err != nil {
		return r, fmt.Errorf("service: reindex: %w", err)
	}
	r.Missions = len(ids)
	if err := s.store.MarkAllStale(ctx); err != nil {
		return r, fmt.Errorf("service: reindex: %w", err)
	}
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		if reextract {
			ok, err := s.reextract(ctx, id)
			if err != nil {
				return r, err
			}
			if ok {
				r.Extracted++
			} else {
				r.Kept = append(r.Kept, id)
			}
		}
		if progress != nil {
			progress(i+1, len(ids))
		}
	}
	if _, err := s.Reconcile(ctx); err != nil {
		return r, err
	}
	return r, nil
}

// reextract reads a mission's original again. It reports false when the
// extractor now refuses the file: the previous record stays.
func (s *Service) reextract(ctx context.Context, id string) (bool, error) {
	e, err := s.store.Get(ctx, id)
	if err != nil {
		return false, fmt.Errorf("service: reextract %s: %w", id, err)
	}
	data, err := s.store.ReadOriginal(e.SHA256)
	if err != nil {
		return false, fmt.Errorf("service: reextract %s: %w", id, err)
	}
	m, err := s.ex.Extract(ctx, data, e.Extracted.Filename)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		code := "internal"
		if r, ok := mission.RefusalOf(err); ok {
			code = r.Code
		}
		s.log.Warn("re-extraction failed, previous record kept", "mission_id", id, "code", code, "err", err)
		return false, nil
	}
	sig := signature(shingles(m.Text))
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.store.Update(ctx, id, func(e *store.Entry) ([]store.Correction, error) {
		m.MissionID, m.Filename, m.SHA256, m.Size = e.ID, e.Extracted.Filename, e.SHA256, e.Extracted.Size
		m.DuplicateOf = ""
		m.Normalize()
		e.Extracted = m
		e.Signature = sig
		e.Mission = Apply(m, e.Corrections, s.cfg.CountryOf)
		return nil, nil
	})
	if err != nil {
		return false, fmt.Errorf("service: reextract %s: %w", id, err)
	}
	for i := range s.sigs {
		if s.sigs[i].ID == id {
			s.sigs[i].Signature = sig
		}
	}
	return true, nil
}
