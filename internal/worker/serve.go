package worker

import (
	"bufio"
	"bytes"
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

// Exit codes of the child. The parent reads the responses, not the code: the
// codes only tell a person reading a log what happened.
const (
	exitOK       = 0
	exitFailed   = 1 // unreadable request, or Prepare failed
	exitMemory   = 3
	exitTimeout  = 4
	exitCanceled = 5
)

// Serve is the child's side: it reads requests from in one after another,
// caps its own memory and time, runs the Func that prepare returns (called
// once, at the first request), and writes one response line on out for
// each. A panic in the extraction is reported as damaged. It returns the exit
// code when in ends or when the child must not serve another file (a limit
// reached, a panic, a timeout, a broken request); the caller must exit with
// it at once, because an extraction stopped by a limit may still be running.
func Serve(ctx context.Context, in io.Reader, out io.Writer, prepare Prepare) int {
	s := &server{out: out, prepare: prepare}
	br := bufio.NewReaderSize(in, maxHeader)
	for {
		req, err := readHeader(br)
		if errors.Is(err, io.EOF) {
			return exitOK // the parent has no more files for this child
		}
		if err != nil {
			return s.write(response{Error: err.Error(), Exit: true}, exitFailed)
		}
		if code, exit := s.serve(ctx, br, req); exit {
			return code
		}
	}
}

// server is the state a child keeps from one file to the next.
type server struct {
	out     io.Writer
	prepare Prepare
	fn      Func // once prepared
	capped  bool // CapMemory done
	served  int  // requests read before this one
}

// serve reads the bytes of one request, extracts them and answers. It
// reports whether the child must exit, with which code.
func (s *server) serve(ctx context.Context, br *bufio.Reader, req request) (int, bool) {
	start := time.Now()
	if req.MaxSize > 0 && req.Size > req.MaxSize {
		// The bytes stay unread, so the stream cannot go on.
		return s.write(response{Seq: req.Seq, Exit: true, Refusal: mission.ErrTooLarge.Code,
			Detail: fmt.Sprintf("%d bytes, limit %d", req.Size, req.MaxSize)}, exitOK), true
	}
	if req.Memory > 0 && !s.capped {
		// The limits are the parent's, the same for every request: they
		// hold from the first one, the reference data's loading included.
		CapMemory(req.Memory)
		s.capped = true
	} else if s.served == 1 {
		// A child that reads one file only (escale extract) need not
		// collect its garbage, most of it left by loading the reference
		// data (two fifths of a two-page report's CPU): the collector runs
		// near the limit only. One that reads more collects as it goes.
		debug.SetGCPercent(gcPercent)
	}
	s.served++
	data := make([]byte, req.Size)
	if _, err := io.ReadFull(br, data); err != nil {
		return s.write(response{Seq: req.Seq, Exit: true,
			Error: fmt.Sprintf("worker: read %d bytes of input: %v", req.Size, err)}, exitFailed), true
	}

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	over := make(chan uint64, 1)
	if req.Memory > 0 {
		go watchMemory(watchCtx, uint64(req.Memory)*9/10, over)
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
	// time the request took to arrive (and, for a new child, by its start),
	// which the margin covers.
	runCtx := ctx
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithDeadline(ctx, start.Add(req.Timeout-stopMargin(req.Timeout)))
		defer cancel()
	}
	done := make(chan result, 1)
	go func() { done <- s.run(runCtx, data, req) }()
	select {
	case r := <-done:
		r.resp.Seq = req.Seq
		code := exitOK
		if r.resp.Error != "" {
			code = exitFailed
		}
		// A panic may have left shared state half-changed, and an extraction
		// cut by its deadline may have left work behind: another file gets
		// another child.
		r.resp.Exit = r.resp.Error != "" || r.panicked || r.resp.Refusal == mission.ErrTimeout.Code
		code = s.write(r.resp, code)
		return code, r.resp.Exit || code != exitOK
	case used := <-over:
		return s.write(response{Seq: req.Seq, Exit: true, Refusal: mission.ErrTooMuchMemory.Code,
			Detail: fmt.Sprintf("%d MiB in use, limit %d MiB", used>>20, req.Memory>>20)}, exitMemory), true
	case <-deadline:
		return s.write(response{Seq: req.Seq, Exit: true, Refusal: mission.ErrTimeout.Code,
			Detail: fmt.Sprintf("still running after %v", req.Timeout)}, exitTimeout), true
	case <-ctx.Done():
		return s.write(response{Seq: req.Seq, Exit: true, Error: fmt.Sprintf("worker: stopped: %v", ctx.Err())}, exitCanceled), true
	}
}

func readHeader(br *bufio.Reader) (request, error) {
	var req request
	line, err := br.ReadSlice('\n')
	if errors.Is(err, io.EOF) && len(line) == 0 {
		return req, io.EOF
	}
	if err != nil {
		return req, fmt.Errorf("worker: read request header: %w", noEOF(err))
	}
	if err := json.Unmarshal(line, &req); err != nil {
		return req, fmt.Errorf("worker: decode request header: %w", err)
	}
	if req.Size < 0 {
		return req, fmt.Errorf("worker: request size %d", req.Size)
	}
	return req, nil
}

// noEOF turns the end of input in the middle of a header into an error that
// is not mistaken for the clean end between two requests.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// stopMargin is how long before the parent's deadline the extraction's
// context ends: time to notice, stop its subprocesses and answer.
func stopMargin(timeout time.Duration) time.Duration {
	return min(timeout/4, time.Second)
}

// result is what one extraction gave, and whether it panicked.
type result struct {
	resp     response
	panicked bool
}

// run calls the extraction (preparing it at the first request) and turns
// whatever it does, panics included, into a response. An extraction that
// fails once ctx's deadline has passed was cut short: it answers timeout,
// whatever error the cut caused.
func (s *server) run(ctx context.Context, data []byte, req request) (r result) {
	defer func() {
		if p := recover(); p != nil {
			r = result{resp: response{Refusal: mission.ErrDamaged.Code, Detail: truncate(fmt.Sprintf("panic: %v\n%s", p, debug.Stack()), 8<<10)}, panicked: true}
		}
	}()
	if s.fn == nil {
		fn, err := s.prepare()
		if err != nil {
			return result{resp: response{Error: err.Error()}}
		}
		s.fn = fn
	}
	m, err := s.fn(ctx, data, req.Filename, req.MaxPages)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, mission.ErrTimeout) {
		err = mission.Refuse(mission.ErrTimeout, "stopped after %v: %v", req.Timeout-stopMargin(req.Timeout), err)
	}
	switch refusal, ok := mission.RefusalOf(err); {
	case ok:
		// The detail is what the extraction added; the parent restores the
		// refusal's own code and message.
		return result{resp: response{Refusal: refusal.Code, Detail: strings.TrimSuffix(err.Error(), ": "+refusal.Error())}}
	case err != nil:
		// Extractions report what is wrong with a file as refusals; anything
		// else still means this file could not be read.
		return result{resp: response{Refusal: mission.ErrDamaged.Code, Detail: "unexpected error: " + err.Error()}}
	case m == nil:
		return result{resp: response{Refusal: mission.ErrDamaged.Code, Detail: "extraction returned no record"}}
	}
	m.Normalize()
	raw, err := encodeJSON(m)
	if err != nil {
		// A record that cannot be encoded (a NaN somewhere) is reported as
		// damaged rather than lost in silence.
		return result{resp: response{Refusal: mission.ErrDamaged.Code, Detail: "encode record: " + err.Error()}}
	}
	return result{resp: response{Mission: raw}}
}

