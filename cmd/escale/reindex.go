package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"escale/internal/store"
)

// runReindex rebuilds the index from the catalog, after a change of the
// index's mapping or of the extractor (--extract reads every original again;
// people's corrections are applied on top again).
func runReindex(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	df := addDataFlags(fs)
	reextract := fs.Bool("extract", false, "relire chaque original avec l’extracteur actuel avant de l’indexer")
	verbose := fs.Bool("verbose", false, "journal détaillé sur la sortie d’erreur")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, "Utilisation : escale reindex [--extract] [--data D]\n\nReconstruit l’index de recherche à partir du catalogue.\n\nOptions :")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		return usageError(e, "%s ; escale reindex --help donne la liste des options", flagError(err))
	}
	if len(rest) > 0 {
		return usageError(e, "argument inattendu « %s »", rest[0])
	}
	cfg, err := df.resolve(e.getenv)
	if err != nil {
		return usageError(e, "%v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Data, "catalog.db")); err != nil {
		fmt.Fprintf(e.stderr, "escale: aucun catalogue dans %s : indiquez le répertoire des données avec --data\n", cfg.Data)
		return 1
	}
	log := slog.New(slog.DiscardHandler)
	if *verbose {
		log = slog.New(slog.NewTextHandler(e.stderr, nil))
	}
	// Take the directory before touching the index, then start from an
	// empty one: a mapping change must not meet old segments.
	lock, err := store.Acquire(cfg.Data, "reindex")
	if errors.Is(err, store.ErrLocked) {
		fmt.Fprintf(e.stderr, "escale: %s\n", heldMessage(&errHeld{dir: cfg.Data, holder: store.Holder(cfg.Data)}, "reindex"))
		return 1
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: %v\n", err)
		return 1
	}
	err = os.RemoveAll(filepath.Join(cfg.Data, store.IndexDir))
	lock.Release()
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: suppression de l’ancien index impossible : %v\n", err)
		return 1
	}
	d, err := openDataDir(ctx, cfg, "reindex", log)
	if err != nil {
		var held *errHeld
		if errors.As(err, &held) {
			fmt.Fprintf(e.stderr, "escale: %s\n", heldMessage(held, "reindex"))
		} else {
			fmt.Fprintf(e.stderr, "escale: %v\n", err)
		}
		return 1
	}
	defer d.Close()
	p := newProgress(e.stdout, e.stderr, 0)
	r, err := d.svc.Reindex(ctx, *reextract, func(done, total int) {
		if p.tty {
			fmt.Fprintf(e.stderr, "\r\033[Krelecture %d/%d", done, total)
		}
	})
	if p.tty && *reextract {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: réindexation interrompue : %v ; relancez-la (ou démarrez le serveur, qui complétera l’index)\n", err)
		return 1
	}
	compactIndex(ctx, e, d.svc.Compact)
	fmt.Fprintf(e.stdout, "Index reconstruit : %d missions", r.Missions)
	if *reextract {
		fmt.Fprintf(e.stdout, ", %d relues", r.Extracted)
	}
	fmt.Fprintln(e.stdout, ".")
	for _, id := range r.Kept {
		fmt.Fprintf(e.stdout, "  relecture refusée, fiche précédente gardée : %s\n", id)
	}
	return 0
}
