package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
)

// pageServer is a server over a real store and service and a fake index,
// which wrap may put behind another searcher; its client keeps cookies like
// a browser.
type pageServer struct {
	*httptest.Server
	idx    *memIndex
	svc    *service.Service
	client *http.Client
}

func newPageServer(t *testing.T, cfg Config, wrap func(*memIndex) Searcher) *pageServer {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	idx := &memIndex{docs: map[string]*mission.Mission{}}
	svc, err := service.New(context.Background(), st, idx, lineExtractor{}, service.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var search Searcher = idx
	if wrap != nil {
		search = wrap(idx)
	}
	srv := httptest.NewServer(New(svc, search, cfg))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &pageServer{Server: srv, idx: idx, svc: svc, client: client}
}

// get fetches a page with the server's cookies.
func (ps *pageServer) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := ps.client.Get(ps.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// post sends a form with the server's cookies.
func (ps *pageServer) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := ps.client.PostForm(ps.URL+path, form)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// postFiles sends the upload form: the CSRF token first, then the files.
func (ps *pageServer) postFiles(t *testing.T, csrf string, files map[string][]byte, order ...string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	for _, name := range order {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(files[name])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", ps.URL+"/televerser", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := ps.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf is the CSRF token of the first form of a page.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%.2000s", page)
	}
	return m[1]
}

func TestTemplatesParse(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatalf("parsePages: %v", err)
	}
	for _, name := range pageNames {
		if pages[name] == nil || pages[name].Lookup("content") == nil {
			t.Errorf("page %s: no « content » template", name)
		}
	}
}

func TestHighlightLetsOnlyMarkThrough(t *testing.T) {
	tests := []struct{ in, want string }{
		{"l’<mark>économie</mark> &amp; le port", "l’<mark>économie</mark> &amp; le port"},
		{"<mark>a</mark> b <mark>c</mark>", "<mark>a</mark> b <mark>c</mark>"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{`<mark onclick="x">a</mark>`, `&lt;mark onclick=&#34;x&#34;&gt;a`},
		{"<mark>ouvert", "<mark>ouvert</mark>"},
		{"fermé</mark> seul", "fermé seul"},
		{"<mark><mark>deux</mark></mark>", "<mark>deux</mark>"},
		{"a &lt;b&gt; &amp;amp;", "a &lt;b&gt; &amp;amp;"},
		{`<img src=x onerror=alert(1)>`, `&lt;img src=x onerror=alert(1)&gt;`},
	}
	for _, tt := range tests {
		if got := string(highlight(tt.in)); got != tt.want {
			t.Errorf("highlight(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFrenchFormats(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct{ call, got, want string }{
		{"frDate(2024-05-13)", frDate("2024-05-13"), "13 mai 2024"},
		{"frDate(2024-08-01)", frDate("2024-08-01"), "1er août 2024"},
		{"frDate(bad)", frDate("2024-13"), "2024-13"},
		{"dates(start, end)", dates(s("2025-06-10"), s("2025-06-13")), "du 10 juin 2025 au 13 juin 2025"},
		{"dates(start, nil)", dates(s("2025-06-10"), nil), "10 juin 2025"},
		{"dates(nil, nil)", dates(nil, nil), ""},
		{"number(1234567)", number(1234567), "1\u202f234\u202f567"},
		{"number(-12)", number(-12), "-12"},
		{"number(999)", number(999), "999"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.call, tt.got, tt.want)
		}
	}
}

func TestUnknownPageIsAPageAndUnknownAPIIsJSON(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	resp, body := ps.get(t, "/nulle-part")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, `lang="fr"`) {
		t.Errorf("GET /nulle-part = %d %s, want a 404 page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, body = ps.get(t, "/api/v1/nulle-part")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
		t.Errorf("GET /api/v1/nulle-part = %d %s, want the API's 404", resp.StatusCode, body)
	}
	resp, _ = ps.get(t, "/static/")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/ = %d, want 404 (no listing)", resp.StatusCode)
	}
	for _, asset := range []string{"/static/style.css", "/static/escale.js", "/static/favicon.svg"} {
		if resp, _ := ps.get(t, asset); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", asset, resp.StatusCode)
		}
	}
}

// TestPagesHaveNoInlineCode keeps the pages within a CSP without
// unsafe-inline: no inline script, style element or attribute, no handler.
func TestPagesHaveNoInlineCode(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	ps.svc.Ingest(context.Background(), service.Upload{Filename: "a.txt", Data: []byte("Mission à Lisbonne\nTexte.")})
	var id string
	for k := range ps.idx.docs {
		id = k
	}
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=|javascript:`)
	for _, path := range []string{"/", "/?q=port", "/missions/" + id, "/televerser", "/comparer", "/connexion", "/nulle-part"} {
		_, body := ps.get(t, path)
		if m := inline.FindString(body); m != "" {
			t.Errorf("GET %s: inline code %q", path, m)
		}
	}
}
