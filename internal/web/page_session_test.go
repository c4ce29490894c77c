package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"escale/internal/service"
)

func TestWritePagesAskForTheTokenOnce(t *testing.T) {
	ps := newPageServer(t, Config{Token: "sésame"}, nil)
	resp, body := ps.get(t, "/televerser")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="jeton"`) || strings.Contains(body, `id="upload-form"`) {
		t.Fatalf("GET /televerser without a session = %d, want 200 with the token form only", resp.StatusCode)
	}
	csrf := csrfOf(t, body)

	resp, body = ps.post(t, "/connexion", url.Values{"jeton": {"sésame"}, "suite": {"/televerser"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /connexion without CSRF = %d, want 403", resp.StatusCode)
	}
	resp, body = ps.post(t, "/connexion", url.Values{"csrf": {csrf}, "jeton": {"faux"}, "suite": {"/televerser"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "pas le bon") {
		t.Errorf("POST /connexion with a wrong token = %d, want 403 saying so", resp.StatusCode)
	}
	resp, _ = ps.post(t, "/connexion", url.Values{"csrf": {csrf}, "jeton": {"sésame"}, "suite": {"/televerser"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/televerser" {
		t.Fatalf("POST /connexion with the token = %d to %q, want 303 to /televerser", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie string
	for _, c := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, sessionCookie+"=") {
			cookie = c
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Max-Age") || strings.Contains(cookie, "Expires") {
		t.Errorf("session cookie %q outlives the browser session", cookie)
	}
	resp, body = ps.get(t, "/televerser")
	if !strings.Contains(body, `id="upload-form"`) {
		t.Errorf("GET /televerser once logged in = %d, want the upload form", resp.StatusCode)
	}
	if newCSRF := csrfOf(t, body); newCSRF == csrf {
		t.Errorf("CSRF token unchanged by logging in")
	}
	// Reads stay open, and the API still wants its bearer token.
	res, _ := ps.get(t, "/")
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET / = %d, want 200", res.StatusCode)
	}
	req, _ := http.NewRequest("DELETE", ps.URL+"/api/v1/missions/x", nil)
	if resp, err := ps.client.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("DELETE /api/v1/missions/x with a page session = %v %v, want 401: a cookie is no bearer token", resp.StatusCode, err)
	}
}

func TestProtectedReadsAskForTheToken(t *testing.T) {
	ps := newPageServer(t, Config{Token: "sésame", ProtectReads: true}, nil)
	for _, path := range []string{"/", "/comparer", "/missions/abc", "/recherche.csv", "/missions/abc/original"} {
		resp, body := ps.get(t, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="jeton"`) {
			t.Errorf("GET %s without a session = %d, want the token form", path, resp.StatusCode)
		}
	}
	if resp, _ := ps.get(t, "/static/style.css"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /static/style.css = %d, want 200: the token form needs it", resp.StatusCode)
	}
}

func TestFormsWithoutTheirCSRFTokenChangeNothing(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	res, err := ps.svc.Ingest(context.Background(), service.Upload{Filename: "a.txt", Data: []byte("Titre\nTexte.")})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Mission.MissionID
	_, page := ps.get(t, "/missions/"+id)
	csrf := csrfOf(t, page)

	resp, _ := ps.post(t, "/missions/"+id, url.Values{"title": {"Autre"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /missions/%s without CSRF = %d, want 403", id, resp.StatusCode)
	}
	resp, _ = ps.post(t, "/missions/"+id, url.Values{"csrf": {csrf + "x"}, "title": {"Autre"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /missions/%s with a wrong CSRF = %d, want 403", id, resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", ps.URL+"/missions/"+id, strings.NewReader(url.Values{"csrf": {csrf}, "title": {"Autre"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := ps.client.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /missions/%s from another site = %v %v, want 403", id, resp.StatusCode, err)
	}
	if m, _ := ps.svc.Get(context.Background(), id); *m.Title != "Titre" {
		t.Errorf("title after refused forms = %q, want Titre unchanged", *m.Title)
	}

	resp, _ = ps.postFiles(t, "", map[string][]byte{"b.txt": []byte("B\n")}, "b.txt")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /televerser without CSRF = %d, want 403", resp.StatusCode)
	}
	// A client without the cookie (another site's form) is refused too.
	other := newPageServer(t, Config{}, nil)
	other.Server = ps.Server
	resp, _ = other.postFiles(t, csrf, map[string][]byte{"c.txt": []byte("C\n")}, "c.txt")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /televerser with a token but no session = %d, want 403", resp.StatusCode)
	}
	if log, _ := ps.svc.IngestLog(context.Background(), 10); len(log) != 1 {
		t.Errorf("ingest log after refused uploads has %d entries, want 1 (the first mission)", len(log))
	}
}

func TestSessionCookieCannotBeForged(t *testing.T) {
	a := newPageServer(t, Config{Token: "un"}, nil).Server.Config.Handler.(*Server)
	b := newPageServer(t, Config{Token: "deux"}, nil).Server.Config.Handler.(*Server)
	v := a.encodeSession(session{authed: true, issued: time.Now()})
	if _, ok := a.decodeSession(v); !ok {
		t.Fatalf("decodeSession(encodeSession) failed")
	}
	if _, ok := b.decodeSession(v); ok {
		t.Errorf("a session signed for one token is valid for another")
	}
	flip := "A"
	if v[0] == 'A' {
		flip = "B"
	}
	for _, bad := range []string{"", "x", v + "x", flip + v[1:], strings.Replace(v, ".", "", 1)} {
		if _, ok := a.decodeSession(bad); ok {
			t.Errorf("decodeSession(%q) accepted a tampered cookie", bad)
		}
	}
	old := a.encodeSession(session{authed: true, issued: time.Now().Add(-sessionLife - 1)})
	if _, ok := a.decodeSession(old); ok {
		t.Errorf("a logged-in session older than %v is still valid", sessionLife)
	}
}

func TestSafeNextStaysOnSite(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/televerser", "/televerser"},
		{"/?q=port&city=Lisbonne", "/?q=port&city=Lisbonne"},
		{"", "/"},
		{"https://ailleurs.example/", "/"},
		{"//ailleurs.example/", "/"},
		{"/\\ailleurs.example", "/"},
		{"/a\r\nSet-Cookie: x", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
