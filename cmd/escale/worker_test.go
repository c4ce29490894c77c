package main

import (
	"context"
	"os"
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
