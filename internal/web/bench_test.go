package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
)

// corpusTruth holds the visible corpus's records: what a perfect extraction
// gives, so that the benchmark measures search, not extraction.
const corpusTruth = "../../testdata/corpus/visible/truth"

// searchServer returns the API over a real index holding the corpus.
func searchServer(b *testing.B) http.Handler {
	b.Helper()
	dir := b.TempDir()
	ix, err := index.Open(filepath.Join(dir, "index"), index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	files, _ := filepath.Glob(filepath.Join(corpusTruth, "*.json"))
	if len(files) == 0 {
		b.Fatalf("no records under %s", corpusTruth)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		m, err := truthRecord(data)
		if err != nil {
			b.Fatalf("%s: %v", f, err)
		}
		m.MissionID = strings.TrimSuffix(filepath.Base(f), ".json")
		if err := ix.Put(m); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc, err := service.New(context.Background(), st, ix, lineExtractor{}, service.Config{})
	if err != nil {
		b.Fatal(err)
	}
	return New(svc, ix, Config{})
}

// truthRecord turns a truth file (objectives as plain strings, no pages)
// into a mission record.
func truthRecord(data []byte) (*mission.Mission, error) {
	var t struct {
		File          string                `json:"file"`
		Title         *string               `json:"title"`
		Destinations  []mission.Destination `json:"destinations"`
		StartDate     *string               `json:"start_date"`
		EndDate       *string               `json:"end_date"`
		Year          *int                  `json:"year"`
		Organizations []string              `json:"organizations"`
		Themes        []string              `json:"themes"`
		Objectives    []string              `json:"objectives"`
		Outcomes      []mission.Outcome     `json:"outcomes"`
		Text          string                `json:"text"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, err
	}
	m := &mission.Mission{Filename: t.File, Title: t.Title, Destinations: t.Destinations, StartDate: t.StartDate,
		EndDate: t.EndDate, Year: t.Year, Organizations: t.Organizations, Themes: t.Themes, Outcomes: t.Outcomes,
		Text: t.Text, Pages: 1}
	for _, o := range t.Objectives {
		m.Objectives = append(m.Objectives, mission.Objective{Text: o, Page: 1})
	}
	for i := range m.Outcomes {
		m.Outcomes[i].Page = 1
	}
	m.Normalize()
	return m, nil
}

// BenchmarkSearchAPI measures GET /api/v1/search with every facet counted,
// over the visible corpus, for queries with and without filters; it reports
// the median and the 95th percentile in milliseconds.
func BenchmarkSearchAPI(b *testing.B) {
	h := searchServer(b)
	queries := []string{
		"q=gestion+des+inondations",
		"q=retombees+economiques+boston",
		"q=l%27interface+ville-port&year_from=2016&year_to=2024",
		"q=tramway&year=2023",
		"q=partenariats+universitaires&city=Boston&city=Li%C3%A8ge&theme=economie",
		"q=%C3%A9conomie+bleue&sort=date&page=1&size=10",
		"city=Bordeaux",
		"",
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", "/api/v1/search?"+queries[i%len(queries)], nil)
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, req)
		lat = append(lat, time.Since(start))
		if w.Code != http.StatusOK {
			b.Fatalf("search %s = %d %s", queries[i%len(queries)], w.Code, w.Body)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95_ms")
}
