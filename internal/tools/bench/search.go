package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"escale/internal/tools/synthrec"
)

// server is a running `escale serve`.
type server struct {
	cmd     *exec.Cmd
	cgroup  *memoryCgroup // nil: no memory limit
	base    string
	done    chan error
	once    sync.Once
	stopErr error
}

// startServer runs `escale serve` over data and waits until it answers.
func startServer(ctx context.Context, c config, data string) (*server, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	logf, err := os.Create(data + "-serve.log")
	if err != nil {
		return nil, 0, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	argv := []string{c.escale, "serve", "--addr", addr, "--data", data}
	var cg *memoryCgroup
	if c.memLimit > 0 {
		syscall.Sync()
		if err := dropPageCache(); err != nil {
			logf.Close()
			return nil, 0, err
		}
		if cg, err = newMemoryCgroup(fmt.Sprintf("escale-bench-%d", os.Getpid()), c.memLimit); err != nil {
			logf.Close()
			return nil, 0, err
		}
		argv = cg.wrap(argv)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ESCALE_") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		if cg != nil {
			cg.remove()
		}
		return nil, 0, err
	}
	s := &server{cmd: cmd, cgroup: cg, base: "http://" + addr, done: make(chan error, 1)}
	go func() {
		s.done <- cmd.Wait()
		logf.Close()
		if cg != nil {
			cg.remove()
		}
	}()
	for {
		select {
		case err := <-s.done:
			return nil, 0, fmt.Errorf("escale serve stopped before answering (%v); see %s", err, logf.Name())
		case <-ctx.Done():
			s.stop()
			return nil, 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.base + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, time.Since(t0), nil
			}
		}
	}
}

// stop asks the server to stop (SIGTERM) and waits for it; calling it again
// returns the same.
func (s *server) stop() error {
	s.once.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case s.stopErr = <-s.done:
		case <-time.After(time.Minute):
			s.cmd.Process.Kill()
			s.stopErr = errors.New("escale serve did not stop within a minute of SIGTERM")
		}
	})
	return s.stopErr
}

// memory is a process's resident memory, in bytes: in all (VmRSS), at its
// peak (VmHWM), and split into anonymous pages (the Go heap and stacks) and
// pages of mapped files (the index's segments, which the kernel can drop and
// read again).
type memory struct {
	rss, peak, anon, file int64
}

// memory reads the server's resident memory from /proc.
func (s *server) memory() (memory, error) {
	var m memory
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.rss = n << 10
		case "VmHWM":
			m.peak = n << 10
		case "RssAnon":
			m.anon = n << 10
		case "RssFile":
			m.file = n << 10
		}
	}
	return m, nil
}

