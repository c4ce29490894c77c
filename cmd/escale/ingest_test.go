package main

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runBin runs the built binary and returns its exit code and outputs.
func runBin(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	return code, stdout.String(), stderr.String()
}

// TestIngestWatchReindex drives the other commands on one data directory:
// ingest straight into it (twins flagged, the same bytes recognised, empty
// files refused with their reason), the message when a server holds it,
// ingest --server, a watched folder, and reindex.
func TestIngestWatchReindex(t *testing.T) {
	bin := buildEscale(t)
	dir := t.TempDir()
	files := []string{
		filepath.Join(visibleFiles, "2024-lisbonne-aivp.txt"),
		filepath.Join(visibleFiles, "Rapport de mission - Lisbonne (AIVP).pdf"), // the same report as PDF
		filepath.Join(visibleFiles, "mission_dakar_final_v3.txt"),
	}
	code, out, errOut := runBin(t, bin, nil, append([]string{"ingest", "--data", dir}, files...)...)
	if code != 0 || !strings.Contains(out, "Bilan : 3 ajoutés, 0 déjà présents (mêmes octets), 1 doublons probables, 0 refusés") {
		t.Fatalf("ingest = %d\n%s%s\nwant 3 added, 1 probable duplicate", code, out, errOut)
	}
	code, out, _ = runBin(t, bin, nil, append([]string{"ingest", "--data", dir}, files...)...)
	if code != 0 || !strings.Contains(out, "Bilan : 0 ajoutés, 3 déjà présents") {
		t.Errorf("ingest again = %d\n%s\nwant 3 already there", code, out)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "vide.pdf"), nil, 0o600)
	os.WriteFile(filepath.Join(bad, ".cache"), []byte("x"), 0o600)
	code, out, _ = runBin(t, bin, nil, "ingest", "--data", dir, bad)
	if code != 1 || !strings.Contains(out, "1 refusés") || !strings.Contains(out, "vide.pdf : Le fichier est vide.") || strings.Contains(out, ".cache") {
		t.Errorf("ingest of an empty file = %d\n%s\nwant exit 1 and the refusal with its reason, hidden files skipped", code, out)
	}

	// A server holds the directory: ingest says what to do, and --server works.
	const token = "jeton"
	watched := t.TempDir()
	srv := startServer(t, bin, dir, token, "--watch", watched, "--watch-every", "200ms")
	bruxelles := filepath.Join(visibleFiles, "mission_virtuelle_bruxelles_2021.txt")
	code, _, errOut = runBin(t, bin, nil, "ingest", "--data", dir, bruxelles)
	if code != 1 || !strings.Contains(errOut, "escale ingest --server "+srv.url) {
		t.Errorf("ingest while a server runs = %d %q, want exit 1 and the advice to use --server %s", code, errOut, srv.url)
	}
	code, out, errOut = runBin(t, bin, []string{"ESCALE_TOKEN=" + token}, "ingest", "--server", srv.url, bruxelles)
	if code != 0 || !strings.Contains(out, "Bilan : 1 ajoutés") {
		t.Errorf("ingest --server = %d\n%s%s\nwant 1 added", code, out, errOut)
	}
	code, out, _ = runBin(t, bin, nil, "ingest", "--server", srv.url, filepath.Join(visibleFiles, "Rapport FCM Toronto juin 2024.txt"))
	if code != 1 || !strings.Contains(out, "unauthorized") {
		t.Errorf("ingest --server without the token = %d\n%s\nwant a failure that says unauthorized", code, out)
	}

	// A file dropped in the watched folder is ingested and moved with a note.
	data, _ := os.ReadFile(filepath.Join(visibleFiles, "mission-paris-lyon-2019.md"))
	os.WriteFile(filepath.Join(watched, "paris-lyon.md"), data, 0o600)
	os.WriteFile(filepath.Join(watched, "vide.txt"), nil, 0o600)
	deadline := time.Now().Add(time.Minute)
	doneNote := filepath.Join(watched, "traités", "paris-lyon.md.txt")
	refusedNote := filepath.Join(watched, "refusés", "vide.txt.txt")
	for time.Now().Before(deadline) {
		_, e1 := os.Stat(doneNote)
		_, e2 := os.Stat(refusedNote)
		if e1 == nil && e2 == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if note, err := os.ReadFile(doneNote); err != nil || !strings.Contains(string(note), "Résultat : ajouté") {
		t.Errorf("note of the watched file = %q, %v, want « ajouté »", note, err)
	}
	if note, err := os.ReadFile(refusedNote); err != nil || !strings.Contains(string(note), "refusé (empty)") {
		t.Errorf("note of the empty watched file = %q, %v, want « refusé (empty) »", note, err)
	}
	if r := srv.search(t, url.Values{"q": {"Lyon"}}); r.Total == 0 {
		t.Errorf("the watched file is not searchable")
	}
	srv.stop(t)

	// Reindex rebuilds the index from the catalog.
	code, out, errOut = runBin(t, bin, nil, "reindex", "--data", dir)
	if code != 0 || !strings.Contains(out, "Index reconstruit : 5 missions.") {
		t.Errorf("reindex = %d\n%s%s\nwant 5 missions", code, out, errOut)
	}
	srv = startServer(t, bin, dir, token)
	if r := srv.search(t, url.Values{"size": {"100"}}); r.Total != 5 {
		t.Errorf("after reindex: %d missions searchable, want 5", r.Total)
	}
	srv.stop(t)
}

// TestBudget checks that the bytes held stay within the budget, except a
// file larger than the whole budget, which passes alone.
func TestBudget(t *testing.T) {
	b := newBudget(100)
	b.acquire(60)
	admitted := make(chan int64, 3)
	go func() {
		b.acquire(50) // 110 > 100: waits for the 60 to go
		admitted <- 50
	}()
	select {
	case n := <-admitted:
		t.Fatalf("acquire(%d) with 60 of 100 held returned at once, want it to wait", n)
	case <-time.After(100 * time.Millisecond):
	}
	b.release(60)
	if n := <-admitted; n != 50 {
		t.Fatalf("admitted %d, want 50", n)
	}
	b.release(50)
	b.acquire(500) // larger than the budget: alone, it passes
	b.release(500)
	if b.used != 0 {
		t.Errorf("budget used = %d after every release, want 0", b.used)
	}
}

// TestCompactIndex checks what escale says of compacting the index after an
// ingest or a reindex: nothing when it went well or had nothing to do (the
// service logs what it did), a French warning (not an exit) when it failed.
func TestCompactIndex(t *testing.T) {
	for _, c := range []struct {
		name    string
		merged  bool
		err     error
		wantErr string
	}{
		{"merged", true, nil, ""},
		{"nothing to do", false, nil, ""},
		{"failed", false, errors.New("disque plein"), "compactage de l’index impossible (la recherche reste possible, un peu plus lente) : disque plein"},
	} {
		var stdout, stderr bytes.Buffer
		e := &env{getenv: func(string) string { return "" }, stdout: &stdout, stderr: &stderr}
		called := false
		compactIndex(context.Background(), e, func(context.Context) (bool, error) { called = true; return c.merged, c.err })
		if !called {
			t.Errorf("%s: compact not called", c.name)
		}
		if got := stderr.String(); c.wantErr == "" && got != "" || c.wantErr != "" && !strings.Contains(got, c.wantErr) {
			t.Errorf("%s: stderr %q, want %q", c.name, got, c.wantErr)
		}
		if stdout.Len() > 0 {
			t.Errorf("%s: stdout %q, want nothing", c.name, stdout.String())
		}
	}
}
