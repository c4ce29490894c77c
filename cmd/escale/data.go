package main

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"escale/index"
	"escale/internal/meta"
	"escale/internal/service"
	"escale/internal/store"
	"escale/internal/synonyms"
	"escale/internal/worker"
)

// dataConfig is what every command that works on a data directory needs:
// where it is, how many extractions run at once, and how each runs.
type dataConfig struct {
	Data    string
	Workers int
	Queue   int
	Linger  time.Duration // service.Config.Linger: none but for escale ingest
	// CompactIdle is service.Config.CompactIdle: 0 for its default, negative
	// for never (escale serve --compact-idle).
	CompactIdle time.Duration
	Extract     extractConfig
}

// dataFlags are the flags behind a dataConfig.
type dataFlags struct {
	fs      *flag.FlagSet
	data    *string
	workers *int
	queue   *int
	extract *extractFlags
}

func addDataFlags(fs *flag.FlagSet) *dataFlags {
	f := &dataFlags{
		fs:      fs,
		data:    fs.String("data", "./data", "répertoire des données : catalogue, originaux, index ("+envName("data")+")"),
		workers: fs.Int("workers", 2, "extractions simultanées ("+envName("workers")+")"),
		queue:   fs.Int("queue", 16, "extractions en attente au-delà, avant de répondre 503 ("+envName("queue")+")"),
		extract: addExtractFlags(fs),
	}
	// On a data directory the OCR cache has a default (resolve).
	fs.Lookup("ocr-cache").Usage = "répertoire où garder le texte reconnu par OCR, pour ne pas relire une page deux fois (" +
		envName("ocr-cache") + ", par défaut DATA/cache/ocr ; vide : aucun)"
	for _, ref := range dataFiles {
		var in []string
		for _, name := range ref.names {
			in = append(in, "DATA/"+name)
		}
		u := fs.Lookup(ref.flag)
		u.Usage = strings.TrimSuffix(u.Usage, ")") + ", par défaut " + strings.Join(in, " ou ") + " s’il existe)"
	}
	return f
}

// resolve returns the configuration once fs is parsed; flags win over
// their ESCALE_* variables, which win over the defaults.
func (f *dataFlags) resolve(getenv func(string) string) (dataConfig, error) {
	var c dataConfig
	if err := applyEnv(f.fs, getenv, "data", "workers", "queue"); err != nil {
		return c, err
	}
	x, err := f.extract.resolve(getenv)
	if err != nil {
		return c, err
	}
	c = dataConfig{Data: *f.data, Workers: *f.workers, Queue: *f.queue, Extract: x}
	switch {
	case c.Data == "":
		return c, fmt.Errorf("--data est vide : indiquez le répertoire des données, par exemple --data ./data")
	case c.Workers < 1 || c.Workers > 64:
		return c, fmt.Errorf("--workers %d : choisissez entre 1 et 64 extractions simultanées", c.Workers)
	case c.Queue < 0 || c.Queue > 10000:
		return c, fmt.Errorf("--queue %d : choisissez entre 0 et 10000 extractions en attente", c.Queue)
	}
	if abs, err := filepath.Abs(c.Data); err == nil {
		c.Data = abs
	}
	// A scan is recognised once: what OCR read stays under the data
	// directory unless --ocr-cache says where else (or, empty, nowhere).
	if !given(f.fs, getenv, "ocr-cache") {
		c.Extract.OCRCache = filepath.Join(c.Data, filepath.FromSlash(store.OCRCacheDir))
	}
	// Reference data an administrator left in the data directory replaces
	// the embedded defaults, unless a flag or variable names another file
	// (an empty one: the embedded data).
	for _, ref := range dataFiles {
		if given(f.fs, getenv, ref.flag) {
			continue
		}
		for _, name := range ref.names {
			p := filepath.Join(c.Data, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				*ref.field(&c.Extract) = p
				break
			}
		}
	}
	return c, nil
}

// dataFiles are the reference data files a data directory may hold, in the
// formats taxonomy.Load and gazetteer.Load read, each with the flag that
// overrides it; the first of the names found is used.
var dataFiles = []struct {
	flag  string
	names []string
	field func(*extractConfig) *string
}{
	{"taxonomy", []string{"taxonomy.txt"}, func(c *extractConfig) *string { return &c.Taxonomy }},
	{"gazetteer", []string{"gazetteer.tsv.gz", "gazetteer.tsv"}, func(c *extractConfig) *string { return &c.Gazetteer }},
}

// applyEnv sets each named flag that the command line left out from its
// ESCALE_* variable, when set.
func applyEnv(fs *flag.FlagSet, getenv func(string) string, names ...string) error {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, name := range names {
		if given[name] {
			continue
		}
		v := getenv(envName(name))
		if v == "" {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			return fmt.Errorf("%s « %s » : valeur invalide pour --%s", envName(name), v, name)
		}
	}
	return nil
}

