package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"escale/internal/service"
	"escale/internal/store"
)

// TestOCRCacheDefault checks where the commands on a data directory keep
// what OCR read: under the directory unless told otherwise, so that the
// service never recognises a scan twice.
func TestOCRCacheDefault(t *testing.T) {
	data := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "ocr")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"default", nil, nil, filepath.Join(data, "cache", "ocr")},
		{"flag", []string{"--ocr-cache", elsewhere}, nil, elsewhere},
		{"environment", nil, map[string]string{"ESCALE_OCR_CACHE": elsewhere}, elsewhere},
		{"flag over environment", []string{"--ocr-cache", elsewhere}, map[string]string{"ESCALE_OCR_CACHE": "/ailleurs"}, elsewhere},
		{"empty flag: none", []string{"--ocr-cache", ""}, nil, ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		df := addDataFlags(fs)
		args := append([]string{"--data", data}, tt.args...)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		c, err := df.resolve(func(k string) string { return tt.env[k] })
		if err != nil {
			t.Fatalf("%s: resolve(%q, env %v): %v", tt.name, args, tt.env, err)
		}
		if c.Extract.OCRCache != tt.want {
			t.Errorf("%s: resolve(%q, env %v).Extract.OCRCache = %q, want %q", tt.name, args, tt.env, c.Extract.OCRCache, tt.want)
		}
	}
}

// TestIngestChildGetsOCRCache ingests a file and checks, through the
// arguments the child was started with, that its OCR output goes under the
// data directory.
func TestIngestChildGetsOCRCache(t *testing.T) {
	t.Setenv(fakeEnv, "args")
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "rapport.txt")
	report := []byte("Mission à Lisbonne\n")
	if err := os.WriteFile(file, report, 0o644); err != nil {
		t.Fatal(err)
	}
	e := ingestFile(t, dir, file, report)
	args := strings.Fields(e.Extracted.Text) // the fake extraction's record holds the child's arguments
	i := slices.Index(args, "--ocr-cache")
	abs, _ := filepath.Abs(dir)
	if want := filepath.Join(abs, "cache", "ocr"); i < 0 || i+1 >= len(args) || args[i+1] != want {
		t.Errorf("escale ingest --data %s: child started with %q, want --ocr-cache %s", dir, args, want)
	}
}

