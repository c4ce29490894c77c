package store

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"escale/internal/mission"
)

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, dir := openTest(t)
	var want []*Entry
	for i := range 5 {
		e := entry(t, s, fmt.Sprintf("rapport numéro %d", i), fmt.Sprintf("r%d.txt", i))
		if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	// A correction and a deletion: the backup holds the catalog as it is.
	if _, err := s.Update(ctx, want[0].ID, func(e *Entry) ([]Correction, error) {
		e.Mission.Title = strp("Corrigé")
		return []Correction{{Field: "title", Value: []byte(`"Corrigé"`), By: "test"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete(ctx, want[4].ID); err != nil {
		t.Fatal(err)
	}
	want = want[:4]

	var archive bytes.Buffer
	info, err := Backup(ctx, dir, &archive)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if info.Missions != 4 || info.Originals != 4 || info.Schema != len(migrations) {
		t.Errorf("Backup info = %+v, want 4 missions, 4 originals, schema %d", info, len(migrations))
	}

	restored := t.TempDir()
	got, err := Restore(ctx, bytes.NewReader(archive.Bytes()), restored)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got != info {
		t.Errorf("Restore info = %+v, want the backup's %+v", got, info)
	}
	r, err := Open(ctx, restored)
	if err != nil {
		t.Fatalf("Open(restored): %v", err)
	}
	defer r.Close()
	ids, _ := r.IDs(ctx)
	if len(ids) != 4 {
		t.Errorf("restored catalog holds %d missions, want 4", len(ids))
	}
	for _, e := range want {
		g, err := r.Get(ctx, e.ID)
		if err != nil {
			t.Errorf("restored Get(%s): %v", e.ID, err)
			continue
		}
		data, err := r.ReadOriginal(g.SHA256)
		if err != nil || string(data) != e.Mission.Text {
			t.Errorf("restored original of %s = %q, %v, want %q", e.ID, data, err, e.Mission.Text)
		}
	}
	g, _ := r.Get(ctx, want[0].ID)
	if g == nil || *g.Mission.Title != "Corrigé" || len(g.Corrections) != 1 {
		t.Errorf("restored corrected mission = %+v, want its correction", g)
	}
	if _, err := Restore(ctx, bytes.NewReader(archive.Bytes()), restored); err == nil {
		t.Errorf("Restore over a catalog succeeded, want a refusal")
	}
}

func strp(s string) *string { return &s }

// missionRecord is a minimal record for entries built by hand.
var missionRecord = mission.Mission{Filename: "r.txt", Text: "rapport", Pages: 1}

// TestBackupWhileWriting takes backups while another connection keeps
// inserting: each archive restores to a catalog whose every mission has its
// original.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, dir := openTest(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e := entry(t, s, fmt.Sprintf("pendant la sauvegarde %d", i), "w.txt")
			if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
				t.Errorf("Insert during backup: %v", err)
				return
			}
			if i%3 == 0 {
				if _, err := s.Delete(ctx, e.ID); err != nil {
					t.Errorf("Delete during backup: %v", err)
					return
				}
			}
		}
	}()
	for round := range 5 {
		var archive bytes.Buffer
		info, err := Backup(ctx, dir, &archive)
		if err != nil {
			t.Errorf("Backup %d while writing: %v", round, err)
			continue
		}
		if _, err := Restore(ctx, &archive, t.TempDir()); err != nil {
			t.Errorf("Restore of backup %d (%d missions): %v", round, info.Missions, err)
		}
	}
	close(stop)
	wg.Wait()
}

