package index

import (
	"context"
	"slices"
	"testing"
	"time"

	"escale/internal/score"
)

// BenchmarkSearch runs the judged queries of the visible corpus (with their
// filters, every facet counted, passages highlighted), then the same with a
// selection in two facets (three side requests for multi-select counts), and
// reports the median and the 99th percentile besides the mean.
func BenchmarkSearch(b *testing.B) {
	ix := openCorpus(b)
	queries, err := score.LoadQueries(corpusDir)
	if err != nil {
		b.Fatal(err)
	}
	var qs []Query
	for _, j := range queries {
		qs = append(qs, Query{Text: j.Q, Filters: j.Filters, Size: 10})
	}
	for _, j := range queries[:8] {
		qs = append(qs, Query{Text: j.Q, Filters: map[string][]string{"country": {"France", "Portugal"}, "theme": {"tourisme"}}, YearFrom: 2016, Size: 10})
	}
	qs = append(qs, Query{Size: 10})
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := ix.Search(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkOutcomes lists outcomes for the judged queries.
func BenchmarkOutcomes(b *testing.B) {
	ix := openCorpus(b)
	queries, err := score.LoadQueries(corpusDir)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := queries[i%len(queries)]
		if _, err := ix.Outcomes(ctx, Query{Text: j.Q, Filters: j.Filters}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPut indexes the visible corpus, one mission at a time.
func BenchmarkPut(b *testing.B) {
	ms := truthMissions(b)
	ix, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := ix.Put(ms[i%len(ms)]); err != nil {
			b.Fatal(err)
		}
	}
}
