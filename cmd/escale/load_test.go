package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
)

// loadEnv turns the load test on: it runs for a minute and loads the
// machine, so it stays out of the default suite.
//
//	ESCALE_LOAD=1 go test -run TestLoad -v ./cmd/escale/
//
// ESCALE_LOAD_DURATION changes its length (a Go duration, 60s by default).
const loadEnv = "ESCALE_LOAD"

// latencies collects the durations of one kind of request.
type latencies struct {
	mu     sync.Mutex
	d      []time.Duration
	errors int
	first  string // the first error, for the report
}

func (l *latencies) add(d time.Duration, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errors++
		if l.first == "" {
			l.first = err.Error()
		}
		return
	}
	l.d = append(l.d, d)
}

// quantile returns the q-quantile (0 < q ≤ 1) of the durations recorded.
func (l *latencies) quantile(q float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// TestLoad runs 16 uploaders and 32 searchers against the real server on
// loopback for a minute (ESCALE_LOAD=1), then checks that no request failed
// and no acknowledged upload is missing, and reports throughput and p50/p99
// latencies.
func TestLoad(t *testing.T) {
	if os.Getenv(loadEnv) == "" {
		t.Skipf("load test: set %s=1 to run it (a minute at full load)", loadEnv)
	}
	duration := time.Minute
	if v := os.Getenv("ESCALE_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("ESCALE_LOAD_DURATION %q: %v", v, err)
		}
		duration = d
	}
	const uploaders, searchers = 16, 32
	bin := buildEscale(t)
	dir := t.TempDir()
	const token = "jeton-charge"
	srv := startServer(t, bin, dir, token)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: uploaders + searchers}, Timeout: 10 * time.Minute}

	// The visible corpus gives the searches something to find.
	entries, _ := os.ReadDir(visibleFiles)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(visibleFiles, e.Name()))
		srv.upload(e.Name(), data)
	}
	var queries []string
	b, _ := os.ReadFile(filepath.Join(visible, "queries.json"))
	var vq []visibleQuery
	json.Unmarshal(b, &vq)
	for _, q := range vq {
		queries = append(queries, url.Values{"q": {q.Q}}.Encode())
	}
	queries = append(queries, "city=Bordeaux&city=Lisbonne", "q=port&year_from=2018&sort=date", "")

	var (
		up, search latencies
		mu         sync.Mutex
		acked      = map[string]string{} // unique word -> mission id
		next       int
		wg         sync.WaitGroup
	)
	deadline := time.Now().Add(duration)
	post := func(name string, data []byte) (int, []byte, error) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", srv.url+"/api/v1/documents", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	for range uploaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				word := uniqueWord(20000 + i)
				start := time.Now()
				status, b, err := post(fmt.Sprintf("charge-%05d.txt", i), crashReport(i, word))
				if err == nil && status != http.StatusCreated {
					err = fmt.Errorf("upload %d = %d %s", i, status, b)
				}
				up.add(time.Since(start), err)
				if err != nil {
					continue
				}
				var m mission.Mission
				json.Unmarshal(b, &m)
				mu.Lock()
				acked[word] = m.MissionID
				mu.Unlock()
			}
		}()
	}
	for w := range searchers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				start := time.Now()
				resp, err := client.Get(srv.url + "/api/v1/search?" + queries[i%len(queries)])
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("search = %d", resp.StatusCode)
					}
				}
				search.add(time.Since(start), err)
			}
		}()
	}
	wg.Wait()
	elapsed := duration

	// Nothing lost: every acknowledged upload is stored and found.
	lost := 0
	for word, id := range acked {
		r := srv.search(t, url.Values{"q": {word}})
		if len(r.Hits) == 0 || r.Hits[0].MissionID != id {
			lost++
			t.Errorf("acknowledged upload %s not found by its word %q", id, word)
		}
	}
	total := srv.search(t, url.Values{"size": {"1"}}).Total
	srv.stop(t)

	report := fmt.Sprintf(`load: %d uploaders, %d searchers, %v on loopback
  uploads:  %d acknowledged, %d errors, %.1f/s, p50 %v, p99 %v
  searches: %d answered, %d errors, %.1f/s, p50 %v, p99 %v
  lost: %d of %d acknowledged uploads; %d missions in the index`,
		uploaders, searchers, duration,
		len(up.d), up.errors, float64(len(up.d))/elapsed.Seconds(), up.quantile(0.5).Round(time.Millisecond), up.quantile(0.99).Round(time.Millisecond),
		len(search.d), search.errors, float64(len(search.d))/elapsed.Seconds(), search.quantile(0.5).Round(time.Millisecond), search.quantile(0.99).Round(time.Millisecond),
		lost, len(acked), total)
	t.Log("\n" + report)
	if up.errors+search.errors > 0 {
		t.Errorf("%d upload and %d search errors, want none; first: %q, %q", up.errors, search.errors, up.first, search.first)
	}
	if len(up.d) == 0 || len(search.d) == 0 {
		t.Errorf("no upload or no search completed")
	}
	checkAgreement(t, dir)
}
