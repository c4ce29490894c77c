package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// apiCode returns the code of an error body, or "".
func apiCode(body []byte) string {
	var e struct{ Error struct{ Code string } }
	json.Unmarshal(body, &e)
	return e.Error.Code
}

// TestLimitsThroughHTTP sets the limits on the command line and environment
// of the real server and checks that each one reaches an upload, refused
// with its code and French message: size (413), pages and extraction time
// (422). The memory limit ends the same way (the worker's own tests drive it
// with a child that allocates without end).
func TestLimitsThroughHTTP(t *testing.T) {
	bin := buildEscale(t)
	pdf, err := os.ReadFile(filepath.Join(visibleFiles, "2017-05_rapport_boston.pdf")) // 3 pages, 45 KB
	if err != nil {
		t.Fatal(err)
	}
	small, err := os.ReadFile(filepath.Join(visibleFiles, "mission_dakar_final_v3.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		env    string
		file   []byte
		status int
		code   string
	}{
		{"pages by flag", []string{"--max-pages", "2"}, "", pdf, http.StatusUnprocessableEntity, "too_many_pages"},
		{"size by flag", []string{"--max-size", "20KiB"}, "", pdf, http.StatusRequestEntityTooLarge, "too_large"},
		{"size by env", nil, "ESCALE_MAX_SIZE=40000B", pdf, http.StatusRequestEntityTooLarge, "too_large"},
		{"size over the form allowance", []string{"--max-size", "8KiB"}, "", bytes.Repeat(pdf, 30), http.StatusRequestEntityTooLarge, "too_large"},
		{"time by env", nil, "ESCALE_TIMEOUT=1ms", small, http.StatusUnprocessableEntity, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				// startServer passes the test's environment on to the server.
				k, v, _ := strings.Cut(tt.env, "=")
				t.Setenv(k, v)
			}
			srv := startServer(t, bin, t.TempDir(), "jeton", tt.args...)
			status, body, err := srv.upload("rapport.pdf", tt.file)
			if err != nil {
				t.Fatalf("upload: %v", err)
			}
			checkAPIRefusal(t, "POST with "+tt.name, status, body)
			if status != tt.status || apiCode(body) != tt.code {
				t.Errorf("POST with %s = %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
			}
			// Within the limits, the same server accepts a small report.
			if tt.code != "timeout" {
				if status, body, _ := srv.upload("petit.txt", small); status != http.StatusCreated {
					t.Errorf("POST of a small report with %s = %d %s, want 201", tt.name, status, body)
				}
			}
			srv.stop(t)
		})
	}
}
