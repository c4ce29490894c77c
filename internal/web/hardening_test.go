package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
	"escale/internal/testlog"
)

// wantSecurityHeaders checks the headers every response must carry.
func wantSecurityHeaders(t *testing.T, call string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy = %q, want one with frame-ancestors 'none' and no unsafe-inline", call, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", call, got)
	}
	if got := h.Get("Referrer-Policy"); got == "" || got == "unsafe-url" {
		t.Errorf("%s: Referrer-Policy = %q, want a restrictive one", call, got)
	}
	if got := h.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options = %q, want DENY", call, got)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	ts := newTestServer(t, Config{Token: "jeton", MaxUpload: 100})
	_, b := ts.upload(t, "jeton", "a.txt", []byte("Mission à Lisbonne\nTexte."), nil)
	var m mission.Mission
	json.Unmarshal(b, &m)
	_, pdfBody := ts.upload(t, "jeton", "a.pdf", []byte("%PDF-1.4 x"), nil)
	var pdf mission.Mission
	json.Unmarshal(pdfBody, &pdf)
	calls := []struct {
		method, path, token string
		want                int
	}{
		{"GET", "/api/v1/health", "", 200},
		{"GET", "/api/v1/search?q=port", "", 200},
		{"GET", "/api/v1/search.csv?q=port", "", 200},
		{"GET", "/api/v1/missions/" + m.MissionID, "", 200},
		{"GET", "/api/v1/missions/" + m.MissionID + "/file", "", 200},
		{"GET", "/api/v1/missions/" + pdf.MissionID + "/file", "", 200},
		{"GET", "/api/v1/missions/nope", "", 404},
		{"GET", "/api/v1/search?page=x", "", 400},
		{"DELETE", "/api/v1/missions/" + m.MissionID, "", 401},
		{"PUT", "/api/v1/documents", "", 405},
		{"GET", "/nulle/part", "", 404},
		// The pages and their assets get the same headers.
		{"GET", "/", "", 200},
		{"GET", "/missions/" + m.MissionID, "", 200},
		{"GET", "/televerser", "", 200},
		{"GET", "/connexion", "", 200},
		{"GET", "/static/style.css", "", 200},
	}
	for _, c := range calls {
		resp, _ := ts.send(t, c.method, c.path, c.token, "")
		call := c.method + " " + c.path
		if resp.StatusCode != c.want {
			t.Errorf("%s = %d, want %d", call, resp.StatusCode, c.want)
		}
		wantSecurityHeaders(t, call, resp.Header)
	}
	resp, _ := ts.upload(t, "jeton", "gros.pdf", bytes.Repeat([]byte("x"), 101), nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST over the limit = %d, want 413", resp.StatusCode)
	}
	wantSecurityHeaders(t, "POST over the limit", resp.Header)
	resp, _ = ts.upload(t, "jeton", "panic.txt", []byte("panic"), nil)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("POST panic = %d, want 500", resp.StatusCode)
	}
	wantSecurityHeaders(t, "POST panic", resp.Header)
}

func TestUploadOverTheLimitIsRefusedEarly(t *testing.T) {
	const limit = 1000
	ts := newTestServer(t, Config{MaxUpload: limit})
	tests := []struct {
		name string
		size int
	}{
		{"just over the limit", limit + 1},
		// Past the multipart allowance too: the body reader stops it.
		{"far over the limit", limit + formOverhead + 10},
	}
	for _, tt := range tests {
		resp, b := ts.upload(t, "", "gros.pdf", bytes.Repeat([]byte("x"), tt.size), nil)
		var e struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(b, &e)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || e.Error.Code != "too_large" || e.Error.Message != mission.ErrTooLarge.Message {
			t.Errorf("POST %s (%d bytes) = %d %s, want 413 too_large with the French message", tt.name, tt.size, resp.StatusCode, b)
		}
	}
	if len(ts.idx.docs) != 0 {
		t.Errorf("index holds %d missions after refused uploads, want 0", len(ts.idx.docs))
	}
}

