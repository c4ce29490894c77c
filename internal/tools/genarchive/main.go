// Command genarchive writes a synthetic archive of mission reports for
// measuring Escale at scale: N reports (PDF, text, Markdown) under DIR/files
// and the truth of each under DIR/truth/ID.json, in the layout of
// testdata/corpus/visible, so that the scorer and the benchmarks read it like
// the annotated corpus. The same seed gives the same bytes.
//
//	go run ./internal/tools/genarchive -n 10000 -seed 1 DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"

	"escale/internal/gazetteer"
	"escale/internal/taxonomy"
	"escale/internal/tools/synth"
)

func main() {
	// Each PDF allocates ~10 MB of short-lived buffers (fonts, compressors);
	// collecting less often saves CPU for a few tens of MB.
	debug.SetGCPercent(200)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "genarchive:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("genarchive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100, "number of reports")
	seed := fs.Int64("seed", 1, "seed: the same seed writes the same bytes")
	pdf := fs.Float64("pdf", 0.65, "share of PDFs, the rest text and Markdown (0 for none)")
	pages := fs.Int("pages", 0, "page count PDFs aim at, 1 to 6 (0: drawn per report)")
	home := fs.String("home", "Québec", "city whose office writes the reports")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "reports written at once")
	quiet := fs.Bool("q", false, "print nothing but errors")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: genarchive [flags] DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("want one output directory, got %d arguments", fs.NArg())
	}
	if *n < 0 || *workers < 1 {
		return fmt.Errorf("-n must be at least 0 and -workers at least 1")
	}
	share := *pdf
	if share == 0 {
		share = -1 // synth reads 0 as its default
	}
	g, err := synth.New(gazetteer.Default(), taxonomy.Default(), synth.Options{Seed: *seed, Home: *home, PDF: share, Pages: *pages})
	if err != nil {
		return err
	}
	progress := stderr
	if *quiet {
		progress = io.Discard
	}
	st, err := writeArchive(ctx, g, fs.Arg(0), *n, *workers, progress)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "%d reports (%d PDF, %d pages), %.1f MB in %.1fs: %.0f reports/s\n",
		st.reports, st.pdfs, st.pages, float64(st.bytes)/1e6, st.elapsed.Seconds(), float64(st.reports)/st.elapsed.Seconds())
	fmt.Fprint(progress, "PDFs by pages:")
	for p, k := range st.byPages {
		if k > 0 {
			fmt.Fprintf(progress, " %d:%d", p, k)
		}
	}
	fmt.Fprintln(progress)
	return nil
}
