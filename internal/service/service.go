// Package service is what Escale does with reports, whatever asks for it
// (HTTP, the command line, a watched folder): ingest a file (keep it, read
// it, flag twins, apply people's corrections, catalog it, index it), correct,
// delete and reindex missions, keep the index in step with the catalog, and
// compact it once writes pause (compact.go).
//
// The catalog (package store) is the source of truth and is written first;
// the index follows. A mission the index has not confirmed stays "stale" in
// the catalog, and Reconcile, run at start, indexes it again.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"escale/internal/mission"
	"escale/internal/store"
)

// Extractor reads one report into a mission record. A file it will not read
// gives an error wrapping a *mission.Refusal.
type Extractor interface {
	Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error)
}

// Index is the part of the search index the service keeps in step with the
// catalog.
type Index interface {
	// Put adds or replaces a mission (keyed by its MissionID).
	Put(m *mission.Mission) error
	// Delete removes a mission; a missing one is not an error.
	Delete(id string) error
	// IDs lists the missions the index holds, each with the fingerprint of
	// the record indexed under it.
	IDs() (map[string]string, error)
}

// ErrBusy means the extraction queue is full: the client should retry later.
var ErrBusy = errors.New("service: extraction queue full")

// Config tunes a Service. Zero values take the defaults.
type Config struct {
	Workers int // extractions at once (default 2)
	Queue   int // extractions waiting beyond those (default 16)
	// ValidTheme says whether a theme id exists in the taxonomy; nil
	// accepts any plausible id.
	ValidTheme func(id string) bool
	// CountryOf names the country of a city, to complete corrections that
	// give only a city; nil leaves it empty.
	CountryOf func(city string) string
	// Fingerprint, when set, is what the index's IDs reports for a record
	// once indexed: Reconcile then checks every mission's, not only those
	// the catalog knows to be stale.
	Fingerprint func(m *mission.Mission) (string, error)
	// FingerprintKey names the Fingerprint function: the same key, the
	// same fingerprint for the same record. The catalog keeps the
	// fingerprints Reconcile computes under it, so that the next start
	// reads only the records changed since. Empty, or without a
	// Fingerprint: none are kept, and every start reads every record.
	FingerprintKey string
	// Linger is how long a file read may wait, while others are still
	// being read, for them to be written with it (commit.go); 0: what is
	// read is written at once. Bulk ingestion sets it: the index's work
	// per mission falls as its batches grow.
	Linger time.Duration
	// CompactIdle is how long the index goes without a write before the
	// service compacts it (compact.go), when the index compacts; 0:
	// DefaultCompactIdle; negative: never. Close stops it.
	CompactIdle time.Duration
	Logger      *slog.Logger
}

// Service ingests, corrects, deletes and reindexes missions. It is safe for
// concurrent use. Close it before closing its index.
type Service struct {
	store *store.Store
	index Index
	ex    Extractor
	cfg   Config
	log   *slog.Logger

	slots   chan struct{} // admitted extractions: running or waiting
	workers chan struct{} // running extractions

	// mu serialises every change of catalog and index, so that the index
	// sees changes in the catalog's order and twins are looked for among
	// committed missions only.
	mu   sync.Mutex
	sigs []store.Signature // every mission's signature, oldest first; under mu

	queued []*pending // read files waiting for their commit (commit.go); under qmu
	qmu    sync.Mutex
	qcond  *sync.Cond // on qmu: a file queued, or a linger over

	idle       *idler     // compaction when idle (compact.go); nil: none
	compacting sync.Mutex // one compaction at a time
}

