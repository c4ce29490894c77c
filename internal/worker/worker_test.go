package worker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/worker"
)

// The test binary doubles as the worker: started with childArg, it serves
// requests with the fake extraction its next argument names ("data": the one
// each file's first word names). Production binaries have no such entry
// point.
const (
	childArg = "escale-worker-test-child"
	sleepArg = "escale-worker-test-sleep"
)

func TestMain(m *testing.M) {
	if len(os.Args) >= 3 && os.Args[1] == childArg {
		os.Exit(worker.Serve(context.Background(), os.Stdin, os.Stdout, fake(os.Args[2:])))
	}
	if len(os.Args) >= 2 && os.Args[1] == sleepArg {
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var sink [][]byte

// fake returns the extraction a test asks for.
func fake(args []string) worker.Prepare {
	mode := args[0]
	return func() (worker.Func, error) {
		if mode == "prepare-fails" {
			return nil, errors.New("taxonomy: line 3: no id")
		}
		return func(ctx context.Context, data []byte, filename string, maxPages int) (*mission.Mission, error) {
			mode, arg := mode, ""
			if mode == "data" {
				mode, arg, _ = strings.Cut(string(data), " ")
			}
			switch mode {
			case "pid":
				return &mission.Mission{Filename: filename, Text: strconv.Itoa(os.Getpid())}, nil
			case "hold":
				// Memory kept after the answer: the child comes out of this
				// file bloated. Populated by the kernel, it is resident
				// without the race detector's shadow.
				mib, _ := strconv.Atoi(arg)
				b, err := syscall.Mmap(-1, 0, mib<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_POPULATE)
				if err != nil {
					return nil, err
				}
				sink = append(sink, b)
				return &mission.Mission{Filename: filename, Text: strconv.Itoa(os.Getpid())}, nil
			case "timebomb":
				// Something this file started kills the child once the
				// file is answered: during the next one.
				go func() {
					time.Sleep(300 * time.Millisecond)
					os.Exit(9)
				}()
				return &mission.Mission{Filename: filename, Text: strconv.Itoa(os.Getpid())}, nil
			case "nap":
				time.Sleep(time.Second)
				return &mission.Mission{Filename: filename, Text: strconv.Itoa(os.Getpid())}, nil
			case "echo":
				return &mission.Mission{Filename: filename, Text: string(data), Pages: maxPages}, nil
			case "env":
				return &mission.Mission{Filename: filename, Text: os.Getenv("ESCALE_TOKEN") + "|" + os.Getenv("ESCALE_WORKER_TEST_VISIBLE")}, nil
			case "noisy":
				fmt.Println("a library talking on stdout")
				fmt.Println(`{"refusal":"encrypted"}`) // JSON, but no answer
				fmt.Fprintln(os.Stderr, "and on stderr")
				fmt.Print("and a line it does not end")
				return &mission.Mission{Filename: filename, Text: "ok", Pages: 1}, nil
			case "refuse":
				return nil, mission.Refuse(mission.ErrEncrypted, "pdf: needs a user password")
			case "error":
				return nil, errors.New("pdf: something unexpected")
			case "nil":
				return nil, nil
			case "panic":
				panic("index out of range in a PDF library")
			case "goroutine-panic":
				go func() { panic("a panic nobody recovers") }()
				select {}
			case "exit":
				os.Exit(7)
			case "hang":
				select {}
			case "spin":
				for n := 0; ; n++ {
					_ = n
				}
			case "alloc":
				// A decompression bomb: memory grows steadily and stays live.
				for {
					b := make([]byte, 1<<20)
					for i := range b {
						b[i] = byte(i)
					}
					sink = append(sink, b)
				}
			case "bigalloc":
				// One allocation too large and too quick for any watchdog.
				b := make([]byte, 8<<30)
				for i := 0; i < len(b); i += 4096 {
					b[i] = 1
				}
				sink = append(sink, b)
				select {}
			case "flood":
				// A child that will not stop talking fills no parent's memory.
				b := bytes.Repeat([]byte("x"), 1<<20)
				for {
					if _, err := os.Stdout.Write(b); err != nil {
						return nil, err
					}
				}
			case "shm":
				// Memory the Go runtime and RLIMIT_DATA do not count: only the
				// parent's watch on the resident set sees it.
				b, err := syscall.Mmap(-1, 0, 2<<30, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_ANON)
				if err != nil {
					return nil, err
				}
				for i := 0; i < len(b); i += 4096 {
					b[i] = 1
				}
				select {}
			case "grandchild":
				cmd := exec.Command(os.Args[0], sleepArg)
				if err := cmd.Start(); err != nil {
					return nil, err
				}
				if err := os.WriteFile(args[1], []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
					return nil, err
				}
				select {}
			}
			return nil, fmt.Errorf("unknown fake mode %q", mode)
		}, nil
	}
}

func newRunner(t *testing.T, limits worker.Limits, args ...string) *worker.Runner {
	t.Helper()
	return newRunnerWith(t, worker.Config{Limits: limits}, args...)
}

// newRunnerWith returns a Runner of cfg whose children run the fake args
// name, closed at the end of the test.
func newRunnerWith(t *testing.T, cfg worker.Config, args ...string) *worker.Runner {
	t.Helper()
	cfg.Args = append([]string{childArg}, args...)
	r, err := worker.New(cfg)
	if err != nil {
		t.Fatalf("worker.New: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// generous limits, so that a busy machine does not fail the tests that are
// not about limits.
func generous() worker.Limits {
	l := worker.DefaultLimits()
	l.Timeout = time.Minute
	return l
}

// TestExtractJSON checks the record as ExtractJSON gives it: what the
// child encoded, normalized, with <, > and & as they are, the same record
// Extract decodes.
func TestExtractJSON(t *testing.T) {
	r := newRunner(t, generous(), "echo")
	raw, err := r.ExtractJSON(context.Background(), []byte("Mission à Lisbonne <AIVP> & Porto"), "r&d.pdf")
	if err != nil {
		t.Fatalf("ExtractJSON(echo) error = %v, want nil", err)
	}
	for _, want := range []string{`"filename":"r&d.pdf"`, `"text":"Mission à Lisbonne <AIVP> & Porto"`, `"destinations":[]`, `"warnings":[]`} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("ExtractJSON(echo) = %s, want it to hold %s", raw, want)
		}
	}
	if bytes.ContainsRune(raw, '\n') {
		t.Errorf("ExtractJSON(echo) = %q, want one line", raw)
	}
	var m mission.Mission
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("ExtractJSON(echo) = %s, not a record: %v", raw, err)
	}
	if m.Filename != "r&d.pdf" || m.Pages != worker.DefaultMaxPages {
		t.Errorf("ExtractJSON(echo) decodes to {Filename %q, Pages %d}, want {%q, %d}", m.Filename, m.Pages, "r&d.pdf", worker.DefaultMaxPages)
	}
}

func TestExtractRecord(t *testing.T) {
	r := newRunner(t, generous(), "echo")
	data := bytes.Repeat([]byte("Mission à Lisbonne. "), 200_000) // 4 MB through the pipe
	m, err := r.Extract(context.Background(), data, "rapport.pdf")
	if err != nil {
		t.Fatalf("Extract(echo) error = %v, want nil", err)
	}
	if m.Text != string(data) || m.Filename != "rapport.pdf" || m.Pages != worker.DefaultMaxPages {
		t.Errorf("Extract(echo) = {Filename %q, len(Text) %d, Pages %d}, want {%q, %d, %d}",
			m.Filename, len(m.Text), m.Pages, "rapport.pdf", len(data), worker.DefaultMaxPages)
	}
	if m.Destinations == nil || m.Warnings == nil {
		t.Errorf("Extract(echo) lists are nil, want the record normalized")
	}
}

// hostileCase is a file that crashes, hangs or exhausts the child reading
// it, the limits it runs under and the refusal it must get.
type hostileCase struct {
	mode   string
	limits worker.Limits
	want   *mission.Refusal
}

// hostileFiles lists every hostile file. TestExtractOutcomes checks each is
// refused; TestBadFileDoesNotFailTheNext checks that a persistent child
// reading one is replaced. A new hostile mode is added here, for both.
func hostileFiles() []hostileCase {
	short := generous()
	short.Timeout = 3 * time.Second
	small := generous()
	small.Memory = 128 << 20
	return []hostileCase{
		{"panic", generous(), mission.ErrDamaged},
		{"goroutine-panic", generous(), mission.ErrDamaged},
		{"exit", generous(), mission.ErrDamaged},
		{"hang", short, mission.ErrTimeout},
		{"spin", short, mission.ErrTimeout},
		{"alloc", small, mission.ErrTooMuchMemory},
		{"bigalloc", small, mission.ErrTooMuchMemory},
		{"shm", small, mission.ErrTooMuchMemory},
		{"flood", small, mission.ErrTooMuchMemory},
	}
}

// skipUnsupported skips the cases the race detector cannot run.
func (c hostileCase) skipUnsupported(t *testing.T) {
	t.Helper()
	if c.mode == "bigalloc" && raceEnabled {
		t.Skip("the race detector's shadow memory fails before Go's allocator does")
	}
}

func TestExtractOutcomes(t *testing.T) {
	tests := append([]hostileCase{
		{"noisy", generous(), nil},
		{"refuse", generous(), mission.ErrEncrypted},
		{"error", generous(), mission.ErrDamaged},
		{"nil", generous(), mission.ErrDamaged},
	}, hostileFiles()...)
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			tt.skipUnsupported(t)
			t.Parallel()
			r := newRunner(t, tt.limits, tt.mode)
			m, err := r.Extract(context.Background(), []byte("%PDF-1.7"), "f.pdf")
			if tt.want == nil {
				if err != nil || m == nil {
					t.Fatalf("Extract(%s) = %v, %v, want a record", tt.mode, m, err)
				}
				return
			}
			t.Logf("Extract(%s) error = %v", tt.mode, err)
			got, ok := mission.RefusalOf(err)
			if !ok || got != tt.want {
				t.Fatalf("Extract(%s) error = %v, want refusal %q", tt.mode, err, tt.want.Code)
			}
			if m != nil {
				t.Errorf("Extract(%s) record = %+v with a refusal, want nil", tt.mode, m)
			}
		})
	}
}

