package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/testlog"
)

// listenWriter is serve's stdout in a test: it hands over the address serve
// prints once it listens.
type listenWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	url  chan string
	sent bool
}

func (w *listenWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if _, rest, ok := strings.Cut(w.buf.String(), "Escale écoute sur "); ok && !w.sent && strings.Contains(rest, "\n") {
		w.sent = true
		w.url <- strings.Fields(rest)[0]
	}
	return len(p), nil
}

// serveInProcess runs `escale serve` through run, as main does, on a free
// port over dir, and returns its address; the server stops at the test's
// end.
func serveInProcess(t *testing.T, dir string, env map[string]string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &listenWriter{url: make(chan string, 1)}
	var stderr testlog.Buffer
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn"}, extra...)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("escale %q ended with exit %d; stderr:\n%s", args, code, stderr.String())
		}
	})
	select {
	case u := <-stdout.url:
		return u
	case code := <-done:
		done <- code
		t.Fatalf("escale %q = exit %d before listening; stderr:\n%s", args, code, stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("escale %q did not listen within 2 minutes; stderr:\n%s", args, stderr.String())
	}
	return ""
}

// TestPagesUseLoadedTaxonomy serves with an administrator's taxonomy and
// checks that the pages name its themes by their labels, and offer them in
// the correction form, rather than the embedded default's.
func TestPagesUseLoadedTaxonomy(t *testing.T) {
	themes := filepath.Join(t.TempDir(), "themes.txt")
	const file = "theme jumelage Jumelages et amitiés\n3 jumelage*\n\ntheme culture Culture et patrimoine\n3 culture, patrimoine*\n"
	if err := os.WriteFile(themes, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	base := serveInProcess(t, t.TempDir(), map[string]string{"ESCALE_TAXONOMY": themes})

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "jumelage.txt")
	fw.Write([]byte("Mission de jumelage à Lisbonne\n\nObjectifs\n\n- Renouveler le jumelage entre les deux villes.\n"))
	mw.WriteField("theme", "jumelage")
	mw.Close()
	resp, err := http.Post(base+"/api/v1/documents", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	var m mission.Mission
	err = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || err != nil || m.MissionID == "" {
		t.Fatalf("POST /api/v1/documents with theme=jumelage = %d, %+v, %v; want 201 and a mission", resp.StatusCode, m, err)
	}

	for _, path := range []string{"/missions/" + m.MissionID, "/?q=jumelage"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		var page bytes.Buffer
		page.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(page.String(), "Jumelages et amitiés") {
			t.Errorf("GET %s with ESCALE_TAXONOMY=%s = %d, without the theme's label « Jumelages et amitiés »", path, themes, resp.StatusCode)
		}
	}
	resp, err = http.Get(base + "/missions/" + m.MissionID)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if strings.Contains(page.String(), `value="tourisme"`) {
		t.Errorf("GET /missions/%s with ESCALE_TAXONOMY=%s: the correction form offers the embedded theme tourisme, absent from the file", m.MissionID, themes)
	}
}
