package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"escale/internal/extract"
	"escale/internal/mission"
	"escale/internal/ocr"
	"escale/internal/worker"
)

// runWorker is the hidden subcommand a worker.Runner starts: it reads
// requests on stdin, one file after another, extracts each under the limits
// the requests carry, and writes a response on stdout for each. It loads its
// reference data once, at the first request. Its stderr goes to the parent,
// which logs it.
// Its flags are set by the parent (extractConfig.workerArgs), never read from
// the environment: the parent already resolved them.
func runWorker(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet(workerCommand, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var cfg extractConfig
	fs.StringVar(&cfg.Taxonomy, "taxonomy", "", "themes file")
	fs.StringVar(&cfg.Gazetteer, "gazetteer", "", "cities file")
	fs.StringVar(&cfg.Tesseract, "tesseract", "", "OCR program")
	fs.StringVar(&cfg.OCRCache, "ocr-cache", "", "OCR cache directory")
	fs.StringVar(&cfg.HomeCity, "home-city", "", "home city")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fmt.Fprintf(e.stderr, "usage: %s: bad arguments %q\n", workerCommand, args)
		return 2
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return worker.Serve(ctx, e.stdin, e.stdout, func() (worker.Func, error) {
		k, err := loadKnowledge(cfg)
		if err != nil {
			return nil, err
		}
		// OCR runs here, in the child, under its limits; the engine looks
		// for Tesseract only when a scan needs it.
		engine := ocr.New(ocr.Options{Tesseract: cfg.Tesseract, CacheDir: cfg.OCRCache, Logger: log})
		return func(ctx context.Context, data []byte, filename string, maxPages int) (*mission.Mission, error) {
			return extract.Extract(ctx, data, filename, extract.Options{MaxPages: maxPages, Knowledge: k, Logger: log, OCR: engine})
		}, nil
	})
}
