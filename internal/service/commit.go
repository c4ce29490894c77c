package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"escale/internal/mission"
	"escale/internal/store"
)

// Group commit: files read at about the same time are written together.
// Each waits for the disk (the original's fsync, the catalog's commit, the
// index's segment) once per batch rather than once per file, and the index
// builds one segment for the batch, which costs it far less than one per
// mission, then in merging them. A batch is whatever was read while the
// previous one was being written: one file when they come one by one, more
// when extractions run faster than commits, and, with Config.Linger, those
// read within the linger. Each Ingest returns once its own file is written,
// as before.

// maxBatch bounds the files written together.
const maxBatch = 64

// pending is a file read, on its way to the catalog and the index.
type pending struct {
	data     []byte
	logEntry store.LogEntry
	set      map[uint64]struct{} // shingles of the text, for twins
	entry    *store.Entry        // DuplicateOf and Mission are set when written

	taken bool // in a batch being written; under Service.qmu
	done  bool // under Service.mu
	res   *Result
	err   error
}

// commit writes p, with the files waiting beside it, and returns once p is
// written (p.res) or has failed (p.err).
func (s *Service) commit(ctx context.Context, p *pending) {
	s.qmu.Lock()
	s.queued = append(s.queued, p)
	s.qcond.Broadcast()
	if s.cfg.Linger > 0 {
		s.linger(p)
	}
	s.qmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.done {
		return // written in the batch of a file before it
	}
	s.qmu.Lock()
	n := min(len(s.queued), maxBatch)
	batch := s.queued[:n:n]
	s.queued = s.queued[n:]
	for _, q := range batch {
		q.taken = true
	}
	s.qmu.Unlock()
	s.commitBatch(ctx, batch)
}

// linger waits, for at most Config.Linger, until p is taken in a batch, a
// batch is full, or no other file is being read. Call with qmu held.
func (s *Service) linger(p *pending) {
	over := false
	t := time.AfterFunc(s.cfg.Linger, func() {
		s.qmu.Lock()
		over = true
		s.qcond.Broadcast()
		s.qmu.Unlock()
	})
	defer t.Stop()
	for !over && !p.taken && len(s.queued) < maxBatch && len(s.workers) > 0 {
		s.qcond.Wait()
	}
}

// commitBatch writes batch. Call with mu held.
func (s *Service) commitBatch(ctx context.Context, batch []*pending) {
	var (
		fresh []*pending
		again []*pending // the same bytes as a file before them in batch
		seen  = map[string]bool{}
	)
	for _, p := range batch {
		p.done = true
		sha := p.entry.SHA256
		if seen[sha] {
			again = append(again, p)
			continue
		}
		seen[sha] = true
		// The same bytes may have come in while this copy was being read.
		if res, err := s.existing(ctx, sha, p.logEntry); !errors.Is(err, store.ErrNotFound) {
			p.res, p.err = res, err
			continue
		}
		e := p.entry
		e.DuplicateOf = s.twinOf(ctx, e.ID, p.set, e.Signature, fresh)
		e.Mission = Apply(e.Extracted, e.Corrections, s.cfg.CountryOf)
		fresh = append(fresh, p)
	}

	// Originals first, then the catalog in one transaction, then the index:
	// a crash at any point leaves either nothing visible or complete
	// missions that Reconcile indexes at the next start.
	start := time.Now()
	fresh = s.keepOriginals(ctx, fresh)
	fresh = s.insert(ctx, fresh)
	s.indexAll(ctx, fresh)
	if len(fresh) > 0 {
		s.log.Debug("missions written together", "missions", len(fresh), "duration", time.Since(start).Round(time.Millisecond))
	}

	if len(again) > 0 {
		// Answered by the mission their twin bytes just became (or, if
		// those failed, written now).
		s.commitBatch(ctx, again)
	}
}

// keepOriginals writes the originals of batch, each synced to disk, side by
// side, and returns the files whose original is kept.
func (s *Service) keepOriginals(ctx context.Context, batch []*pending) []*pending {
	var wg sync.WaitGroup
	for _, p := range batch {
		wg.Go(func() {
			if _, err := s.store.PutOriginal(p.data); err != nil {
				p.err = fmt.Errorf("service: ingest %s: %w", p.logEntry.Filename, err)
			}
		})
	}
	wg.Wait()
	return s.succeeded(ctx, batch)
}

