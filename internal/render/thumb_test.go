package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image/png"
	"os/exec"
	"path/filepath"
	"testing"
)

// counted is a Source that counts how often its bytes were read.
func counted(data []byte, withHash bool) (*Source, *int) {
	n := 0
	src := &Source{Open: func() ([]byte, error) { n++; return data, nil }}
	if withHash {
		sum := sha256.Sum256(data)
		src.SHA256 = hex.EncodeToString(sum[:])
	}
	return src, &n
}

func pngWidth(t *testing.T, b []byte) (int, int) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("thumbnail is not a PNG: %v", err)
	}
	return cfg.Width, cfg.Height
}

func TestThumbnailScanCached(t *testing.T) {
	dir := t.TempDir()
	r := New(Options{Pdftoppm: "-", CacheDir: dir})
	src, opened := counted(readFile(t, scan), true)
	ctx := context.Background()
	first, err := r.Thumbnail(ctx, *src, 2, 200)
	if err != nil {
		t.Fatalf("Thumbnail(scan, 2, 200): %v", err)
	}
	if w, h := pngWidth(t, first); w != 200 || h != 259 {
		t.Errorf("Thumbnail(scan, 2, 200) = %d×%d, want 200×259", w, h)
	}
	second, err := r.Thumbnail(ctx, *src, 2, 200)
	if err != nil || !bytes.Equal(first, second) {
		t.Errorf("second Thumbnail(scan, 2, 200): err %v, same bytes %v; want the cached image", err, bytes.Equal(first, second))
	}
	if *opened != 1 {
		t.Errorf("the file was read %d times for two thumbnails, want once (then the cache)", *opened)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*", "*-p2-w200.png")); len(files) != 1 {
		t.Errorf("cache holds %v, want one file for page 2 at 200 px", files)
	}
	// Another width is another thumbnail.
	if b, err := r.Thumbnail(ctx, *src, 2, 100); err != nil || func() bool { w, _ := pngWidth(t, b); return w != 100 }() {
		t.Errorf("Thumbnail(scan, 2, 100): err %v, want a 100 px image", err)
	}
}

func TestThumbnailWithoutRenderer(t *testing.T) {
	r := New(Options{Pdftoppm: "-"})
	src, _ := counted(readFile(t, bornDigital), false)
	if _, err := r.Thumbnail(context.Background(), *src, 1, 200); !errors.Is(err, ErrNoImage) {
		t.Errorf("Thumbnail of a born-digital page without pdftoppm: err = %v, want ErrNoImage", err)
	}
}

func TestThumbnailPdftoppm(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm is not installed (Debian: apt-get install poppler-utils); born-digital thumbnails need it")
	}
	r := New(Options{CacheDir: t.TempDir()})
	src, _ := counted(readFile(t, bornDigital), false)
	b, err := r.Thumbnail(context.Background(), *src, 1, 300)
	if err != nil {
		t.Fatalf("Thumbnail(born-digital, 1, 300): %v", err)
	}
	if w, _ := pngWidth(t, b); w != 300 {
		t.Errorf("Thumbnail(born-digital, 1, 300) is %d px wide, want 300", w)
	}
	if _, err := r.Thumbnail(context.Background(), *src, 99, 300); err == nil {
		t.Errorf("Thumbnail of page 99 of a short report: no error")
	}
}

func TestThumbnailArguments(t *testing.T) {
	r := New(Options{Pdftoppm: "-"})
	src, opened := counted(readFile(t, scan), false)
	for _, c := range []struct{ page, width int }{{0, 200}, {1, 0}, {1, MaxThumbWidth + 1}} {
		if _, err := r.Thumbnail(context.Background(), *src, c.page, c.width); err == nil {
			t.Errorf("Thumbnail(page %d, width %d): no error", c.page, c.width)
		}
	}
	if *opened != 0 {
		t.Errorf("bad arguments read the file %d times, want none", *opened)
	}
}

func TestPageImagePdftoppm(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
	}
	data := readFile(t, bornDigital)
	doc, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := New(Options{DPI: 100}).PageImage(context.Background(), doc, 1)
	if err != nil {
		t.Fatalf("PageImage(born-digital, 1): %v", err)
	}
	if img.Source != SourcePdftoppm || img.Format != "png" || img.Width != 850 || img.DPI != 100 {
		t.Errorf("PageImage(born-digital, 1) = %s %s %d px wide at %.0f dpi, want a 850 px PNG by pdftoppm at 100 dpi", img.Source, img.Format, img.Width, img.DPI)
	}
}
