// Command bench measures Escale at scale against its peers, in one run, and
// prints the table BENCHMARKS.md shows:
//
//   - extraction: `escale extract --json FILE` against `pdftotext FILE -` on
//     the same multi-page born-digital PDFs, one process per file each, the
//     whole command timed (wall and CPU);
//   - ingest: `escale ingest` of synthetic archives into an empty data
//     directory (reports/s, pages/s), with `pdftotext` over the same files
//     as the floor of reading them, then `escale reindex`;
//   - search: `escale serve` over archives of several sizes, every class of
//     synthrec.Classes timed through HTTP with every facet (p50, p99), the
//     server's resident memory at rest and under load, the index's and the
//     catalog's size per mission.
//
// Archives are written by internal/tools/synth (what genarchive writes).
// Search archives are those ingested above when the size matches; others are
// built from synthrec's records straight into the catalog and the index
// (what ingest would store, without reading files one by one: 100,000
// reports would take hours to ingest on a small machine).
//
//	go run ./internal/tools/bench -work /var/tmp/escale-bench
//	go run ./internal/tools/bench -ingest 1000,10000 -search 10000,100000 -work DIR
//	go run ./internal/tools/bench -extract 0 -ingest "" -two-page 0 -search 100000 -memory-mb 500 -work DIR
//
// Data under -work is kept and reused by later runs (archives, data
// directories): delete it to start again.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// config is what one run measures.
type config struct {
	work      string // archives, data directories and binaries
	escale    string // the binary measured
	seed      int64
	extractN  int   // PDFs timed against pdftotext
	rounds    int   // times each PDF, and each query, is run
	ingest    []int // mixed archives ingested
	twoPage   int   // two-page PDFs ingested (the throughput target)
	search    []int // archive sizes searched
	clients   int   // concurrent searchers for the load phase
	load      time.Duration
	memLimit  int64 // bytes the server may hold resident while searched (0: no limit)
	log       io.Writer
	skipPeers bool // no pdftotext (the tests' machine may lack it)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	work := fs.String("work", filepath.Join(os.TempDir(), "escale-bench"), "working directory, kept between runs")
	bin := fs.String("escale", "", "escale binary to measure (default: built from ./cmd/escale into -work)")
	seed := fs.Int64("seed", 1, "seed of the synthetic archives")
	extractN := fs.Int("extract", 60, "multi-page PDFs timed against pdftotext (0: skip)")
	rounds := fs.Int("rounds", 3, "runs of each PDF and each query (queries: ten times this)")
	ingest := fs.String("ingest", "1000", "sizes of the mixed archives ingested, comma-separated (empty: skip)")
	twoPage := fs.Int("two-page", 1000, "two-page PDF reports ingested for the throughput target (0: skip)")
	search := fs.String("search", "10000", "archive sizes searched through HTTP, comma-separated (empty: skip)")
	clients := fs.Int("clients", 4, "concurrent searchers while memory under load is measured")
	load := fs.Duration("load", 15*time.Second, "length of the load phase")
	memMB := fs.Int64("memory-mb", 0, "run the searched server in a memory cgroup of this many MB (root; 0: no limit)")
	quiet := fs.Bool("q", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c := config{work: *work, escale: *bin, seed: *seed, extractN: *extractN, rounds: max(1, *rounds),
		twoPage: *twoPage, clients: max(1, *clients), load: *load, memLimit: *memMB * 1_000_000, log: stderr}
	if *quiet {
		c.log = io.Discard
	}
	var err error
	if c.ingest, err = sizes(*ingest); err != nil {
		return fmt.Errorf("-ingest: %w", err)
	}
	if c.search, err = sizes(*search); err != nil {
		return fmt.Errorf("-search: %w", err)
	}
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		return err
	}
	if c.escale == "" {
		if c.escale, err = buildEscale(ctx, c.work); err != nil {
			return err
		}
	}
	t, err := measure(ctx, c)
	if t != nil {
		t.print(stdout)
	}
	return err
}

// measure runs every step c asks for and returns the table so far.
func measure(ctx context.Context, c config) (*table, error) {
	t := &table{}
	t.machine = machine()
	if c.extractN > 0 {
		c.progress("extraction: %d PDFs against pdftotext", c.extractN)
		if err := benchExtract(ctx, c, t); err != nil {
			return t, fmt.Errorf("extraction: %w", err)
		}
	}
	ingested := map[int]string{}
	for _, n := range c.ingest {
		c.progress("ingest: %d reports", n)
		dir, err := benchIngest(ctx, c, t, n, false)
		if err != nil {
			return t, fmt.Errorf("ingest %d: %w", n, err)
		}
		ingested[n] = dir
	}
	if c.twoPage > 0 {
		c.progress("ingest: %d two-page reports", c.twoPage)
		if _, err := benchIngest(ctx, c, t, c.twoPage, true); err != nil {
			return t, fmt.Errorf("ingest two-page: %w", err)
		}
	}
	for _, n := range c.search {
		dir, how := ingested[n], "ingested"
		if dir == "" {
			var err error
			how = "built"
			c.progress("search: building a data directory of %d missions", n)
			if dir, err = buildData(ctx, c, n); err != nil {
				return t, fmt.Errorf("build %d: %w", n, err)
			}
		}
		c.progress("search: %d missions (%s)", n, how)
		if err := benchSearch(ctx, c, t, n, dir, how); err != nil {
			return t, fmt.Errorf("search %d: %w", n, err)
		}
	}
	return t, nil
}

func (c config) progress(format string, args ...any) {
	fmt.Fprintf(c.log, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func sizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive size", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// moduleRoot is the directory of the go.mod of the working directory.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run bench inside the escale module (or give -escale)")
	}
	return filepath.Dir(mod), nil
}

// buildEscale builds ./cmd/escale as the checks build it (no cgo).
func buildEscale(ctx context.Context, work string) (string, error) {
	return goBuild(ctx, work, "escale", "./cmd/escale")
}

// goBuild builds the module's package pkg into work/name, without cgo and
// with the build tags given.
func goBuild(ctx context.Context, work, name, pkg string, tags ...string) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(work, name)
	args := []string{"build", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(append(args, pkg), " "), err, out)
	}
	return bin, nil
}

// machine describes where the run happens: CPUs, memory, CPU model, load.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "?"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
				mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s memory, %s, load average at start %s", runtime.NumCPU(), model, mem, runtime.GOOS+"/"+runtime.GOARCH, loadAvg())
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
