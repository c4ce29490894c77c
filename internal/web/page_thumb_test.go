package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"escale/internal/mission"
	"escale/internal/render"
	"escale/internal/service"
	"escale/internal/store"
)

// pdfExtractor reads any file as a three-page PDF.
type pdfExtractor struct{}

func (pdfExtractor) Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error) {
	m, err := lineExtractor{}.Extract(ctx, data, filename)
	if err == nil {
		m.Format, m.Pages = mission.FormatPDF, 3
	}
	return m, err
}

// fakeThumbs draws pages 1 and 2 and reads the original to prove it can.
type fakeThumbs struct{ calls chan int }

func (f fakeThumbs) Thumbnail(_ context.Context, src render.Source, n, width int) ([]byte, error) {
	f.calls <- n
	if n > 2 {
		return nil, render.ErrNoImage
	}
	data, err := src.Open()
	if err != nil || src.SHA256 == "" {
		return nil, err
	}
	return append([]byte("\x89PNG page "), data[:1]...), nil
}

func TestMissionPageShowsPageThumbnails(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	idx := &memIndex{docs: map[string]*mission.Mission{}}
	svc, err := service.New(context.Background(), st, idx, pdfExtractor{}, service.Config{})
	if err != nil {
		t.Fatal(err)
	}
	thumbs := fakeThumbs{calls: make(chan int, 10)}
	srv := httptest.NewServer(New(svc, idx, Config{Thumbnails: thumbs}))
	defer srv.Close()
	res, err := svc.Ingest(context.Background(), service.Upload{Filename: "a.pdf", Data: []byte("Titre\nTexte.")})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Mission.MissionID
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	_, page := get("/missions/" + id)
	for n := range 3 {
		if want := `src="/missions/` + id + `/pages/` + string(rune('1'+n)) + `"`; !strings.Contains(page, want) {
			t.Errorf("mission page lacks the thumbnail %s", want)
		}
	}
	resp, body := get("/missions/" + id + "/pages/2")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || body != "\x89PNG page T" {
		t.Errorf("GET page 2 = %d %s %q, want the PNG", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if n := <-thumbs.calls; n != 2 {
		t.Errorf("thumbnail drawn for page %d, want 2", n)
	}
	for _, p := range []string{"/pages/3", "/pages/4", "/pages/0", "/pages/x"} {
		if resp, _ := get("/missions/" + id + p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := get("/missions/inconnue/pages/1"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET thumbnail of an unknown mission = %d, want 404", resp.StatusCode)
	}

	// Without a renderer, no pictures.
	plain := httptest.NewServer(New(svc, idx, Config{}))
	defer plain.Close()
	resp, err = http.Get(plain.URL + "/missions/" + id)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "/pages/") {
		t.Errorf("mission page shows thumbnails without a renderer")
	}
}