// encodeJSON encodes v on one line, without the newline, and without
// escaping <, > and & for HTML: the record goes to people and programs as
// it is (escale extract prints it unchanged).
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// write encodes r as one line on out and returns code. The line starts with
// a newline of its own: whatever a library printed on stdout without ending
// its line stays on a line apart.
func (s *server) write(r response, code int) int {
	b, err := encodeJSON(r)
	if err != nil {
		b, _ = encodeJSON(response{Seq: r.Seq, Exit: r.Exit, Refusal: mission.ErrDamaged.Code, Detail: "encode answer: " + err.Error()})
	}
	line := make([]byte, 0, len(b)+2)
	line = append(append(append(line, '\n'), b...), '\n')
	if _, err := s.out.Write(line); err != nil && code == exitOK {
		code = exitFailed
	}
	return code
}

// gcPercent is the garbage collector's pace in a child from its second file
// on (see serve). A child's live heap is small (its reference data, one
// file's record): a heap of five times that, some 50 MB, costs little and
// spares three quarters of the collections at 100, 4 ms of 16 in the CPU
// of reading a two-page report.
const gcPercent = 400

// CapMemory makes the garbage collector work hard before the limit (and not
// before: see serve), bounds goroutine stacks (a deeply nested file must not
// grow one to a gigabyte) and sets the kernel's limit on the process's data,
// the hard stop for an allocation too large and too quick for the watchdog.
// A child calls it before its first file; internal/tools/extractonly, which
// measures an extraction without the child, calls it too.
func CapMemory(limit int64) {
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