// given reports whether the flag or its variable was set.
func given(fs *flag.FlagSet, getenv func(string) string, name string) bool {
	set := getenv(envName(name)) != ""
	fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// dataDir is a data directory opened by this process: its lock, store,
// index and the service over them, and the reference data they were opened
// with (the pages name themes and places from the same).
type dataDir struct {
	lock      *store.Lock
	store     *store.Store
	index     *index.Index
	runner    *worker.Runner
	svc       *service.Service
	knowledge meta.Knowledge
}

// errHeld says that another process holds the data directory; holder is
// what that process wrote about itself.
type errHeld struct {
	dir, holder string
}

func (e *errHeld) Error() string {
	return fmt.Sprintf("data directory %s held by %q", e.dir, e.holder)
}

// openDataDir takes the data directory for this process and opens the
// catalog and the index; the caller reconciles them (Service.Reconcile). holder says who holds it (for the
// message another process shows).
func openDataDir(ctx context.Context, c dataConfig, holder string, log *slog.Logger) (*dataDir, error) {
	lock, err := store.Acquire(c.Data, holder)
	if errors.Is(err, store.ErrLocked) {
		return nil, &errHeld{dir: c.Data, holder: store.Holder(c.Data)}
	}
	if err != nil {
		return nil, err
	}
	d := &dataDir{lock: lock}
	k, err := loadKnowledge(c.Extract)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.knowledge = k
	if d.store, err = store.Open(ctx, c.Data); err != nil {
		d.Close()
		return nil, err
	}
	syn, err := loadSynonyms(c.Data)
	if err != nil {
		d.Close()
		return nil, err
	}
	if d.index, err = index.Open(filepath.Join(c.Data, store.IndexDir), index.Options{Logger: log, Places: k.Gazetteer, Synonyms: syn, Zones: k.Gazetteer.ZonesOf}); err != nil {
		d.Close()
		return nil, err
	}
	if d.runner, err = newRunner(c.Extract, c.Workers, log); err != nil {
		d.Close()
		return nil, err
	}
	exe, _ := os.Executable() // unknown: no key, and no fingerprint is kept
	d.svc, err = service.New(ctx, d.store, d.index, d.runner, service.Config{
		Workers:        c.Workers,
		Queue:          c.Queue,
		ValidTheme:     k.Taxonomy.Has,
		CountryOf:      countryOf(k),
		Fingerprint:    index.Fingerprint,
		FingerprintKey: fingerprintKey(exe),
		Linger:         c.Linger,
		CompactIdle:    c.CompactIdle,
		Logger:         log,
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close stops the service's compaction when idle, the extraction children,
// closes the index and the catalog, then gives the directory back.
func (d *dataDir) Close() error {
	var errs []error
	if d.svc != nil {
		d.svc.Close() // before the index: it may be compacting it
	}
	if d.runner != nil {
		errs = append(errs, d.runner.Close())
	}
	if d.index != nil {
		errs = append(errs, d.index.Close())
	}
	if d.store != nil {
		errs = append(errs, d.store.Close())
	}
	errs = append(errs, d.lock.Release())
	return errors.Join(errs...)
}

// synonymsFile, in the data directory, replaces the embedded search
// synonyms (internal/synonyms/data/synonymes.txt has the format).
const synonymsFile = "synonymes.txt"

// loadSynonyms reads the data directory's synonyms file, or the embedded
// ones when it has none.
func loadSynonyms(data string) (synonyms.Groups, error) {
	f, err := os.Open(filepath.Join(data, synonymsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return synonyms.Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("synonyms file: %w", err)
	}
	defer f.Close()
	g, err := synonyms.Load(f)
	if err != nil {
		return nil, fmt.Errorf("synonyms file %s: %w", filepath.Join(data, synonymsFile), err)
	}
	return g, nil
}

func countryOf(k meta.Knowledge) func(string) string {
	return func(city string) string {
		if k.Gazetteer == nil {
			return ""
		}
		if c, ok := k.Gazetteer.City(city); ok {
			return c.Country
		}
		return ""
	}
}

// heldMessage tells, in French, what to do when a server holds the data
// directory.
func heldMessage(h *errHeld, action string) string {
	who := "un autre processus Escale"
	if h.holder != "" {
		who += " (" + h.holder + ")"
	}
	msg := fmt.Sprintf("le répertoire de données %s est utilisé par %s. ", h.dir, who)
	switch action {
	case "ingest":
		if url := serverURL(h.holder); url != "" {
			msg += fmt.Sprintf("Envoyez-lui les fichiers : escale ingest --server %s FICHIERS (avec ESCALE_TOKEN si un jeton est configuré), ou arrêtez-le puis relancez cette commande.", url)
		} else {
			msg += "Attendez qu’il se termine, ou arrêtez-le puis relancez cette commande."
		}
	case "serve":
		msg += "Arrêtez-le, ou choisissez un autre répertoire avec --data."
	default:
		msg += "Arrêtez-le puis relancez cette commande."
	}
	return msg
}

// serverURL extracts the address a server wrote in the lock file.
func serverURL(holder string) string {
	const prefix = "serve "
	if len(holder) > len(prefix) && holder[:len(prefix)] == prefix {
		return holder[len(prefix):]
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

// fingerprintKey names how the program at exe fingerprints index records
// (service.Config.FingerprintKey): a hash of its Go build ID, which changes
// whenever its code does. "" when it has none (not an ELF file, or no
// build ID): no fingerprint is kept.
func fingerprintKey(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	id, err := sec.Data()
	if err != nil || len(id) == 0 {
		return ""
	}
	sum := sha256.Sum256(id)
	return "escale " + hex.EncodeToString(sum[:12])
}
