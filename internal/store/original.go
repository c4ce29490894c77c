package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Hash returns the SHA-256 of data in lowercase hex: the name of its original.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// validSHA reports whether s looks like a hex SHA-256, so that no path is ever
// built from anything else.
func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *Store) originalPath(sha string) string {
	return filepath.Join(s.dir, originalsDir, sha[:2], sha)
}

// PutOriginal keeps data under its SHA-256 and returns it. The file is written
// to tmp/, synced, renamed into place and its directory synced, so that once
// PutOriginal returns the bytes survive a crash; a crash before leaves nothing
// but a temporary file that Open removes. The same bytes twice are kept once.
func (s *Store) PutOriginal(data []byte) (string, error) {
	sha := Hash(data)
	path := s.originalPath(sha)
	if _, err := os.Stat(path); err == nil {
		return sha, nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, tmpDir), sha[:8]+"-*")
	if err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	if err := os.Chmod(tmp.Name(), 0o440); err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("store: put original %s: %w", sha, err)
	}
	return sha, nil
}

// OpenOriginal opens the original with that SHA-256 for reading.
func (s *Store) OpenOriginal(sha string) (*os.File, error) {
	if !validSHA(sha) {
		return nil, fmt.Errorf("store: original %q: %w", sha, ErrNotFound)
	}
	f, err := os.Open(s.originalPath(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: original %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: original %s: %w", sha, err)
	}
	return f, nil
}

// ReadOriginal returns the bytes of the original with that SHA-256.
func (s *Store) ReadOriginal(sha string) ([]byte, error) {
	if !validSHA(sha) {
		return nil, fmt.Errorf("store: original %q: %w", sha, ErrNotFound)
	}
	data, err := os.ReadFile(s.originalPath(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: original %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: original %s: %w", sha, err)
	}
	return data, nil
}

// removeOriginal deletes an original; a missing one is not an error.
func (s *Store) removeOriginal(sha string) error {
	if !validSHA(sha) {
		return nil
	}
	path := s.originalPath(sha)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: remove original %s: %w", sha, err)
	}
	return syncDir(filepath.Dir(path))
}

// RemoveOrphans deletes the originals that no mission refers to: those a
// crash left between writing the file and committing its mission, or between
// deleting a mission and its file. Call it only while no ingestion runs.
func (s *Store) RemoveOrphans(ctx context.Context) (int, error) {
	known := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, "SELECT sha256 FROM missions")
	if err != nil {
		return 0, fmt.Errorf("store: orphans: %w", err)
	}
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: orphans: %w", err)
		}
		known[sha] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: orphans: %w", err)
	}
	removed := 0
	root := filepath.Join(s.dir, originalsDir)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !validSHA(d.Name()) || known[d.Name()] || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if err := s.removeOriginal(d.Name()); err != nil {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("store: orphans: %w", err)
	}
	return removed, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
