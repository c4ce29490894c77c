package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"escale/internal/childproc"
	"escale/internal/mission"
)

// Config says how to start a child and how far it may go.
type Config struct {
	// Executable is the program to start; the running binary when empty
	// (on Linux /proc/self/exe: the very file this process runs, even after
	// an upgrade replaced it on disk, so parent and child speak the same
	// protocol).
	Executable string
	// Args are the arguments that make Executable call Serve, including what
	// the child needs to know besides the request (its knowledge overrides).
	Args   []string
	Limits Limits
	Logger *slog.Logger // nil: discard
}

// Runner runs extractions in child processes. It is safe for concurrent use;
// each Extract starts its own child, so callers bound how many run at once.
type Runner struct {
	exe    string
	args   []string
	limits Limits
	log    *slog.Logger
}

// New checks cfg and returns a Runner.
func New(cfg Config) (*Runner, error) {
	if err := cfg.Limits.Validate(); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	exe := cfg.Executable
	if exe == "" {
		var err error
		if exe, err = selfExecutable(); err != nil {
			return nil, fmt.Errorf("worker: find own executable: %w", err)
		}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{exe: exe, args: append([]string(nil), cfg.Args...), limits: cfg.Limits, log: log}, nil
}

// Limits returns the limits every extraction runs under.
func (r *Runner) Limits() Limits { return r.limits }

// Extract reads one file in a child process. What is wrong with the file,
// including its exceeding a limit or crashing the child, comes back as a
// mission refusal (mission.RefusalOf finds it). Any other error is the
// worker's own failure, or ctx's error when ctx was cancelled.
func (r *Runner) Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error) {
	if int64(len(data)) > r.limits.MaxSize {
		return nil, mission.Refuse(mission.ErrTooLarge, "worker: %d bytes, limit %d", len(data), r.limits.MaxSize)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	header, err := json.Marshal(request{Filename: filename, Size: int64(len(data)), Timeout: r.limits.Timeout,
		Memory: r.limits.Memory, MaxPages: r.limits.MaxPages, MaxSize: r.limits.MaxSize})
	if err != nil {
		return nil, fmt.Errorf("worker: encode request: %w", err)
	}

	runCtx, cancel := context.WithTimeout(ctx, r.limits.Timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, r.exe, r.args...)
	cmd.Env = childEnv(os.Environ())
	cmd.Stdin = io.MultiReader(bytes.NewReader(append(header, '\n')), bytes.NewReader(data))
	stdout := childproc.NewCapped(min(r.limits.Memory, maxOutput))
	stderr := &tailBuffer{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	ownGroup(cmd)
	cmd.Cancel = func() error { return kill(cmd.Process) }
	cmd.WaitDelay = time.Second // a grandchild holding the pipes must not hold us

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("worker: start %s: %w", r.exe, err)
	}
	pid := cmd.Process.Pid
	var memoryKilled atomic.Bool
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		r.watchResident(cmd.Process, stopWatch, &memoryKilled)
	}()
	waitErr := cmd.Wait()
	close(stopWatch)
	<-watched
	_ = killGroup(pid) // whatever the child left behind

	m, err := r.outcome(ctx, runCtx, cmd, waitErr, stdout, stderr, memoryKilled.Load())
	attrs := []any{"filename", filename, "bytes", len(data), "duration", time.Since(start).Round(time.Millisecond)}
	if cmd.ProcessState != nil {
		attrs = append(attrs, "peak_rss_mib", peakResident(cmd.ProcessState)>>20)
	}
	if ref, ok := mission.RefusalOf(err); ok {
		attrs = append(attrs, "refusal", ref.Code, "error", err)
	} else if err != nil {
		attrs = append(attrs, "error", err)
	}
	r.log.Debug("extraction", attrs...)
	return m, err
}

// childEnv is the parent's environment without what looks like a secret (the
// service's bearer token): the child parses hostile files, and should a
// library bug be exploited there, it holds nothing worth stealing.
func childEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		name = strings.ToUpper(name)
		if strings.Contains(name, "TOKEN") || strings.Contains(name, "SECRET") ||
			strings.Contains(name, "PASSWORD") || strings.Contains(name, "CREDENTIAL") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// maxOutput bounds the response read from a child: the record of a 500-page