func (m memory) String() string {
	return fmt.Sprintf("%s (anonymous %s, mapped index files %s)", mb(m.rss), mb(m.anon), mb(m.file))
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// searchURL is the API request for q: ten hits, every facet (the API always
// counts them all).
func (s *server) searchURL(q synthrec.Query) string {
	v := url.Values{}
	v.Set("q", q.Text)
	v.Set("size", "10")
	for f, vals := range q.Filters {
		for _, x := range vals {
			v.Add(f, x)
		}
	}
	if q.YearFrom != 0 {
		v.Set("year_from", strconv.Itoa(q.YearFrom))
	}
	return s.base + "/api/v1/search?" + v.Encode()
}

// search runs one search and checks that it answered a result.
func (s *server) search(client *http.Client, q synthrec.Query) (time.Duration, error) {
	t0 := time.Now()
	resp, err := client.Get(s.searchURL(q))
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("search %q: status %d: %s", q.Text, resp.StatusCode, body)
	}
	var res struct {
		Total  int             `json:"total"`
		Facets map[string]any  `json:"facets"`
		Hits   json.RawMessage `json:"hits"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return 0, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if len(res.Facets) < 7 {
		return 0, fmt.Errorf("search %q: %d facets in the answer, want all 7", q.Text, len(res.Facets))
	}
	return d, nil
}

// benchSearch starts the server over data (n missions), times every class
// of query one at a time, then loads it with concurrent searchers while
// watching its memory; it adds the sizes of the data directory.
func benchSearch(ctx context.Context, c config, t *table, n int, data, how string) error {
	s, start, err := startServer(ctx, c, data)
	if err != nil {
		return err
	}
	defer s.stop()
	size := fmt.Sprintf("%s missions (%s)", thousands(n), how)
	if c.memLimit > 0 {
		size = fmt.Sprintf("%s missions (%s; server in a %s memory cgroup)", thousands(n), how, mb(c.memLimit))
	}
	t.add(row{measure: "Server start (catalog and index checked)", size: size, escale: fmt.Sprintf("%.1f s", start.Seconds())})
	client := &http.Client{Timeout: 5 * time.Minute}
	var all []synthrec.Query
	for _, cl := range synthrec.Classes {
		for _, q := range cl.Queries {
			if _, err := s.search(client, q); err != nil { // warm up
				return err
			}
			all = append(all, q)
		}
	}
	time.Sleep(2 * time.Second)
	rest, err := s.memory()
	if err != nil {
		return err
	}
	big := n >= 100000
	for _, cl := range synthrec.Classes {
		var lat []time.Duration
		for i := range 10 * c.rounds {
			d, err := s.search(client, cl.Queries[i%len(cl.Queries)])
			if err != nil {
				return err
			}
			lat = append(lat, d)
		}
		p50, p99 := percentile(lat, 50), percentile(lat, 99)
		r := row{measure: fmt.Sprintf("Search, %s (HTTP, all facets), p50 / p99", cl.Name), size: size,
			escale: ms(p50) + " / " + ms(p99), target: "p50 ≤ 10 ms, p99 ≤ 50 ms at 100,000"}
		if big {
			r.met = yesNo(p50 <= 10*time.Millisecond && p99 <= 50*time.Millisecond)
		}
		t.add(r)
	}

	// Load: clients searching back to back, memory sampled meanwhile.
	lctx, cancel := context.WithTimeout(ctx, c.load)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		lat      []time.Duration
		count    atomic.Int64
		firstErr error
	)
	for w := range c.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; lctx.Err() == nil; i++ {
				d, err := s.search(client, all[i%len(all)])
				if err != nil {
					if lctx.Err() == nil {
						mu.Lock()
						firstErr = errors.Join(firstErr, err)
						mu.Unlock()
					}
					return
				}
				count.Add(1)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	var peak memory
	tick := time.NewTicker(200 * time.Millisecond)
	t0 := time.Now()
sample:
	for {
		select {
		case <-lctx.Done():
			break sample
		case <-tick.C:
			if now, err := s.memory(); err == nil && now.rss > peak.rss {
				peak = now
			}
		}
	}
	tick.Stop()
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	elapsed := time.Since(t0)
	t.add(row{measure: fmt.Sprintf("Search under load, %d clients, every class, p50 / p99", c.clients), size: size,
		escale: fmt.Sprintf("%s / %s, %.0f searches/s", ms(percentile(lat, 50)), ms(percentile(lat, 99)), float64(count.Load())/elapsed.Seconds())})
	memTarget := "≤ 500 MB at 100,000"
	r := row{measure: "Resident memory at rest (after warm-up)", size: size, escale: rest.String(), target: memTarget}
	if big {
		r.met = yesNo(rest.rss <= 500e6)
	}
	t.add(r)
	r = row{measure: "Resident memory under search load (highest sample)", size: size, escale: peak.String(), target: memTarget}
	if big {
		r.met = yesNo(peak.rss <= 500e6)
	}
	t.add(r)
	if err := s.stop(); err != nil {
		return fmt.Errorf("escale serve: %w", err)
	}
	return addSizes(t, data, n)
}
