package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"escale/internal/childproc"
)

// tool is an external program looked up once, when first needed.
type tool struct {
	name string
	once sync.Once
	full string
	err  error
}

func newTool(name string) *tool { return &tool{name: name} }

func (t *tool) path() (string, error) {
	t.once.Do(func() {
		if t.name == "-" {
			t.err = errors.New("render: pdftoppm disabled")
			return
		}
		t.full, t.err = exec.LookPath(t.name)
	})
	return t.full, t.err
}

// maxOutput bounds what pdftoppm may write for one page.
const maxOutput = 256 << 20

// pdftoppm renders page n of data to PNG with the extra arguments given,
// killed at the timeout, with its memory capped.
func (r *Renderer) pdftoppm(ctx context.Context, data []byte, n int, extra ...string) ([]byte, error) {
	path, err := r.tool.path()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	args := append([]string{"-f", strconv.Itoa(n), "-l", strconv.Itoa(n)}, extra...)
	args = append(args, "-png", "-singlefile", "-")
	start := time.Now()
	out, err := childproc.Output(ctx, childproc.Command(ctx, path, args...), data, r.opts.Memory, maxOutput)
	r.opts.Logger.Debug("pdftoppm", "page", n, "args", extra, "duration", time.Since(start).Round(time.Millisecond), "bytes", len(out))
	if err != nil {
		return nil, fmt.Errorf("render: pdftoppm page %d: %w", n, err)
	}
	return out, nil
}

func pngSize(b []byte) (int, int, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	return cfg.Width, cfg.Height, nil
}
