package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"escale/internal/worker"
)

// TestServeRefusesBadConfig checks that serve validates every limit and the
// listening rules before it touches anything, naming the knob to change.
func TestServeRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // in the message
	}{
		{"network without token", nil, []string{"--addr", "0.0.0.0:8080"}, "--allow-open"},
		{"all interfaces without token", nil, []string{"--addr", ":8080"}, "ESCALE_TOKEN"},
		{"public address without token", nil, []string{"--addr", "192.0.2.10:8080"}, "sans jeton"},
		{"protect reads without token", nil, []string{"--protect-reads"}, "--protect-reads"},
		{"header timeout", nil, []string{"--header-timeout", "1ms"}, "--header-timeout"},
		{"request timeout below extraction", nil, []string{"--request-timeout", "10s"}, "--request-timeout"},
		{"request timeout by env", map[string]string{"ESCALE_REQUEST_TIMEOUT": "5s"}, nil, "--request-timeout 5s"},
		{"shutdown timeout", nil, []string{"--shutdown-timeout", "0s"}, "--shutdown-timeout"},
		{"query length", nil, []string{"--max-query", "0"}, "--max-query"},
		{"query length by env", map[string]string{"ESCALE_MAX_QUERY": "3"}, nil, "--max-query 3"},
		{"filter values", nil, []string{"--max-filter-values", "0"}, "--max-filter-values"},
		{"trusted proxies", nil, []string{"--trusted-proxies", "10.0.0.1, proxy.local"}, "--trusted-proxies"},
		{"trusted proxies by env", map[string]string{"ESCALE_TRUSTED_PROXIES": "10.0.0.0/40"}, nil, "--trusted-proxies"},
		{"upload size", nil, []string{"--max-size", "0"}, "--max-size"},
		{"upload size by env", map[string]string{"ESCALE_MAX_SIZE": "beaucoup"}, nil, "ESCALE_MAX_SIZE"},
		{"pages", nil, []string{"--max-pages", "-1"}, "--max-pages"},
		{"extraction time", map[string]string{"ESCALE_TIMEOUT": "0s"}, nil, "ESCALE_TIMEOUT"},
		{"extraction memory", nil, []string{"--memory", "1MiB"}, "--memory"},
		{"workers", nil, []string{"--workers", "0"}, "--workers"},
		{"queue by env", map[string]string{"ESCALE_QUEUE": "-3"}, nil, "--queue"},
		{"compaction delay", nil, []string{"--compact-idle", "-1s"}, "--compact-idle"},
		{"compaction delay by env", map[string]string{"ESCALE_COMPACT_IDLE": "-2m"}, nil, "--compact-idle -2m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			var out, errOut bytes.Buffer
			args := append([]string{"serve", "--data", t.TempDir()}, tt.args...)
			code := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
			if code != 2 || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("escale %v (env %v) = exit %d, stderr %q; want exit 2 and a message naming %s",
					args, tt.env, code, errOut.String(), tt.want)
			}
		})
	}
}

func TestServeConfigCheck(t *testing.T) {
	base := func() serveConfig {
		c := serveConfig{Addr: "127.0.0.1:8080", WatchEvery: time.Second, HeaderTimeout: 10 * time.Second,
			RequestTimeout: 5 * time.Minute, ShutdownTimeout: 30 * time.Second, MaxQuery: 1000, MaxFilterValues: 50}
		c.Extract.Limits = worker.DefaultLimits()
		return c
	}
	tests := []struct {
		name   string
		change func(*serveConfig)
		ok     bool
	}{
		{"loopback without token", func(c *serveConfig) {}, true},
		{"localhost without token", func(c *serveConfig) { c.Addr = "localhost:8080" }, true},
		{"IPv6 loopback without token", func(c *serveConfig) { c.Addr = "[::1]:8080" }, true},
		{"network without token", func(c *serveConfig) { c.Addr = "0.0.0.0:8080" }, false},
		{"network with token", func(c *serveConfig) { c.Addr, c.Token = "0.0.0.0:8080", "t" }, true},
		{"network, open on purpose", func(c *serveConfig) { c.Addr, c.AllowOpen = "0.0.0.0:8080", true }, true},
		{"protected reads with token", func(c *serveConfig) { c.ProtectReads, c.Token = true, "t" }, true},
		{"protected reads without token", func(c *serveConfig) { c.ProtectReads = true }, false},
		{"proxies", func(c *serveConfig) { c.TrustedProxies = []string{"10.0.0.0/8", "::1"} }, true},
	}
	for _, tt := range tests {
		c := base()
		tt.change(&c)
		if err := c.check(); (err == nil) != tt.ok {
			t.Errorf("check() for %s = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

// TestServeDefaults checks the limits a plain `escale serve` runs with.
func TestServeDefaults(t *testing.T) {
	l := worker.DefaultLimits()
	if l.MaxSize != 50<<20 || l.MaxPages != 500 || l.Timeout != 20*time.Second || l.Memory != 768<<20 {
		t.Errorf("worker.DefaultLimits() = %+v, want 50 MiB, 500 pages, 20 s, 768 MiB", l)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	df := addDataFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	fsCfg, err := df.resolve(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if fsCfg.Extract.Limits != l || fsCfg.Workers != 2 || fsCfg.Queue != 16 {
		t.Errorf("serve defaults = %+v, want the worker's limits, 2 workers, a queue of 16", fsCfg)
	}
}

func TestReadToken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "jeton")
	os.WriteFile(file, []byte("  du-fichier \n"), 0o600)
	empty := filepath.Join(dir, "vide")
	os.WriteFile(empty, []byte("\n"), 0o600)
	tests := []struct {
		env, file, want string
		fails           bool
	}{
		{"", "", "", false},
		{"de-l-environnement", "", "de-l-environnement", false},
		{"de-l-environnement", file, "de-l-environnement", false},
		{"", file, "du-fichier", false},
		{"", empty, "", true},
		{"", filepath.Join(dir, "absent"), "", true},
	}
	for _, tt := range tests {
		got, err := readToken(func(k string) string {
			if k == "ESCALE_TOKEN" {
				return tt.env
			}
			return ""
		}, tt.file)
		if got != tt.want || (err != nil) != tt.fails {
			t.Errorf("readToken(ESCALE_TOKEN=%q, file %q) = %q, %v; want %q, error %v", tt.env, tt.file, got, err, tt.want, tt.fails)
		}
		if err != nil && strings.Contains(err.Error(), "du-fichier") {
			t.Errorf("readToken error %q quotes a token", err)
		}
	}
}
