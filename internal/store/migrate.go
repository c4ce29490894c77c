package store

import (
	"context"
	"fmt"
)

// migrations are applied in order, each once, in its own transaction; the
// catalog's user_version says how many have run. Append, never edit: a
// catalog written by an older Escale must open in a newer one.
var migrations = []string{
	// 1: missions and what they are made of, corrections, the ingest log.
	`
CREATE TABLE missions (
	id              TEXT PRIMARY KEY,
	sha256          TEXT NOT NULL UNIQUE,
	filename        TEXT NOT NULL,
	format          TEXT NOT NULL DEFAULT '',
	size            INTEGER NOT NULL,
	pages           INTEGER NOT NULL DEFAULT 0,
	title           TEXT,
	year            INTEGER,
	start_date      TEXT,
	end_date        TEXT,
	duplicate_of    TEXT REFERENCES missions(id) ON DELETE SET NULL,
	extracted       TEXT NOT NULL,
	record          TEXT NOT NULL,
	signature       BLOB,
	version         INTEGER NOT NULL DEFAULT 1,
	indexed_version INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE INDEX missions_year ON missions(year);
CREATE INDEX missions_duplicate_of ON missions(duplicate_of);

CREATE TABLE destinations (
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	city       TEXT NOT NULL,
	country    TEXT NOT NULL,
	PRIMARY KEY (mission_id, position)
);
CREATE INDEX destinations_city ON destinations(city);

CREATE TABLE themes (
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	theme      TEXT NOT NULL,
	PRIMARY KEY (mission_id, theme)
);

CREATE TABLE organizations (
	mission_id   TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	organization TEXT NOT NULL,
	PRIMARY KEY (mission_id, position)
);

CREATE TABLE sections (
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	heading    TEXT NOT NULL,
	kind       TEXT NOT NULL,
	text       TEXT NOT NULL,
	page       INTEGER NOT NULL,
	PRIMARY KEY (mission_id, position)
);

CREATE TABLE objectives (
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	text       TEXT NOT NULL,
	page       INTEGER NOT NULL,
	PRIMARY KEY (mission_id, position)
);

CREATE TABLE outcomes (
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	category   TEXT,
	title      TEXT,
	text       TEXT NOT NULL,
	page       INTEGER NOT NULL,
	themes     TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (mission_id, position)
);
CREATE INDEX outcomes_category ON outcomes(category);

CREATE TABLE warnings (
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	message    TEXT NOT NULL,
	PRIMARY KEY (mission_id, position)
);

CREATE TABLE corrections (
	id         INTEGER PRIMARY KEY,
	mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
	field      TEXT NOT NULL,
	value      TEXT NOT NULL,
	at         TEXT NOT NULL,
	by         TEXT NOT NULL
);
CREATE INDEX corrections_mission ON corrections(mission_id);

-- The log outlives the missions it names: no foreign key.
CREATE TABLE ingest_log (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	filename   TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	size       INTEGER NOT NULL,
	outcome    TEXT NOT NULL,
	code       TEXT NOT NULL DEFAULT '',
	message    TEXT NOT NULL DEFAULT '',
	mission_id TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ingest_log_at ON ingest_log(at);
`,
	// 2: the fingerprint of each mission's record, as the service last
	// computed it, with the key it was computed under and the mission's
	// version then (SetFingerprints): a start compares the index with
	// these instead of reading every record again. A table of its own:
	// writing them does not rewrite the missions' large rows.
	`CREATE TABLE fingerprints (
	mission_id TEXT PRIMARY KEY REFERENCES missions(id) ON DELETE CASCADE,
	key        TEXT NOT NULL,
	version    INTEGER NOT NULL,
	value      TEXT NOT NULL
);
`,
	// 3: what a start reads of every mission, in indexes that hold all of
	// it: the versions it compares (Stale, Fingerprints, SetFingerprints)
	// and the signatures it loads (Signatures). These columns come after
	// a mission's large ones, so reading them from the table went through
	// every row's pages, overflow included (at 100,000 missions after a
	// cold boot, 15.7 s for the versions, the whole 4.8 GB catalog read,
	// and 6.3 s for the signatures).
	`CREATE INDEX missions_versions ON missions(id, version, indexed_version);
CREATE INDEX missions_signatures ON missions(created_at, id, duplicate_of, signature);
`,
}

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("store: catalog schema version %d is newer than this program (%d): use a newer escale", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
		// PRAGMA takes no parameters; i+1 is ours, not input.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migrate to %d: %w", i+1, err)
		}
	}
	return nil
}
