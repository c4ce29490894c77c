package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // embedded scans
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	xdraw "golang.org/x/image/draw"
)

// Thumbnail widths accepted, in pixels.
const (
	MinThumbWidth = 16
	MaxThumbWidth = 2000
)

// Source is a PDF to draw a page of.
type Source struct {
	// SHA256 is the hex SHA-256 of the file's bytes (the record's sha256),
	// which keys the cache; "" means it is computed from the bytes.
	SHA256 string
	// Open returns the file's bytes. It is called only when the thumbnail
	// is not in the cache.
	Open func() ([]byte, error)
}

// Thumbnail returns a PNG image of page n (from 1) of src, width pixels
// wide, made once and then read from the cache directory when there is
// one. Born-digital pages need a renderer: pdftoppm, when installed; without
// it, only pages that are one scanned image have a thumbnail, drawn from
// that image. Any other page is ErrNoImage.
func (r *Renderer) Thumbnail(ctx context.Context, src Source, n, width int) ([]byte, error) {
	if n < 1 {
		return nil, fmt.Errorf("render: thumbnail of page %d", n)
	}
	if width < MinThumbWidth || width > MaxThumbWidth {
		return nil, fmt.Errorf("render: thumbnail %d pixels wide: between %d and %d", width, MinThumbWidth, MaxThumbWidth)
	}
	var data []byte
	key := strings.ToLower(src.SHA256)
	if !validHash(key) {
		var err error
		if data, err = src.Open(); err != nil {
			return nil, fmt.Errorf("render: thumbnail: %w", err)
		}
		sum := sha256.Sum256(data)
		key = hex.EncodeToString(sum[:])
	}
	path := r.thumbPath(key, n, width)
	if path != "" {
		if b, err := readCapped(path, maxOutput); err == nil {
			return b, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			r.opts.Logger.Warn("render: thumbnail cache unreadable", "path", path, "error", err)
		}
	}
	if data == nil {
		var err error
		if data, err = src.Open(); err != nil {
			return nil, fmt.Errorf("render: thumbnail: %w", err)
		}
	}
	start := time.Now()
	b, how, err := r.drawThumbnail(ctx, data, n, width)
	if err != nil {
		return nil, err
	}
	r.opts.Logger.Debug("render: thumbnail", "page", n, "width", width, "source", how, "bytes", len(b), "duration", time.Since(start).Round(time.Millisecond))
	if path != "" {
		if err := writeAtomic(path, b); err != nil {
			r.opts.Logger.Warn("render: thumbnail not cached", "error", err)
		}
	}
	return b, nil
}

// drawThumbnail makes the PNG: pdftoppm when present, else the page's own
// scan image scaled down.
func (r *Renderer) drawThumbnail(ctx context.Context, data []byte, n, width int) ([]byte, string, error) {
	if r.CanRender() {
		b, err := r.pdftoppm(ctx, data, n, "-scale-to-x", strconv.Itoa(width), "-scale-to-y", "-1")
		if err == nil {
			return b, SourcePdftoppm, nil
		}
		if ctx.Err() != nil {
			return nil, "", err
		}
		r.opts.Logger.Debug("render: pdftoppm failed, trying the page image", "page", n, "error", err)
	}
	doc, err := Open(data)
	if err != nil {
		return nil, "", fmt.Errorf("%w: page %d: %v", ErrNoImage, n, err)
	}
	img, err := doc.Embedded(n)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrNoImage, err)
	}
	b, err := scaleTo(img, width)
	if err != nil {
		return nil, "", fmt.Errorf("%w: page %d: %v", ErrNoImage, n, err)
	}
	return b, SourceEmbedded, nil
}

// scaleTo decodes a page image and scales it to width pixels, as PNG.
func scaleTo(img *Image, width int) ([]byte, error) {
	if img.Format != "jpeg" && img.Format != "png" {
		return nil, fmt.Errorf("render: cannot decode %s", img.Format)
	}
	src, _, err := image.Decode(bytes.NewReader(img.Data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	height := max(1, int(float64(b.Dy())*float64(width)/float64(b.Dx())+0.5))
	var dst xdraw.Image
	if _, gray := src.(*image.Gray); gray {
		dst = image.NewGray(image.Rect(0, 0, width, height))
	} else {
		dst = image.NewRGBA(image.Rect(0, 0, width, height))
	}
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// thumbPath is where a thumbnail is cached, "" without a cache.
func (r *Renderer) thumbPath(key string, n, width int) string {
	if r.opts.CacheDir == "" {
		return ""
	}
	return filepath.Join(r.opts.CacheDir, key[:2], fmt.Sprintf("%s-p%d-w%d.png", key, n, width))
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("render: %s: over %d bytes", path, limit)
	}
	return b, err
}

// writeAtomic writes a file through a temporary one renamed into place:
// readers never see half a file.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr == nil && cerr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil || cerr != nil {
		_ = os.Remove(tmp.Name())
		return errors.Join(werr, cerr)
	}
	return nil
}
