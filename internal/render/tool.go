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
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(data)
	out := &capped{max: maxOutput}
	var stderr capped
	stderr.max = 4 << 10
	cmd.Stdout, cmd.Stderr = out, &stderr
	isolate(cmd)
	cmd.WaitDelay = time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("render: start pdftoppm: %w", err)
	}
	limitMemory(cmd.Process.Pid, r.opts.Memory)
	err = cmd.Wait()
	r.opts.Logger.Debug("pdftoppm", "page", n, "args", extra, "duration", time.Since(start).Round(time.Millisecond), "bytes", out.buf.Len())
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("render: pdftoppm page %d: %w", n, ctx.Err())
	case out.overflow:
		return nil, fmt.Errorf("render: pdftoppm page %d: more than %d bytes", n, maxOutput)
	case err != nil:
		return nil, fmt.Errorf("render: pdftoppm page %d: %v: %s", n, err, bytes.TrimSpace(stderr.buf.Bytes()))
	}
	return out.buf.Bytes(), nil
}

// capped keeps at most max bytes and fails the write past them, which
// stops a program that will not stop writing.
type capped struct {
	buf      bytes.Buffer
	max      int
	overflow bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.buf.Len()+len(p) > c.max {
		c.overflow = true
		return 0, errors.New("render: output too large")
	}
	return c.buf.Write(p)
}

func pngSize(b []byte) (int, int, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	return cfg.Width, cfg.Height, nil
}