// report is a few megabytes.
const maxOutput = 256 << 20

// outcome maps the way the child ended to a record or an error.
func (r *Runner) outcome(ctx, runCtx context.Context, cmd *exec.Cmd, waitErr error, stdout *childproc.Capped, stderr *tailBuffer, memoryKilled bool) (*mission.Mission, error) {
	// A complete response wins: the child may have answered just before a
	// limit struck, and the watchdog answers before it exits.
	if resp, ok := decodeResponse(stdout.Bytes()); ok {
		return r.fromResponse(resp, stderr)
	}
	switch {
	case memoryKilled:
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: resident memory over %d MiB", r.limits.Memory>>20)
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("worker: %w", ctx.Err())
	case runCtx.Err() != nil:
		return nil, mission.Refuse(mission.ErrTimeout, "worker: no answer after %v", r.limits.Timeout)
	case stdout.Overflowed():
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: record over %d MiB", min(r.limits.Memory, maxOutput)>>20)
	}
	tail := stderr.String()
	if strings.Contains(tail, "out of memory") || strings.Contains(tail, "cannot allocate memory") {
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: child ran out of memory under a %d MiB limit", r.limits.Memory>>20)
	}
	if cmd.ProcessState != nil && killedBySignal(cmd.ProcessState) {
		// Nobody here sent it: the kernel's OOM killer is the likely culprit.
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: child killed from outside: %v", waitErr)
	}
	r.log.Warn("extraction crashed", "error", waitErr, "stderr", lastLines(tail, 20))
	return nil, mission.Refuse(mission.ErrDamaged, "worker: child crashed: %v: %s", waitErr, firstLine(tail))
}

func (r *Runner) fromResponse(resp response, stderr *tailBuffer) (*mission.Mission, error) {
	switch {
	case resp.Error != "":
		r.log.Warn("extraction worker failed", "error", resp.Error, "stderr", lastLines(stderr.String(), 20))
		return nil, fmt.Errorf("worker: %s", resp.Error)
	case resp.Refusal != "":
		ref, ok := mission.RefusalByCode(resp.Refusal)
		if !ok {
			return nil, mission.Refuse(mission.ErrDamaged, "worker: unknown refusal %q: %s", resp.Refusal, resp.Detail)
		}
		if ref == mission.ErrDamaged {
			r.log.Debug("extraction refused as damaged", "detail", resp.Detail)
		}
		return nil, mission.Refuse(ref, "worker: %s", firstLine(resp.Detail))
	}
	resp.Mission.Normalize()
	return resp.Mission, nil
}

// decodeResponse reads the child's one response. Anything else on stdout, a
// stray print by a library, comes before it and is skipped.
func decodeResponse(b []byte) (response, bool) {
	b = bytes.TrimRight(b, "\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	var resp response
	if err := json.Unmarshal(b, &resp); err != nil {
		return resp, false
	}
	return resp, resp.Mission != nil || resp.Refusal != "" || resp.Error != ""
}

// watchResident kills the child's group when its resident memory passes the
// limit: the backstop for memory the child's own Go runtime does not see.
func (r *Runner) watchResident(p *os.Process, stop <-chan struct{}, killed *atomic.Bool) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		rss, err := residentBytes(p.Pid)
		if err != nil {
			if errors.Is(err, errors.ErrUnsupported) {
				return
			}
			continue // exiting: Wait will tell
		}
		if rss > r.limits.Memory {
			killed.Store(true)
			_ = kill(p)
			return
		}
	}
}

// kill kills the child's process group, and the child itself in case it
// left the group.
func kill(p *os.Process) error {
	groupErr := killGroup(p.Pid)
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return groupErr
}

// tailBuffer keeps the last max bytes written: the end of a panic trace says
// what happened.
type tailBuffer struct {
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string { return string(b.buf) }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return truncate(s, 300)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
