package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/worker"
)

const visible = "../../testdata/corpus/visible"

// runExtractCmd calls run as main would, with env as the environment.
func runExtractCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "ESCALE_TIMEOUT" {
			// A race-built child on a busy machine can be slow: these tests
			// are not about the time limit unless they set it.
			return "2m"
		}
		return ""
	}
	code = run(context.Background(), append([]string{"extract"}, args...), getenv, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// refusalLine matches the one line the contract allows on stderr.
var refusalLine = regexp.MustCompile(`^([a-z][a-z0-9_]*): \S[^\n]*\n$`)

// wantRefusal checks that stderr is one « code: message » line with code.
func wantRefusal(t *testing.T, call string, code int, stdout, stderr, wantCode string, wantExit int) {
	t.Helper()
	m := refusalLine.FindStringSubmatch(stderr)
	if code != wantExit || m == nil || m[1] != wantCode || stdout != "" {
		t.Errorf("%s = exit %d, stdout %q, stderr %q; want exit %d, no stdout, one line « %s: … »",
			call, code, stdout, stderr, wantExit, wantCode)
	}
}

func TestExtractText(t *testing.T) {
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	for _, args := range [][]string{{"--json", path}, {path, "--json"}, {path}} {
		code, stdout, stderr := runExtractCmd(t, nil, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("extract %v = exit %d, stderr %q; want 0 and nothing on stderr", args, code, stderr)
		}
		var m mission.Mission
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatalf("extract %v: stdout is not one JSON record: %v", args, err)
		}
		if m.Filename != "mission_dakar_final_v3.txt" || !strings.Contains(m.Text, "Dakar") || m.Pages != 1 {
			t.Errorf("extract %v = {Filename %q, Pages %d, Text %.60q…}, want the file's name, 1 page and its text",
				args, m.Filename, m.Pages, m.Text)
		}
		if compact := !strings.Contains(strings.TrimSpace(stdout), "\n"); compact != slices.Contains(args, "--json") {
			t.Errorf("extract %v: one-line output = %v, want one line exactly with --json", args, compact)
		}
	}
}

func TestExtractRefusals(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "vide.pdf")
	big := filepath.Join(dir, "gros.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, bytes.Repeat([]byte("Mission. "), 200), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args     []string
		code     string
		contains string
	}{
		{[]string{"--json", filepath.Join(dir, "absent.pdf")}, "not_found", "introuvable"},
		{[]string{"--json", dir}, "unreadable", "fichier"},
		{[]string{"--json", empty}, "empty", "vide"},
		{[]string{"--json", "--max-size", "1KiB", big}, "too_large", "--max-size ou ESCALE_MAX_SIZE, actuellement 1KiB"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runExtractCmd(t, nil, tt.args...)
		wantRefusal(t, "extract "+strings.Join(tt.args, " "), code, stdout, stderr, tt.code, 1)
		if !strings.Contains(stderr, tt.contains) {
			t.Errorf("extract %v: stderr %q, want it to contain %q", tt.args, stderr, tt.contains)
		}
	}
}