func TestExtractHidesSecrets(t *testing.T) {
	t.Setenv("ESCALE_TOKEN", "s3cret")
	t.Setenv("ESCALE_WORKER_TEST_VISIBLE", "ok")
	r := newRunner(t, generous(), "env")
	m, err := r.Extract(context.Background(), []byte("x"), "f.txt")
	if err != nil || m.Text != "|ok" {
		t.Fatalf("Extract(env) = %+v, %v; want the child to see ESCALE_WORKER_TEST_VISIBLE but not ESCALE_TOKEN", m, err)
	}
}

func TestExtractPrepareFails(t *testing.T) {
	r := newRunner(t, generous(), "prepare-fails")
	_, err := r.Extract(context.Background(), []byte("x"), "f.txt")
	if err == nil || !strings.Contains(err.Error(), "taxonomy: line 3") {
		t.Fatalf("Extract(prepare-fails) error = %v, want the preparation's error", err)
	}
	if ref, ok := mission.RefusalOf(err); ok {
		t.Errorf("Extract(prepare-fails) refusal = %q, want none: the file is not at fault", ref.Code)
	}
}

func TestExtractTooLarge(t *testing.T) {
	l := generous()
	l.MaxSize = 10
	r := newRunner(t, l, "echo")
	_, err := r.Extract(context.Background(), make([]byte, 11), "f.txt")
	if ref, ok := mission.RefusalOf(err); !ok || ref != mission.ErrTooLarge {
		t.Fatalf("Extract(11 bytes, MaxSize 10) error = %v, want too_large", err)
	}
	if _, err := r.Extract(context.Background(), []byte("0123456789"), "f.txt"); err != nil {
		t.Fatalf("Extract(10 bytes, MaxSize 10) error = %v, want nil", err)
	}
}

