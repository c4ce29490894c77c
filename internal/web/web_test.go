package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
)

// lineExtractor reads a text file whose first line is the title;
// "refuse:CODE" files are refused with that code (damaged when unknown);
// "panic" files panic.
type lineExtractor struct{}

func (lineExtractor) Extract(_ context.Context, data []byte, filename string) (*mission.Mission, error) {
	s := string(data)
	if code, ok := strings.CutPrefix(s, "refuse:"); ok {
		r, known := mission.RefusalByCode(code)
		if !known {
			r = mission.ErrDamaged
		}
		return nil, mission.Refuse(r, "test")
	}
	if s == "panic" {
		panic("extractor bug")
	}
	title, _, _ := strings.Cut(s, "\n")
	format := mission.FormatText
	if strings.HasPrefix(s, "%PDF-") {
		format = mission.FormatPDF
	}
	return &mission.Mission{Filename: filename, Title: &title, Text: s, Pages: 1, Format: format,
		Destinations: []mission.Destination{{City: "Lisbonne", Country: "Portugal"}}}, nil
}

// memIndex is a service.Index and a Searcher that remembers the last query.
type memIndex struct {
	mu    sync.Mutex
	docs  map[string]*mission.Mission
	last  index.Query
	fail  error
	total int // hits the fake search claims, for exports over several pages
}

func (x *memIndex) Put(m *mission.Mission) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.docs[m.MissionID] = m
	return nil
}

func (x *memIndex) Delete(id string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.docs, id)
	return nil
}

func (x *memIndex) IDs() (map[string]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := map[string]string{}
	for id := range x.docs {
		out[id] = ""
	}
	return out, nil
}

func (x *memIndex) Search(_ context.Context, q index.Query) (*index.Result, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.last = q
	if x.fail != nil {
		return nil, x.fail
	}
	res := &index.Result{Page: q.Page, Size: q.Size, Facets: map[string][]index.FacetValue{}}
	ids := []string{}
	for id := range x.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		m := x.docs[id]
		res.Hits = append(res.Hits, index.Hit{MissionID: id, Filename: m.Filename, Title: m.Title, Score: 1.5,
			Destinations: m.Destinations, Passages: []index.Passage{{Fragment: "l’<mark>économie</mark> &amp; le port", Page: 2}}})
	}
	res.Total = uint64(len(res.Hits))
	if x.total > 0 {
		res.Total = uint64(x.total)
		start := (q.Page - 1) * q.Size
		var page []index.Hit
		for i := start; i < min(start+q.Size, x.total); i++ {
			page = append(page, index.Hit{MissionID: fmt.Sprintf("m%05d", i), Title: mission.Ptr(fmt.Sprintf("=Mission %d", i))})
		}
		res.Hits = page
	}
	return res, nil
}

func (x *memIndex) Outcomes(_ context.Context, q index.Query) (*index.OutcomeResult, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.last = q
	if x.fail != nil {
		return nil, x.fail
	}
	res := &index.OutcomeResult{Page: q.Page, Size: q.Size, Facets: map[string][]index.FacetValue{}}
	for id, m := range x.docs {
		for _, o := range m.Outcomes {
			res.Outcomes = append(res.Outcomes, index.OutcomeHit{MissionID: id, MissionTitle: m.Title, Category: o.Category, Text: o.Text, Page: o.Page, Themes: o.Themes})
		}
	}
	res.Total = uint64(len(res.Outcomes))
	return res, nil
}

func (x *memIndex) Compare(_ context.Context, q index.Query, by, split string) (*index.Matrix, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.last = q
	if by != "year" {
		return nil, fmt.Errorf("%w: comparaison par « %s » impossible", index.ErrBadQuery, by)
	}
	return &index.Matrix{By: by, Split: split, Rows: []string{"2023", "2024"}, Cols: []string{"Économie", ""},
		Counts: [][]int{{1, 0}, {2, 1}}, RowTotals: []int{1, 3}, ColTotals: []int{3, 1}, Total: 4}, nil
}

type testServer struct {
	*httptest.Server
	idx *memIndex
	svc *service.Service
}

func newTestServer(t *testing.T, cfg Config) *testServer {
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
	srv := httptest.NewServer(New(svc, idx, cfg))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, idx: idx, svc: svc}
}

