package main

import (
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"escale/internal/gazetteer"
	"escale/internal/meta"
	"escale/internal/taxonomy"
	"escale/internal/worker"
)

// workerCommand is the hidden subcommand a child process runs (worker.go).
const workerCommand = "__worker"

// extractConfig is what every command that extracts needs: the limits of one
// extraction and the reference data that replaces the embedded defaults.
type extractConfig struct {
	Limits    worker.Limits
	Taxonomy  string // themes file; "" for the embedded taxonomy
	Gazetteer string // cities file; "" for the embedded gazetteer
	Tesseract string // OCR program; "" for tesseract in PATH, "-" for no OCR
	OCRCache  string // directory of cached OCR output; "" for none
	HomeCity  string // city the reports are written from; "" to detect it in each report
}

// extractFlags are the flags behind an extractConfig, each with an ESCALE_*
// environment fallback named after it (--max-pages, ESCALE_MAX_PAGES).
type extractFlags struct {
	fs     *flag.FlagSet
	values map[string]*string
}

// extractKnobs lists the flags in the order their errors are checked.
var extractKnobs = []struct{ name, def, usage string }{
	{"timeout", worker.DefaultTimeout.String(), "temps maximal d’extraction d’un fichier"},
	{"memory", formatSize(worker.DefaultMemory), "mémoire maximale d’extraction d’un fichier"},
	{"max-pages", strconv.Itoa(worker.DefaultMaxPages), "nombre maximal de pages d’un document"},
	{"max-size", formatSize(worker.DefaultMaxSize), "taille maximale d’un fichier"},
	{"taxonomy", "", "fichier des thèmes qui remplace la taxonomie intégrée"},
	{"gazetteer", "", "fichier des villes qui remplace le répertoire géographique intégré"},
	{"tesseract", "", "programme d’OCR des documents numérisés (« - » : pas d’OCR ; par défaut tesseract dans le PATH)"},
	{"ocr-cache", "", "répertoire où garder le texte reconnu par OCR, pour ne pas relire une page deux fois"},
	{"home-city", "", "ville d’où partent les missions, jamais une destination (par défaut détectée dans chaque rapport)"},
}

// addExtractFlags registers the extraction flags on fs.
func addExtractFlags(fs *flag.FlagSet) *extractFlags {
	f := &extractFlags{fs: fs, values: map[string]*string{}}
	for _, k := range extractKnobs {
		usage := fmt.Sprintf("%s (%s)", k.usage, envName(k.name))
		if k.def != "" {
			usage = fmt.Sprintf("%s (%s, par défaut %s)", k.usage, envName(k.name), k.def)
		}
		f.values[k.name] = fs.String(k.name, "", usage)
	}
	return f
}

// envName is the environment variable behind a flag.
func envName(flagName string) string {
	return "ESCALE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// resolve returns the configuration once fs is parsed: a flag given wins over
// its environment variable, which wins over the default. Errors name the flag
// and the variable, in French, for the person who typed them.
func (f *extractFlags) resolve(getenv func(string) string) (extractConfig, error) {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	value := func(name string) (string, string) {
		if given[name] {
			return *f.values[name], "--" + name
		}
		if v := getenv(envName(name)); v != "" {
			return v, envName(name)
		}
		for _, k := range extractKnobs {
			if k.name == name {
				return k.def, "--" + name
			}
		}
		return "", "--" + name
	}
	var c extractConfig
	bad := func(name, v, why, example string) error {
		_, knob := value(name)
		return fmt.Errorf("%s « %s » : %s ; écrivez par exemple %s", knob, v, why, example)
	}
	v, _ := value("timeout")
	timeout, err := parseTimeout(v)
	if err != nil {
		return c, bad("timeout", v, err.Error(), "20s ou 2m")
	}
	v, _ = value("memory")
	memory, err := parseSize(v)
	if err == nil && memory < worker.MinMemory {
		err = fmt.Errorf("il faut au moins %s", formatSize(worker.MinMemory))
	}
	if err != nil {
		return c, bad("memory", v, err.Error(), "768MiB ou 1GiB")
	}
	v, _ = value("max-pages")
	pages, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || pages <= 0 {
		return c, bad("max-pages", v, "il faut un nombre entier de pages, positif", "500")
	}
	v, _ = value("max-size")
	size, err := parseSize(v)
	if err == nil && size <= 0 {
		err = fmt.Errorf("la taille doit être positive")
	}
	if err != nil {
		return c, bad("max-size", v, err.Error(), "50MiB")
	}
	c.Limits = worker.Limits{Timeout: timeout, Memory: memory, MaxPages: pages, MaxSize: size}
	c.Tesseract, _ = value("tesseract")
	c.HomeCity, _ = value("home-city")
	c.HomeCity = strings.TrimSpace(c.HomeCity)
	if v, _ := value("ocr-cache"); v != "" {
		if c.OCRCache, err = filepath.Abs(v); err != nil {
			return c, bad("ocr-cache", v, err.Error(), "./cache/ocr")
		}
	}
	for _, name := range []string{"taxonomy", "gazetteer"} {
		v, knob := value(name)
		if v == "" {
			continue
		}
		abs, err := filepath.Abs(v)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			return c, fmt.Errorf("%s « %s » : fichier introuvable ou illisible ; indiquez le chemin d’un fichier existant", knob, v)
		}
		if name == "taxonomy" {
			c.Taxonomy = abs
		} else {
			c.Gazetteer = abs
		}
	}
	return c, nil
}

