// Command escale reads mission reports, keeps them and lets staff search them.
//
//	escale extract [--json] FILE      print the mission record of one report
//	escale serve [--addr A] [--data D] run the web service
//	escale ingest PATH...             add reports to the data directory
//	escale reindex                    rebuild the index from the catalog
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: it parses its own flags and returns the exit code.
type command func(ctx context.Context, env *env, args []string) int

// env is what a subcommand may touch of the outside world.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() map[string]command {
	return map[string]command{
		"extract":     runExtract,
		workerCommand: runWorker,
		"serve":       runServe,
		"ingest":      runIngest,
		"reindex":     runReindex,
		"backup":      runBackup,
		"restore":     runRestore,
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "usage: commande inconnue %q\n%s\n", args[0], usage)
		return 2
	}
	return cmd(ctx, e, args[1:])
}

const usage = `Utilisation : escale COMMANDE [OPTIONS]

  extract [--json] FICHIER   affiche la fiche de mission d’un rapport
  serve [--addr A] [--data D] démarre le service web
  ingest CHEMIN...           ajoute des rapports au répertoire de données
  reindex                    reconstruit l’index à partir du catalogue
  backup DESTINATION.tar     sauvegarde catalogue et originaux, même serveur en marche
  restore SAUVEGARDE.tar     restaure une sauvegarde puis reconstruit l’index`
