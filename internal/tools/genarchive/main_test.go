package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"escale/internal/score"
)

// tree reads every file under dir by its relative path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The same seed writes the same archive, whatever the number of workers, in
// the corpus layout the scorer reads.
func TestSameSeedSameArchive(t *testing.T) {
	const n = 8
	a, b := t.TempDir(), t.TempDir()
	for _, run1 := range []struct {
		dir     string
		workers string
	}{{a, "1"}, {b, "3"}} {
		if err := run(context.Background(), []string{"-n", "8", "-seed", "4", "-workers", run1.workers, "-q", run1.dir}, io.Discard); err != nil {
			t.Fatalf("run(-workers %s) error: %v", run1.workers, err)
		}
	}
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != 2*n {
		t.Errorf("archive has %d files, want %d reports and %d truths", len(ta), n, n)
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between runs with 1 and 3 workers", name)
		}
	}
	truths, err := score.LoadTruth(a)
	if err != nil {
		t.Fatalf("score.LoadTruth: %v", err)
	}
	if len(truths) != n {
		t.Fatalf("score.LoadTruth found %d truths, want %d", len(truths), n)
	}
	for _, tr := range truths {
		if _, ok := ta[filepath.Join("files", tr.File)]; !ok {
			t.Errorf("truth %s names file %q, which is not in files/", tr.ID, tr.File)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "one output directory"},
		{[]string{"-n", "-1", t.TempDir()}, "-n"},
		{[]string{"-pages", "9", t.TempDir()}, "pages"},
		{[]string{"-home", "Nullepart-sur-Rien", t.TempDir()}, "home city"},
	}
	for _, tc := range tests {
		err := run(context.Background(), tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) error = %v, want one mentioning %q", tc.args, err, tc.want)
		}
	}
}
