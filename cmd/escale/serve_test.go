package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/store"
)

const visibleFiles = "../../testdata/corpus/visible/files"

// buildEscale returns the binary the checks run (escaleBinary).
func buildEscale(t *testing.T) string {
	t.Helper()
	return escaleBinary(t)
}

// server is a running `escale serve`.
type server struct {
	cmd    *exec.Cmd
	url    string
	token  string
	stderr *bytes.Buffer
}

// startServer runs `bin serve` on a free port of 127.0.0.1 over dir and
// waits until it listens (it prints its address once reconciled).
func startServer(t *testing.T, bin, dir, token string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ESCALE_TOKEN="+token)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, token: token, stderr: &bytes.Buffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "Escale écoute sur "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("serve ended before listening; stderr:\n%s", s.stderr)
		}
		s.url = u
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not listen within 2 minutes; stderr:\n%s", s.stderr)
	}
	return s
}

func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
		s.cmd.Wait()
	}
}

// stop ends the server as an operator would (SIGTERM) and waits.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v; stderr:\n%s", err, s.stderr)
		}
	case <-time.After(time.Minute):
		s.kill()
		t.Errorf("serve did not stop within a minute of SIGTERM")
	}
}

func (s *server) upload(name string, data []byte) (int, []byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", s.url+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.token)
	return do(req)
}

// testClient gives up on a request after a few minutes: a server that hangs
// fails the test with an error instead of stalling the suite.
var testClient = &http.Client{Timeout: 3 * time.Minute}

func do(req *http.Request) (int, []byte, error) {
	resp, err := testClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (s *server) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	status, b, err := do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return status, b
}

