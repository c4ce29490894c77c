// Package worker runs each extraction in a child process of the same binary,
// so that no file can hang, crash or exhaust the process that asked for it.
//
// The parent (Runner) starts a child with the arguments its Config names and
// sends it one file after another: for each, a request on the child's stdin
// (a JSON header line, then the file's bytes), and one JSON response line on
// its stdout: the mission record or a refusal code. A child thus starts and
// loads its reference data once for many files. The child (Serve) caps its
// own memory and time; the parent enforces the wall-clock limit and a
// resident-memory ceiling by killing the child's whole process group, maps
// every way a child can end to a mission refusal, and never gives the next
// file to a child that was killed, crashed, answered a limit, grew past half
// its memory limit or served its quota of files.
package worker

import (
	"encoding/json"
	"fmt"
	"time"
)

// Limits bound one extraction.
type Limits struct {
	Timeout  time.Duration // wall clock, process start included
	Memory   int64         // bytes the child may use
	MaxPages int           // pages read before refusing with too_many_pages
	MaxSize  int64         // bytes of input accepted
}

// Defaults of the limits, as the contract states them.
const (
	DefaultTimeout  = 20 * time.Second
	DefaultMemory   = 768 << 20
	DefaultMaxPages = 500
	DefaultMaxSize  = 50 << 20
)

// MinMemory is the least memory a child needs to start and load its data.
const MinMemory = 64 << 20

// DefaultLimits returns the contract's defaults: 20 s, 768 MiB, 500 pages, 50 MiB.
func DefaultLimits() Limits {
	return Limits{Timeout: DefaultTimeout, Memory: DefaultMemory, MaxPages: DefaultMaxPages, MaxSize: DefaultMaxSize}
}

// Validate reports the first limit that cannot work.
func (l Limits) Validate() error {
	switch {
	case l.Timeout <= 0:
		return fmt.Errorf("timeout %v: must be positive", l.Timeout)
	case l.Memory < MinMemory:
		return fmt.Errorf("memory %d bytes: must be at least %d MiB", l.Memory, MinMemory>>20)
	case l.MaxPages <= 0:
		return fmt.Errorf("max pages %d: must be positive", l.MaxPages)
	case l.MaxSize <= 0:
		return fmt.Errorf("max size %d bytes: must be positive", l.MaxSize)
	}
	return nil
}

// request is the header line the parent writes before the file's bytes.
type request struct {
	Seq      int64         `json:"seq"` // the child's answer names it back
	Filename string        `json:"filename"`
	Size     int64         `json:"size"` // bytes that follow the header
	Timeout  time.Duration `json:"timeout"`
	Memory   int64         `json:"memory"`
	MaxPages int           `json:"max_pages"`
	MaxSize  int64         `json:"max_size"`
}

// response is the JSON line the child writes on stdout for a request.
type response struct {
	Seq     int64           `json:"seq"`
	Exit    bool            `json:"exit,omitempty"`    // the child exits after this answer
	Mission json.RawMessage `json:"mission,omitempty"` // the record's JSON, normalized (mission.Mission.Normalize)
	Refusal string          `json:"refusal,omitempty"` // a mission refusal code
	Detail  string          `json:"detail,omitempty"`  // for the log, never for users
	Error   string          `json:"error,omitempty"`   // the worker itself failed (not the file)
}

// maxHeader bounds the request header line.
const maxHeader = 64 << 10