// New returns a service over a store, an index and an extractor.
func New(ctx context.Context, st *store.Store, idx Index, ex Extractor, cfg Config) (*Service, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Queue < 0 {
		cfg.Queue = 0
	} else if cfg.Queue == 0 {
		cfg.Queue = 16
	}
	if cfg.Fingerprint == nil {
		cfg.FingerprintKey = "" // nothing to keep
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	sigs, err := st.Signatures(ctx)
	if err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	s := &Service{
		store: st, index: idx, ex: ex, cfg: cfg, log: cfg.Logger,
		slots:   make(chan struct{}, cfg.Workers+cfg.Queue),
		workers: make(chan struct{}, cfg.Workers),
		sigs:    sigs,
		idle:    newIdler(idx, cfg),
	}
	s.qcond = sync.NewCond(&s.qmu)
	return s, nil
}

// ValidTheme is the taxonomy check the service applies to corrections.
func (s *Service) ValidTheme(id string) bool {
	if s.cfg.ValidTheme == nil {
		return plausibleID(id)
	}
	return s.cfg.ValidTheme(id)
}

// Upload is one file to ingest.
type Upload struct {
	Filename    string // as the sender named it: kept as metadata, never used as a path
	Data        []byte
	Corrections Corrections // from the upload form: they override what is read
	Source      string      // who sends it, for the ingest log: api, ingest, watch, demo
}

// Result is what an ingestion gave.
type Result struct {
	Mission *mission.Mission
	Created bool // false: the same bytes were there already, Mission is theirs
}

// Ingest keeps, reads, catalogs and indexes one file. When it returns
// without error the mission is on disk and searchable. The same bytes twice
// give the first mission back (Created false). A file the extractor refuses
// gives an error wrapping its *mission.Refusal; a full queue gives ErrBusy.
func (s *Service) Ingest(ctx context.Context, up Upload) (*Result, error) {
	name := SafeFilename(up.Filename)
	size := int64(len(up.Data))
	sha := store.Hash(up.Data)
	logEntry := store.LogEntry{Filename: name, SHA256: sha, Size: size, Source: up.Source}
	if size == 0 {
		return nil, s.refused(ctx, logEntry, mission.Refuse(mission.ErrEmpty, "%s: 0 bytes", name))
	}
	if res, err := s.existing(ctx, sha, logEntry); !errors.Is(err, store.ErrNotFound) {
		return res, err
	}

	m, err := s.extract(ctx, up.Data, name)
	if err != nil {
		if _, ok := mission.RefusalOf(err); ok {
			return nil, s.refused(ctx, logEntry, err)
		}
		if errors.Is(err, ErrBusy) || ctx.Err() != nil {
			return nil, err
		}
		s.logFailure(ctx, logEntry, err)
		return nil, fmt.Errorf("service: ingest %s: %w", name, err)
	}

	// From here on a closed connection must not stop half-way: the commit
	// runs to its end and the next upload of the same bytes finds it.
	ctx = context.WithoutCancel(ctx)
	m.MissionID = MissionID(sha)
	m.Filename = name
	m.SHA256 = sha
	m.Size = size
	m.DuplicateOf = ""
	m.Normalize()
	for i := range up.Corrections {
		up.Corrections[i].By = sourceOr(up.Source, "upload")
	}
	set := shingles(m.Text)
	c := &pending{
		data:     up.Data,
		logEntry: logEntry,
		set:      set,
		entry: &store.Entry{
			ID:          m.MissionID,
			SHA256:      sha,
			Extracted:   m,
			Signature:   signature(set),
			Corrections: up.Corrections,
		},
	}
	s.commit(ctx, c)
	return c.res, c.err
}

// Refused records in the ingest log a file refused before it reached
// Ingest (too large to receive, say), and returns err.
func (s *Service) Refused(ctx context.Context, filename string, size int64, err error) error {
	if _, ok := mission.RefusalOf(err); !ok {
		return err
	}
	return s.refused(ctx, store.LogEntry{Filename: SafeFilename(filename), Size: size, Source: "api"}, err)
}

// existing returns the mission already read from these bytes, making sure
// it is indexed, or an error wrapping store.ErrNotFound.
func (s *Service) existing(ctx context.Context, sha string, logEntry store.LogEntry) (*Result, error) {
	e, err := s.store.GetBySHA(ctx, sha)
	if err != nil {
		return nil, err
	}
	if e.IndexedVersion != e.Version {
		if err := s.indexEntry(ctx, e); err != nil {
			return nil, fmt.Errorf("service: ingest %s: %w", logEntry.Filename, err)
		}
	}
	logEntry.Outcome, logEntry.MissionID = store.Existing, e.ID
	if err := s.store.Log(ctx, logEntry); err != nil {
		s.log.Warn("ingest log", "err", err)
	}
	return &Result{Mission: e.Record(), Created: false}, nil
}

// extract runs the extractor within the queue's bounds.
func (s *Service) extract(ctx context.Context, data []byte, name string) (*mission.Mission, error) {
	select {
	case s.slots <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	defer func() { <-s.slots }()
	select {
	case s.workers <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.workers }()
	m, err := s.ex.Extract(ctx, data, name)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("extractor returned no record")
	}
	return m, nil
}

func (s *Service) refused(ctx context.Context, e store.LogEntry, err error) error {
	r, _ := mission.RefusalOf(err)
	e.Outcome, e.Code, e.Message = store.Refused, r.Code, r.Message
	if lerr := s.store.Log(ctx, e); lerr != nil {
		s.log.Warn("ingest log", "err", lerr)
	}
	s.log.Info("file refused", "filename", e.Filename, "code", r.Code, "detail", err.Error())
	return err
}

func (s *Service) logFailure(ctx context.Context, e store.LogEntry, err error) {
	e.Outcome, e.Code, e.Message = store.Failed, "internal", err.Error()
	if lerr := s.store.Log(context.WithoutCancel(ctx), e); lerr != nil {
		s.log.Warn("ingest log", "err", lerr)
	}
}

// twinOf returns the id of the stored mission whose text is nearly the same,
// or "": among those in the catalog, and those of batch, about to join them
// (their sets of shingles known). Call with mu held.
func (s *Service) twinOf(ctx context.Context, id string, set map[uint64]struct{}, sig []byte, batch []*pending) string {
	if sig == nil {
		return ""
	}
	best, bestScore := "", 0.0
	others := s.sigs
	if len(batch) > 0 {
		others = slices.Clip(others)
		for _, c := range batch {
			others = append(others, store.Signature{ID: c.entry.ID, DuplicateOf: c.entry.DuplicateOf, Signature: c.entry.Signature})
		}
	}
	for _, other := range others {
		if other.ID == id || estimate(sig, other.Signature) < candidateJaccard {
			continue
		}
		var otherSet map[uint64]struct{}
		if i := slices.IndexFunc(batch, func(c *pending) bool { return c.entry.ID == other.ID }); i >= 0 {
			otherSet = batch[i].set
		} else {
			e, err := s.store.Get(ctx, other.ID)
			if err != nil {
				s.log.Warn("duplicate check", "mission_id", other.ID, "err", err)
				continue
			}
			otherSet = shingles(e.Extracted.Text)
		}
		if j := jaccard(set, otherSet); j >= duplicateJaccard && j > bestScore {
			best, bestScore = other.ID, j
			if other.DuplicateOf != "" {
				best = other.DuplicateOf // point at the first of the family
			}
		}
	}
	return best
}

// indexEntry puts a mission in the index and records that the index has it.
func (s *Service) indexEntry(ctx context.Context, e *store.Entry) error {
	rec := e.Record()
	if err := s.index.Put(rec); err != nil {
		return fmt.Errorf("index %s: %w", e.ID, err)
	}
	s.markIndexed(ctx, []*store.Entry{e}, []*mission.Mission{rec})
	return nil
}

// Get returns the mission with that id (an error wrapping store.ErrNotFound
// when there is none).
func (s *Service) Get(ctx context.Context, id string) (*mission.Mission, error) {
	e, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.Record(), nil
}

// Entry returns the catalog entry of a mission, corrections included.
func (s *Service) Entry(ctx context.Context, id string) (*store.Entry, error) {
	return s.store.Get(ctx, id)
}

// Original opens the original file of a mission; the caller closes it.
func (s *Service) Original(ctx context.Context, id string) (*os.File, *mission.Mission, error) {
	e, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.store.OpenOriginal(e.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return f, e.Record(), nil
}

// Correct applies corrections to a mission and reindexes it.
func (s *Service) Correct(ctx context.Context, id string, cs Corrections, by string) (*mission.Mission, error) {
	if len(cs) == 0 {
		return s.Get(ctx, id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.store.Update(ctx, id, func(e *store.Entry) ([]store.Correction, error) {
		added := make([]store.Correction, len(cs))
		copy(added, cs)
		for i := range added {
			added[i].By = sourceOr(by, "api")
		}
		all := append(append([]store.Correction{}, e.Corrections...), added...)
		e.Mission = Apply(e.Extracted, all, s.cfg.CountryOf)
		return added, nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.indexEntry(ctx, e); err != nil {
		return nil, fmt.Errorf("service: correct %s: saved but not indexed: %w", id, err)
	}
	s.log.Info("mission corrected", "mission_id", id, "fields", len(cs), "by", by)
	return e.Record(), nil
}

// Delete removes a mission from the index and the store.
func (s *Service) Delete(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.store.Delete(ctx, id)
	if err != nil {
		return err
	}
	s.sigs = removeSig(s.sigs, id)
	if err := s.index.Delete(id); err != nil {
		return fmt.Errorf("service: delete %s: removed from the catalog, not yet from the index: %w", id, err)
	}
	s.wrote()
	for _, twin := range d.Relinked {
		e, err := s.store.Get(ctx, twin)
		if err != nil {
			continue
		}
		for i := range s.sigs {
			if s.sigs[i].ID == twin {
				s.sigs[i].DuplicateOf = e.DuplicateOf
			}
		}
		if err := s.indexEntry(ctx, e); err != nil {
			s.log.Warn("reindex twin", "mission_id", twin, "err", err)
		}
	}
	s.log.Info("mission deleted", "mission_id", id)
	return nil
}

func removeSig(sigs []store.Signature, id string) []store.Signature {
	out := sigs[:0]
	for _, sg := range sigs {
		if sg.ID != id {
			out = append(out, sg)
		}
	}
	return out
}

// IngestLog returns the last limit ingestion attempts, newest first.
func (s *Service) IngestLog(ctx context.Context, limit int) ([]store.LogEntry, error) {
	return s.store.IngestLog(ctx, limit)
}

// MissionID is the id of the mission read from bytes with that SHA-256: the
// same bytes always give the same id.
func MissionID(sha string) string { return sha[:16] }

// SafeFilename returns the base name of an uploaded file name, without
// directories, control characters or invalid UTF-8, at most 255 bytes: it is
// shown and offered back on download, never used as a path.
func SafeFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" || name == ".." {
		return "document"
	}
	return name
}

func sourceOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
