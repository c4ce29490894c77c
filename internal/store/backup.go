package store

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A backup is a tar archive: a manifest first, then the catalog, then every
// original the catalog refers to. The index is not in it: restoring
// rebuilds it from the catalog.
const (
	manifestName  = "escale-sauvegarde.json"
	backupFormat  = 1
	backupRetries = 5
)

// BackupInfo is a backup's manifest.
type BackupInfo struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	Schema    int       `json:"schema"` // the catalog's schema version
	Missions  int       `json:"missions"`
	Originals int       `json:"originals"`
	Bytes     int64     `json:"bytes"` // of the originals
}

// ErrNotBackup means the archive given to Restore is not an Escale backup.
var ErrNotBackup = errors.New("store: not an Escale backup")

// Backup writes a consistent snapshot of the data directory dir to w: the
// catalog as of one instant (SQLite's VACUUM INTO, a read transaction that
// does not stop a running server's writes) and the originals it refers to,
// each checked against its SHA-256 on the way. It only reads dir, so it
// runs beside the server that holds it. A mission deleted between the
// snapshot and the copy of its original makes it take a new snapshot.
func Backup(ctx context.Context, dir string, w io.Writer) (BackupInfo, error) {
	var info BackupInfo
	scratch, err := os.MkdirTemp("", "escale-backup-")
	if err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	defer os.RemoveAll(scratch)
	snapshot := filepath.Join(scratch, catalogFile)
	var shas []string
	for attempt := 1; ; attempt++ {
		os.Remove(snapshot)
		if info, shas, err = snapshotCatalog(ctx, dir, snapshot); err != nil {
			return info, err
		}
		missing := ""
		for _, sha := range shas {
			if _, err := os.Stat(filepath.Join(dir, originalsDir, sha[:2], sha)); err != nil {
				missing = sha
				break
			}
		}
		if missing == "" {
			break
		}
		if attempt == backupRetries {
			return info, fmt.Errorf("store: backup: original %s missing from %s", missing, dir)
		}
	}

	tw := tar.NewWriter(w)
	manifest, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	if err := writeEntry(tw, manifestName, int64(len(manifest)), strings.NewReader(string(manifest)), info.CreatedAt); err != nil {
		return info, err
	}
	if err := copyEntry(tw, catalogFile, snapshot, "", info.CreatedAt); err != nil {
		return info, err
	}
	for _, sha := range shas {
		if err := ctx.Err(); err != nil {
			return info, err
		}
		path := filepath.Join(dir, originalsDir, sha[:2], sha)
		if err := copyEntry(tw, originalsDir+"/"+sha[:2]+"/"+sha, path, sha, info.CreatedAt); err != nil {
			return info, err
		}
	}
	if err := tw.Close(); err != nil {
		return info, fmt.Errorf("store: backup: %w", err)
	}
	return info, nil
}

// snapshotCatalog copies dir's catalog to dst as of one instant and lists
// the originals it refers to.
func snapshotCatalog(ctx context.Context, dir, dst string) (BackupInfo, []string, error) {
	info := BackupInfo{Format: backupFormat, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	src := filepath.Join(dir, catalogFile)
	if _, err := os.Stat(src); err != nil {
		return info, nil, fmt.Errorf("store: backup: no catalog in %s: %w", dir, err)
	}
	// Read-only: this process must not write to a catalog another one
	// holds. The WAL's shared memory lets it read beside the writer.
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return info, nil, fmt.Errorf("store: backup: open catalog: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return info, nil, fmt.Errorf("store: backup: snapshot catalog: %w", err)
	}
	snap, err := sql.Open("sqlite", "file:"+dst+"?mode=ro")
	if err != nil {
		return info, nil, fmt.Errorf("store: backup: open snapshot: %w", err)
	}
	defer snap.Close()
	if err := snap.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema); err != nil {
		return info, nil, fmt.Errorf("store: backup: snapshot: %w", err)
	}
	if info.Schema < 1 || info.Schema > len(migrations) {
		return info, nil, fmt.Errorf("store: backup: catalog schema version %d, this program knows 1 to %d", info.Schema, len(migrations))
	}
	if err := snap.QueryRowContext(ctx, "SELECT count(*) FROM missions").Scan(&info.Missions); err != nil {
		return info, nil, fmt.Errorf("store: backup: snapshot: %w", err)
	}
	shas, err := queryStrings(ctx, snap, "SELECT DISTINCT sha256 FROM missions ORDER BY sha256")
	if err != nil {
		return info, nil, fmt.Errorf("store: backup: snapshot: %w", err)
	}
	for _, sha := range shas {
		if !validSHA(sha) {
			return info, nil, fmt.Errorf("store: backup: catalog names an original %q", sha)
		}
	}
	info.Originals = len(shas)
	if err := snap.QueryRowContext(ctx, "SELECT COALESCE(SUM(size), 0) FROM missions").Scan(&info.Bytes); err != nil {
		return info, nil, fmt.Errorf("store: backup: snapshot: %w", err)
	}
	return info, shas, nil
}

func writeEntry(tw *tar.Writer, name string, size int64, r io.Reader, at time.Time) error {
	hdr := &tar.Header{Name: name, Mode: 0o640, Size: size, ModTime: at, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("store: backup: %s: %w", name, err)
	}
	if _, err := io.Copy(tw, r); err != nil {
		return fmt.Errorf("store: backup: %s: %w", name, err)
	}
	return nil
}

