package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
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
	args := strings.Fields(e.Extracted.Text) // the fake extraction's record holds the child's arguments
	i := slices.Index(args, "--ocr-cache")
	abs, _ := filepath.Abs(dir)
	if want := filepath.Join(abs, "cache", "ocr"); i < 0 || i+1 >= len(args) || args[i+1] != want {
		t.Errorf("escale ingest --data %s: child started with %q, want --ocr-cache %s", dir, args, want)
	}
}