// upload posts a multipart form with the file and extra fields.
func (ts *testServer) upload(t *testing.T, token, filename string, data []byte, fields map[string][]string) (*http.Response, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if data != nil {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.do(t, req)
}

func (ts *testServer) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (ts *testServer) send(t *testing.T, method, path, token, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/merge-patch+json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.do(t, req)
}

// errorCode decodes an error body, failing the test when it is not one.
func errorCode(t *testing.T, call string, b []byte) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(b, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("%s body = %s, want {\"error\":{\"code\",\"message\"}}", call, b)
	}
	if strings.Contains(string(b), "goroutine") || strings.Contains(string(b), ".go:") {
		t.Errorf("%s body leaks a stack trace: %s", call, b)
	}
	return e.Error.Code
}

func TestUploadGetPatchDelete(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, b := ts.upload(t, "", "Rapport Lisbonne.txt", []byte("Mission à Lisbonne\nTexte."), map[string][]string{"city": {"Porto"}, "year": {"2021"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /documents = %d %s, want 201", resp.StatusCode, b)
	}
	var m mission.Mission
	json.Unmarshal(b, &m)
	if m.MissionID == "" || m.Filename != "Rapport Lisbonne.txt" || *m.Year != 2021 || m.Destinations[0].City != "Porto" {
		t.Errorf("POST /documents record = %s, want id, name, year 2021, city Porto", b)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/missions/"+m.MissionID {
		t.Errorf("Location = %q", loc)
	}
	resp, b = ts.upload(t, "", "copie.txt", []byte("Mission à Lisbonne\nTexte."), nil)
	var again mission.Mission
	json.Unmarshal(b, &again)
	if resp.StatusCode != http.StatusOK || again.MissionID != m.MissionID {
		t.Errorf("POST same bytes = %d id %q, want 200 and %q", resp.StatusCode, again.MissionID, m.MissionID)
	}

	resp, b = ts.send(t, "GET", "/api/v1/missions/"+m.MissionID, "", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"mission_id":"`+m.MissionID) {
		t.Errorf("GET mission = %d %s", resp.StatusCode, b)
	}
	resp, b = ts.send(t, "PATCH", "/api/v1/missions/"+m.MissionID, "", `{"destinations":[{"city":"Faro","country":"Portugal"}],"title":"Titre corrigé"}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"Faro"`) || !strings.Contains(string(b), "Titre corrigé") {
		t.Errorf("PATCH = %d %s, want 200 with Faro and the new title", resp.StatusCode, b)
	}
	if got := ts.idx.docs[m.MissionID]; got.Destinations[0].City != "Faro" {
		t.Errorf("index after PATCH has city %q, want Faro", got.Destinations[0].City)
	}
	resp, b = ts.send(t, "GET", "/api/v1/missions/"+m.MissionID+"/corrections", "", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"field":"destinations"`) || !strings.Contains(string(b), `"by":"api"`) || !strings.Contains(string(b), `"field":"year","value":2021`) {
		t.Errorf("GET corrections = %d %s, want the upload's and the PATCH's corrections", resp.StatusCode, b)
	}
	resp, b = ts.send(t, "PATCH", "/api/v1/missions/"+m.MissionID, "", `{"text":"x"}`)
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, "PATCH text", b) != "invalid" {
		t.Errorf("PATCH text = %d %s, want 400 invalid", resp.StatusCode, b)
	}
	resp, b = ts.send(t, "PATCH", "/api/v1/missions/nope", "", `{"title":"x"}`)
	if resp.StatusCode != http.StatusNotFound || errorCode(t, "PATCH nope", b) != "not_found" {
		t.Errorf("PATCH unknown = %d %s, want 404", resp.StatusCode, b)
	}
	resp, _ = ts.send(t, "DELETE", "/api/v1/missions/"+m.MissionID, "", "")
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE = %d, want 204", resp.StatusCode)
	}
	resp, b = ts.send(t, "GET", "/api/v1/missions/"+m.MissionID, "", "")
	if resp.StatusCode != http.StatusNotFound || errorCode(t, "GET deleted", b) != "not_found" {
		t.Errorf("GET deleted = %d %s, want 404 not_found", resp.StatusCode, b)
	}
	if _, ok := ts.idx.docs[m.MissionID]; ok {
		t.Error("index still holds the deleted mission")
	}
}

func TestUploadRefusals(t *testing.T) {
	ts := newTestServer(t, Config{MaxUpload: 1000})
	tests := []struct {
		name       string
		data       []byte
		fields     map[string][]string
		wantStatus int
		wantCode   string
	}{
		{"long.pdf", []byte("refuse:timeout"), nil, 422, "timeout"},
		{"huge.pdf", []byte("refuse:too_much_memory"), nil, 422, "too_much_memory"},
		{"book.pdf", []byte("refuse:too_many_pages"), nil, 422, "too_many_pages"},
		{"locked.pdf", []byte("refuse:encrypted"), nil, 422, "encrypted"},
		{"scan.pdf", []byte("refuse:no_text"), nil, 422, "no_text"},
		{"photo.png", []byte("refuse:unsupported"), nil, 415, "unsupported"},
		{"damaged.pdf", []byte("refuse:damaged"), nil, 422, "damaged"},
		{"damaged.pdf", []byte("refuse:"), nil, 422, "damaged"},
		{"empty.pdf", []byte{}, nil, 422, "empty"},
		{"big.pdf", bytes.Repeat([]byte("x"), 1001), nil, 413, "too_large"},
		{"", nil, nil, 400, "no_file"},
		{"ok.txt", []byte("Titre\n"), map[string][]string{"year": {"deux mille"}}, 400, "invalid"},
		{"ok.txt", []byte("Titre\n"), map[string][]string{"start_date": {"31/12/2024"}}, 400, "invalid"},
		{"panic.txt", []byte("panic"), nil, 500, "internal"},
	}
	for _, tt := range tests {
		resp, b := ts.upload(t, "", tt.name, tt.data, tt.fields)
		if resp.StatusCode != tt.wantStatus || errorCode(t, "POST "+tt.name, b) != tt.wantCode {
			t.Errorf("POST %s = %d %s, want %d %s", tt.name, resp.StatusCode, b, tt.wantStatus, tt.wantCode)
		}
		if r, ok := mission.RefusalByCode(tt.wantCode); ok && !strings.Contains(string(b), r.Message) {
			t.Errorf("POST %s = %s, want the refusal's French message %q", tt.name, b, r.Message)
		}
	}
	resp, b := ts.send(t, "GET", "/api/v1/ingest-log?limit=3", "", "")
	var log struct {
		Entries []struct{ Filename, Outcome, Code, Message string }
	}
	json.Unmarshal(b, &log)
	if resp.StatusCode != http.StatusOK || len(log.Entries) != 3 || log.Entries[0].Filename != "big.pdf" || log.Entries[0].Code != "too_large" ||
		log.Entries[2].Code != "damaged" || log.Entries[2].Message != mission.ErrDamaged.Message {
		t.Errorf("GET ingest-log?limit=3 = %d %s, want the last three refusals, newest first, with code and message", resp.StatusCode, b)
	}
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/documents", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	resp, b = ts.do(t, req)
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, "POST json", b) != "bad_request" {
		t.Errorf("POST json = %d %s, want 400 bad_request", resp.StatusCode, b)
	}
}

func TestToken(t *testing.T) {
	const token = "s3cret-token"
	ts := newTestServer(t, Config{Token: token})
	for _, tok := range []string{"", "wrong", token + "x"} {
		resp, b := ts.upload(t, tok, "a.txt", []byte("Titre\n"), nil)
		if resp.StatusCode != http.StatusUnauthorized || errorCode(t, "POST bad token", b) != "unauthorized" || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("POST with token %q = %d %s, want 401 with WWW-Authenticate", tok, resp.StatusCode, b)
		}
	}
	resp, b := ts.upload(t, token, "a.txt", []byte("Titre\n"), nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST with the token = %d %s, want 201", resp.StatusCode, b)
	}
	var m mission.Mission
	json.Unmarshal(b, &m)
	if resp, _ := ts.send(t, "GET", "/api/v1/missions/"+m.MissionID, "", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET without token = %d, want 200 (reads stay open)", resp.StatusCode)
	}
	if resp, _ := ts.send(t, "DELETE", "/api/v1/missions/"+m.MissionID, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("DELETE without token = %d, want 401", resp.StatusCode)
	}
	if resp, _ := ts.send(t, "PATCH", "/api/v1/missions/"+m.MissionID, "", `{"title":"x"}`); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("PATCH without token = %d, want 401", resp.StatusCode)
	}
	protected := newTestServer(t, Config{Token: token, ProtectReads: true})
	if resp, _ := protected.send(t, "GET", "/api/v1/search?q=x", "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET search with protected reads and no token = %d, want 401", resp.StatusCode)
	}
}

func TestFileDownload(t *testing.T) {
	ts := newTestServer(t, Config{})
	data := []byte("Mission\nTexte du rapport.")
	name := "Rapport \"final\"; été.txt"
	_, b := ts.upload(t, "", name, data, nil)
	var m mission.Mission
	json.Unmarshal(b, &m)
	resp, got := ts.send(t, "GET", "/api/v1/missions/"+m.MissionID+"/file", "", "")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("GET file = %d %q, want the original bytes", resp.StatusCode, got)
	}
	cd := resp.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment; ") || strings.ContainsAny(cd, "\r\n") || !strings.Contains(cd, "filename*=UTF-8''Rapport%20%22final%22%3B%20%C3%A9t%C3%A9.txt") {
		t.Errorf("Content-Disposition = %q, want an attachment with a safe ASCII name and the UTF-8 name", cd)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("file headers = %v, want nosniff and a sandbox CSP", resp.Header)
	}
	if resp, _ := ts.send(t, "GET", "/api/v1/missions/nope/file", "", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET file of unknown mission = %d, want 404", resp.StatusCode)
	}
}

func TestContentDisposition(t *testing.T) {
	tests := []struct{ kind, name, want string }{
		{"inline", "rapport.pdf", `inline; filename=rapport.pdf`},
		{"attachment", "a\r\nSet-Cookie: x.pdf", `attachment; filename="a__Set-Cookie: x.pdf"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x.pdf`},
		{"attachment", "Liège.pdf", `attachment; filename=Li_ge.pdf; filename*=UTF-8''Li%C3%A8ge.pdf`},
	}
	for _, tt := range tests {
		if got := contentDisposition(tt.kind, tt.name); got != tt.want {
			t.Errorf("contentDisposition(%q, %q) = %q, want %q", tt.kind, tt.name, got, tt.want)
		}
	}
}

func TestSearchParameters(t *testing.T) {
	ts := newTestServer(t, Config{})
	ts.upload(t, "", "a.txt", []byte("Mission à Lisbonne\n"), nil)
	resp, b := ts.send(t, "GET", "/api/v1/search?q=%C3%A9conomie+bleue&city=Lisbonne&city=Porto&theme=economie&year_from=2018&year_to=2024&page=1&size=5&sort=date&unknown=1", "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET search = %d %s", resp.StatusCode, b)
	}
	q := ts.idx.last
	if q.Text != "économie bleue" || !slices.Equal(q.Filters["city"], []string{"Lisbonne", "Porto"}) || q.Filters["theme"][0] != "economie" ||
		q.YearFrom != 2018 || q.YearTo != 2024 || q.Size != 5 || q.Sort != "date" || q.Advanced {
		t.Errorf("search query = %+v, want the parameters", q)
	}
	var res index.Result
	if err := json.Unmarshal(b, &res); err != nil || len(res.Hits) != 1 {
		t.Errorf("search body = %s, want one hit", b)
	}
	for _, bad := range []string{"page=deux", "size=x", "year_from=20x", "q=" + strings.Repeat("a", 1001)} {
		resp, b := ts.send(t, "GET", "/api/v1/search?"+bad, "", "")
		if resp.StatusCode != http.StatusBadRequest || errorCode(t, "search "+bad, b) != "bad_query" {
			t.Errorf("GET search?%s = %d %s, want 400 bad_query", clip(bad), resp.StatusCode, b)
		}
	}
	ts.idx.fail = fmt.Errorf("%w: filtre inconnu « x »", index.ErrBadQuery)
	resp, b = ts.send(t, "GET", "/api/v1/search?q=x", "", "")
	var e struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(b, &e)
	if resp.StatusCode != http.StatusBadRequest || e.Error.Code != "bad_query" || e.Error.Message != "filtre inconnu « x »" {
		t.Errorf("search with index.ErrBadQuery = %d %s, want 400 bad_query with the index's French message", resp.StatusCode, b)
	}
}

func TestSearchCSV(t *testing.T) {
	ts := newTestServer(t, Config{})
	ts.idx.total = 250 // three pages of 100
	resp, b := ts.send(t, "GET", "/api/v1/search.csv?q=port", "", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET search.csv = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbfmission_id;titre;")) {
		t.Errorf("CSV starts %q, want a BOM and ;-separated headers", b[:min(len(b), 30)])
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	if len(lines) != 251 {
		t.Errorf("CSV has %d lines, want 251 (header + every hit of every page)", len(lines))
	}
	if !strings.HasPrefix(lines[1], "m00000;'=Mission 0;") {
		t.Errorf("CSV line 1 = %q, want the formula-like title prefixed with an apostrophe", lines[1])
	}
}

func TestCSVPassagesArePlainText(t *testing.T) {
	ts := newTestServer(t, Config{})
	ts.upload(t, "", "a.txt", []byte("Mission à Lisbonne\n"), nil)
	_, b := ts.send(t, "GET", "/api/v1/search.csv?q=port", "", "")
	if !strings.Contains(string(b), "p. 2 : l’économie & le port") {
		t.Errorf("CSV = %s, want the passage without <mark> and unescaped", b)
	}
}

func TestOutcomesAndCompare(t *testing.T) {
	ts := newTestServer(t, Config{})
	ts.upload(t, "", "a.txt", []byte("Mission à Lisbonne\n"), nil)
	ts.idx.docs[firstID(ts.idx)].Outcomes = []mission.Outcome{{Category: mission.Ptr("Économie"), Text: "=SOMME(A1) un accord", Page: 3}}
	resp, b := ts.send(t, "GET", "/api/v1/outcomes?q=accord&category=%C3%89conomie", "", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"outcomes":[{`) {
		t.Errorf("GET outcomes = %d %s", resp.StatusCode, b)
	}
	if ts.idx.last.Text != "accord" || ts.idx.last.Filters["category"][0] != "Économie" {
		t.Errorf("outcomes query = %+v, want the text and the category filter", ts.idx.last)
	}
	_, b = ts.send(t, "GET", "/api/v1/outcomes.csv?q=accord", "", "")
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbfmission_id;mission;")) || !strings.Contains(string(b), ";Économie;;'=SOMME(A1) un accord;3;") {
		t.Errorf("outcomes.csv = %q, want a BOM, ; and the formula defused", b)
	}
	resp, b = ts.send(t, "GET", "/api/v1/compare?q=port", "", "")
	var m index.Matrix
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &m) != nil || m.By != "year" || m.Split != "category" {
		t.Errorf("GET compare = %d %s, want by year, split category by default", resp.StatusCode, b)
	}
	_, b = ts.send(t, "GET", "/api/v1/compare.csv?split=category", "", "")
	want := "\xef\xbb\xbfyear;Économie;(sans catégorie);total\r\n2023;1;0;1\r\n2024;2;1;3\r\ntotal;3;1;4\r\n"
	if string(b) != want {
		t.Errorf("compare.csv = %q, want %q", b, want)
	}
	resp, b = ts.send(t, "GET", "/api/v1/compare?by=mois", "", "")
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, "compare by=mois", b) != "bad_query" {
		t.Errorf("GET compare?by=mois = %d %s, want 400 bad_query", resp.StatusCode, b)
	}
}

func firstID(x *memIndex) string {
	for id := range x.docs {
		return id
	}
	return ""
}

func TestUnknownRouteAndMethod(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, b := ts.send(t, "GET", "/api/v1/nothing", "", "")
	if resp.StatusCode != http.StatusNotFound || errorCode(t, "GET unknown", b) != "not_found" {
		t.Errorf("GET unknown route = %d %s", resp.StatusCode, b)
	}
	resp, b = ts.send(t, "PUT", "/api/v1/documents", "", "")
	if resp.StatusCode != http.StatusMethodNotAllowed || errorCode(t, "PUT documents", b) != "method_not_allowed" {
		t.Errorf("PUT documents = %d %s", resp.StatusCode, b)
	}
}