func TestContentDispositionIsRFC6266(t *testing.T) {
	names := []string{
		"rapport.pdf",
		"Bilan mission Liège 2024.pdf",
		"a\r\nSet-Cookie: x=1.pdf",
		`../../etc/passwd`,
		`"quoted"; filename=evil.exe`,
		"l’été d’Anvers – 100 % (final).txt",
		"日本語.pdf",
	}
	for _, name := range names {
		got := contentDisposition("attachment", name)
		if strings.ContainsAny(got, "\r\n/\\") {
			t.Errorf("contentDisposition(%q) = %q: holds a line break, slash or backslash", name, got)
		}
		for _, r := range got {
			if r > 0x7e {
				t.Errorf("contentDisposition(%q) = %q: holds non-ASCII %q", name, got, r)
				break
			}
		}
		kind, params, err := parseDisposition(got)
		if err != nil || kind != "attachment" {
			t.Errorf("contentDisposition(%q) = %q: does not parse (%v)", name, got, err)
			continue
		}
		if strings.Contains(params["filename"], "/") {
			t.Errorf("contentDisposition(%q) fallback %q names a path", name, params["filename"])
		}
		if want := name; params["filename*"] != want && params["filename"] != want {
			t.Errorf("contentDisposition(%q) = %q: decodes to %q / %q, want the name back", name, got, params["filename"], params["filename*"])
		}
	}
}

// parseDisposition reads a Content-Disposition as a browser does, decoding
// filename* by RFC 5987 strictly: only attr-char may appear unencoded.
func parseDisposition(v string) (string, map[string]string, error) {
	kind, rest, _ := strings.Cut(v, ";")
	params := map[string]string{}
	for rest != "" {
		rest = strings.TrimLeft(rest, " ")
		var p string
		if strings.HasPrefix(rest, `filename="`) {
			end := strings.Index(rest[len(`filename="`):], `"`)
			if end < 0 {
				return "", nil, errParse
			}
			params["filename"] = rest[len(`filename="`) : len(`filename="`)+end]
			rest = rest[len(`filename="`)+end+1:]
			rest = strings.TrimPrefix(rest, ";")
			continue
		}
		p, rest, _ = strings.Cut(rest, ";")
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			return "", nil, errParse
		}
		if k == "filename*" {
			enc, ok := strings.CutPrefix(val, "UTF-8''")
			if !ok {
				return "", nil, errParse
			}
			for i := 0; i < len(enc); i++ {
				c := enc[i]
				if c != '%' && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
					return "", nil, errParse
				}
			}
			dec, err := url.PathUnescape(enc)
			if err != nil {
				return "", nil, err
			}
			val = dec
		}
		params[k] = val
	}
	return kind, params, nil
}

var errParse = &apiError{code: "parse"}

func TestSearchLimits(t *testing.T) {
	ts := newTestServer(t, Config{MaxQuery: 20, MaxFilterValues: 3})
	tests := []struct {
		query string
		want  int
	}{
		{"q=" + strings.Repeat("é", 20), 200},
		{"q=" + strings.Repeat("é", 21), 400},
		{"city=A&city=B&city=C", 200},
		{"city=A&city=B&city=C&city=D", 400},
		{"theme=" + strings.Repeat("x", maxFilterRunes), 200},
		{"theme=" + strings.Repeat("x", maxFilterRunes+1), 400},
	}
	for _, tt := range tests {
		for _, path := range []string{"/api/v1/search?", "/api/v1/outcomes?", "/api/v1/compare?", "/api/v1/search.csv?"} {
			resp, b := ts.send(t, "GET", path+tt.query, "", "")
			if resp.StatusCode != tt.want {
				t.Errorf("GET %s%s = %d %s, want %d", path, clip(tt.query), resp.StatusCode, b, tt.want)
			}
			if tt.want == 400 && errorCode(t, "GET "+path, b) != "bad_query" {
				t.Errorf("GET %s%s: code %s, want bad_query", path, clip(tt.query), b)
			}
		}
	}
	// The defaults.
	def := newTestServer(t, Config{})
	if resp, _ := def.send(t, "GET", "/api/v1/search?q="+strings.Repeat("a", DefaultMaxQuery), "", ""); resp.StatusCode != 200 {
		t.Errorf("GET search with %d characters = %d, want 200 (the default limit)", DefaultMaxQuery, resp.StatusCode)
	}
	many := url.Values{"city": make([]string, DefaultMaxFilterValues+1)}
	for i := range many["city"] {
		many["city"][i] = "Ville" + strings.Repeat("x", i)
	}
	if resp, _ := def.send(t, "GET", "/api/v1/search?"+many.Encode(), "", ""); resp.StatusCode != 400 {
		t.Errorf("GET search with %d cities = %d, want 400 (the default limit)", DefaultMaxFilterValues+1, resp.StatusCode)
	}
}

