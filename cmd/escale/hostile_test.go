package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"escale/internal/mission"
)

// TestHostileUploads sends every file of the hard corpus through the API of
// the real server: each gets what the manifest expects (a stored, searchable
// mission, or a 4xx refusal with a stable code and its French message),
// never a 5xx, a crash or a hang; and while the decompression bomb and the
// page-tree cycle are being read, searches keep answering.
func TestHostileUploads(t *testing.T) {
	bin := buildEscale(t)
	dir := t.TempDir()
	const token = "jeton-hostile-0123456789abcdef"
	srv := startServer(t, bin, dir, token, "--log-level", "debug")

	b, err := os.ReadFile(filepath.Join(hard, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []hardCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	stored := map[string]*mission.Mission{}
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join(hard, "files", c.File))
		if err != nil {
			t.Fatal(err)
		}
		status, body, err := srv.upload(c.File, data)
		if err != nil {
			t.Fatalf("upload %s (%s): %v: the server crashed or hung", c.File, c.Kind, err)
		}
		call := fmt.Sprintf("POST %s (%s)", c.File, c.Kind)
		ok := status == http.StatusCreated || status == http.StatusOK
		switch {
		case status >= 500:
			t.Errorf("%s = %d %s, want no 5xx", call, status, body)
			continue
		case c.Expect == "ok" && !ok:
			t.Errorf("%s = %d %s, want 201 and a mission", call, status, body)
			continue
		case c.Expect == "error" && ok:
			t.Errorf("%s = %d, want a 4xx refusal", call, status)
			continue
		}
		if !ok {
			checkAPIRefusal(t, call, status, body)
			continue
		}
		var m mission.Mission
		if err := json.Unmarshal(body, &m); err != nil || m.MissionID == "" {
			t.Errorf("%s = %d %s, want a mission record", call, status, body)
			continue
		}
		stored[c.File] = &m
	}

	// Every stored mission is searchable by words of its own text.
	for file, m := range stored {
		words := longestWords(m.Text, 3)
		if len(words) == 0 {
			continue // nothing readable to search for (no-harm files)
		}
		r := srv.search(t, url.Values{"q": {strings.Join(words, " ")}, "size": {"100"}})
		found := false
		for _, h := range r.Hits {
			found = found || h.MissionID == m.MissionID
		}
		if !found {
			t.Errorf("%s stored as %s, not found by search %q (%d hits)", file, m.MissionID, words, len(r.Hits))
		}
	}

	checkSearchesDuringHostileFiles(t, srv)

	srv.stop(t)
	if log := srv.stderr.String(); strings.Contains(log, token) {
		t.Errorf("the server's log holds the token")
	} else if !strings.Contains(log, "level=DEBUG") && !strings.Contains(log, "level=INFO") {
		t.Errorf("server log at debug level is empty: the check of the token's absence proves nothing")
	}
}

// checkAPIRefusal checks a refusal's body: a code of the contract and its
// French message.
func checkAPIRefusal(t *testing.T, call string, status int, body []byte) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Errorf("%s = %d %s, want an error body", call, status, body)
		return
	}
	r, known := mission.RefusalByCode(e.Error.Code)
	if status < 400 || status > 499 || !known || e.Error.Message != r.Message {
		t.Errorf("%s = %d %s, want a 4xx with a contract code and its French message", call, status, body)
	}
}

// longestWords returns the n longest distinct words of text, letters only.
func longestWords(text string, n int) []string {
	seen := map[string]bool{}
	var words []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0x24F)
	}) {
		w = strings.ToLower(w)
		if !seen[w] && utf8.RuneCountInString(w) >= 5 {
			seen[w] = true
			words = append(words, w)
		}
	}
	sort.SliceStable(words, func(i, j int) bool { return utf8.RuneCountInString(words[i]) > utf8.RuneCountInString(words[j]) })
	return words[:min(n, len(words))]
}

// timed is one search and when it ran.
type timed struct {
	start, end time.Time
	status     int
	err        error
}

// checkSearchesDuringHostileFiles reads the decompression bomb and the page
// cycle again and again (a comment after %%EOF makes new bytes each round,
// so each is read anew) while a searcher keeps asking: every search must
// answer 200, and some must complete while the hostile files are being read.
func checkSearchesDuringHostileFiles(t *testing.T, srv *server) {
	t.Helper()
	hostile := map[string][]byte{}
	for _, f := range []string{"hostile-J_bomb.pdf", "hostile-G_pagecycle.pdf"} {
		data, err := os.ReadFile(filepath.Join(hard, "files", f))
		if err != nil {
			t.Fatal(err)
		}
		hostile[f] = data
	}
	stop := make(chan struct{})
	var (
		mu       sync.Mutex
		searches []timed
		done     sync.WaitGroup
	)
	queries := []string{"q=port+de+commerce", "q=coopération&size=20", "city=Bordeaux", "q=économie+bleue&sort=date"}
	for w := range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("GET", srv.url+"/api/v1/search?"+queries[i%len(queries)], nil)
				s := timed{start: time.Now()}
				s.status, _, s.err = do(req)
				s.end = time.Now()
				mu.Lock()
				searches = append(searches, s)
				mu.Unlock()
			}
		}()
	}
	type window struct{ start, end time.Time }
	var windows []window
	inside := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, s := range searches {
			for _, w := range windows {
				if s.start.After(w.start) && s.end.Before(w.end) {
					n++
					break
				}
			}
		}
		return n
	}
	for round := 1; round <= 6 && inside() < 5; round++ {
		w := window{start: time.Now()}
		var uploads sync.WaitGroup
		for name, data := range hostile {
			uploads.Add(1)
			go func() {
				defer uploads.Done()
				again := append(append([]byte{}, data...), fmt.Sprintf("\n%% tour %d\n", round)...)
				status, body, err := srv.upload(name, again)
				switch {
				case err != nil:
					t.Errorf("round %d: upload %s: %v: the server crashed or hung", round, name, err)
				case status >= 500:
					t.Errorf("round %d: upload %s = %d %s, want no 5xx", round, name, status, body)
				}
			}()
		}
		uploads.Wait()
		w.end = time.Now()
		windows = append(windows, w)
	}
	close(stop)
	done.Wait()
	n := inside()
	for _, s := range searches {
		if s.err != nil || s.status != http.StatusOK {
			t.Errorf("search during hostile uploads = %d, %v; want 200", s.status, s.err)
		}
	}
	if n == 0 {
		t.Errorf("no search completed while the hostile files were being read (%d searches, %d rounds)", len(searches), len(windows))
	}
	t.Logf("%d searches, %d of them within the %d rounds of hostile uploads", len(searches), n, len(windows))
}
