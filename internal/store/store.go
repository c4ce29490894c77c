// Package store keeps what Escale must never lose: the original files, byte for
// byte, addressed by their SHA-256, and a SQLite catalog of the missions read
// from them (the record as extracted, the corrections people made, the record
// with those corrections applied) and of every ingestion attempt. The search
// index is derived from the catalog and can always be rebuilt from it.
//
// The data directory looks like this:
//
//	DIR/catalog.db          the catalog (SQLite, WAL: also catalog.db-wal, -shm)
//	DIR/originals/ab/SHA    each original, named by its SHA-256 (ab = its first two digits)
//	DIR/tmp/                files being written, renamed into place once synced
//	DIR/index/              the search index (see package index), rebuilt at will
//	DIR/thumbnails/         pictures of PDF pages for the web pages, drawn at will
//	DIR/cache/ocr/          text read from scans by OCR, so no page is read twice
//	DIR/escale.lock         held by the process that owns the directory
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Errors callers act on.
var (
	// ErrNotFound means no mission has that id (or that SHA-256).
	ErrNotFound = errors.New("store: not found")
	// ErrExists means a mission with the same bytes is already in the catalog.
	ErrExists = errors.New("store: already exists")
	// ErrLocked means another process holds the data directory.
	ErrLocked = errors.New("store: data directory in use")
)

// Store is the catalog and the originals of one data directory. It is safe for
// concurrent use.
type Store struct {
	dir string
	db  *sql.DB
	now func() time.Time
}

// Paths inside the data directory.
const (
	catalogFile  = "catalog.db"
	originalsDir = "originals"
	tmpDir       = "tmp"
	// IndexDir is where the search index lives, beside the catalog.
	IndexDir = "index"
	// ThumbnailDir keeps the pictures of PDF pages the web pages show.
	ThumbnailDir = "thumbnails"
	// OCRCacheDir keeps what OCR read on scanned pages. Like the index and
	// the thumbnails it is derived from the originals: backups leave it out.
	OCRCacheDir = "cache/ocr"
)

// Open opens (creating it if needed) the data directory dir and migrates its
// catalog to the current schema.
func Open(ctx context.Context, dir string) (*Store, error) {
	for _, d := range []string{dir, filepath.Join(dir, originalsDir), filepath.Join(dir, tmpDir)} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", dir, err)
		}
	}
	// synchronous(FULL): a commit is on disk when it returns, so an
	// acknowledged upload survives a power cut as well as a kill -9.
	dsn := "file:" + filepath.Join(dir, catalogFile) +
		"?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open catalog: %w", err)
	}
	// One writer at a time is what SQLite allows; a small pool lets reads run
	// beside it under WAL.
	db.SetMaxOpenConns(8)
	s := &Store{dir: dir, db: db, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Files left in tmp/ by a crash were never renamed into place: nothing
	// refers to them.
	if err := clearDir(filepath.Join(dir, tmpDir)); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	return s, nil
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// Close closes the catalog.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

func parseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}
