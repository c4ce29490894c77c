package ocr

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Cache keeps Tesseract's output on disk, one file per page image, named
// by a hash of what produced it: the image's bytes, the languages and the
// Tesseract version. The same scan ingested twice, or read again after an
// upgrade of Escale, is not recognised twice. A Cache with no directory
// keeps nothing.
type Cache struct {
	Dir string
}

// Key is the name of the cached output for an image read with the given
// languages and Tesseract version.
func Key(image []byte, languages, version string) string {
	h := sha256.New()
	fmt.Fprintf(h, "hocr\x00%s\x00%s\x00", languages, version)
	h.Write(image)
	return hex.EncodeToString(h.Sum(nil))
}

func (c Cache) path(key string) string {
	return filepath.Join(c.Dir, key[:2], key+".hocr")
}

// Get returns the output cached under key, or ok=false.
func (c Cache) Get(key string) (b []byte, ok bool, err error) {
	if c.Dir == "" || len(key) < 3 {
		return nil, false, nil
	}
	f, err := os.Open(c.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("ocr: cache: %w", err)
	}
	defer f.Close()
	b, err = io.ReadAll(io.LimitReader(f, maxHOCR+1))
	if err != nil || len(b) > maxHOCR {
		return nil, false, fmt.Errorf("ocr: cache: read %s: %v", c.path(key), err)
	}
	return b, true, nil
}

// Put stores b under key. It writes a temporary file and renames it, so
// that a reader never sees half a file and two writers do not mix.
func (c Cache) Put(key string, b []byte) error {
	if c.Dir == "" || len(key) < 3 {
		return nil
	}
	dst := c.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("ocr: cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return fmt.Errorf("ocr: cache: %w", err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), dst)
	}
	if werr != nil || cerr != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("ocr: cache: write %s: %v", dst, errors.Join(werr, cerr))
	}
	return nil
}