func TestExtractCancel(t *testing.T) {
	r := newRunner(t, generous(), "hang")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	_, err := r.Extract(ctx, []byte("x"), "f.txt")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Extract(hang) after cancel: error = %v, want context.Canceled", err)
	}
	if ref, ok := mission.RefusalOf(err); ok {
		t.Errorf("Extract(hang) after cancel: refusal %q, want none", ref.Code)
	}
	if _, err := r.Extract(ctx, []byte("x"), "f.txt"); !errors.Is(err, context.Canceled) {
		t.Errorf("Extract with a cancelled ctx: error = %v, want context.Canceled", err)
	}
}

func TestExtractCallerDeadlineIsTimeout(t *testing.T) {
	r := newRunner(t, generous(), "hang")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := r.Extract(ctx, []byte("x"), "f.txt")
	if ref, ok := mission.RefusalOf(err); !ok || ref != mission.ErrTimeout {
		t.Fatalf("Extract(hang) past the caller's deadline: error = %v, want timeout", err)
	}
}

// TestTimeoutKillsGroup checks that what the child started dies with it.
func TestTimeoutKillsGroup(t *testing.T) {
	l := generous()
	l.Timeout = 2 * time.Second
	pidFile := filepath.Join(t.TempDir(), "pid")
	r := newRunner(t, l, "grandchild", pidFile)
	_, err := r.Extract(context.Background(), []byte("x"), "f.txt")
	if ref, ok := mission.RefusalOf(err); !ok || ref != mission.ErrTimeout {
		t.Fatalf("Extract(grandchild) error = %v, want timeout", err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the child did not start its grandchild: %v", err)
	}
	pid, _ := strconv.Atoi(string(b))
	for i := 0; !gone(pid); i++ {
		if i == 100 {
			t.Fatalf("grandchild %d still running after the child's group was killed", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gone tells whether pid has ended: absent, or a zombie nobody reaped.
func gone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || strings.HasPrefix(s[i+1:], " Z") || strings.HasPrefix(s[i+1:], " X")
}

func TestExtractConcurrent(t *testing.T) {
	r := newRunner(t, generous(), "echo")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			text := strings.Repeat(fmt.Sprintf("document %d ", i), 1000)
			m, err := r.Extract(context.Background(), []byte(text), fmt.Sprintf("f%d.txt", i))
			switch {
			case err != nil:
				errs <- fmt.Errorf("Extract(f%d.txt) error = %v", i, err)
			case m.Text != text || m.Filename != fmt.Sprintf("f%d.txt", i):
				errs <- fmt.Errorf("Extract(f%d.txt) = %q (%d bytes), want its own text", i, m.Filename, len(m.Text))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name   string
		change func(*worker.Limits)
		want   string
	}{
		{"timeout", func(l *worker.Limits) { l.Timeout = 0 }, "timeout"},
		{"memory", func(l *worker.Limits) { l.Memory = 1 << 20 }, "memory"},
		{"pages", func(l *worker.Limits) { l.MaxPages = -1 }, "max pages"},
		{"size", func(l *worker.Limits) { l.MaxSize = 0 }, "max size"},
	}
	for _, tt := range tests {
		l := worker.DefaultLimits()
		tt.change(&l)
		_, err := worker.New(worker.Config{Limits: l})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%s limit broken) error = %v, want one naming %q", tt.name, err, tt.want)
		}
	}
	if _, err := worker.New(worker.Config{Limits: worker.DefaultLimits()}); err != nil {
		t.Errorf("New(DefaultLimits()) error = %v, want nil", err)
	}
}

// BenchmarkExtract measures what isolation costs per file: piping the bytes
// in and the record out (the child is started once).
func BenchmarkExtract(b *testing.B) {
	r, err := worker.New(worker.Config{Args: []string{childArg, "echo"}, Limits: generous()})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	data := bytes.Repeat([]byte("Mission à Lisbonne. "), 5000) // a 100 KB report
	for b.Loop() {
		if _, err := r.Extract(context.Background(), data, "f.txt"); err != nil {
			b.Fatal(err)
		}
	}
}