// TestDataDirReferenceFiles checks that reference data files left in the
// data directory replace the embedded defaults unless a flag or variable
// names another file, or an empty flag asks for the embedded data.
func TestDataDirReferenceFiles(t *testing.T) {
	full := t.TempDir()
	for _, name := range []string{"taxonomy.txt", "gazetteer.tsv.gz", "gazetteer.tsv"} {
		if err := os.WriteFile(filepath.Join(full, name), []byte("# test\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plain := t.TempDir() // the uncompressed gazetteer only
	if err := os.WriteFile(filepath.Join(plain, "gazetteer.tsv"), []byte("# test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if err := os.Mkdir(filepath.Join(empty, "taxonomy.txt"), 0o755); err != nil { // not a file
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "themes.txt")
	if err := os.WriteFile(other, []byte("# test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                string
		data                string
		args                []string
		env                 map[string]string
		taxonomy, gazetteer string
	}{
		{"files in the data directory", full, nil, nil, filepath.Join(full, "taxonomy.txt"), filepath.Join(full, "gazetteer.tsv.gz")},
		{"uncompressed gazetteer", plain, nil, nil, "", filepath.Join(plain, "gazetteer.tsv")},
		{"no files, or a directory by the name", empty, nil, nil, "", ""},
		{"flag over the file", full, []string{"--taxonomy", other}, nil, other, filepath.Join(full, "gazetteer.tsv.gz")},
		{"environment over the file", full, nil, map[string]string{"ESCALE_TAXONOMY": other}, other, filepath.Join(full, "gazetteer.tsv.gz")},
		{"empty flag: embedded data", full, []string{"--taxonomy", "", "--gazetteer", ""}, nil, "", ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		df := addDataFlags(fs)
		args := append([]string{"--data", tt.data}, tt.args...)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		c, err := df.resolve(func(k string) string { return tt.env[k] })
		if err != nil {
			t.Fatalf("%s: resolve(%q, env %v): %v", tt.name, args, tt.env, err)
		}
		if c.Extract.Taxonomy != tt.taxonomy || c.Extract.Gazetteer != tt.gazetteer {
			t.Errorf("%s: resolve(%q, env %v) = taxonomy %q, gazetteer %q; want %q, %q",
				tt.name, args, tt.env, c.Extract.Taxonomy, c.Extract.Gazetteer, tt.taxonomy, tt.gazetteer)
		}
	}
}

// TestIngestUsesDataDirReferenceFiles ingests a report into a data
// directory that holds its own taxonomy and gazetteer, and checks that the
// worker child extracted with them: a theme and a city only those files know.
func TestIngestUsesDataDirReferenceFiles(t *testing.T) {
	dir := t.TempDir()
	themes := "theme jumelage Jumelages et amitiés\n3 jumelage*\n"
	cities := "country\tFR\tFrance\t\ncity\t9000001\tVillebrune-sur-Mer\t\tFR\t52000\t47.1\t-2.2\tA\n"
	if err := os.WriteFile(filepath.Join(dir, "taxonomy.txt"), []byte(themes), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "gazetteer.tsv"), []byte(cities), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rapport.txt")
	report := []byte("Mission de jumelage à Villebrune-sur-Mer\n\nDu 3 au 5 mai 2022\n\nObjectifs\n\n- Renouveler le jumelage avec Villebrune-sur-Mer.\n")
	if err := os.WriteFile(file, report, 0o644); err != nil {
		t.Fatal(err)
	}
	e := ingestFile(t, dir, file, report)
	m := e.Extracted
	if !slices.Contains(m.Themes, "jumelage") {
		t.Errorf("escale ingest --data with DATA/taxonomy.txt: themes %q, want jumelage", m.Themes)
	}
	if len(m.Destinations) != 1 || m.Destinations[0].City != "Villebrune-sur-Mer" {
		t.Errorf("escale ingest --data with DATA/gazetteer.tsv: destinations %+v, want Villebrune-sur-Mer", m.Destinations)
	}
}

// TestBrokenDataDirFileStopsStart: a reference file in the data directory
// that does not load stops the command at start, naming the file.
func TestBrokenDataDirFileStopsStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "taxonomy.txt"), []byte("theme\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rapport.txt")
	if err := os.WriteFile(file, []byte("Mission à Lyon\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"ingest", "--data", dir, file}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "taxonomy.txt") {
		t.Errorf("escale ingest --data with a broken taxonomy.txt = exit %d, stderr %q; want failure naming the file", code, stderr.String())
	}
}

// ingestFile runs escale ingest --data dir on file, whose bytes are report,
// and returns the stored mission.
func ingestFile(t *testing.T, dir, file string, report []byte) *store.Entry {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	if code := run(context.Background(), []string{"ingest", "--data", dir, file}, getenv, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("escale ingest = exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := st.Get(context.Background(), service.MissionID(store.Hash(report)))
	if err != nil {
		t.Fatalf("ingested mission: %v", err)
	}
	return e
}

// TestFingerprintKey: the running binary has a key, always the same; a
// file that is not a Go binary has none.
func TestFingerprintKey(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no executable path:", err)
	}
	key := fingerprintKey(exe)
	if key == "" && runtime.GOOS != "linux" {
		t.Skip("binaries are not ELF here: no key, no fingerprint kept")
	}
	if !strings.HasPrefix(key, "escale ") || fingerprintKey(exe) != key {
		t.Errorf("fingerprintKey(this test binary) = %q then %q, want one non-empty key", key, fingerprintKey(exe))
	}
	for _, p := range []string{filepath.Join(t.TempDir(), "absent"), "data_test.go"} {
		if got := fingerprintKey(p); got != "" {
			t.Errorf("fingerprintKey(%s) = %q, want \"\" (not a Go binary)", p, got)
		}
	}
}
