package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	// MaxIdle is how many children wait for the next file between two
	// (default 1): the number of extractions the caller runs at once.
	// Children beyond it exit when their file is done.
	MaxIdle int
	// IdleTimeout is how long a child waits for another file before it is
	// told to exit (default DefaultIdleTimeout).
	IdleTimeout time.Duration
	// MaxFiles is how many files a child reads before it is replaced
	// (default DefaultMaxFiles): what a library leaks stays bounded.
	MaxFiles int
	Logger   *slog.Logger // nil: discard
}

// Defaults of the children's lifetime.
const (
	DefaultIdleTimeout = 30 * time.Second
	DefaultMaxFiles    = 200
)

// Runner runs extractions in child processes, each child reading one file
// after another. It is safe for concurrent use; each Extract uses a child of
// its own, so callers bound how many run at once. Close stops the children.
type Runner struct {
	exe      string
	args     []string
	limits   Limits
	maxIdle  int
	idleFor  time.Duration
	maxFiles int
	log      *slog.Logger

	mu     sync.Mutex
	cond   *sync.Cond // signalled when live falls
	idle   []*child   // waiting for a file, the most recent last
	live   int        // children started and not yet reaped
	closed bool
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
	r := &Runner{exe: exe, args: append([]string(nil), cfg.Args...), limits: cfg.Limits, log: log,
		maxIdle: cfg.MaxIdle, idleFor: cfg.IdleTimeout, maxFiles: cfg.MaxFiles}
	if r.maxIdle <= 0 {
		r.maxIdle = 1
	}
	if r.idleFor <= 0 {
		r.idleFor = DefaultIdleTimeout
	}
	if r.maxFiles <= 0 {
		r.maxFiles = DefaultMaxFiles
	}
	r.cond = sync.NewCond(&r.mu)
	return r, nil
}

// Limits returns the limits every extraction runs under.
func (r *Runner) Limits() Limits { return r.limits }

// Close tells the waiting children to exit and returns once every child the
// Runner started has ended, those still reading a file included. Extract
// still works afterwards, each file in a child of its own.
func (r *Runner) Close() error {
	r.mu.Lock()
	r.closed = true
	idle := r.idle
	r.idle = nil
	for _, c := range idle {
		c.timer.Stop()
	}
	r.mu.Unlock()
	for _, c := range idle {
		r.retire(c)
	}
	r.mu.Lock()
	for r.live > 0 {
		r.cond.Wait()
	}
	r.mu.Unlock()
	return nil
}

// Extract reads one file in a child process. What is wrong with the file,
// including its exceeding a limit or crashing the child, comes back as a
// mission refusal (mission.RefusalOf finds it). Any other error is the
// worker's own failure, or ctx's error when ctx was cancelled.
func (r *Runner) Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error) {
	raw, err := r.ExtractJSON(ctx, data, filename)
	if err != nil {
		return nil, err
	}
	var m mission.Mission // normalized by the child (server.run)
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, mission.Refuse(mission.ErrDamaged, "worker: decode record: %v", err)
	}
	return &m, nil
}

