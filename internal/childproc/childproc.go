// Package childproc runs an external program (Tesseract, pdftoppm) as a
// bounded child of this process: killed with it, its data segment capped,
// its output capped, and stopped by its context.
package childproc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// ErrOutput means the program wrote more than it was allowed to.
var ErrOutput = errors.New("output too large")

// maxStderr is what is kept of a program's error output: its last line
// says why it failed.
const maxStderr = 4 << 10

// Command prepares a run of path: killed when ctx ends (and one second
// later if it leaves its output open) or when this process dies.
func Command(ctx context.Context, path string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, path, args...)
	isolate(cmd)
	cmd.WaitDelay = time.Second
	return cmd
}

// Output runs cmd (from Command) with stdin, its data segment capped at
// memory bytes, and returns what it writes on its standard output, at most
// maxOutput bytes. A failure names the context's error, ErrOutput, or the
// last line the program wrote on its error output.
func Output(ctx context.Context, cmd *exec.Cmd, stdin []byte, memory int64, maxOutput int) ([]byte, error) {
	cmd.Stdin = bytes.NewReader(stdin)
	out := NewCapped(int64(maxOutput))
	stderr := NewCapped(maxStderr)
	cmd.Stdout, cmd.Stderr = out, stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	limitMemory(cmd.Process.Pid, memory)
	err := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case out.Overflowed():
		return nil, fmt.Errorf("%w: more than %d bytes", ErrOutput, maxOutput)
	case err != nil:
		return nil, fmt.Errorf("%v: %s", err, lastLine(string(stderr.Bytes())))
	}
	return out.Bytes(), nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Capped keeps at most max bytes and fails the write past them, which
// closes the pipe and stops a program that will not stop writing. (It must
// not embed bytes.Buffer: io.Copy would use the promoted ReadFrom and skip
// the cap.)
type Capped struct {
	buf      bytes.Buffer
	max      int64
	overflow bool
}

// NewCapped returns a Capped that keeps max bytes.
func NewCapped(max int64) *Capped { return &Capped{max: max} }

func (c *Capped) Write(p []byte) (int, error) {
	if int64(c.buf.Len()+len(p)) > c.max {
		c.overflow = true
		return 0, ErrOutput
	}
	return c.buf.Write(p)
}

// Bytes returns what was kept.
func (c *Capped) Bytes() []byte { return c.buf.Bytes() }

// Overflowed reports whether a write went past the cap.
func (c *Capped) Overflowed() bool { return c.overflow }