func TestRestoreRefusesBadArchives(t *testing.T) {
	ctx := context.Background()
	s, dir := openTest(t)
	e := entry(t, s, "rapport", "r.txt")
	if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if _, err := Backup(ctx, dir, &good); err != nil {
		t.Fatal(err)
	}
	entries := readTar(t, good.Bytes())
	rebuild := func(change func(name string, data []byte) (string, []byte, bool)) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		for _, en := range entries {
			name, data, keep := change(en.name, en.data)
			if !keep {
				continue
			}
			tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg})
			tw.Write(data)
		}
		tw.Close()
		return b.Bytes()
	}
	original := originalsDir + "/" + e.SHA256[:2] + "/" + e.SHA256
	tests := []struct {
		name    string
		archive []byte
	}{
		{"not a tar", []byte("%PDF-1.4 pas une sauvegarde")},
		{"empty", nil},
		{"path outside the directory", rebuild(func(n string, d []byte) (string, []byte, bool) {
			if n == original {
				return "../" + e.SHA256, d, true
			}
			return n, d, true
		})},
		{"original altered", rebuild(func(n string, d []byte) (string, []byte, bool) {
			if n == original {
				return n, append([]byte("x"), d...), true
			}
			return n, d, true
		})},
		{"original missing", rebuild(func(n string, d []byte) (string, []byte, bool) { return n, d, n != original })},
		{"catalog missing", rebuild(func(n string, d []byte) (string, []byte, bool) { return n, d, n != catalogFile })},
		{"manifest missing", rebuild(func(n string, d []byte) (string, []byte, bool) { return n, d, n != manifestName })},
		{"unknown file", rebuild(func(n string, d []byte) (string, []byte, bool) {
			if n == original {
				return "originals/zz/notes.txt", d, true
			}
			return n, d, true
		})},
	}
	for _, tt := range tests {
		dst := t.TempDir()
		if _, err := Restore(ctx, bytes.NewReader(tt.archive), dst); err == nil {
			t.Errorf("Restore(%s) succeeded, want an error", tt.name)
		}
		if _, err := os.Stat(filepath.Join(dst, catalogFile)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Restore(%s) left a catalog behind", tt.name)
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(dst), e.SHA256)); err == nil {
			t.Errorf("Restore(%s) wrote outside its directory", tt.name)
		}
	}
}

type tarEntry struct {
	name string
	data []byte
}

func readTar(t *testing.T, b []byte) []tarEntry {
	t.Helper()
	var out []tarEntry
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		out = append(out, tarEntry{h.Name, data})
	}
}

func TestBackupOfMissingDirectory(t *testing.T) {
	var b bytes.Buffer
	_, err := Backup(context.Background(), filepath.Join(t.TempDir(), "nulle-part"), &b)
	if err == nil || !strings.Contains(err.Error(), "no catalog") {
		t.Errorf("Backup of a directory without catalog = %v, want « no catalog »", err)
	}
}

// TestBackupOfIdleDirectory backs up a directory no process holds (its WAL
// checkpointed and gone), as a cron job would on a stopped server.
func TestBackupOfIdleDirectory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	e := entry(t, s, "rapport", "r.txt")
	if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var b bytes.Buffer
	info, err := Backup(ctx, dir, &b)
	if err != nil || info.Missions != 1 {
		t.Fatalf("Backup of an idle directory = %+v, %v, want 1 mission", info, err)
	}
}

// FuzzRestore feeds Restore arbitrary archives: it must never panic, write
// outside its directory, nor leave a catalog behind when it fails.
func FuzzRestore(f *testing.F) {
	ctx := context.Background()
	dir := f.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		f.Fatal(err)
	}
	sha, _ := s.PutOriginal([]byte("rapport"))
	m := &Entry{ID: sha[:16], SHA256: sha, Extracted: &missionRecord, Mission: &missionRecord}
	if err := s.Insert(ctx, m, LogEntry{Outcome: Created}); err != nil {
		f.Fatal(err)
	}
	var good bytes.Buffer
	if _, err := Backup(ctx, dir, &good); err != nil {
		f.Fatal(err)
	}
	s.Close()
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:len(good.Bytes())/2])
	f.Add([]byte{})
	f.Add([]byte("escale-sauvegarde.json"))
	f.Fuzz(func(t *testing.T, archive []byte) {
		parent := t.TempDir()
		dst := filepath.Join(parent, "data")
		_, err := Restore(ctx, bytes.NewReader(archive), dst)
		if _, statErr := os.Stat(filepath.Join(dst, catalogFile)); err != nil && statErr == nil {
			t.Fatalf("Restore failed (%v) but left a catalog", err)
		}
		entries, _ := os.ReadDir(parent)
		if len(entries) != 1 || entries[0].Name() != "data" {
			t.Fatalf("Restore wrote beside its directory: %v", entries)
		}
	})
}
