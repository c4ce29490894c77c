package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/score"
)

const hard = "../../testdata/corpus/hard"

// buildBinary returns the binary the checks run (escaleBinary).
func buildBinary(t *testing.T) string {
	t.Helper()
	return escaleBinary(t)
}

// hardCase is one entry of the hard corpus's manifest.
type hardCase struct {
	File   string `json:"file"`
	Expect string `json:"expect"` // ok, error or no-harm
	Truth  string `json:"truth"`
	Kind   string `json:"kind"`
}

// TestHardCorpus runs the built binary on every hostile file, as
// score.py hard does: « ok » files extract like their source (text F1 ≥
// 0.95), « error » files are refused with a stable code on one line, and
// nothing crashes or goes past 1 GiB. Time is bounded by the worker's own
// limit; the context here only keeps a broken binary from stalling the suite.
func TestHardCorpus(t *testing.T) {
	bin := buildBinary(t)
	b, err := os.ReadFile(filepath.Join(hard, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []hardCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	truths, err := score.LoadTruth(visible)
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]string{}
	for _, tr := range truths {
		text[tr.ID] = tr.Text
	}
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			res := runBinary(t, bin, "extract", "--json", filepath.Join(hard, "files", c.File))
			if res.crashed != "" {
				t.Fatalf("extract %s (%s) crashed: %s", c.File, c.Kind, res.crashed)
			}
			if res.peakRSS > 1<<30 {
				t.Errorf("extract %s (%s) peak RSS %d MiB, want at most 1024", c.File, c.Kind, res.peakRSS>>20)
			}
			switch c.Expect {
			case "ok":
				if res.code != 0 {
					t.Fatalf("extract %s (%s) = exit %d, stderr %q; want a record", c.File, c.Kind, res.code, res.stderr)
				}
				m := decodeRecord(t, c.File, res)
				if f1 := score.TextF1(text[c.Truth], m.Text); f1 < 0.95 {
					t.Errorf("extract %s (%s): text F1 %.3f against %s, want ≥ 0.95", c.File, c.Kind, f1, c.Truth)
				}
			case "error":
				if res.code == 0 {
					t.Fatalf("extract %s (%s) = exit 0, want a refusal", c.File, c.Kind)
				}
				checkRefusal(t, c.File, res)
			case "no-harm":
				if res.code == 0 {
					decodeRecord(t, c.File, res)
				} else {
					checkRefusal(t, c.File, res)
				}
			default:
				t.Fatalf("manifest: %s: unknown expectation %q", c.File, c.Expect)
			}
		})
	}
}

type binResult struct {
	code           int
	stdout, stderr string
	crashed        string // why the run counts as a crash, or ""
	peakRSS        int64  // bytes, the process and its children
}

func runBinary(t *testing.T, bin string, args ...string) binResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := binResult{stdout: out.String(), stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.crashed = "no answer: the worker's time limit did not hold"
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", bin, err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && r.crashed == "" {
		r.crashed = "killed by " + ws.Signal().String()
	}
	if strings.Contains(r.stderr, "goroutine ") && strings.Contains(r.stderr, "panic") {
		r.crashed = "panic trace on stderr: " + strings.SplitN(strings.TrimSpace(r.stderr), "\n", 2)[0]
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakRSS = ru.Maxrss << 10
	}
	return r
}

func decodeRecord(t *testing.T, file string, r binResult) *mission.Mission {
	t.Helper()
	if r.stderr != "" {
		t.Errorf("extract %s = exit 0 with stderr %q, want nothing on stderr", file, r.stderr)
	}
	var m mission.Mission
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("extract %s: stdout is not a JSON record: %v", file, err)
	}
	if dec.More() {
		t.Errorf("extract %s: stdout holds more than one JSON value", file)
	}
	return &m
}

// checkRefusal checks the refusal format: exactly one line « code: message »
// on stderr, whose code is one of the contract's.
func checkRefusal(t *testing.T, file string, r binResult) {
	t.Helper()
	m := refusalLine.FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("extract %s: stderr %q, want one line « code: message »", file, r.stderr)
	}
	if _, ok := mission.RefusalByCode(m[1]); !ok {
		t.Errorf("extract %s: refusal code %q is not one of the contract's", file, m[1])
	}
	if r.stdout != "" {
		t.Errorf("extract %s refused with %q on stdout, want nothing", file, r.stdout)
	}
}
