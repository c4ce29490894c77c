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

// runBackup writes a consistent snapshot of the data directory (catalog and
// originals, not the index) to one tar file. It only reads the directory,
// so it runs while a server holds it.
func runBackup(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "./data", "répertoire des données à sauvegarder ("+envName("data")+")")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, "Utilisation : escale backup [--data D] DESTINATION.tar\n\nÉcrit une sauvegarde cohérente du catalogue et des originaux (pas de l’index, reconstruit\nà la restauration), même pendant que le serveur tourne. « - » écrit sur la sortie standard.\n\nOptions :")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		return usageError(e, "%s ; escale backup --help donne la liste des options", flagError(err))
	}
	if err := applyEnv(fs, e.getenv, "data"); err != nil {
		return usageError(e, "%v", err)
	}
	if len(rest) != 1 {
		return usageError(e, "indiquez un fichier de destination, par exemple : escale backup --data %s sauvegarde.tar", *data)
	}
	dest := rest[0]
	if _, err := os.Stat(filepath.Join(*data, "catalog.db")); err != nil {
		fmt.Fprintf(e.stderr, "escale: aucun catalogue dans %s : indiquez le répertoire des données avec --data\n", *data)
		return 1
	}
	report := e.stdout
	var info store.BackupInfo
	if dest == "-" {
		report = e.stderr
		info, err = store.Backup(ctx, *data, e.stdout)
	} else {
		info, err = backupToFile(ctx, *data, dest)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: sauvegarde impossible : %v\n", err)
		return 1
	}
	fmt.Fprintf(report, "Sauvegarde de %s : %d missions, %d originaux (%s), catalogue au %s, dans %s.\n",
		*data, info.Missions, info.Originals, formatSize(info.Bytes), info.CreatedAt.Format("2006-01-02 15:04:05 UTC"), dest)
	return 0
}

// backupToFile writes the backup beside dest, syncs it and renames it into
// place: dest is either a whole backup or absent, never half of one.
func backupToFile(ctx context.Context, dir, dest string) (store.BackupInfo, error) {
	var info store.BackupInfo
	if _, err := os.Stat(dest); err == nil {
		return info, fmt.Errorf("%s existe déjà : choisissez un autre nom (une sauvegarde n’en écrase jamais une autre)", dest)
	}
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".partiel-*")
	if err != nil {
		return info, err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	info, err = store.Backup(ctx, dir, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), dest)
	}
	if err == nil {
		err = syncDir(filepath.Dir(dest))
	}
	return info, err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// runRestore brings a backup back into an empty data directory, then
// rebuilds the index from the restored catalog.
func runRestore(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	df := addDataFlags(fs)
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, "Utilisation : escale restore [--data D] SAUVEGARDE.tar\n\nRestaure une sauvegarde dans un répertoire de données sans catalogue, puis reconstruit\nl’index. « - » lit la sauvegarde sur l’entrée standard.\n\nOptions :")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		return usageError(e, "%s ; escale restore --help donne la liste des options", flagError(err))
	}
	if len(rest) != 1 {
		return usageError(e, "indiquez la sauvegarde à restaurer, par exemple : escale restore --data ./data sauvegarde.tar")
	}
	cfg, err := df.resolve(e.getenv)
	if err != nil {
		return usageError(e, "%v", err)
	}
	var src io.Reader = e.stdin
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			fmt.Fprintf(e.stderr, "escale: %s illisible : %v\n", rest[0], err)
			return 1
		}
		defer f.Close()
		src = f
	}
	lock, err := store.Acquire(cfg.Data, "restore")
	if errors.Is(err, store.ErrLocked) {
		fmt.Fprintf(e.stderr, "escale: %s\n", heldMessage(&errHeld{dir: cfg.Data, holder: store.Holder(cfg.Data)}, "restore"))
		return 1
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: %v\n", err)
		return 1
	}
	if _, err := os.Stat(filepath.Join(cfg.Data, "catalog.db")); err == nil {
		lock.Release()
		fmt.Fprintf(e.stderr, "escale: %s contient déjà un catalogue : restaurez dans un répertoire vide (--data), ou déplacez d’abord l’ancien\n", cfg.Data)
		return 1
	}
	info, err := store.Restore(ctx, src, cfg.Data)
	if err == nil {
		// An index left there belongs to other data: start from none.
		err = os.RemoveAll(filepath.Join(cfg.Data, store.IndexDir))
	}
	lock.Release()
	if errors.Is(err, store.ErrNotBackup) {
		fmt.Fprintf(e.stderr, "escale: %s n’est pas une sauvegarde d’Escale (escale backup en fait une)\n", rest[0])
		return 1
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: restauration impossible : %v\n", err)
		return 1
	}
	d, err := openDataDir(ctx, cfg, "restore", slog.New(slog.DiscardHandler))
	if err != nil {
		var held *errHeld
		if errors.As(err, &held) {
			fmt.Fprintf(e.stderr, "escale: %s\n", heldMessage(held, "restore"))
		} else {
			fmt.Fprintf(e.stderr, "escale: %v\n", err)
		}
		return 1
	}
	defer d.Close()
	r, err := d.svc.Reconcile(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "escale: catalogue restauré, index incomplet : %v ; lancez escale reindex (ou démarrez le serveur, qui le complétera)\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Restauré dans %s : %d missions, %d originaux (sauvegarde du %s) ; index reconstruit (%d missions).\n",
		cfg.Data, info.Missions, info.Originals, info.CreatedAt.Format("2006-01-02 15:04:05 UTC"), r.Indexed)
	return 0
}