func TestExtractUsage(t *testing.T) {
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	tests := []struct {
		env      map[string]string
		args     []string
		contains string
	}{
		{nil, nil, "un seul fichier"},
		{nil, []string{path, path}, "un seul fichier"},
		{nil, []string{"--pages", "3", path}, "pages"},
		{nil, []string{"--memory", "beaucoup", path}, "--memory « beaucoup »"},
		{nil, []string{"--memory", "10MiB", path}, "au moins 64MiB"},
		{map[string]string{"ESCALE_MEMORY": "1 Zo"}, []string{path}, "ESCALE_MEMORY « 1 Zo »"},
		{nil, []string{"--timeout", "-3s", path}, "--timeout"},
		{map[string]string{"ESCALE_TIMEOUT": "vite"}, []string{path}, "ESCALE_TIMEOUT"},
		{nil, []string{"--max-pages", "0", path}, "--max-pages"},
		{map[string]string{"ESCALE_MAX_SIZE": "-1"}, []string{path}, "ESCALE_MAX_SIZE"},
		{nil, []string{"--taxonomy", "absent.txt", path}, "--taxonomy « absent.txt »"},
		{map[string]string{"ESCALE_GAZETTEER": "absent.tsv"}, []string{path}, "ESCALE_GAZETTEER"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runExtractCmd(t, tt.env, tt.args...)
		call := "extract " + strings.Join(tt.args, " ")
		wantRefusal(t, call, code, stdout, stderr, "usage", 2)
		if !strings.Contains(stderr, tt.contains) {
			t.Errorf("%s (env %v): stderr %q, want it to name %q", call, tt.env, stderr, tt.contains)
		}
	}
}

// TestExtractLimits runs fake extractions in the child to check that each
// limit ends in its refusal, on one line that names the knob to raise.
func TestExtractLimits(t *testing.T) {
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	tests := []struct {
		fake     string
		args     []string
		env      map[string]string
		code     string
		contains string
	}{
		{"hang", []string{"--timeout", "1s"}, nil, "timeout", "--timeout ou ESCALE_TIMEOUT, actuellement 1s"},
		{"hang", nil, map[string]string{"ESCALE_TIMEOUT": "1500ms"}, "timeout", "actuellement 1.5s"},
		{"alloc", []string{"--memory", "128MiB"}, nil, "too_much_memory", "--memory ou ESCALE_MEMORY, actuellement 128MiB"},
		{"panic", nil, nil, "damaged", "endommagé"},
		{"pages", []string{"--max-pages", "7"}, nil, "too_many_pages", "--max-pages ou ESCALE_MAX_PAGES, actuellement 7"},
	}
	for _, tt := range tests {
		t.Run(tt.fake, func(t *testing.T) {
			t.Setenv(fakeEnv, tt.fake)
			args := append(append([]string{"--json"}, tt.args...), path)
			code, stdout, stderr := runExtractCmd(t, tt.env, args...)
			wantRefusal(t, "extract "+strings.Join(args, " ")+" with fake "+tt.fake, code, stdout, stderr, tt.code, 1)
			if !strings.Contains(stderr, tt.contains) {
				t.Errorf("extract with fake %s: stderr %q, want it to contain %q", tt.fake, stderr, tt.contains)
			}
		})
	}
}

func TestExtractCancelled(t *testing.T) {
	t.Setenv(fakeEnv, "hang")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var out, errOut bytes.Buffer
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	code := run(ctx, []string{"extract", "--json", path}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	wantRefusal(t, "extract interrupted", code, out.String(), errOut.String(), "interrupted", 1)
}

// TestKnowledgeReachesChild checks that taxonomy and gazetteer files given by
// flag or environment are handed to the child, by absolute path.
func TestKnowledgeReachesChild(t *testing.T) {
	t.Setenv(fakeEnv, "args")
	tax, gaz := dataFile(t, "taxonomy"), dataFile(t, "gazetteer")
	path := filepath.Join(visible, "files", "mission_dakar_final_v3.txt")
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--taxonomy", tax.rel}, nil, workerCommand + " --taxonomy " + tax.abs},
		{nil, map[string]string{"ESCALE_GAZETTEER": gaz.rel}, workerCommand + " --gazetteer " + gaz.abs},
		{[]string{"--gazetteer", gaz.rel}, map[string]string{"ESCALE_GAZETTEER": "absent"}, workerCommand + " --gazetteer " + gaz.abs},
		{nil, nil, workerCommand},
	}
	for _, tt := range tests {
		args := append(append([]string{"--json"}, tt.args...), path)
		code, stdout, stderr := runExtractCmd(t, tt.env, args...)
		var m mission.Mission
		if code != 0 || json.Unmarshal([]byte(stdout), &m) != nil {
			t.Fatalf("extract %v (env %v) = exit %d, stderr %q; want a record", args, tt.env, code, stderr)
		}
		if m.Text != tt.want {
			t.Errorf("extract %v (env %v): child started with %q, want %q", args, tt.env, m.Text, tt.want)
		}
	}
}

// dataFile finds the embedded data file of package pkg (whatever its name),
// a valid file to override it with.
func dataFile(t *testing.T, pkg string) (f struct{ rel, abs string }) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../../internal", pkg, "data", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no data file in internal/%s/data: %v", pkg, err)
	}
	f.rel = files[0]
	if f.abs, err = filepath.Abs(f.rel); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestResolvePrecedence(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want worker.Limits
	}{
		{nil, nil, worker.DefaultLimits()},
		{nil, map[string]string{"ESCALE_TIMEOUT": "5s", "ESCALE_MEMORY": "1GiB", "ESCALE_MAX_PAGES": "9", "ESCALE_MAX_SIZE": "2MB"},
			worker.Limits{Timeout: 5 * time.Second, Memory: 1 << 30, MaxPages: 9, MaxSize: 2_000_000}},
		{[]string{"--timeout", "7", "--memory", "512M", "--max-pages", "3", "--max-size", "1.5MiB"},
			map[string]string{"ESCALE_TIMEOUT": "5s", "ESCALE_MEMORY": "1GiB", "ESCALE_MAX_PAGES": "9", "ESCALE_MAX_SIZE": "2MB"},
			worker.Limits{Timeout: 7 * time.Second, Memory: 512 << 20, MaxPages: 3, MaxSize: 3 << 19}},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		xf := addExtractFlags(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatalf("Parse(%v): %v", tt.args, err)
		}
		cfg, err := xf.resolve(func(k string) string { return tt.env[k] })
		if err != nil || cfg.Limits != tt.want {
			t.Errorf("resolve(args %v, env %v) = %+v, %v; want %+v", tt.args, tt.env, cfg.Limits, err, tt.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"768MiB", 768 << 20, true},
		{"768mib", 768 << 20, true},
		{"768M", 768 << 20, true},
		{"50MB", 50_000_000, true},
		{"1 GiB", 1 << 30, true},
		{"1.5G", 3 << 29, true},
		{"512Mio", 512 << 20, true},
		{"2Go", 2_000_000_000, true},
		{"1048576", 1 << 20, true},
		{"", 0, false},
		{"MiB", 0, false},
		{"12 parsecs", 0, false},
		{"1e3", 0, false},
		{"99999999999TiB", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	for _, n := range []int64{768 << 20, 50 << 20, 1 << 30, 1000, 1536 << 10} {
		if got, err := parseSize(formatSize(n)); got != n || err != nil {
			t.Errorf("parseSize(formatSize(%d) = %q) = %d, %v; want %d", n, formatSize(n), got, err, n)
		}
	}
}

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"20s", 20 * time.Second, true},
		{"2m", 2 * time.Minute, true},
		{"1m30s", 90 * time.Second, true},
		{"20", 20 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"0", 0, false},
		{"-1s", 0, false},
		{"NaN", 0, false},
		{"bientôt", 0, false},
	}
	for _, tt := range tests {
		got, err := parseTimeout(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseTimeout(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
