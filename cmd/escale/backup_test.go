package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/store"
)

// visibleQuery is one query of the visible corpus's judgments.
type visibleQuery struct {
	Q       string         `json:"q"`
	Filters map[string]any `json:"filters"` // a value or a list`
}

// TestBackupRestoreAnswersTheSameSearches backs up the data directory of a
// running server — once while uploads stream in, once idle — restores each
// archive into a new directory, and checks that the first holds every
// upload acknowledged before it began and that the second, served, answers
// every query of the visible corpus as the original server does: the same
// hits with the same scores, in the same order but for ties.
func TestBackupRestoreAnswersTheSameSearches(t *testing.T) {
	bin := buildEscale(t)
	dir := t.TempDir()
	const token = "jeton-sauvegarde"
	srv := startServer(t, bin, dir, token)
	entries, err := os.ReadDir(visibleFiles)
	if err != nil {
		t.Fatal(err)
	}
	var first string
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(visibleFiles, e.Name()))
		status, b, err := srv.upload(e.Name(), data)
		if err != nil || (status != http.StatusCreated && status != http.StatusUnprocessableEntity) {
			t.Fatalf("upload %s = %d %s %v", e.Name(), status, b, err)
		}
		var m mission.Mission
		if json.Unmarshal(b, &m); first == "" && m.MissionID != "" {
			first = m.MissionID
		}
	}
	if status, b, err := srv.patchTitle(first, "Titre corrigé avant la sauvegarde"); err != nil || status != http.StatusOK {
		t.Fatalf("PATCH %s = %d %s %v", first, status, b, err)
	}

	// A: backed up while uploads stream in.
	var (
		mu     sync.Mutex
		acked  []string
		stop   = make(chan struct{})
		stream sync.WaitGroup
	)
	stream.Add(1)
	go func() {
		defer stream.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Made-up words only: these reports match none of the corpus's queries.
			text := fmt.Sprintf("%s %s\n\n%s %s %s\n", uniqueWord(9000+i), uniqueWord(9500+i), uniqueWord(9000+i), uniqueWord(9700+i), uniqueWord(9800+i))
			status, b, err := srv.upload(fmt.Sprintf("pendant-%d.txt", i), []byte(text))
			if err != nil || status != http.StatusCreated {
				t.Errorf("upload during the backup = %d %s %v", status, b, err)
				return
			}
			var m mission.Mission
			json.Unmarshal(b, &m)
			mu.Lock()
			acked = append(acked, m.MissionID)
			mu.Unlock()
		}
	}()
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 2 || t.Failed() {
			break
		}
		waitShort()
	}
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	archiveA := filepath.Join(t.TempDir(), "pendant.tar")
	code, out, errOut := runBin(t, bin, nil, "backup", "--data", dir, archiveA)
	close(stop)
	stream.Wait()
	if code != 0 || !strings.Contains(out, "Sauvegarde de") {
		t.Fatalf("backup while uploading = exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runBin(t, bin, nil, "backup", "--data", dir, archiveA); code == 0 || !strings.Contains(errOut, "existe déjà") {
		t.Errorf("backup over an existing archive = exit %d %q, want a refusal", code, errOut)
	}
	restoredA := filepath.Join(t.TempDir(), "a")
	if code, out, errOut := runBin(t, bin, nil, "restore", "--data", restoredA, archiveA); code != 0 || !strings.Contains(out, "index reconstruit") {
		t.Fatalf("restore A = exit %d\n%s%s", code, out, errOut)
	}
	st, err := store.Open(context.Background(), restoredA)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		if _, err := st.Get(context.Background(), id); err != nil {
			t.Errorf("upload %s acknowledged before the backup began is not in it: %v", id, err)
		}
	}
	st.Close()

	// B: backed up idle, restored, served: the same answers.
	archiveB := filepath.Join(t.TempDir(), "repos.tar")
	if code, out, errOut := runBin(t, bin, nil, "backup", "--data", dir, archiveB); code != 0 {
		t.Fatalf("backup = exit %d\n%s%s", code, out, errOut)
	}
	restoredB := filepath.Join(t.TempDir(), "b")
	if code, out, errOut := runBin(t, bin, nil, "restore", "--data", restoredB, archiveB); code != 0 {
		t.Fatalf("restore B = exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runBin(t, bin, nil, "restore", "--data", restoredB, archiveB); code == 0 || !strings.Contains(errOut, "déjà un catalogue") {
		t.Errorf("restore over a catalog = exit %d %q, want a refusal", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(visible, "queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var queries []visibleQuery
	if err := json.Unmarshal(b, &queries); err != nil {
		t.Fatal(err)
	}
	params := []url.Values{{"size": {"100"}}, {"q": {"Titre corrigé avant la sauvegarde"}}}
	for _, q := range queries {
		v := url.Values{"q": {q.Q}, "size": {"100"}}
		for k, f := range q.Filters {
			vs, ok := f.([]any)
			if !ok {
				vs = []any{f}
			}
			for _, x := range vs {
				v.Add(k, fmt.Sprint(x))
			}
		}
		params = append(params, v)
	}
	answers := func(s *server) []string {
		var out []string
		for _, p := range params {
			r := s.search(t, p)
			if r.Total > uint64(len(r.Hits)) {
				t.Fatalf("search %s: %d hits of %d on the page; the comparison needs them all", p.Encode(), len(r.Hits), r.Total)
			}
			var hits []string
			for _, h := range r.Hits {
				hits = append(hits, fmt.Sprintf("%s/%s@%v", h.MissionID, deref(h.Title), h.Score))
			}
			// Hits of equal score come in index order, which a rebuilt index
			// need not keep: ties are compared in id order. (All hits fit on
			// the page, so none is cut from a tie.)
			for i := 0; i < len(r.Hits); {
				j := i + 1
				for j < len(r.Hits) && r.Hits[j].Score == r.Hits[i].Score {
					j++
				}
				slices.Sort(hits[i:j])
				i = j
			}
			out = append(out, fmt.Sprintf("%s -> %d: %s", p.Encode(), r.Total, strings.Join(hits, " ")))
		}
		return out
	}
	want := answers(srv)
	restored := startServer(t, bin, restoredB, token)
	got := answers(restored)
	if !slices.Equal(got, want) {
		for i := range want {
			if i < len(got) && got[i] != want[i] {
				t.Errorf("restored server answers\n  %s\nwhere the original answers\n  %s", got[i], want[i])
			}
		}
	}
	restored.stop(t)
	srv.stop(t)
}

func waitShort() { time.Sleep(20 * time.Millisecond) }
