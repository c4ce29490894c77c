package ocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"escale/internal/childproc"
	"escale/internal/render"
)

// ErrUnavailable means OCR cannot run here: Tesseract or its language data
// is not installed.
var ErrUnavailable = errors.New("ocr: unavailable")

// maxHOCR bounds what Tesseract may write for one page: a dense page is a
// few hundred kilobytes of hOCR.
const maxHOCR = 32 << 20

// probe finds Tesseract and checks that it has every language asked for,
// once per Engine. It also reads its version, which keys the cache.
func (e *Engine) probe(ctx context.Context) error {
	e.once.Do(func() {
		if e.opts.Tesseract == "-" {
			e.probeErr = fmt.Errorf("%w: OCR disabled", ErrUnavailable)
			return
		}
		path, err := exec.LookPath(e.opts.Tesseract)
		if err != nil {
			e.probeErr = fmt.Errorf("%w: %v", ErrUnavailable, err)
			return
		}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		out, err := e.command(ctx, path, "--list-langs").Output()
		if err != nil {
			e.probeErr = fmt.Errorf("%w: %s --list-langs: %v", ErrUnavailable, path, err)
			return
		}
		have := map[string]bool{}
		for l := range strings.Lines(string(out)) {
			have[strings.TrimSpace(l)] = true
		}
		for lang := range strings.SplitSeq(e.opts.Languages, "+") {
			if !have[lang] {
				e.probeErr = fmt.Errorf("%w: %s has no language data for %q (install tesseract-ocr-%s)", ErrUnavailable, path, lang, lang)
				return
			}
		}
		version, _ := e.command(ctx, path, "--version").Output()
		first, _, _ := strings.Cut(string(version), "\n")
		e.path, e.version = path, strings.TrimSpace(first)
	})
	return e.probeErr
}

// command prepares a Tesseract run: one thread (the machine runs several
// extractions at once, and Tesseract's threads win little on one page),
// no locale surprises.
func (e *Engine) command(ctx context.Context, path string, args ...string) *exec.Cmd {
	cmd := childproc.Command(ctx, path, args...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1", "LC_ALL=C")
	return cmd
}

// tesseract recognises one image and returns its hOCR.
func (e *Engine) tesseract(ctx context.Context, img *render.Image) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.PageTimeout)
	defer cancel()
	args := []string{"stdin", "stdout", "-l", e.opts.Languages, "--psm", "3"}
	if img.DPI >= 30 {
		args = append(args, "--dpi", strconv.Itoa(int(img.DPI+0.5)))
	}
	args = append(args, "hocr")
	out, err := childproc.Output(ctx, e.command(ctx, e.path, args...), img.Data, e.opts.Memory, maxHOCR)
	if err != nil {
		return nil, fmt.Errorf("ocr: tesseract: %w", err)
	}
	return out, nil
}
