package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"escale/internal/mission"
	"escale/internal/worker"
)

// runExtract prints the mission record of one report:
//
//	escale extract [--json] [--timeout 20s] [--memory 768MiB] [--max-pages 500]
//	               [--max-size 50MiB] [--taxonomy FILE] [--gazetteer FILE] FILE
//
// It writes the record on stdout and exits 0, or writes one line « code:
// message » on stderr and exits 1 (2 for a mistake on the command line). The
// extraction runs in a child process under the limits (see internal/worker).
func runExtract(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	compact := fs.Bool("json", false, "la fiche en JSON sur une seule ligne (sinon indentée)")
	verbose := fs.Bool("verbose", false, "journal de l’extraction sur la sortie d’erreur")
	xf := addExtractFlags(fs)
	files, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, "Utilisation : escale extract [OPTIONS] FICHIER\n\nAffiche la fiche de mission d’un rapport (PDF, texte ou Markdown) en JSON.\n\nOptions :")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		return usageError(e, "%s", flagError(err))
	}
	if len(files) != 1 {
		return usageError(e, "indiquez un seul fichier : escale extract [--json] FICHIER")
	}
	cfg, err := xf.resolve(e.getenv)
	if err != nil {
		return usageError(e, "%v", err)
	}
	log := slog.New(slog.DiscardHandler)
	if *verbose {
		log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if cfg.Taxonomy != "" || cfg.Gazetteer != "" || cfg.HomeCity != "" {
		// Fail here, with the file's name, rather than in every child.
		if _, err := loadKnowledge(cfg); err != nil {
			return usageError(e, "données de référence illisibles (%v) ; corrigez le fichier ou retirez l’option", err)
		}
	}

	path := files[0]
	data, err := readReport(path, cfg.Limits.MaxSize)
	if err != nil {
		return refuse(e, err, cfg)
	}
	runner, err := newRunner(cfg, 1, log)
	if err != nil {
		return refuse(e, err, cfg)
	}
	defer runner.Close()
	// The record as the child encoded it: decoding it here only to encode
	// it again would cost this process about 2 ms.
	raw, err := runner.ExtractJSON(ctx, data, filepath.Base(path))
	if err != nil {
		log.Debug("extract refused", "file", path, "error", err)
		return refuse(e, err, cfg)
	}
	out := bytes.NewBuffer(make([]byte, 0, len(raw)*2))
	if *compact {
		out.Write(raw)
	} else if err := json.Indent(out, raw, "", "  "); err != nil {
		return refuse(e, mission.Refuse(mission.ErrDamaged, "indent record: %v", err), cfg)
	}
	out.WriteByte('\n')
	if _, err := out.WriteTo(e.stdout); err != nil {
		fmt.Fprintf(e.stderr, "output: impossible d’écrire la fiche (%v). Vérifiez la destination de la sortie standard.\n", err)
		return 1
	}
	return 0
}

// parseInterleaved parses flags wherever they stand among the arguments
// (« extract FILE --json » as well as « extract --json FILE ») and returns
// the others; after « -- » everything is an argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		terminated := consumed > 0 && args[consumed-1] == "--"
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if terminated {
			return append(rest, args...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// readReport reads the file at path, refusing it before reading when it is
// larger than maxSize.
func readReport(path string, maxSize int64) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &mission.Refusal{Code: "not_found",
			Message: fmt.Sprintf("Le fichier « %s » est introuvable. Vérifiez son chemin et son nom.", path)}
	}
	unreadable := &mission.Refusal{Code: "unreadable",
		Message: fmt.Sprintf("Le fichier « %s » ne peut pas être lu. Vérifiez qu’il s’agit bien d’un fichier et que vous avez le droit de le lire.", path)}
	if err != nil {
		return nil, mission.Refuse(unreadable, "open: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, mission.Refuse(unreadable, "stat: %v", err)
	}
	if st.IsDir() {
		return nil, mission.Refuse(unreadable, "a directory")
	}
	if st.Size() > maxSize {
		return nil, mission.Refuse(mission.ErrTooLarge, "%s: %d bytes, limit %d", path, st.Size(), maxSize)
	}
	// A pipe has no size: read one byte more than allowed to know.
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, mission.Refuse(unreadable, "read: %v", err)
	}
	if int64(len(data)) > maxSize {
		return nil, mission.Refuse(mission.ErrTooLarge, "%s: more than %d bytes", path, maxSize)
	}
	return data, nil
}

// refuse writes the one line « code: message » for err and returns the exit
// code. Refusals that a limit caused say which knob raises the limit.
func refuse(e *env, err error, cfg extractConfig) int {
	r, ok := mission.RefusalOf(err)
	switch {
	case ok:
	case errors.Is(err, context.Canceled):
		r = &mission.Refusal{Code: "interrupted", Message: "L’extraction a été interrompue avant la fin. Relancez la commande."}
	default:
		r = &mission.Refusal{Code: "internal",
			Message: "Erreur interne pendant l’extraction. Relancez avec --verbose pour le détail, et signalez-la avec le fichier concerné si elle persiste."}
	}
	msg := strings.TrimSpace(r.Message)
	if hint := limitHint(r, cfg.Limits); hint != "" {
		msg = strings.TrimSuffix(msg, ".") + " (" + hint + ")."
	}
	fmt.Fprintf(e.stderr, "%s: %s\n", r.Code, oneLine(msg))
	return 1
}

// limitHint names the option and variable that raise the limit r reports.
func limitHint(r *mission.Refusal, l worker.Limits) string {
	switch r {
	case mission.ErrTimeout:
		return fmt.Sprintf("--timeout ou %s, actuellement %v", envName("timeout"), l.Timeout)
	case mission.ErrTooMuchMemory:
		return fmt.Sprintf("--memory ou %s, actuellement %s", envName("memory"), formatSize(l.Memory))
	case mission.ErrTooManyPages:
		return fmt.Sprintf("--max-pages ou %s, actuellement %d", envName("max-pages"), l.MaxPages)
	case mission.ErrTooLarge:
		return fmt.Sprintf("--max-size ou %s, actuellement %s", envName("max-size"), formatSize(l.MaxSize))
	}
	return ""
}

// flagError says in French what the flag package found wrong.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("option inconnue « %s » ; escale extract --help donne la liste des options", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("l’option « %s » attend une valeur", name)
	}
	return msg
}

// usageError reports a mistake on the command line.
func usageError(e *env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "usage: %s\n", oneLine(fmt.Sprintf(format, args...)))
	return 2
}

// oneLine keeps a message on the single line the contract allows.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
