package worker

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"time"

	"escale/internal/mission"
)

// Func extracts one file inside the child process.
type Func func(ctx context.Context, data []byte, filename string, maxPages int) (*mission.Mission, error)

// Prepare builds the Func once the child's limits are in force, so that
// loading reference data is bounded like the extraction itself.
type Prepare func() (Func, error)

// Exit codes of the child. The parent reads the response, not the code: the
// codes only tell a person reading a log what happened.
const (
	exitOK       = 0
	exitFailed   = 1 // unreadable request, or Prepare failed
	exitMemory   = 3
	exitTimeout  = 4
	exitCanceled = 5
)

// Serve is the child's side: it reads one request from in, caps its own
// memory and time, runs the Func that prepare returns, and writes one
// response on out. A panic in the extraction is reported as damaged. It
// returns the exit code; the caller must exit with it at once, because an
// extraction stopped by a limit may still be running.
func Serve(ctx context.Context, in io.Reader, out io.Writer, prepare Prepare) int {
	start := time.Now()
	br := bufio.NewReaderSize(in, maxHeader)
	req, err := readHeader(br)
	if err != nil {
		return write(out, response{Error: err.Error()}, exitFailed)
	}
	if req.MaxSize > 0 && req.Size > req.MaxSize {
		return write(out, response{Refusal: mission.ErrTooLarge.Code,
			Detail: fmt.Sprintf("%d bytes, limit %d", req.Size, req.MaxSize)}, exitOK)
	}
	if req.Memory > 0 {
		capMemory(req.Memory)
	}
	data := make([]byte, req.Size)
	if _, err := io.ReadFull(br, data); err != nil {
		return write(out, response{Error: fmt.Sprintf("worker: read %d bytes of input: %v", req.Size, err)}, exitFailed)
	}

	over := make(chan uint64, 1)
	if req.Memory > 0 {
		go watchMemory(ctx, uint64(req.Memory)*9/10, over)
	}
	var deadline <-chan time.Time
	if req.Timeout > 0 {
		// The parent kills the child at the deadline; this only matters when
		// the parent is gone.
		t := time.NewTimer(req.Timeout + time.Second)
		defer t.Stop()
		deadline = t.C
	}

	// The extraction's own deadline comes a little before the parent's, so
	// that a long one (OCR of a long scan) stops, answers timeout itself and
	// exits rather than being killed. Counted from here, it is late by the
	// process's start-up, which the margin covers.
	runCtx := ctx
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithDeadline(ctx, start.Add(req.Timeout-stopMargin(req.Timeout)))
		defer cancel()
	}
	done := make(chan response, 1)
	go func() { done <- run(runCtx, prepare, data, req) }()
	select {
	case r := <-done:
		code := exitOK
		if r.Error != "" {
			code = exitFailed
		}
		return write(out, r, code)
	case used := <-over:
		return write(out, response{Refusal: mission.ErrTooMuchMemory.Code,
			Detail: fmt.Sprintf("%d MiB in use, limit %d MiB", used>>20, req.Memory>>20)}, exitMemory)
	case <-deadline:
		return write(out, response{Refusal: mission.ErrTimeout.Code,
			Detail: fmt.Sprintf("still running after %v", req.Timeout)}, exitTimeout)
	case <-ctx.Done():
		return write(out, response{Error: fmt.Sprintf("worker: stopped: %v", ctx.Err())}, exitCanceled)
	}
}

func readHeader(br *bufio.Reader) (request, error) {
	var req request
	line, err := br.ReadSlice('\n')
	if err != nil {
		return req, fmt.Errorf("worker: read request header: %w", err)
	}
	if err := json.Unmarshal(line, &req); err != nil {
		return req, fmt.Errorf("worker: decode request header: %w", err)
	}
	if req.Size < 0 {
		return req, fmt.Errorf("worker: request size %d", req.Size)
	}
	return req, nil
}

// stopMargin is how long before the parent's deadline the extraction's
// context ends: time to notice, stop its subprocesses and answer.
func stopMargin(timeout time.Duration) time.Duration {
	return min(timeout/4, time.Second)
}

// run calls the extraction and turns whatever it does, panics included, into
// a response. An extraction that fails once ctx's deadline has passed was
// cut short: it answers timeout, whatever error the cut caused.
func run(ctx context.Context, prepare Prepare, data []byte, req request) (r response) {
	defer func() {
		if p := recover(); p != nil {
			r = response{Refusal: mission.ErrDamaged.Code, Detail: truncate(fmt.Sprintf("panic: %v\n%s", p, debug.Stack()), 8<<10)}
		}
	}()
	fn, err := prepare()
	if err != nil {
		return response{Error: err.Error()}
	}
	m, err := fn(ctx, data, req.Filename, req.MaxPages)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, mission.ErrTimeout) {
		err = mission.Refuse(mission.ErrTimeout, "stopped after %v: %v", req.Timeout-stopMargin(req.Timeout), err)
	}
	switch refusal, ok := mission.RefusalOf(err); {
	case ok:
		// The detail is what the extraction added; the parent restores the
		// refusal's own code and message.
		return response{Refusal: refusal.Code, Detail: strings.TrimSuffix(err.Error(), ": "+refusal.Error())}
	case err != nil:
		// Extractions report what is wrong with a file as refusals; anything
		// else still means this file could not be read.
		return response{Refusal: mission.ErrDamaged.Code, Detail: "unexpected error: " + err.Error()}
	case m == nil:
		return response{Refusal: mission.ErrDamaged.Code, Detail: "extraction returned no record"}
	}
	return response{Mission: m}
}

// write encodes r on out and returns code. A record that cannot be encoded
// (a NaN somewhere) is reported as damaged rather than lost in silence.
func write(out io.Writer, r response, code int) int {
	b, err := json.Marshal(r)
	if err != nil {
		b, _ = json.Marshal(response{Refusal: mission.ErrDamaged.Code, Detail: "encode record: " + err.Error()})
	}
	b = append(b, '\n')
	if _, err := out.Write(b); err != nil && code == exitOK {
		code = exitFailed
	}
	return code
}

// capMemory makes the garbage collector work hard before the limit, bounds
// goroutine stacks (a deeply nested file must not grow one to a gigabyte) and
// sets the kernel's limit on the process's data, the hard stop for an
// allocation too large and too quick for the watchdog. The child lives for
// one file: until the heap nears the limit, collecting its garbage is wasted
// work (two fifths of a two-page report's CPU, most of it loading the
// gazetteer), so the collector runs only near the limit.
func capMemory(limit int64) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limit * 8 / 10)
	debug.SetMaxStack(int(min(limit/8, 256<<20)))
	setDataLimit(limit)
}

// watchMemory sends on over the memory the Go runtime holds from the system
// once it passes limit. It polls often: a decompression bomb grows by hundreds
// of megabytes a second.
func watchMemory(ctx context.Context, limit uint64, over chan<- uint64) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		metrics.Read(samples)
		if samples[0].Value.Kind() != metrics.KindUint64 || samples[1].Value.Kind() != metrics.KindUint64 {
			return // metrics unsupported: the rlimit and the parent still hold
		}
		if used := samples[0].Value.Uint64() - samples[1].Value.Uint64(); used > limit {
			over <- used
			return
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
