package ocr

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"escale/internal/render"
)

func TestCache(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	key := Key([]byte("image"), "fra", "tesseract 5.3.0")
	if _, ok, err := c.Get(key); ok || err != nil {
		t.Fatalf("Get(%s) of an empty cache = ok %v, err %v; want a miss", key, ok, err)
	}
	if err := c.Put(key, []byte("<hocr/>")); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
	if b, ok, err := c.Get(key); !ok || err != nil || string(b) != "<hocr/>" {
		t.Errorf("Get(%s) after Put = %q, %v, %v; want <hocr/>", key, b, ok, err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(c.Dir, "*", ".tmp-*")); len(tmp) != 0 {
		t.Errorf("Put left temporary files: %v", tmp)
	}
	for _, other := range []string{
		Key([]byte("image"), "fra+eng", "tesseract 5.3.0"),
		Key([]byte("image"), "fra", "tesseract 5.4.0"),
		Key([]byte("imagf"), "fra", "tesseract 5.3.0"),
	} {
		if other == key {
			t.Errorf("Key collides across languages, versions or images: %s", key)
		}
	}
	// No directory, no cache, no error.
	var none Cache
	if err := none.Put(key, []byte("x")); err != nil {
		t.Errorf("Put without a directory: %v", err)
	}
	if _, ok, _ := none.Get(key); ok {
		t.Errorf("Get without a directory: a hit")
	}
}

// TestRecognizeCached runs a stand-in tesseract twice on the same page: the
// second time the output comes from the cache directory.
func TestRecognizeCached(t *testing.T) {
	program, runs := fakeTesseract(t, []string{"eng", "fra", "osd"}, "testdata/hambourg-p3.hocr")
	dir := t.TempDir()
	e := New(Options{Tesseract: program, CacheDir: dir})
	img := &render.Image{Data: []byte("a page"), Format: "png", Width: 1275, Height: 1650, DPI: 150}
	ctx := context.Background()
	for i, wantCached := range []bool{false, true} {
		res, cached, err := e.Recognize(ctx, img)
		if err != nil {
			t.Fatalf("Recognize #%d: %v", i+1, err)
		}
		if cached != wantCached || len(res.Lines) != 9 {
			t.Errorf("Recognize #%d = %d lines, cached %v; want 9 lines, cached %v", i+1, len(res.Lines), cached, wantCached)
		}
	}
	if n := countRuns(t, runs); n != 1 {
		t.Errorf("tesseract ran %d times for the same page twice, want once", n)
	}
	b, _ := os.ReadFile(runs)
	if want := "stdin stdout -l fra --psm 3 --dpi 150 hocr\n"; string(b) != want {
		t.Errorf("tesseract arguments = %q, want %q", b, want)
	}
	// Another engine on the same directory reads the cache too.
	if _, cached, _ := New(Options{Tesseract: program, CacheDir: dir}).Recognize(ctx, img); !cached {
		t.Errorf("a new engine on the same cache directory ran tesseract again")
	}
	// Without a cache, every call runs.
	if _, cached, _ := New(Options{Tesseract: program}).Recognize(ctx, img); cached {
		t.Errorf("an engine without a cache directory reported a cached result")
	}
}
