package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"escale/internal/synonyms"
)

func TestLoadSynonyms(t *testing.T) {
	dir := t.TempDir()
	g, err := loadSynonyms(dir)
	if err != nil || len(g) != len(synonyms.Default()) {
		t.Fatalf("loadSynonyms(no file) = %d groups, %v; want the %d embedded ones", len(g), err, len(synonyms.Default()))
	}
	file := filepath.Join(dir, synonymsFile)
	if err := os.WriteFile(file, []byte("vélo, bicyclette\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if g, err = loadSynonyms(dir); err != nil || len(g) != 1 || g[0][1] != "bicyclette" {
		t.Fatalf("loadSynonyms(%s) = %q, %v; want the file's one group", synonymsFile, g, err)
	}
	if err := os.WriteFile(file, []byte("vélo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err = loadSynonyms(dir); err == nil || !strings.Contains(err.Error(), synonymsFile) {
		t.Fatalf("loadSynonyms(broken file) = %v, want an error naming %s", err, synonymsFile)
	}
}
