package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// built is the escale binary the end-to-end tests run, built once per test
// process (a build takes tens of seconds on a busy machine).
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// escaleBinary builds the binary as the checks do (no cgo), once, and
// returns its path. Tests that need it are skipped with -short.
func escaleBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary: skipped with -short")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "escale-test-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "escale")
		cmd := exec.Command("go", "build", "-o", built.bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// removeBinary deletes the built binary once every test has run (TestMain).
func removeBinary() {
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}