// insert catalogs batch in one transaction; when that fails, one file at a
// time, so that only a file at fault fails. It returns the files cataloged.
func (s *Service) insert(ctx context.Context, batch []*pending) []*pending {
	if len(batch) == 0 {
		return nil
	}
	entries := make([]*store.Entry, len(batch))
	logs := make([]store.LogEntry, len(batch))
	for i, p := range batch {
		p.logEntry.Outcome = store.Created
		entries[i], logs[i] = p.entry, p.logEntry
	}
	err := s.store.InsertAll(ctx, entries, logs)
	if err != nil && len(batch) > 1 {
		s.log.Warn("catalog batch failed, one file at a time", "files", len(batch), "err", err)
		for _, p := range batch {
			if err := s.store.Insert(ctx, p.entry, p.logEntry); err != nil {
				p.err = fmt.Errorf("service: ingest %s: %w", p.logEntry.Filename, err)
			}
		}
	} else if err != nil {
		batch[0].err = fmt.Errorf("service: ingest %s: %w", batch[0].logEntry.Filename, err)
	}
	batch = s.succeeded(ctx, batch)
	for _, p := range batch {
		e := p.entry
		s.sigs = append(s.sigs, store.Signature{ID: e.ID, DuplicateOf: e.DuplicateOf, Signature: e.Signature})
	}
	return batch
}

// succeeded logs the failures of batch and returns the files that have none.
func (s *Service) succeeded(ctx context.Context, batch []*pending) []*pending {
	var ok []*pending
	for _, p := range batch {
		if p.err != nil {
			s.logFailure(ctx, p.logEntry, p.err)
			continue
		}
		ok = append(ok, p)
	}
	return ok
}

// indexAll puts the missions of batch, cataloged, in the index at once, and
// records that the index has them.
func (s *Service) indexAll(ctx context.Context, batch []*pending) {
	if len(batch) == 0 {
		return
	}
	recs := make([]*mission.Mission, len(batch))
	for i, p := range batch {
		recs[i] = p.entry.Record()
	}
	bi, batched := s.index.(batchIndex)
	if batched {
		if err := bi.PutBatch(recs); err != nil {
			s.log.Warn("index batch failed, one mission at a time", "missions", len(recs), "err", err)
			batched = false
		}
	}
	if !batched {
		// One at a time: a record the index rejects fails alone.
		for i, p := range batch {
			if err := s.index.Put(recs[i]); err != nil {
				p.err = fmt.Errorf("service: ingest %s: stored but not indexed: index %s: %w", p.logEntry.Filename, p.entry.ID, err)
			}
		}
	}
	var done []*store.Entry
	var indexed []*mission.Mission
	for i, p := range batch {
		if p.err != nil {
			continue
		}
		e := p.entry
		done, indexed = append(done, e), append(indexed, recs[i])
		p.res = &Result{Mission: recs[i], Created: true}
		s.log.Info("mission ingested", "mission_id", e.ID, "filename", e.Extracted.Filename, "size", e.Extracted.Size,
			"source", p.logEntry.Source, "duplicate_of", e.DuplicateOf)
	}
	s.markIndexed(ctx, done, indexed)
}

// markIndexed records that the index has entries, recs their records as
// it was given them, and keeps the fingerprints of those
// (cfg.FingerprintKey), which the next start then need not compute
// (Reconcile), in one transaction. Every mission put in the index passes
// here: it also tells the compaction when idle of the write.
func (s *Service) markIndexed(ctx context.Context, entries []*store.Entry, recs []*mission.Mission) {
	if len(entries) == 0 {
		return
	}
	s.wrote()
	key := s.cfg.FingerprintKey // "" without a Fingerprint (New)
	done := make([]store.Indexed, len(entries))
	for i, e := range entries {
		done[i] = store.Indexed{ID: e.ID, Version: e.Version}
		if key == "" {
			continue
		}
		fp, err := s.cfg.Fingerprint(recs[i])
		if err != nil {
			// The next start computes it, and fails the same way.
			s.log.Warn("fingerprint", "mission_id", e.ID, "err", err)
			continue
		}
		done[i].Fingerprint = fp
	}
	if err := s.store.MarkAllIndexed(ctx, key, done); err != nil {
		// The index has them; at worst the next start indexes them again.
		s.log.Warn("mark indexed", "missions", len(done), "err", err)
	}
}
