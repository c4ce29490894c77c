package ocr

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scan = "../../testdata/corpus/visible/files/RM-2025-031_Hambourg.pdf"

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeTesseract writes a stand-in for tesseract: it knows the given
// languages, and for any image prints the hOCR file given, noting each run
// in the returned file.
func fakeTesseract(t *testing.T, langs []string, hocr string) (program, runs string) {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs(hocr)
	if err != nil {
		t.Fatal(err)
	}
	program, runs = filepath.Join(dir, "tesseract"), filepath.Join(dir, "runs")
	script := fmt.Sprintf(`#!/bin/sh
case "$1" in
--list-langs) printf 'List of available languages in "/fake/" (%d):\n%s\n'; exit 0;;
--version) echo "tesseract 0.0-fake"; exit 0;;
esac
cat >/dev/null
echo "$@" >> %q
cat %q
`, len(langs), strings.Join(langs, `\n`), runs, abs)
	if err := os.WriteFile(program, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return program, runs
}

// countRuns returns how many times a fake tesseract recognised an image.
func countRuns(t *testing.T, runs string) int {
	t.Helper()
	b, err := os.ReadFile(runs)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}
