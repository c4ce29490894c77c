package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"escale/internal/mission"
)

// Entry is one mission in the catalog.
type Entry struct {
	ID     string
	SHA256 string
	// Extracted is the record as the extractor read it; Mission is the same
	// with the corrections applied, what users see and the index holds.
	Extracted   *mission.Mission
	Mission     *mission.Mission
	Corrections []Correction // oldest first
	// Signature summarises the text for near-duplicate detection (the
	// service's business: the store keeps it opaque).
	Signature   []byte
	DuplicateOf string
	// Version grows with every change; IndexedVersion is the last version the
	// index confirmed, so a difference means the index must be told again.
	Version        int64
	IndexedVersion int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Correction is one field a person set by hand: it overrides what the
// extractor read, now and after any re-extraction.
type Correction struct {
	Field string          // a record field name: title, destinations, start_date, end_date, year, themes
	Value json.RawMessage // its JSON value
	At    time.Time
	By    string // where it came from: "upload", "api", "web"...
}

// Record returns the mission as users see it, with the catalog's own fields
// (id, hash, duplicate) filled in.
func (e *Entry) Record() *mission.Mission {
	m := *e.Mission
	m.MissionID = e.ID
	m.SHA256 = e.SHA256
	m.DuplicateOf = e.DuplicateOf
	m.Normalize()
	return &m
}

// Insert adds a new mission and its ingest-log line in one transaction. It
// returns ErrExists when a mission with the same SHA-256 is already there.
// The original must have been kept (PutOriginal) before.
func (s *Store) Insert(ctx context.Context, e *Entry, log LogEntry) error {
	return s.InsertAll(ctx, []*Entry{e}, []LogEntry{log})
}

// InsertAll adds new missions, each with its ingest-log line (logs[i] for
// es[i]), in one transaction: all of them or, on error, none. One commit
// for many missions is one wait for the disk instead of many. It returns
// ErrExists when one has the SHA-256 or id of a mission already there or
// of another in es. Their originals must have been kept (PutOriginal) before.
func (s *Store) InsertAll(ctx context.Context, es []*Entry, logs []LogEntry) error {
	if len(es) != len(logs) {
		return fmt.Errorf("store: insert: %d entries, %d log lines", len(es), len(logs))
	}
	for _, e := range es {
		if e.ID == "" || !validSHA(e.SHA256) || e.Mission == nil || e.Extracted == nil {
			return fmt.Errorf("store: insert: incomplete entry %q", e.ID)
		}
	}
	now := s.now().UTC()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: insert: %w", err)
	}
	defer tx.Rollback()
	for i, e := range es {
		if err := insertEntry(ctx, tx, e, logs[i], now); err != nil {
			return fmt.Errorf("store: insert %s: %w", e.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: insert: %w", err)
	}
	for _, e := range es {
		e.CreatedAt, e.UpdatedAt = now, now
		if e.Version == 0 {
			e.Version = 1
		}
	}
	return nil
}

// insertEntry writes a new mission and its log line within tx.
func insertEntry(ctx context.Context, tx *sql.Tx, e *Entry, log LogEntry, now time.Time) error {
	version := e.Version
	if version == 0 {
		version = 1
	}
	var other string
	err := tx.QueryRowContext(ctx, "SELECT id FROM missions WHERE sha256 = ? OR id = ?", e.SHA256, e.ID).Scan(&other)
	if err == nil {
		return fmt.Errorf("%w (as %s)", ErrExists, other)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	extracted, record, err := encodeRecords(e)
	if err != nil {
		return err
	}
	m := e.Mission
	_, err = tx.ExecContext(ctx, `INSERT INTO missions
		(id, sha256, filename, format, size, pages, title, year, start_date, end_date, duplicate_of,
		 extracted, record, signature, version, indexed_version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.SHA256, m.Filename, m.Format, m.Size, m.Pages, m.Title, m.Year, m.StartDate, m.EndDate,
		nullString(e.DuplicateOf), extracted, record, e.Signature, version, e.IndexedVersion,
		now.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
	if err != nil {
		return err
	}
	if err := writeDetails(ctx, tx, e.ID, m); err != nil {
		return err
	}
	for i := range e.Corrections {
		if err := insertCorrection(ctx, tx, e.ID, &e.Corrections[i], now); err != nil {
			return err
		}
	}
	if log.MissionID == "" {
		log.MissionID = e.ID
	}
	return insertLog(ctx, tx, &log, now)
}

// Update changes a mission in one transaction: change may edit the entry's
// Extracted, Mission, Signature and DuplicateOf, and returns corrections to
// add. The version grows, so the index is told again.
func (s *Store) Update(ctx context.Context, id string, change func(e *Entry) ([]Correction, error)) (*Entry, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: update %s: %w", id, err)
	}
	defer tx.Rollback()
	e, err := getEntry(ctx, tx, "id", id)
	if err != nil {
		return nil, fmt.Errorf("store: update %s: %w", id, err)
	}
	added, err := change(e)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	for i := range added {
		if err := insertCorrection(ctx, tx, id, &added[i], now); err != nil {
			return nil, fmt.Errorf("store: update %s: %w", id, err)
		}
		e.Corrections = append(e.Corrections, added[i])
	}
	e.Version++
	e.UpdatedAt = now
	if err := rewrite(ctx, tx, e); err != nil {
		return nil, fmt.Errorf("store: update %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: update %s: %w", id, err)
	}
	return e, nil
}

// Deleted is what Delete removed and what it changed on the way.
type Deleted struct {
	Entry *Entry
	// Relinked lists the missions that named the deleted one as their twin
	// and now name another (or none): the index must be told again.
	Relinked []string
}

// Delete removes a mission from the catalog, then its original. Missions
// flagged as its duplicates are relinked to the oldest of them.
func (s *Store) Delete(ctx context.Context, id string) (*Deleted, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: delete %s: %w", id, err)
	}
	defer tx.Rollback()
	e, err := getEntry(ctx, tx, "id", id)
	if err != nil {
		return nil, fmt.Errorf("store: delete %s: %w", id, err)
	}
	twins, err := queryStrings(ctx, tx, "SELECT id FROM missions WHERE duplicate_of = ? ORDER BY created_at, id", id)
	if err != nil {
		return nil, fmt.Errorf("store: delete %s: %w", id, err)
	}
	now := s.now().UTC().Format(time.RFC3339Nano)
	// The oldest twin (which the deleted mission's own twin, if any, also
	// becomes) stands as the original for the others.
	for i, twin := range twins {
		var to any
		if i > 0 {
			to = twins[0]
		} else {
			to = nullString(e.DuplicateOf)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE missions SET duplicate_of = ?, version = version + 1, updated_at = ? WHERE id = ?", to, now, twin); err != nil {
			return nil, fmt.Errorf("store: delete %s: relink %s: %w", id, twin, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM missions WHERE id = ?", id); err != nil {
		return nil, fmt.Errorf("store: delete %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: delete %s: %w", id, err)
	}
	// After the commit: a crash in between leaves an orphan file that
	// RemoveOrphans takes away, never a mission without its original.
	if err := s.removeOriginal(e.SHA256); err != nil {
		return nil, err
	}
	return &Deleted{Entry: e, Relinked: twins}, nil
}

// Get returns the mission with that id.
func (s *Store) Get(ctx context.Context, id string) (*Entry, error) {
	e, err := getEntry(ctx, s.db, "id", id)
	if err != nil {
		return nil, fmt.Errorf("store: get %s: %w", id, err)
	}
	return e, nil
}

// Record returns mission id's record as the index holds it (Entry.Record)
// and the mission's version, reading only what that needs: at start, every
// mission's is read to compare it with the index, and its extracted record
// and corrections, as large again, are not needed there.
func (s *Store) Record(ctx context.Context, id string) (*mission.Mission, int64, error) {
	e := &Entry{Mission: &mission.Mission{}}
	var record string
	var dup sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT id, sha256, COALESCE(duplicate_of, ''), record, version FROM missions WHERE id = ?", id).
		Scan(&e.ID, &e.SHA256, &dup, &record, &e.Version)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err == nil {
		err = json.Unmarshal([]byte(record), e.Mission)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: record %s: %w", id, err)
	}
	e.DuplicateOf = dup.String
	return e.Record(), e.Version, nil
}

// Fingerprint is the fingerprint of version Version of mission ID's record.
type Fingerprint struct {
	ID      string
	Value   string
	Version int64
}

// The queries a start runs for every mission read only what the
// missions_versions and missions_signatures indexes hold, not the missions'
// large rows; INDEXED BY keeps SQLite from looking an id up in the primary
// key's index instead, which leaves the versions in the rows
// (TestStartQueriesReadNoRows).
const (
	signaturesQuery = `SELECT id, COALESCE(duplicate_of, ''), signature FROM missions INDEXED BY missions_signatures
		WHERE signature IS NOT NULL ORDER BY created_at, id`
	staleQuery        = "SELECT id FROM missions INDEXED BY missions_versions WHERE indexed_version <> version ORDER BY id"
	fingerprintsQuery = `SELECT f.mission_id, f.value FROM fingerprints f JOIN missions m INDEXED BY missions_versions ON m.id = f.mission_id
		WHERE f.key = ? AND f.version = m.version`
	setFingerprintQuery = `INSERT INTO fingerprints (mission_id, key, version, value)
		SELECT id, ?, version, ? FROM missions INDEXED BY missions_versions WHERE id = ? AND version = ?
		ON CONFLICT (mission_id) DO UPDATE SET key = excluded.key, version = excluded.version, value = excluded.value`
)

// Fingerprints returns, by mission id, the fingerprints recorded under key
// (SetFingerprints) for the missions' current versions. A key names how
// fingerprints are computed: those of another key are not returned.
func (s *Store) Fingerprints(ctx context.Context, key string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, fingerprintsQuery, key)
	if err != nil {
		return nil, fmt.Errorf("store: fingerprints: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, fp string
		if err := rows.Scan(&id, &fp); err != nil {
			return nil, fmt.Errorf("store: fingerprints: %w", err)
		}
		out[id] = fp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: fingerprints: %w", err)
	}
	return out, nil
}

// SetFingerprints records fingerprints computed under key, in one
// transaction. A fingerprint whose mission has changed since the version it
// was computed from is not recorded.
func (s *Store) SetFingerprints(ctx context.Context, key string, fps []Fingerprint) error {
	// Only for a mission still at that version.
	return s.execEach(ctx, "set fingerprints", len(fps), rowStatement{setFingerprintQuery,
		func(i int) []any { return []any{key, fps[i].Value, fps[i].ID, fps[i].Version} }})
}

// GetBySHA returns the mission read from the bytes with that SHA-256.
func (s *Store) GetBySHA(ctx context.Context, sha string) (*Entry, error) {
	e, err := getEntry(ctx, s.db, "sha256", sha)
	if err != nil {
		return nil, fmt.Errorf("store: get by hash %s: %w", sha, err)
	}
	return e, nil
}

// IDs returns the id of every mission, sorted.
func (s *Store) IDs(ctx context.Context) ([]string, error) {
	ids, err := queryStrings(ctx, s.db, "SELECT id FROM missions ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: ids: %w", err)
	}
	return ids, nil
}

// Stale returns the ids of the missions whose current version the index has
// not confirmed.
func (s *Store) Stale(ctx context.Context) ([]string, error) {
	ids, err := queryStrings(ctx, s.db, staleQuery)
	if err != nil {
		return nil, fmt.Errorf("store: stale: %w", err)
	}
	return ids, nil
}

// Indexed names a version of a mission the index holds and, when known,
// the fingerprint of its record (see Fingerprints).
type Indexed struct {
	ID          string
	Version     int64
	Fingerprint string
}

// MarkAllIndexed records that the index holds the versions of the missions
// done, in one transaction (a newer version written meanwhile stays stale),
// which also keeps under key (none when "") the fingerprints given.
func (s *Store) MarkAllIndexed(ctx context.Context, key string, done []Indexed) error {
	stmts := []rowStatement{{"UPDATE missions SET indexed_version = ? WHERE id = ? AND version = ?",
		func(i int) []any { return []any{done[i].Version, done[i].ID, done[i].Version} }}}
	if key != "" {
		stmts = append(stmts, rowStatement{setFingerprintQuery, func(i int) []any {
			if done[i].Fingerprint == "" {
				return nil
			}
			return []any{key, done[i].Fingerprint, done[i].ID, done[i].Version}
		}})
	}
	return s.execEach(ctx, "mark indexed", len(done), stmts...)
}

// rowStatement is a statement execEach runs for each row: args gives the
// row's arguments, nil to leave the row out.
type rowStatement struct {
	query string
	args  func(i int) []any
}

// execEach runs each statement for each of n rows, in one transaction,
// each statement prepared once; what names it in errors.
func (s *Store) execEach(ctx context.Context, what string, n int, stmts ...rowStatement) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer tx.Rollback()
	prepared := make([]*sql.Stmt, len(stmts))
	for j, st := range stmts {
		if prepared[j], err = tx.PrepareContext(ctx, st.query); err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		defer prepared[j].Close()
	}
	for i := range n {
		for j, st := range stmts {
			args := st.args(i)
			if args == nil {
				continue
			}
			if _, err := prepared[j].ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("store: %s, row %d of %d: %w", what, i+1, n, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// MarkAllStale makes every mission stale, before rebuilding the index.
func (s *Store) MarkAllStale(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE missions SET indexed_version = 0"); err != nil {
		return fmt.Errorf("store: mark all stale: %w", err)
	}
	return nil
}

// Signature is one mission's text summary, for near-duplicate detection.
type Signature struct {
	ID          string
	DuplicateOf string
	Signature   []byte
}

// Signatures returns the signature of every mission, oldest first.
func (s *Store) Signatures(ctx context.Context) ([]Signature, error) {
	rows, err := s.db.QueryContext(ctx, signaturesQuery)
	if err != nil {
		return nil, fmt.Errorf("store: signatures: %w", err)
	}
	defer rows.Close()
	var out []Signature
	for rows.Next() {
		var sg Signature
		if err := rows.Scan(&sg.ID, &sg.DuplicateOf, &sg.Signature); err != nil {
			return nil, fmt.Errorf("store: signatures: %w", err)
		}
		out = append(out, sg)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: signatures: %w", err)
	}
	return out, nil
}

// Count returns how many missions the catalog holds.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM missions").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getEntry loads one mission by id or by sha256 (column is ours, never input).
func getEntry(ctx context.Context, q querier, column, value string) (*Entry, error) {
	e := &Entry{}
	var extracted, record, created, updated string
	var dup sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, sha256, COALESCE(duplicate_of, ''), extracted, record, signature,
		version, indexed_version, created_at, updated_at FROM missions WHERE `+column+` = ?`, value).
		Scan(&e.ID, &e.SHA256, &dup, &extracted, &record, &e.Signature, &e.Version, &e.IndexedVersion, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	e.DuplicateOf = dup.String
	e.CreatedAt, e.UpdatedAt = parseStamp(created), parseStamp(updated)
	e.Extracted, e.Mission = &mission.Mission{}, &mission.Mission{}
	if err := json.Unmarshal([]byte(extracted), e.Extracted); err != nil {
		return nil, fmt.Errorf("extracted record: %w", err)
	}
	if err := json.Unmarshal([]byte(record), e.Mission); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	rows, err := q.QueryContext(ctx, "SELECT field, value, at, by FROM corrections WHERE mission_id = ? ORDER BY id", e.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Correction
		var value, at string
		if err := rows.Scan(&c.Field, &value, &at, &c.By); err != nil {
			return nil, err
		}
		c.Value, c.At = json.RawMessage(value), parseStamp(at)
		e.Corrections = append(e.Corrections, c)
	}
	return e, rows.Err()
}

// encodeRecords serialises both records without the catalog's own fields,
// which live in columns.
func encodeRecords(e *Entry) (extracted, record string, err error) {
	enc := func(m *mission.Mission) (string, error) {
		c := *m
		c.MissionID, c.DuplicateOf = "", ""
		b, err := json.Marshal(&c)
		return string(b), err
	}
	if extracted, err = enc(e.Extracted); err != nil {
		return "", "", err
	}
	if record, err = enc(e.Mission); err != nil {
		return "", "", err
	}
	return extracted, record, nil
}

func rewrite(ctx context.Context, tx *sql.Tx, e *Entry) error {
	extracted, record, err := encodeRecords(e)
	if err != nil {
		return err
	}
	m := e.Mission
	_, err = tx.ExecContext(ctx, `UPDATE missions SET filename = ?, format = ?, size = ?, pages = ?, title = ?,
		year = ?, start_date = ?, end_date = ?, duplicate_of = ?, extracted = ?, record = ?, signature = ?,
		version = ?, updated_at = ? WHERE id = ?`,
		m.Filename, m.Format, m.Size, m.Pages, m.Title, m.Year, m.StartDate, m.EndDate, nullString(e.DuplicateOf),
		extracted, record, e.Signature, e.Version, e.UpdatedAt.Format(time.RFC3339Nano), e.ID)
	if err != nil {
		return err
	}
	return writeDetails(ctx, tx, e.ID, m)
}

// writeDetails replaces the rows that break a record down for queries.
func writeDetails(ctx context.Context, tx *sql.Tx, id string, m *mission.Mission) error {
	for _, table := range []string{"destinations", "themes", "organizations", "sections", "objectives", "outcomes", "warnings"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE mission_id = ?", id); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	for i, d := range m.Destinations {
		if _, err := tx.ExecContext(ctx, "INSERT INTO destinations VALUES (?, ?, ?, ?)", id, i, d.City, d.Country); err != nil {
			return fmt.Errorf("destinations: %w", err)
		}
	}
	for _, t := range m.Themes {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO themes VALUES (?, ?)", id, t); err != nil {
			return fmt.Errorf("themes: %w", err)
		}
	}
	for i, o := range m.Organizations {
		if _, err := tx.ExecContext(ctx, "INSERT INTO organizations VALUES (?, ?, ?)", id, i, o); err != nil {
			return fmt.Errorf("organizations: %w", err)
		}
	}
	for i, sct := range m.Sections {
		if _, err := tx.ExecContext(ctx, "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?)", id, i, sct.Heading, sct.Kind, sct.Text, sct.Page); err != nil {
			return fmt.Errorf("sections: %w", err)
		}
	}
	for i, o := range m.Objectives {
		if _, err := tx.ExecContext(ctx, "INSERT INTO objectives VALUES (?, ?, ?, ?)", id, i, o.Text, o.Page); err != nil {
			return fmt.Errorf("objectives: %w", err)
		}
	}
	for i, o := range m.Outcomes {
		themes, _ := json.Marshal(o.Themes)
		if o.Themes == nil {
			themes = []byte("[]")
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?)", id, i, o.Category, o.Title, o.Text, o.Page, string(themes)); err != nil {
			return fmt.Errorf("outcomes: %w", err)
		}
	}
	for i, w := range m.Warnings {
		if _, err := tx.ExecContext(ctx, "INSERT INTO warnings VALUES (?, ?, ?)", id, i, w); err != nil {
			return fmt.Errorf("warnings: %w", err)
		}
	}
	return nil
}

func insertCorrection(ctx context.Context, tx *sql.Tx, id string, c *Correction, now time.Time) error {
	if c.At.IsZero() {
		c.At = now
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO corrections (mission_id, field, value, at, by) VALUES (?, ?, ?, ?, ?)",
		id, c.Field, string(c.Value), c.At.UTC().Format(time.RFC3339Nano), c.By)
	if err != nil {
		return fmt.Errorf("correction %s: %w", c.Field, err)
	}
	return nil
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
