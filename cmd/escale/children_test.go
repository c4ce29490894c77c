package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// workersOf lists the extraction children still running for data directory
// dir: their arguments name its OCR cache.
func workersOf(t *testing.T, dir string) []int {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, []byte(workerCommand+"\x00")) || !bytes.Contains(b, []byte(dir)) {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if !exited(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// exited tells a zombie from a running process.
func exited(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || bytes.HasPrefix(b[i+1:], []byte(" Z"))
}

// noWorkersLeft fails the test when extraction children of dir are still
// running after what; within lets them notice their parent's end first.
func noWorkersLeft(t *testing.T, dir, what string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		pids := workersOf(t, dir)
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("extraction children %v still running %s", pids, what)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCommandsLeaveNoChild checks that the extraction children, which
// outlive one file, end with the command that started them: ingest when it
// returns (run in this process, which goes on), serve when it stops, and
// serve killed outright (its waiting children see their input end).
func TestCommandsLeaveNoChild(t *testing.T) {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc to list processes")
	}
	dir := t.TempDir()
	args := []string{"ingest", "--data", dir,
		filepath.Join(visibleFiles, "2024-lisbonne-aivp.txt"),
		filepath.Join(visibleFiles, "mission_dakar_final_v3.txt"),
		filepath.Join(visibleFiles, "mission-paris-lyon-2019.md"),
	}
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	if code := run(context.Background(), args, getenv, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("escale ingest = exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	noWorkersLeft(t, dir, "after escale ingest returned", 0)

	bin := buildEscale(t)

	srv := startServer(t, bin, dir, "jeton")
	upload := func(i int) {
		t.Helper()
		status, b, err := srv.upload(fmt.Sprintf("r%d.txt", i), crashReport(i, uniqueWord(i)))
		if err != nil || status != http.StatusCreated {
			t.Fatalf("upload %d = %d %s %v", i, status, b, err)
		}
	}
	upload(1)
	upload(2)
	if len(workersOf(t, dir)) == 0 {
		t.Errorf("no extraction child waits after two uploads, want one kept for the next file")
	}
	srv.stop(t)
	noWorkersLeft(t, dir, "after escale serve stopped on SIGTERM", 0)

	srv = startServer(t, bin, dir, "jeton")
	upload(3)
	srv.kill()
	noWorkersLeft(t, dir, "ten seconds after escale serve was killed", 10*time.Second)
}
