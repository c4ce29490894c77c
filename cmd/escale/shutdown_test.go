package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"escale/internal/mission"
)

// TestGracefulShutdown sends SIGTERM while an upload is half sent: the
// server stops accepting connections, yet finishes that request (201, the
// mission stored), then exits 0; the mission is there at the next start.
func TestGracefulShutdown(t *testing.T) {
	bin := buildEscale(t)
	dir := t.TempDir()
	// The token comes from a file this time (--token-file), not ESCALE_TOKEN.
	const token = "jeton-arret"
	tokenFile := filepath.Join(t.TempDir(), "jeton")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, bin, dir, "", "--token-file", tokenFile)
	if status, b, _ := srv.upload("sans-jeton.txt", []byte("Titre\n")); status != http.StatusUnauthorized {
		t.Errorf("upload without the token of --token-file = %d %s, want 401", status, b)
	}
	srv.token = token

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "lent.txt")
	fmt.Fprintf(fw, "Rapport de mission à Gênes\n\nObjectifs\n\nÉtudier le %s du port.\n%s", uniqueWord(7001), strings.Repeat("Texte du rapport. ", 2000))
	mw.Close()
	addr := strings.TrimPrefix(srv.url, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Expect: 100-continue makes the server say when the handler starts
	// reading the body: from then on the request is in flight for sure (a
	// connection still in the accept queue would just be dropped).
	fmt.Fprintf(conn, "POST /api/v1/documents HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
		addr, token, mw.FormDataContentType(), body.Len())
	answers := bufio.NewReader(conn)
	cont, err := http.ReadResponse(answers, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("upload with Expect: 100-continue: %v, %v; want 100 Continue", cont, err)
	}
	half := body.Len() / 2
	if _, err := conn.Write(body.Bytes()[:half]); err != nil {
		t.Fatal(err)
	}

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The listener closes: new connections are refused while the upload is
	// still half sent.
	refused := false
	for range 200 {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
	}
	if !refused {
		t.Errorf("the server still accepts connections 10 s after SIGTERM")
	}
	if _, err := conn.Write(body.Bytes()[half:]); err != nil {
		srv.cmd.Wait()
		t.Fatalf("finishing the upload after SIGTERM: %v; stderr:\n%s", err, srv.stderr)
	}
	resp, err := http.ReadResponse(answers, nil)
	if err != nil {
		t.Fatalf("upload in flight at SIGTERM: no answer (%v)", err)
	}
	var m mission.Mission
	json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || m.MissionID == "" {
		t.Fatalf("upload in flight at SIGTERM = %d, want 201 and its mission", resp.StatusCode)
	}
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v, want exit 0; stderr:\n%s", err, srv.stderr)
		}
	case <-time.After(time.Minute):
		t.Fatalf("serve did not exit within a minute of SIGTERM and its last request")
	}

	again := startServer(t, bin, dir, "", "--token-file", tokenFile)
	if status, b := again.get(t, "/api/v1/missions/"+m.MissionID); status != http.StatusOK {
		t.Errorf("mission acknowledged during shutdown: GET after restart = %d %s", status, b)
	}
	again.stop(t)
}