// slowSearcher answers only when the request's context ends.
type slowSearcher struct{ memIndex }

func (s *slowSearcher) Search(ctx context.Context, q index.Query) (*index.Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestRequestTimeout(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	idx := &slowSearcher{memIndex{docs: map[string]*mission.Mission{}}}
	svc, err := service.New(context.Background(), st, idx, lineExtractor{}, service.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(svc, idx, Config{RequestTimeout: 50 * time.Millisecond, RetryAfter: 7 * time.Second}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/search?q=port")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code, Message string }
	}
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "7" || e.Error.Message == "" {
		t.Errorf("GET search past the request timeout = %d, Retry-After %q, %+v; want 503, Retry-After 7 and a message",
			resp.StatusCode, resp.Header.Get("Retry-After"), e)
	}
}

// gateExtractor says on entered when an extraction starts, then holds it
// until its gate closes.
type gateExtractor struct{ entered, gate chan struct{} }

func (g gateExtractor) Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error) {
	select {
	case g.entered <- struct{}{}:
	default:
	}
	select {
	case <-g.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return lineExtractor{}.Extract(ctx, data, filename)
}

func TestQueueFullIs503WithRetryAfter(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	idx := &memIndex{docs: map[string]*mission.Mission{}}
	g := gateExtractor{entered: make(chan struct{}, 1), gate: make(chan struct{})}
	svc, err := service.New(context.Background(), st, idx, g, service.Config{Workers: 1, Queue: -1})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(New(svc, idx, Config{RetryAfter: 3 * time.Second})), idx: idx, svc: svc}
	defer ts.Close()
	first := make(chan int, 1)
	go func() {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "a.txt")
		fw.Write([]byte("Premier\n"))
		mw.Close()
		resp, err := http.Post(ts.URL+"/api/v1/documents", mw.FormDataContentType(), &body)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	// Once the first upload holds the only slot, a second is refused.
	select {
	case <-g.entered:
	case code := <-first:
		t.Fatalf("first POST = %d before its extraction started", code)
	}
	resp, b := ts.upload(t, "", "b.txt", []byte("Second\n"), nil)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "3" || errorCode(t, "POST with a full queue", b) != "busy" {
		t.Errorf("POST with a full queue = %d, Retry-After %q, %s; want 503 busy with Retry-After 3", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	close(g.gate)
	if got := <-first; got != http.StatusCreated {
		t.Errorf("first POST = %d, want 201", got)
	}
}

func TestTokenIsNeverLogged(t *testing.T) {
	const token = "tr3s-s3cret-jeton-0123456789"
	var logs testlog.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := newTestServer(t, Config{Token: token, Logger: log})
	wrong := token[:len(token)-1] + "X"
	ts.upload(t, token, "a.txt", []byte("Titre\n"), nil)
	ts.upload(t, wrong, "b.txt", []byte("Titre\n"), nil)
	ts.send(t, "DELETE", "/api/v1/missions/x", token, "")
	ts.send(t, "PATCH", "/api/v1/missions/x", wrong, `{"title":"x"}`)
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/search?q=x", nil)
	req.Header.Set("Authorization", "Basic "+token)
	ts.do(t, req)
	out := logs.String()
	if !strings.Contains(out, "status=401") || !strings.Contains(out, "status=201") {
		t.Fatalf("log = %s, want the requests logged", out)
	}
	for _, secret := range []string{token, wrong, token[:12]} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds the token %q:\n%s", secret, out)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	tests := []struct {
		proxies []string
		want    string
	}{
		{nil, "remote=127.0.0.1"},
		{[]string{"127.0.0.1"}, "remote=203.0.113.9"},
		{[]string{"10.0.0.0/8"}, "remote=127.0.0.1"},
	}
	for _, tt := range tests {
		var logs testlog.Buffer
		ts := newTestServer(t, Config{TrustedProxies: tt.proxies, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/health", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		req.Header.Set("X-Real-IP", "203.0.113.9")
		ts.do(t, req)
		if !strings.Contains(logs.String(), tt.want) {
			t.Errorf("proxies %v, X-Forwarded-For 203.0.113.9: log %q, want %s", tt.proxies, logs.String(), tt.want)
		}
	}
	for _, tt := range []struct {
		in []string
		ok bool
	}{{nil, true}, {[]string{"10.0.0.1", "192.168.0.0/16", "::1"}, true}, {[]string{"proxy.local"}, false}, {[]string{"10.0.0.0/33"}, false}} {
		if err := CheckProxies(tt.in); (err == nil) != tt.ok {
			t.Errorf("CheckProxies(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}

func TestStoredNamesNeverFromUploadedNames(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	idx := &memIndex{docs: map[string]*mission.Mission{}}
	svc, _ := service.New(context.Background(), st, idx, lineExtractor{}, service.Config{})
	ts := &testServer{Server: httptest.NewServer(New(svc, idx, Config{})), idx: idx, svc: svc}
	defer ts.Close()
	names := []string{"../../../evil.txt", `..\..\evil2.txt`, "/etc/cron.d/evil3", "originals/evil4.txt", "C:évil5\u202e.txt"}
	for i, name := range names {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + strings.ReplaceAll(name, `"`, "") + `"`}
		h["Content-Type"] = []string{"text/plain"}
		w, _ := mw.CreatePart(h)
		w.Write([]byte("Mission\nnuméro " + string(rune('a'+i))))
		mw.Close()
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, b := ts.do(t, req)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST %q = %d %s", name, resp.StatusCode, b)
		}
	}
	files := listFiles(t, dir)
	for _, f := range files {
		if strings.Contains(f, "evil") || strings.Contains(f, "vil5") {
			t.Errorf("data directory holds %s, named after an upload", f)
		}
	}
	for _, f := range files {
		if strings.HasPrefix(f, "originals/") {
			base := f[strings.LastIndex(f, "/")+1:]
			if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
				t.Errorf("original stored as %s, want its SHA-256", f)
			}
		}
	}
}

// listFiles lists the files under dir, as slash-separated relative paths.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzContentDisposition checks, for any uploaded name, that the header is
// plain ASCII without line breaks or path separators, and that filename*
// (or filename) gives the name back.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"rapport.pdf", "Liège 2024.pdf", "a\r\nb", `"; x=y`, "../..", "%41", "\xff\xfe", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := contentDisposition("attachment", name)
		for i := 0; i < len(got); i++ {
			if got[i] < 0x20 || got[i] > 0x7e || got[i] == '/' || got[i] == '\\' {
				t.Fatalf("contentDisposition(%q) = %q: byte %q", name, got, got[i])
			}
		}
		kind, params, err := parseDisposition(got)
		if err != nil || kind != "attachment" {
			t.Fatalf("contentDisposition(%q) = %q: unreadable (%v)", name, got, err)
		}
		if params["filename*"] != name && params["filename"] != name {
			t.Fatalf("contentDisposition(%q) = %q: gives back %q / %q", name, got, params["filename"], params["filename*"])
		}
	})
}
