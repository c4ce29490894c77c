package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"escale/internal/mission"
	"escale/internal/service"
)

type fakeIngester struct{ busy bool }

func (f *fakeIngester) Ingest(_ context.Context, up service.Upload) (*service.Result, error) {
	if f.busy {
		return nil, service.ErrBusy
	}
	if strings.HasPrefix(string(up.Data), "scan") {
		return nil, mission.Refuse(mission.ErrNoText, "test")
	}
	return &service.Result{Created: true, Mission: &mission.Mission{MissionID: "abc", Filename: up.Filename, Title: mission.Ptr("Titre")}}, nil
}

func TestPoll(t *testing.T) {
	dir := t.TempDir()
	ing := &fakeIngester{}
	w := &Watcher{Dir: dir, Ingester: ing, MaxSize: 100}
	for _, d := range []string{DoneDir, RefusedDir} {
		os.MkdirAll(filepath.Join(dir, d), 0o750)
	}
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	write("rapport.txt", "texte")
	write("scan.pdf", "scan")
	write("gros.pdf", strings.Repeat("x", 101))
	write(".cache", "ignored")
	if n := w.Poll(context.Background()); n != 0 {
		t.Errorf("first Poll handled %d files, want 0 (a file is taken once it stops changing)", n)
	}
	ing.busy = true
	if n := w.Poll(context.Background()); n != 1 {
		t.Errorf("Poll while busy handled %d, want 1 (the file too large to read; the rest waits)", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "rapport.txt")); err != nil {
		t.Errorf("rapport.txt moved while the server was busy: %v", err)
	}
	ing.busy = false
	w.Poll(context.Background())
	if n := w.Poll(context.Background()); n != 0 {
		t.Errorf("Poll after everything was handled = %d, want 0", n)
	}
	note, err := os.ReadFile(filepath.Join(dir, DoneDir, "rapport.txt.txt"))
	if err != nil || !strings.Contains(string(note), "ajouté (mission abc)") {
		t.Errorf("note of rapport.txt = %q, %v, want « ajouté (mission abc) »", note, err)
	}
	if _, err := os.Stat(filepath.Join(dir, DoneDir, "rapport.txt")); err != nil {
		t.Errorf("rapport.txt not in %s: %v", DoneDir, err)
	}
	for name, code := range map[string]string{"scan.pdf": "no_text", "gros.pdf": "too_large"} {
		note, err := os.ReadFile(filepath.Join(dir, RefusedDir, name+".txt"))
		if err != nil || !strings.Contains(string(note), "refusé ("+code+")") {
			t.Errorf("note of %s = %q, %v, want refusé (%s)", name, note, err, code)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".cache")); err != nil {
		t.Errorf("hidden file touched: %v", err)
	}
}

func TestMoveKeepsBoth(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out")
	os.Mkdir(dest, 0o750)
	for i := range 2 {
		p := filepath.Join(dir, "a.pdf")
		os.WriteFile(p, []byte{byte(i)}, 0o640)
		got, err := move(p, dest, "a.pdf")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"a.pdf", "a (2).pdf"}[i]
		if filepath.Base(got) != want {
			t.Errorf("move #%d = %s, want %s", i+1, filepath.Base(got), want)
		}
	}
	if _, err := move(filepath.Join(dir, "missing"), dest, "missing"); err == nil || errors.Is(err, os.ErrExist) {
		t.Errorf("move(missing) err = %v, want a not-exist error", err)
	}
}
