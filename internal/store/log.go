package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Outcomes of an ingestion attempt, as the ingest log records them.
const (
	Created  = "created"  // a new mission
	Existing = "existing" // the same bytes were there already
	Refused  = "refused"  // the file was refused (Code and Message say why)
	Failed   = "failed"   // our own fault: the file may be sent again
)

// LogEntry is one ingestion attempt.
type LogEntry struct {
	At        time.Time
	Filename  string
	SHA256    string
	Size      int64
	Outcome   string // Created, Existing, Refused or Failed
	Code      string // the refusal's code
	Message   string // the refusal's French message
	MissionID string
	Source    string // "api", "ingest", "watch", "demo"...
}

// Log records an ingestion attempt that added no mission (Insert logs the
// ones that did).
func (s *Store) Log(ctx context.Context, e LogEntry) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: log: %w", err)
	}
	defer tx.Rollback()
	if err := insertLog(ctx, tx, &e, s.now().UTC()); err != nil {
		return fmt.Errorf("store: log: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: log: %w", err)
	}
	return nil
}

// IngestLog returns the last limit attempts, newest first.
func (s *Store) IngestLog(ctx context.Context, limit int) ([]LogEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, filename, sha256, size, outcome, code, message, mission_id, source
		FROM ingest_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: ingest log: %w", err)
	}
	defer rows.Close()
	var out []LogEntry
	for rows.Next() {
		var e LogEntry
		var at string
		if err := rows.Scan(&at, &e.Filename, &e.SHA256, &e.Size, &e.Outcome, &e.Code, &e.Message, &e.MissionID, &e.Source); err != nil {
			return nil, fmt.Errorf("store: ingest log: %w", err)
		}
		e.At = parseStamp(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ingest log: %w", err)
	}
	return out, nil
}

func insertLog(ctx context.Context, tx *sql.Tx, e *LogEntry, now time.Time) error {
	if e.At.IsZero() {
		e.At = now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ingest_log (at, filename, sha256, size, outcome, code, message, mission_id, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.At.UTC().Format(time.RFC3339Nano), e.Filename, e.SHA256, e.Size, e.Outcome, e.Code, e.Message, e.MissionID, e.Source)
	if err != nil {
		return fmt.Errorf("ingest log: %w", err)
	}
	return nil
}