// parseTimeout reads a Go duration, or a bare number of seconds.
func parseTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, err2 := strconv.ParseFloat(s, 64)
		if err2 != nil || math.IsNaN(secs) || secs > 1e9 {
			return 0, fmt.Errorf("ce n’est pas une durée")
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, fmt.Errorf("la durée doit être positive")
	}
	return d, nil
}

// sizeUnits are the units parseSize knows, lower-cased: the IEC binary ones,
// their one-letter shorthand, and the decimal SI ones.
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	// French: octets
	"o": 1, "kio": 1 << 10, "ko": 1e3, "mio": 1 << 20, "mo": 1e6, "gio": 1 << 30, "go": 1e9,
}

// parseSize reads a size in bytes such as 768MiB, 50MB, 1.5G or 1048576.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	n, err := strconv.ParseFloat(num, 64)
	mult, known := sizeUnits[unit]
	if err != nil || !known || math.IsNaN(n) {
		return 0, fmt.Errorf("ce n’est pas une taille (unités : B, KiB, MiB, GiB, KB, MB, GB)")
	}
	v := n * mult
	if v >= math.MaxInt64/2 {
		return 0, fmt.Errorf("taille trop grande")
	}
	return int64(v), nil
}

// formatSize writes a size the way parseSize reads it back.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

// workerArgs are the arguments that start a child with this configuration.
func (c extractConfig) workerArgs() []string {
	args := []string{workerCommand}
	if c.Taxonomy != "" {
		args = append(args, "--taxonomy", c.Taxonomy)
	}
	if c.Gazetteer != "" {
		args = append(args, "--gazetteer", c.Gazetteer)
	}
	if c.Tesseract != "" {
		args = append(args, "--tesseract", c.Tesseract)
	}
	if c.OCRCache != "" {
		args = append(args, "--ocr-cache", c.OCRCache)
	}
	if c.HomeCity != "" {
		args = append(args, "--home-city", c.HomeCity)
	}
	return args
}

// newRunner returns the runner that extracts in child processes of this
// binary with c's limits and reference data; workers is how many
// extractions run at once, as many children as wait for the next file. The
// caller closes it.
func newRunner(c extractConfig, workers int, log *slog.Logger) (*worker.Runner, error) {
	return worker.New(worker.Config{Args: c.workerArgs(), Limits: c.Limits, MaxIdle: workers, Logger: log})
}

// loadKnowledge reads the reference data: the files c names, else the
// embedded defaults.
func loadKnowledge(c extractConfig) (meta.Knowledge, error) {
	k := meta.Knowledge{}
	if c.Taxonomy == "" {
		k.Taxonomy = taxonomy.Default()
	} else {
		b, err := os.ReadFile(c.Taxonomy)
		if err != nil {
			return k, fmt.Errorf("taxonomy file: %w", err)
		}
		if k.Taxonomy, err = taxonomy.Load(bytes.NewReader(b)); err != nil {
			return k, fmt.Errorf("taxonomy file %s: %w", c.Taxonomy, err)
		}
	}
	if c.Gazetteer == "" {
		k.Gazetteer = gazetteer.Default()
	} else {
		f, err := os.Open(c.Gazetteer)
		if err != nil {
			return k, fmt.Errorf("gazetteer file: %w", err)
		}
		defer f.Close()
		if k.Gazetteer, err = gazetteer.Load(f); err != nil {
			return k, fmt.Errorf("gazetteer file %s: %w", c.Gazetteer, err)
		}
	}
	if c.HomeCity != "" {
		if _, ok := k.Gazetteer.City(c.HomeCity); !ok {
			return k, fmt.Errorf("home city %q is not in the gazetteer", c.HomeCity)
		}
		k.Home = c.HomeCity
	}
	return k, nil
}