// searchResult is the part of a search answer the test reads.
type searchResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		MissionID   string  `json:"mission_id"`
		Filename    string  `json:"filename"`
		Title       *string `json:"title"`
		DuplicateOf string  `json:"duplicate_of"`
		Score       float64 `json:"score"`
		Passages    []struct {
			Fragment string `json:"fragment"`
			Page     int    `json:"page"`
		} `json:"passages"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func (s *server) search(t *testing.T, params url.Values) searchResult {
	t.Helper()
	status, b := s.get(t, "/api/v1/search?"+params.Encode())
	if status != http.StatusOK {
		t.Fatalf("search %s = %d %s", params.Encode(), status, b)
	}
	var r searchResult
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("search %s: %v", params.Encode(), err)
	}
	return r
}

func (r searchResult) facet(name, value string) int {
	for _, v := range r.Facets[name] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

// TestServeEndToEnd uploads the visible corpus to the real server through
// HTTP and checks what staff rely on: hits with highlighted passages and
// pages, facet counts that agree with the records (multi-select included), a
// correction that moves a facet count, then a SIGKILL in the middle of a
// stream of uploads after which every acknowledged upload is searchable and
// nothing is half-stored.
func TestServeEndToEnd(t *testing.T) {
	bin := buildEscale(t)
	dir := t.TempDir()
	const token = "jeton-de-test"
	srv := startServer(t, bin, dir, token)

	// Upload the corpus.
	entries, err := os.ReadDir(visibleFiles)
	if err != nil {
		t.Fatal(err)
	}
	records := map[string]*mission.Mission{}
	originals := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(visibleFiles, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		status, b, err := srv.upload(e.Name(), data)
		if err != nil {
			t.Fatalf("upload %s: %v", e.Name(), err)
		}
		if status == http.StatusUnprocessableEntity && strings.Contains(string(b), `"no_text"`) {
			continue // a scan without OCR: rightly refused
		}
		if status != http.StatusCreated {
			t.Fatalf("upload %s = %d %s, want 201", e.Name(), status, b)
		}
		var m mission.Mission
		if err := json.Unmarshal(b, &m); err != nil || m.MissionID == "" {
			t.Fatalf("upload %s answered %s", e.Name(), b)
		}
		records[m.MissionID] = &m
		originals[m.MissionID] = data
	}
	if len(records) < len(entries)-1 {
		t.Fatalf("%d of %d files ingested", len(records), len(entries))
	}
	// The same bytes again: 200 and the same mission.
	first := entries[0].Name()
	data, _ := os.ReadFile(filepath.Join(visibleFiles, first))
	status, b, _ := srv.upload("copie-"+first, data)
	var again mission.Mission
	json.Unmarshal(b, &again)
	if status != http.StatusOK || records[again.MissionID] == nil {
		t.Errorf("second upload of %s = %d (id %q), want 200 with the first mission", first, status, again.MissionID)
	}
	// The text and the PDF of the same report are flagged as twins.
	twins := 0
	for _, m := range records {
		if m.DuplicateOf != "" {
			twins++
			if records[m.DuplicateOf] == nil {
				t.Errorf("%s is a duplicate of %q, which is not a stored mission", m.Filename, m.DuplicateOf)
			}
		}
	}
	if twins == 0 {
		t.Errorf("no upload flagged as a probable duplicate; the corpus holds one report as text and as PDF")
	}

	// Every original comes back byte for byte.
	for id, want := range originals {
		status, got := srv.get(t, "/api/v1/missions/"+id+"/file")
		if status != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("GET /missions/%s/file = %d, %d bytes, want the %d original bytes", id, status, len(got), len(want))
		}
	}

	// Hits, highlights and pages.
	all := srv.search(t, url.Values{"size": {"100"}})
	if all.Total != uint64(len(records)) {
		t.Errorf("search without words: total %d, want %d missions", all.Total, len(records))
	}
	withPage2 := false
	for _, q := range []string{"inondations", "croisières", "tramway", "université"} {
		r := srv.search(t, url.Values{"q": {q}})
		if len(r.Hits) == 0 {
			t.Errorf("search %q: no hit", q)
			continue
		}
		marked := false
		for _, h := range r.Hits {
			m := records[h.MissionID]
			if m == nil {
				t.Errorf("search %q: hit %s is no uploaded mission", q, h.MissionID)
				continue
			}
			for _, p := range h.Passages {
				marked = marked || strings.Contains(p.Fragment, "<mark>")
				if p.Page < 1 || p.Page > m.Pages {
					t.Errorf("search %q: passage of %s on page %d, want 1..%d", q, m.Filename, p.Page, m.Pages)
				}
				withPage2 = withPage2 || p.Page >= 2
				if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(p.Fragment), "<") {
					t.Errorf("search %q: fragment %q holds raw HTML besides <mark>", q, p.Fragment)
				}
			}
		}
		if !marked {
			t.Errorf("search %q: no passage with a <mark>", q)
		}
	}
	if !withPage2 {
		t.Errorf("no highlighted passage beyond page 1 in any search")
	}

	// Facet counts agree with the records; multi-select keeps each facet's
	// own counts.
	cities := map[string]int{}
	for _, m := range records {
		seen := map[string]bool{}
		for _, d := range m.Destinations {
			if d.City != "" && !seen[d.City] {
				seen[d.City] = true
				cities[d.City]++
			}
		}
	}
	for city, n := range cities {
		if got := all.facet("city", city); got != n {
			t.Errorf("facet city %q = %d, want %d (from the records)", city, got, n)
		}
	}
	byCount := make([]string, 0, len(cities))
	for c := range cities {
		byCount = append(byCount, c)
	}
	sort.Slice(byCount, func(i, j int) bool {
		if cities[byCount[i]] != cities[byCount[j]] {
			return cities[byCount[i]] > cities[byCount[j]]
		}
		return byCount[i] < byCount[j]
	})
	if len(byCount) < 2 {
		t.Fatalf("fewer than two cities in the corpus records: %v", cities)
	}
	a, bCity := byCount[0], byCount[1]
	one := srv.search(t, url.Values{"city": {a}})
	if one.Total != uint64(cities[a]) {
		t.Errorf("city=%s: total %d, want %d", a, one.Total, cities[a])
	}
	if got := one.facet("city", bCity); got != cities[bCity] {
		t.Errorf("city=%s: facet city %q = %d, want %d (a facet ignores its own selection)", a, bCity, got, cities[bCity])
	}
	yearsOf := func(keep func(*mission.Mission) bool) map[string]int {
		out := map[string]int{}
		for _, m := range records {
			if keep(m) && m.Year != nil {
				out[fmt.Sprint(*m.Year)]++
			}
		}
		return out
	}
	hasCity := func(m *mission.Mission, cs ...string) bool {
		for _, d := range m.Destinations {
			for _, c := range cs {
				if d.City == c {
					return true
				}
			}
		}
		return false
	}
	two := srv.search(t, url.Values{"city": {a, bCity}})
	wantTwo := 0
	for _, m := range records {
		if hasCity(m, a, bCity) {
			wantTwo++
		}
	}
	if two.Total != uint64(wantTwo) {
		t.Errorf("city=%s&city=%s: total %d, want %d (OR within a facet)", a, bCity, two.Total, wantTwo)
	}
	for y, n := range yearsOf(func(m *mission.Mission) bool { return hasCity(m, a, bCity) }) {
		if got := two.facet("year", y); got != n {
			t.Errorf("city=%s&city=%s: facet year %s = %d, want %d (other facets follow the selection)", a, bCity, y, got, n)
		}
	}

	// A correction moves the city facet.
	var target *mission.Mission
	for _, m := range records {
		if hasCity(m, a) {
			target = m
			break
		}
	}
	patch, _ := http.NewRequest("PATCH", srv.url+"/api/v1/missions/"+target.MissionID,
		strings.NewReader(`{"destinations":[{"city":"Valparaíso","country":"Chili"}]}`))
	patch.Header.Set("Content-Type", "application/merge-patch+json")
	patch.Header.Set("Authorization", "Bearer "+token)
	if status, b, err := do(patch); err != nil || status != http.StatusOK {
		t.Fatalf("PATCH %s = %d %s %v", target.MissionID, status, b, err)
	}
	after := srv.search(t, url.Values{"size": {"1"}})
	if got := after.facet("city", "Valparaíso"); got != 1 {
		t.Errorf("after PATCH: facet city Valparaíso = %d, want 1", got)
	}
	if got := after.facet("city", a); got != cities[a]-1 {
		t.Errorf("after PATCH: facet city %s = %d, want %d", a, got, cities[a]-1)
	}
	if r := srv.search(t, url.Values{"city": {"valparaiso"}}); r.Total != 1 || r.Hits[0].MissionID != target.MissionID {
		t.Errorf("city=valparaiso (no accent) after PATCH: total %d, want the corrected mission", r.Total)
	}
	// Writes need the token.
	status, _, _ = do(mustRequest("DELETE", srv.url+"/api/v1/missions/"+target.MissionID, ""))
	if status != http.StatusUnauthorized {
		t.Errorf("DELETE without the token = %d, want 401", status)
	}

	// SIGKILL in the middle of a stream of uploads.
	acked := uploadUntilKilled(t, srv, 6)
	srv = startServer(t, bin, dir, token)
	for word, id := range acked {
		status, _ := srv.get(t, "/api/v1/missions/"+id)
		if status != http.StatusOK {
			t.Errorf("acknowledged mission %s: GET = %d after the crash, want 200", id, status)
		}
		r := srv.search(t, url.Values{"q": {word}})
		if len(r.Hits) == 0 || r.Hits[0].MissionID != id {
			t.Errorf("acknowledged mission %s not found first by its word %q after the crash (%d hits)", id, word, len(r.Hits))
		}
	}
	if r := srv.search(t, url.Values{"q": {"Valparaíso"}}); r.Total == 0 {
		t.Errorf("the correction did not survive the crash")
	}
	srv.stop(t)
	checkAgreement(t, dir)
}

// checkAgreement checks, on a stopped server's data directory, that nothing
// is half-stored: every mission of the catalog has its original, intact, and
// the index holds exactly the catalog's missions, each in its current
// version (the fingerprint of the record indexed is the catalog record's);
// every original belongs to a mission.
func checkAgreement(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(filepath.Join(dir, store.IndexDir), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	inIndex, err := ix.IDs()
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := st.IDs(ctx)
	if len(ids) != len(inIndex) {
		t.Errorf("%d missions in the catalog, %d in the index", len(ids), len(inIndex))
	}
	for _, id := range ids {
		e, err := st.Get(ctx, id)
		if err != nil {
			t.Errorf("catalog mission %s unreadable: %v", id, err)
			continue
		}
		data, err := st.ReadOriginal(e.SHA256)
		sum := sha256.Sum256(data)
		if err != nil || hex.EncodeToString(sum[:]) != e.SHA256 {
			t.Errorf("mission %s: original missing or altered (%v)", id, err)
		}
		fp, ok := inIndex[id]
		want, _ := index.Fingerprint(e.Record())
		switch {
		case !ok:
			t.Errorf("mission %s is in the catalog, not in the index", id)
		case fp != want:
			t.Errorf("mission %s: the index holds another version than the catalog's", id)
		}
		delete(inIndex, id)
	}
	for id := range inIndex {
		t.Errorf("mission %s is in the index, not in the catalog", id)
	}
	err = filepath.WalkDir(filepath.Join(dir, "originals"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if _, err := st.GetBySHA(ctx, d.Name()); err != nil {
				t.Errorf("original %s belongs to no mission", d.Name())
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// uniqueWord returns a made-up word, far from every other one (typo
// tolerance must not confuse them).
func uniqueWord(i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprint("mot", i)))
	var b strings.Builder
	b.WriteString("zq")
	for _, c := range sum[:8] {
		b.WriteByte('a' + c%26)
	}
	return b.String()
}

func mustRequest(method, url, body string) *http.Request {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	return req
}

// uploadUntilKilled streams synthetic reports from three uploaders and kills
// the server with SIGKILL once killAfter are acknowledged, uploads still in
// flight. It returns each acknowledged report's unique word and mission id.
func uploadUntilKilled(t *testing.T, srv *server, killAfter int) map[string]string {
	t.Helper()
	var (
		mu    sync.Mutex
		acked = map[string]string{}
		wg    sync.WaitGroup
		next  int
	)
	killed := make(chan struct{})
	var once sync.Once
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				select {
				case <-killed:
					return
				default:
				}
				if i > 200 {
					return
				}
				word := uniqueWord(i)
				text := fmt.Sprintf("Rapport de mission à Lyon %d\n\nObjectifs\n\nÉtudier le %s et la coopération portuaire numéro %d.\n\nRetombées\n\nUn accord sur le %s a été signé.\n", i, word, i, word)
				status, b, err := srv.upload(fmt.Sprintf("crash-%03d.txt", i), []byte(text))
				if err != nil {
					return // the server is gone
				}
				if status != http.StatusCreated {
					t.Errorf("upload %d = %d %s", i, status, b)
					return
				}
				var m mission.Mission
				json.Unmarshal(b, &m)
				mu.Lock()
				acked[word] = m.MissionID
				n := len(acked)
				mu.Unlock()
				if n >= killAfter {
					once.Do(func() {
						srv.kill()
						close(killed)
					})
				}
			}
		}()
	}
	wg.Wait()
	if len(acked) < killAfter {
		t.Fatalf("only %d uploads acknowledged before the kill; stderr:\n%s", len(acked), srv.stderr)
	}
	return acked
}
