package worker_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/worker"
)

// pidOf extracts a "pid" file and returns the pid of the child that read it.
func pidOf(t *testing.T, r *worker.Runner) int {
	t.Helper()
	m, err := r.Extract(context.Background(), []byte("pid"), "pid.txt")
	if err != nil {
		t.Fatalf("Extract(pid) error = %v, want nil", err)
	}
	pid, err := strconv.Atoi(m.Text)
	if err != nil {
		t.Fatalf("Extract(pid) = %q, want a pid", m.Text)
	}
	return pid
}

// waitGone waits for pid to end, failing the test after ten seconds.
func waitGone(t *testing.T, pid int, what string) {
	t.Helper()
	for i := 0; !gone(pid); i++ {
		if i == 200 {
			t.Fatalf("child %d still running %s", pid, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestChildServesSeveralFiles(t *testing.T) {
	r := newRunner(t, generous(), "data")
	first := pidOf(t, r)
	for i := range 5 {
		m, err := r.Extract(context.Background(), fmt.Appendf(nil, "echo %d", i), "f.txt")
		if want := fmt.Sprintf("echo %d", i); err != nil || m.Text != want {
			t.Fatalf("Extract(echo %d) = %v, %v, want text %q", i, m, err, want)
		}
	}
	if again := pidOf(t, r); again != first {
		t.Errorf("pid of the 7th file = %d, want %d: the child of the first file reads the next ones", again, first)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if !gone(first) {
		t.Errorf("child %d still running after Close returned", first)
	}
}

// TestBadFileDoesNotFailTheNext gives a child each hostile file, then good
// files: the bad file alone is refused, the next ones are read, by a new
// child.
func TestBadFileDoesNotFailTheNext(t *testing.T) {
	for _, tt := range hostileFiles() {
		t.Run(tt.mode, func(t *testing.T) {
			tt.skipUnsupported(t)
			t.Parallel()
			r := newRunner(t, tt.limits, "data")
			before := pidOf(t, r)
			_, err := r.Extract(context.Background(), []byte(tt.mode), "bad.pdf")
			if got, ok := mission.RefusalOf(err); !ok || got != tt.want {
				t.Fatalf("Extract(%s) error = %v, want refusal %q", tt.mode, err, tt.want.Code)
			}
			waitGone(t, before, "after its file was refused "+tt.want.Code)
			after := pidOf(t, r)
			if after == before {
				t.Errorf("file after %s read by child %d, the one that read it", tt.mode, before)
			}
			if again := pidOf(t, r); again != after {
				t.Errorf("second file after %s read by child %d, want %d (the new child stays)", tt.mode, again, after)
			}
		})
	}
}

// TestChildKilledWhileWaiting kills a waiting child: the next file is read
// by a new one, and not refused.
func TestChildKilledWhileWaiting(t *testing.T) {
	r := newRunner(t, generous(), "data")
	before := pidOf(t, r)
	if err := syscall.Kill(before, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, before, "after SIGKILL")
	if after := pidOf(t, r); after == before {
		t.Errorf("file after the child's death read by pid %d, the dead one", after)
	}
}

// TestLeftoverCrashIsNotTheNextFilesFault has a file leave behind what
// crashes the child while it reads the next file: that file is read again by
// a new child, not refused.
func TestLeftoverCrashIsNotTheNextFilesFault(t *testing.T) {
	r := newRunner(t, generous(), "data")
	m, err := r.Extract(context.Background(), []byte("timebomb"), "bomb.pdf")
	if err != nil {
		t.Fatalf("Extract(timebomb) error = %v, want a record", err)
	}
	m2, err := r.Extract(context.Background(), []byte("nap"), "next.pdf")
	if err != nil {
		t.Fatalf("Extract(nap) in the child a timebomb crashed = %v, want a record from a new child", err)
	}
	if m2.Text == m.Text {
		t.Errorf("Extract(nap) answered by pid %s, the child that crashed", m2.Text)
	}
}

// TestBloatedChildIsReplaced reads a file that leaves more than half the
// memory limit in use: the child is not given another file.
func TestBloatedChildIsReplaced(t *testing.T) {
	limits := generous()
	limits.Memory = 512 << 20
	r := newRunner(t, limits, "data")
	m, err := r.Extract(context.Background(), []byte("hold 300"), "big.pdf")
	if err != nil {
		t.Fatalf("Extract(hold 300 MiB under a 512 MiB limit) error = %v, want a record", err)
	}
	bloated, _ := strconv.Atoi(m.Text)
	waitGone(t, bloated, "after a file left it 300 MiB under a 512 MiB limit")
	if after := pidOf(t, r); after == bloated {
		t.Errorf("file after a bloating one read by the bloated child %d", after)
	}
}

func TestChildServesAtMostMaxFiles(t *testing.T) {
	r := newRunnerWith(t, worker.Config{Limits: generous(), MaxFiles: 3}, "data")
	var pids []int
	for range 4 {
		pids = append(pids, pidOf(t, r))
	}
	if pids[0] != pids[1] || pids[1] != pids[2] || pids[3] == pids[0] {
		t.Errorf("pids of 4 files with MaxFiles 3 = %v, want 3 equal then another", pids)
	}
}

func TestIdleChildExits(t *testing.T) {
	r := newRunnerWith(t, worker.Config{Limits: generous(), IdleTimeout: 200 * time.Millisecond}, "data")
	pid := pidOf(t, r)
	waitGone(t, pid, "after waiting longer than IdleTimeout")
	if again := pidOf(t, r); again == pid {
		t.Errorf("file after the idle timeout read by pid %d, the expired child", again)
	}
}

// TestConcurrentChildren runs files from several goroutines: each gets its
// own answer, at most MaxIdle children wait afterwards, and Close leaves
// none behind.
func TestConcurrentChildren(t *testing.T) {
	const callers, files, idle = 6, 8, 2
	r := newRunnerWith(t, worker.Config{Limits: generous(), MaxIdle: idle}, "data")
	var (
		mu   sync.Mutex
		pids = map[int]int{} // pid -> files read
		wg   sync.WaitGroup
	)
	for g := range callers {
		wg.Go(func() {
			for i := range files {
				text := fmt.Sprintf("echo %d-%d", g, i)
				m, err := r.Extract(context.Background(), []byte(text), "f.txt")
				if err != nil || m.Text != text {
					t.Errorf("Extract(%q) = %v, %v, want its own text", text, m, err)
					return
				}
				pid := pidOf(t, r)
				mu.Lock()
				pids[pid] += 2
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	reused := 0
	for _, n := range pids {
		if n > 2 {
			reused++
		}
	}
	if reused == 0 {
		t.Errorf("children and files read = %v, want some child to read several", pids)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	for pid := range pids {
		if !gone(pid) {
			t.Errorf("child %d still running after Close returned", pid)
		}
	}
}

// TestCloseStopsWaitingChildren checks that Close ends every waiting child,
// long before their idle timeout.
func TestCloseStopsWaitingChildren(t *testing.T) {
	r := newRunnerWith(t, worker.Config{Limits: generous(), MaxIdle: 3, IdleTimeout: time.Hour}, "data")
	var wg sync.WaitGroup
	pids := make([]int, 3)
	for i := range pids {
		wg.Go(func() { pids[i] = pidOf(t, r) })
	}
	wg.Wait()
	r.Close()
	for _, pid := range pids {
		if !gone(pid) {
			t.Errorf("child %d still running after Close returned", pid)
		}
	}
	// A Runner closed still reads files, each in a child of its own.
	pid := pidOf(t, r)
	waitGone(t, pid, "after its file, the Runner being closed")
}
