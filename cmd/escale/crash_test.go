package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
)

// crashReport is a small synthetic report whose unique word finds it.
func crashReport(i int, word string) []byte {
	return fmt.Appendf(nil, "Rapport de mission à Lyon %d\n\nObjectifs\n\nÉtudier le %s et la coopération portuaire numéro %d.\n\nRetombées\n\nUn accord sur le %s a été signé.\n", i, word, i, word)
}

// patchTitle sends a correction of a mission's title.
func (s *server) patchTitle(id, title string) (int, []byte, error) {
	body, _ := json.Marshal(map[string]string{"title": title})
	req, _ := http.NewRequest("PATCH", s.url+"/api/v1/missions/"+id, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/merge-patch+json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	return do(req)
}

// edits remembers, per mission, the last correction acknowledged and the
// one in flight when the server died (either may be the one kept).
type edits struct {
	mu       sync.Mutex
	acked    map[string]string // mission id -> title
	inFlight map[string]string
	count    int
}

// TestCrashDuringUploadsAndEdits kills the server with SIGKILL while
// uploaders and editors (PATCH) keep it busy, restarts it, and checks that
// every acknowledged upload and correction is there and searchable, that
// nothing is half-stored, and that catalog and index agree. It also shows
// the index's own durability: at restart, reconciliation finds no
// acknowledged write missing from the Bleve index (it indexes again only
// writes the catalog knows were never confirmed).
func TestCrashDuringUploadsAndEdits(t *testing.T) {
	bin := buildEscale(t)
	dir := t.TempDir()
	const token = "jeton-crash"
	srv := startServer(t, bin, dir, token)

	// Missions to correct, acknowledged before the storm.
	var targets []string
	for i := range 4 {
		status, b, err := srv.upload(fmt.Sprintf("cible-%d.txt", i), crashReport(1000+i, uniqueWord(1000+i)))
		var m mission.Mission
		json.Unmarshal(b, &m)
		if err != nil || status != http.StatusCreated || m.MissionID == "" {
			t.Fatalf("seed upload %d = %d %s %v", i, status, b, err)
		}
		targets = append(targets, m.MissionID)
	}

	var (
		mu      sync.Mutex
		uploads = map[string]string{} // unique word -> mission id, acknowledged
		next    int
		wg      sync.WaitGroup
		once    sync.Once
	)
	ed := &edits{acked: map[string]string{}, inFlight: map[string]string{}}
	killed := make(chan struct{})
	kill := func() {
		once.Do(func() {
			srv.kill()
			close(killed)
		})
	}
	ready := func() {
		mu.Lock()
		nu := len(uploads)
		mu.Unlock()
		ed.mu.Lock()
		ne := ed.count
		ed.mu.Unlock()
		if nu >= 8 && ne >= 8 {
			kill()
		}
	}
	gone := func() bool {
		select {
		case <-killed:
			return true
		default:
			return false
		}
	}
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !gone() {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i > 300 {
					kill()
					return
				}
				word := uniqueWord(i)
				status, b, err := srv.upload(fmt.Sprintf("flux-%03d.txt", i), crashReport(i, word))
				if err != nil {
					return // the server is gone
				}
				if status != http.StatusCreated {
					t.Errorf("upload %d = %d %s", i, status, b)
					kill()
					return
				}
				var m mission.Mission
				json.Unmarshal(b, &m)
				mu.Lock()
				uploads[word] = m.MissionID
				mu.Unlock()
				ready()
			}
		}()
	}
	// Two editors, each correcting its own two missions in turn.
	for e := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !gone(); n++ {
				id := targets[2*e+n%2]
				title := "Titre corrigé " + uniqueWord(5000+100*e+n)
				ed.mu.Lock()
				ed.inFlight[id] = title
				ed.mu.Unlock()
				status, b, err := srv.patchTitle(id, title)
				if err != nil {
					return
				}
				if status != http.StatusOK {
					t.Errorf("PATCH %s = %d %s", id, status, b)
					kill()
					return
				}
				ed.mu.Lock()
				ed.acked[id] = title
				delete(ed.inFlight, id)
				ed.count++
				ed.mu.Unlock()
				ready()
			}
		}()
	}
	select {
	case <-killed:
	case <-time.After(5 * time.Minute):
		kill()
		t.Errorf("8 uploads and 8 corrections not acknowledged within 5 minutes")
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("killed after %d uploads and %d corrections acknowledged", len(uploads), ed.count)

	srv = startServer(t, bin, dir, token, "--log-level", "info")
	for word, id := range uploads {
		if status, b := srv.get(t, "/api/v1/missions/"+id); status != http.StatusOK {
			t.Errorf("acknowledged upload %s: GET = %d %s after the crash, want 200", id, status, b)
		}
		r := srv.search(t, url.Values{"q": {word}})
		if len(r.Hits) == 0 || r.Hits[0].MissionID != id {
			t.Errorf("acknowledged upload %s not found first by its word %q after the crash (%d hits)", id, word, len(r.Hits))
		}
	}
	for id, title := range ed.acked {
		status, b := srv.get(t, "/api/v1/missions/"+id)
		var m mission.Mission
		json.Unmarshal(b, &m)
		got := deref(m.Title)
		if status != http.StatusOK || (got != title && got != ed.inFlight[id]) {
			t.Errorf("corrected mission %s after the crash: title %q, want the acknowledged %q (or the one in flight, %q)",
				id, got, title, ed.inFlight[id])
			continue
		}
		word := got[strings.LastIndex(got, " ")+1:]
		r := srv.search(t, url.Values{"q": {word}})
		if len(r.Hits) == 0 || r.Hits[0].MissionID != id {
			t.Errorf("corrected mission %s not found first by its new title's word %q after the crash", id, word)
		}
	}
	srv.stop(t)
	checkAgreement(t, dir)

	// What reconciliation did at restart: only writes never confirmed by
	// the index ("stale") may be indexed again; "missing" or "changed"
	// would mean the index lost an acknowledged write.
	log := srv.stderr.String()
	if !strings.Contains(log, "msg=listening") {
		t.Fatalf("restart log holds no info line; the check below would prove nothing:\n%s", log)
	}
	for _, m := range regexp.MustCompile(`msg="mission indexed again" mission_id=(\S+) reason=(\S+)`).FindAllStringSubmatch(log, -1) {
		if m[2] != "stale" {
			t.Errorf("at restart, mission %s indexed again because the index had it %s: an acknowledged write was not durable in the index", m[1], m[2])
		}
	}
}