// ExtractJSON is Extract's record as the child encoded it, normalized, on
// one line: for a caller that prints it (escale extract), decoding it only
// to encode it again costs a process its first use of the record's types,
// about 2 ms.
func (r *Runner) ExtractJSON(ctx context.Context, data []byte, filename string) (json.RawMessage, error) {
	if int64(len(data)) > r.limits.MaxSize {
		return nil, mission.Refuse(mission.ErrTooLarge, "worker: %d bytes, limit %d", len(data), r.limits.MaxSize)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	// The limit counts from here: a child started for this file starts
	// within it.
	runCtx, cancel := context.WithTimeout(ctx, r.limits.Timeout)
	defer cancel()
	start := time.Now()
	for attempt := 0; ; attempt++ {
		c, reused, err := r.acquire()
		if err != nil {
			return nil, err
		}
		x := r.send(ctx, runCtx, c, data, filename)
		if x.died && reused && attempt == 0 {
			// A child that read other files before may have died of them
			// (between two files, or of something one left running): the
			// file is read again in a new child, whose crash is the file's.
			r.log.Warn("extraction child died, file sent to a new one", "pid", x.pid, "files", x.files, "error", x.err)
			continue
		}
		attrs := []any{"filename", filename, "bytes", len(data), "duration", time.Since(start).Round(time.Millisecond),
			"pid", x.pid, "files", x.files, "rss_mib", x.rss >> 20}
		if ref, ok := mission.RefusalOf(x.err); ok {
			attrs = append(attrs, "refusal", ref.Code, "error", x.err)
		} else if x.err != nil {
			attrs = append(attrs, "error", x.err)
		}
		r.log.Debug("extraction", attrs...)
		return x.raw, x.err
	}
}

// acquire returns a waiting child, or starts one; reused tells which.
func (r *Runner) acquire() (c *child, reused bool, err error) {
	r.mu.Lock()
	for len(r.idle) > 0 {
		c = r.idle[len(r.idle)-1]
		r.idle = r.idle[:len(r.idle)-1]
		c.timer.Stop()
		select {
		case <-c.exited:
			// Gone while waiting (killed from outside): reap it and look
			// further.
			r.mu.Unlock()
			r.reap(c)
			r.mu.Lock()
			continue
		default:
		}
		r.mu.Unlock()
		return c, true, nil
	}
	r.live++
	r.mu.Unlock()
	c, err = r.start()
	if err != nil {
		r.mu.Lock()
		r.live--
		r.cond.Broadcast()
		r.mu.Unlock()
		return nil, false, err
	}
	return c, false, nil
}

// release puts a child that answered back among the waiting ones, or lets it
// go when enough wait already.
func (r *Runner) release(c *child) {
	r.mu.Lock()
	if r.closed || len(r.idle) >= r.maxIdle {
		r.mu.Unlock()
		r.retire(c)
		return
	}
	r.idle = append(r.idle, c)
	c.timer = time.AfterFunc(r.idleFor, func() { r.expire(c) })
	r.mu.Unlock()
}

// expire lets a child go that waited too long for a file.
func (r *Runner) expire(c *child) {
	r.mu.Lock()
	i := slices.Index(r.idle, c)
	if i < 0 {
		r.mu.Unlock()
		return // taken meanwhile
	}
	r.idle = slices.Delete(r.idle, i, i+1)
	r.mu.Unlock()
	r.retire(c)
}

// retire tells a child that answered its last file to exit (the end of its
// input), and kills it if it lingers.
func (r *Runner) retire(c *child) {
	c.stdin.Close()
	go func() {
		select {
		case <-c.exited:
		case <-time.After(retireGrace):
			_ = kill(c.cmd.Process)
		}
		r.reap(c)
	}()
}

// retireGrace is how long a child told to exit may take before it is killed.
const retireGrace = 5 * time.Second

// discard kills a child whose file went wrong, and waits for it.
func (r *Runner) discard(c *child) {
	_ = kill(c.cmd.Process)
	r.reap(c)
}

// reap waits for a child's end, closes its pipes and counts it gone.
func (r *Runner) reap(c *child) {
	<-c.exited
	c.stdin.Close()
	c.stdout.Close()
	r.mu.Lock()
	r.live--
	r.cond.Broadcast()
	r.mu.Unlock()
}

// sent is what sending one file to a child gave.
type sent struct {
	raw   json.RawMessage // the record
	err   error
	pid   int
	files int64 // files the child read, this one included
	rss   int64 // the child's resident memory after the file, when known
	died  bool  // the child ended on its own without answering
}

// send has child c read one file and answers for it; c is back among the
// waiting children, or gone, when it returns.
func (r *Runner) send(ctx, runCtx context.Context, c *child, data []byte, filename string) sent {
	c.served++
	x := sent{pid: c.pid, files: c.served}
	header, err := json.Marshal(request{Seq: c.served, Filename: filename, Size: int64(len(data)), Timeout: r.limits.Timeout,
		Memory: r.limits.Memory, MaxPages: r.limits.MaxPages, MaxSize: r.limits.MaxSize})
	if err != nil {
		r.release(c)
		x.err = fmt.Errorf("worker: encode request: %w", err)
		return x
	}
	c.stderr.Reset()
	wrote := make(chan error, 1)
	go func() {
		_, err := c.stdin.Write(append(header, '\n'))
		if err == nil {
			_, err = c.stdin.Write(data)
		}
		wrote <- err
	}()
	answer := make(chan frame, 1)
	go func() { answer <- c.read(c.served, min(r.limits.Memory, maxOutput)) }()
	var memoryKilled atomic.Bool
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		r.watchResident(c.cmd.Process, stopWatch, &memoryKilled)
	}()

	var f frame
	select {
	case f = <-answer:
	case <-runCtx.Done():
		_ = kill(c.cmd.Process)
		f = <-answer
	}
	close(stopWatch)
	<-watched
	var writeErr error
	select {
	case writeErr = <-wrote:
	case <-runCtx.Done():
		// A child answers once it has read the whole file; one that did not
		// is not trusted with another.
		_ = kill(c.cmd.Process)
		writeErr = <-wrote
	}

	if f.resp != nil && !memoryKilled.Load() && runCtx.Err() == nil && writeErr == nil {
		x.raw, x.err = r.fromResponse(*f.resp, c.stderr)
		rss, rssErr := residentBytes(c.pid)
		x.rss = rss
		switch {
		case f.resp.Exit:
			r.reap(c)
		case rssErr == nil && rss > r.limits.Memory/2:
			// Grown past half its limit: a hostile file may have left it
			// bloated, and the next file must have the whole limit.
			r.log.Debug("extraction child replaced", "pid", c.pid, "rss_mib", rss>>20)
			r.retire(c)
		case c.served >= int64(r.maxFiles):
			r.retire(c)
		default:
			r.release(c)
		}
		return x
	}

	// No usable answer: the child is not given another file.
	_ = kill(c.cmd.Process)
	<-c.exited
	x.raw, x.err = r.outcome(ctx, runCtx, c, f, memoryKilled.Load())
	x.died = f.resp == nil && !f.overflow && !memoryKilled.Load() && runCtx.Err() == nil
	r.reap(c)
	return x
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

// outcome maps the way a child ended without a usable answer to a record or
// an error; the child has exited.
func (r *Runner) outcome(ctx, runCtx context.Context, c *child, f frame, memoryKilled bool) (json.RawMessage, error) {
	// A complete answer wins: the child may have answered just before a
	// limit struck.
	if f.resp != nil {
		return r.fromResponse(*f.resp, c.stderr)
	}
	switch {
	case memoryKilled:
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: resident memory over %d MiB", r.limits.Memory>>20)
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("worker: %w", ctx.Err())
	case runCtx.Err() != nil:
		return nil, mission.Refuse(mission.ErrTimeout, "worker: no answer after %v", r.limits.Timeout)
	case f.overflow:
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: record over %d MiB", min(r.limits.Memory, maxOutput)>>20)
	}
	tail := c.stderr.String()
	if strings.Contains(tail, "out of memory") || strings.Contains(tail, "cannot allocate memory") {
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: child ran out of memory under a %d MiB limit", r.limits.Memory>>20)
	}
	if c.cmd.ProcessState != nil && killedBySignal(c.cmd.ProcessState) {
		// Nobody here sent it: the kernel's OOM killer is the likely culprit.
		return nil, mission.Refuse(mission.ErrTooMuchMemory, "worker: child killed from outside: %v", c.waitErr)
	}
	r.log.Warn("extraction crashed", "error", c.waitErr, "stderr", lastLines(tail, 20))
	return nil, mission.Refuse(mission.ErrDamaged, "worker: child crashed: %v: %s", c.waitErr, firstLine(tail))
}

// fromResponse maps a child's answer to a record or an error.
func (r *Runner) fromResponse(resp response, stderr *tailBuffer) (json.RawMessage, error) {
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
	return resp.Mission, nil
}

// decodeLine reads one line of a child's stdout: the answer to request seq,
// or something a library printed (ok false).
func decodeLine(line []byte, seq int64) (response, bool) {
	var resp response
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return resp, false
	}
	if err := json.Unmarshal(line, &resp); err != nil {
		return resp, false
	}
	return resp, resp.Seq == seq && (resp.Mission != nil || resp.Refusal != "" || resp.Error != "")
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
// what happened. The child writes into it while the parent reads it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// Reset forgets what was written: what a child said about its previous
// file says nothing about the next.
func (b *tailBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = b.buf[:0]
}

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
