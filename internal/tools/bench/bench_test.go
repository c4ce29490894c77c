package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/tools/synthrec"
)

// The Go benchmarks measure what the bench command measures, at sizes set
// by flags (small by default, as CI runs them):
//
//	go test ./internal/tools/bench -run '^$' -bench . -bench.n 1000
var benchN = flag.Int("bench.n", 40, "reports the ingest and search benchmarks use")

var built struct {
	once sync.Once
	work string
	bin  string
	err  error
}

// escaleBinary builds ./cmd/escale once for the package's tests.
func escaleBinary(tb testing.TB) (work, bin string) {
	tb.Helper()
	built.once.Do(func() {
		built.work, built.err = os.MkdirTemp("", "escale-bench-test-")
		if built.err == nil {
			built.bin, built.err = buildEscale(context.Background(), built.work)
		}
	})
	if built.err != nil {
		tb.Fatalf("build escale: %v", built.err)
	}
	return built.work, built.bin
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if built.work != "" {
		os.RemoveAll(built.work)
	}
	os.Exit(code)
}

func havePdftotext() bool {
	_, err := exec.LookPath("pdftotext")
	return err == nil
}

// TestMeasureSmall runs every step of the command at a tiny size: the
// table it prints has every row, and the searches answered.
func TestMeasureSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds escale and ingests reports")
	}
	work, bin := escaleBinary(t)
	c := config{work: filepath.Join(work, "small"), escale: bin, seed: 1, extractN: 2, rounds: 1,
		ingest: []int{8}, twoPage: 4, search: []int{8, 12}, clients: 2, load: time.Second, log: io.Discard,
		skipPeers: !havePdftotext()}
	if c.skipPeers {
		c.extractN = 0 // pdfinfo counts the pages, and comes with pdftotext
		t.Log("pdftotext missing: extraction and peers left out")
	}
	tab, err := measure(context.Background(), c)
	if err != nil {
		t.Fatalf("measure: %v", err)
	}
	var out bytes.Buffer
	tab.print(&out)
	want := []string{"Ingest (`escale ingest`", "Reindex", "Search, one-word", "Search, wide", "Resident memory at rest",
		"Index size per mission", "8 missions (ingested)", "12 missions (built)"}
	if !c.skipPeers {
		want = append(want, "Extraction per page", "pdftotext", "extraction code alone", "linking what escale links")
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("measure's table lacks %q:\n%s", w, out.String())
		}
	}
}

func TestSizesAndPercentile(t *testing.T) {
	got, err := sizes("1000, 10000,")
	if err != nil || len(got) != 2 || got[0] != 1000 || got[1] != 10000 {
		t.Errorf("sizes(%q) = %v, %v; want [1000 10000]", "1000, 10000,", got, err)
	}
	if _, err := sizes("10k"); err == nil {
		t.Errorf("sizes(%q) = nil error, want one", "10k")
	}
	ds := []time.Duration{5, 1, 4, 2, 3}
	if p := percentile(ds, 50); p != 3 {
		t.Errorf("percentile(%v, 50) = %v, want 3", ds, p)
	}
	if p := percentile(ds, 99); p != 5 {
		t.Errorf("percentile(%v, 99) = %v, want 5", ds, p)
	}
	if s := thousands(100000); s != "100,000" {
		t.Errorf("thousands(100000) = %q, want 100,000", s)
	}
}

// BenchmarkExtract times one process per PDF, escale against pdftotext, on
// the same multi-page born-digital PDFs; ms/page is the figure to compare.
func BenchmarkExtract(b *testing.B) {
	if !havePdftotext() {
		b.Skip("pdftotext missing (poppler-utils)")
	}
	work, bin := escaleBinary(b)
	c := config{work: work, seed: 1, extractN: 10}
	files, err := archive(context.Background(), c, "bench-extract", 12, "-seed", "2", "-pdf", "1", "-pages", "3")
	if err != nil {
		b.Fatal(err)
	}
	es, err := os.ReadDir(files)
	if err != nil {
		b.Fatal(err)
	}
	for _, peer := range []struct {
		name string
		args func(path string) (string, []string)
	}{
		{"escale", func(p string) (string, []string) { return bin, []string{"extract", "--json", p} }},
		{"pdftotext", func(p string) (string, []string) { return "pdftotext", []string{p, "-"} }},
	} {
		b.Run(peer.name, func(b *testing.B) {
			pages := 0
			for i := 0; b.Loop(); i++ {
				name, args := peer.args(filepath.Join(files, es[i%len(es)].Name()))
				if _, err := timed(context.Background(), nil, name, args...); err != nil {
					b.Fatal(err)
				}
				pages += 3
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(pages), "ms/page")
		})
	}
}

// BenchmarkIngest ingests -bench.n mixed reports into an empty data
// directory per iteration.
func BenchmarkIngest(b *testing.B) {
	work, bin := escaleBinary(b)
	c := config{work: work, seed: 1}
	files, err := archive(context.Background(), c, fmt.Sprintf("bench-ingest-%d", *benchN), *benchN, "-seed", "1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		data := b.TempDir()
		if _, err := timed(context.Background(), nil, bin, "ingest", "--data", data, files); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(*benchN*b.N)/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkSearchHTTP searches a server over -bench.n missions (built from
// synthrec's records), one class of query per sub-benchmark, all facets.
func BenchmarkSearchHTTP(b *testing.B) {
	work, bin := escaleBinary(b)
	c := config{work: work, escale: bin, seed: 1, log: io.Discard}
	data, err := buildData(context.Background(), c, *benchN)
	if err != nil {
		b.Fatal(err)
	}
	s, _, err := startServer(context.Background(), c, data)
	if err != nil {
		b.Fatal(err)
	}
	defer s.stop()
	client := &http.Client{Timeout: time.Minute}
	for _, cl := range synthrec.Classes {
		b.Run(cl.Name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; b.Loop(); i++ {
				d, err := s.search(client, cl.Queries[i%len(cl.Queries)])
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, d)
			}
			b.ReportMetric(float64(percentile(lat, 50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(lat, 99).Microseconds())/1000, "p99-ms")
		})
	}
}