// copyEntry adds the file at path under name; with sha set, it checks the
// bytes against it, so that a damaged original is caught now, not at restore.
func copyEntry(tw *tar.Writer, name, path, sha string, at time.Time) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && sha != "" {
		return fmt.Errorf("store: backup: original %s deleted during the backup: run it again", sha)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	h := sha256.New()
	if err := writeEntry(tw, name, st.Size(), io.TeeReader(f, h), at); err != nil {
		return err
	}
	if sha != "" && hex.EncodeToString(h.Sum(nil)) != sha {
		return fmt.Errorf("store: backup: original %s is damaged on disk (its SHA-256 differs)", sha)
	}
	return nil
}

// Restore unpacks a backup made by Backup into dir, which must hold no
// catalog yet. Every original is checked against its SHA-256 and every
// mission's original must be there; files are synced before the catalog is
// renamed into place, last, so that an interrupted restore leaves no
// catalog and can be run again. The index is not restored: open the
// directory and reconcile to rebuild it.
func Restore(ctx context.Context, r io.Reader, dir string) (BackupInfo, error) {
	var info BackupInfo
	if _, err := os.Stat(filepath.Join(dir, catalogFile)); err == nil {
		return info, fmt.Errorf("store: restore: %s already holds a catalog", dir)
	}
	for _, d := range []string{dir, filepath.Join(dir, originalsDir), filepath.Join(dir, tmpDir)} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return info, fmt.Errorf("store: restore: %w", err)
		}
	}
	tr := tar.NewReader(r)
	var catalogTmp string
	seen := map[string]bool{}
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return info, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if first {
				return info, fmt.Errorf("%w: %v", ErrNotBackup, err)
			}
			return info, fmt.Errorf("store: restore: damaged archive: %w", err)
		}
		if first != (hdr.Name == manifestName) {
			return info, fmt.Errorf("%w: %s comes first", ErrNotBackup, hdr.Name)
		}
		if hdr.Typeflag != tar.TypeReg {
			return info, fmt.Errorf("store: restore: unexpected entry %q", hdr.Name)
		}
		switch {
		case hdr.Name == manifestName:
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&info); err != nil || info.Format == 0 {
				return info, fmt.Errorf("%w: unreadable manifest", ErrNotBackup)
			}
			if info.Format > backupFormat {
				return info, fmt.Errorf("store: restore: backup format %d is newer than this program (%d): use a newer escale", info.Format, backupFormat)
			}
		case hdr.Name == catalogFile:
			if catalogTmp, err = writeTemp(dir, tr, ""); err != nil {
				return info, err
			}
		default:
			sha, ok := originalName(hdr.Name)
			if !ok {
				return info, fmt.Errorf("store: restore: unexpected entry %q", hdr.Name)
			}
			tmp, err := writeTemp(dir, tr, sha)
			if err != nil {
				return info, err
			}
			dst := filepath.Join(dir, originalsDir, sha[:2], sha)
			if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
				return info, fmt.Errorf("store: restore: %w", err)
			}
			if err := os.Chmod(tmp, 0o440); err != nil {
				return info, fmt.Errorf("store: restore: %w", err)
			}
			if err := os.Rename(tmp, dst); err != nil {
				return info, fmt.Errorf("store: restore: %w", err)
			}
			if err := syncDir(filepath.Dir(dst)); err != nil {
				return info, fmt.Errorf("store: restore: %w", err)
			}
			seen[sha] = true
		}
	}
	if catalogTmp == "" {
		return info, fmt.Errorf("%w: no catalog in the archive", ErrNotBackup)
	}
	defer os.Remove(catalogTmp)
	// Every mission of the catalog must have its original.
	db, err := sql.Open("sqlite", "file:"+catalogTmp+"?mode=ro")
	if err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	shas, err := queryStrings(ctx, db, "SELECT DISTINCT sha256 FROM missions")
	db.Close()
	if err != nil {
		return info, fmt.Errorf("store: restore: catalog: %w", err)
	}
	for _, sha := range shas {
		if !seen[sha] {
			return info, fmt.Errorf("store: restore: the archive lacks the original %s", sha)
		}
	}
	if err := os.Rename(catalogTmp, filepath.Join(dir, catalogFile)); err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return info, fmt.Errorf("store: restore: %w", err)
	}
	return info, nil
}

// originalName returns the SHA-256 an archive entry originals/ab/SHA names.
func originalName(name string) (string, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 3 || parts[0] != originalsDir || !validSHA(parts[2]) || parts[1] != parts[2][:2] {
		return "", false
	}
	return parts[2], true
}

// writeTemp writes r to a synced file under dir's tmp/ and returns its
// path; with sha set, the bytes must have that SHA-256.
func writeTemp(dir string, r io.Reader, sha string) (string, error) {
	f, err := os.CreateTemp(filepath.Join(dir, tmpDir), "restore-*")
	if err != nil {
		return "", fmt.Errorf("store: restore: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && sha != "" && hex.EncodeToString(h.Sum(nil)) != sha {
		err = fmt.Errorf("original %s is damaged in the archive (its SHA-256 differs)", sha)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("store: restore: %w", err)
	}
	return f.Name(), nil
}
