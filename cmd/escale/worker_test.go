package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/worker"
)

// fakeEnv names, in the test binary only, a fake extraction for the worker
// to run instead of the real one: the limits are then tested without a
// hostile file. The production binary never reads it.
const fakeEnv = "ESCALE_TEST_FAKE_EXTRACTION"

// TestMain lets the test binary be its own worker: a Runner started by a test
// runs os.Executable() — this binary — with the worker subcommand.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == workerCommand {
		ctx := context.Background()
		if mode := os.Getenv(fakeEnv); mode != "" {
			os.Exit(worker.Serve(ctx, os.Stdin, os.Stdout, func() (worker.Func, error) { return fakeExtraction(mode), nil }))
		}
		os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	}
	// Under -race, each child would sleep a second at exit (the race
	// detector's atexit_sleep_ms) while its parent holds an extraction slot:
	// the suite's uploads would take a second more each.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	code := m.Run()
	removeBinary()
	os.Exit(code)
}

var sink [][]byte

func fakeExtraction(mode string) worker.Func {
	return func(ctx context.Context, data []byte, filename string, maxPages int) (*mission.Mission, error) {
		switch mode {
		case "hang":
			time.Sleep(time.Hour)
		case "wait":
			// A reader that stops when its context ends, with an error of
			// its own rather than a refusal.
			<-ctx.Done()
			return nil, fmt.Errorf("fake: page 3: %w", ctx.Err())
		case "panic":
			panic("a bug in a PDF library")
		case "alloc":
			for {
				b := make([]byte, 1<<20)
				for i := range b {
					b[i] = byte(i)
				}
				sink = append(sink, b)
			}
		case "args":
			// What the parent told the child, for tests of the overrides.
			return &mission.Mission{Filename: filename, Text: strings.Join(os.Args[1:], " ")}, nil
		case "pages":
			return nil, mission.Refuse(mission.ErrTooManyPages, "pdf: more than %d pages", maxPages)
		}
		return nil, mission.Refuse(mission.ErrDamaged, "unknown fake %q", mode)
	}
}

// TestWorkerStopsBeforeItsDeadline runs an extraction that only stops when
// its context ends: the child must end it before the parent's wall-clock
// limit and answer timeout itself, not be killed at the limit.
func TestWorkerStopsBeforeItsDeadline(t *testing.T) {
	t.Setenv(fakeEnv, "wait")
	limits := worker.DefaultLimits()
	limits.Timeout = 4 * time.Second
	r, err := worker.New(worker.Config{Args: []string{workerCommand}, Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.Extract(context.Background(), []byte("Titre\n"), "long.txt")
	if !errors.Is(err, mission.ErrTimeout) || !strings.Contains(err.Error(), "fake: page 3: context deadline exceeded") {
		t.Errorf("Extract with a %v limit of an extraction waiting for its context = %v; want the child's own timeout answer (fake: page 3: context deadline exceeded)", limits.Timeout, err)
	}
}

// TestOCRStopsBeforeTheDeadline extracts a scan with a Tesseract that never
// answers: OCR must stop at the extraction's deadline and the child answer
// timeout, before the parent would kill it.
func TestOCRStopsBeforeTheDeadline(t *testing.T) {
	scan, err := os.ReadFile(filepath.Join(visible, "files", "RM-2025-031_Hambourg.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	tesseract := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\ncase \"$1\" in\n--list-langs) printf 'List of available languages (2):\\neng\\nfra\\n'; exit 0 ;;\n--version) echo 'tesseract 0.0 (never answers)'; exit 0 ;;\nesac\nexec sleep 600\n"
	if err := os.WriteFile(tesseract, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	c := extractConfig{Limits: worker.DefaultLimits(), Tesseract: tesseract}
	c.Limits.Timeout = 4 * time.Second
	r, err := newRunner(c, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.Extract(context.Background(), scan, "scan.pdf")
	if !errors.Is(err, mission.ErrTimeout) || strings.Contains(err.Error(), "no answer") {
		t.Errorf("Extract with a %v limit of a scan whose OCR never ends = %v; want the child's own timeout answer, not a kill", c.Limits.Timeout, err)
	}
}
