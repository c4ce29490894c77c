package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"escale/internal/store"
)

// TestREADMEDocumentsEveryFlag checks that the README keeps up with the
// command line: it opens on the two set-up commands, its tables have a row
// for every flag of every command, and its layout names every directory the
// data directory gets.
func TestREADMEDocumentsEveryFlag(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(readme)
	if block == nil || !strings.HasPrefix(block[1], "go run ./cmd/escale serve --demo") || !strings.Contains(strings.Split(block[1], "\n")[1], "make test") {
		t.Errorf("README's first commands = %q, want go run ./cmd/escale serve --demo then make test", block)
	}

	// A flag in --help: its name line, then its usage, which may end on its
	// default.
	flagHelp := regexp.MustCompile(`(?m)^  -([a-z][a-z-]*).*\n\s+(.*)$`)
	checked := 0
	defaultOf := regexp.MustCompile(`\(default "?([^")]+)"?\)|par défaut ([^,;()\s][^,;)]*)`)
	for _, cmd := range []string{"serve", "ingest", "extract", "backup", "restore", "reindex"} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{cmd, "--help"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Fatalf("escale %s --help = exit %d, %s", cmd, code, errOut.String())
		}
		flags := flagHelp.FindAllStringSubmatch(out.String(), -1)
		if len(flags) == 0 {
			t.Fatalf("escale %s --help lists no flag:\n%s", cmd, out.String())
		}
		for _, f := range flags {
			name, usage := f[1], f[2]
			_, row, ok := strings.Cut(readme, "\n| `--"+name+"` |")
			if !ok {
				t.Errorf("README has no table row for %s's flag --%s", cmd, name)
				continue
			}
			row, _, _ = strings.Cut(row, "\n")
			cols := strings.Split(row, "|") // variable, default, role
			d := defaultOf.FindStringSubmatch(usage)
			if d == nil || len(cols) < 3 {
				continue
			}
			checked++
			want := strings.Fields(d[1] + d[2])[0]
			if !sameDefault(strings.Trim(strings.TrimSpace(cols[1]), "`"), want) {
				t.Errorf("README's row for --%s gives the default %q, escale %s --help %q", name, strings.TrimSpace(cols[1]), cmd, want)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d defaults read from --help: the pattern no longer matches the help's wording", checked)
	}

	for _, dir := range []string{store.IndexDir + "/", store.ThumbnailDir + "/", store.OCRCacheDir + "/"} {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(dir)).MatchString(readme) {
			t.Errorf("README's data directory layout has no line for %s", dir)
		}
	}
}

// sameDefault says whether the README's default (doc) states the one --help
// gives: as text, or as the same duration (5m for 5m0s).
func sameDefault(doc, help string) bool {
	if strings.Contains(doc, help) {
		return true
	}
	a, err1 := time.ParseDuration(doc)
	b, err2 := time.ParseDuration(help)
	return err1 == nil && err2 == nil && a == b
}
