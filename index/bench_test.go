package index

import (
	"context"
	"flag"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"escale/internal/gazetteer"
	"escale/internal/mission"
	"escale/internal/score"
	"escale/internal/synonyms"
	"escale/internal/tools/synthrec"
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
	reportLatency(b, lat)
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

var (
	scale    = flag.Int("index.scale", 1000, "missions in BenchmarkSearchScale's synthetic index")
	scaleDir = flag.String("index.dir", "", "directory keeping BenchmarkSearchScale's synthetic index between runs, grown to -index.scale when smaller (default: a temporary one)")
)

var scaled struct {
	sync.Mutex
	ix   *Index
	temp string // removed at the end when the index is a temporary one
}

// scaleIndex opens the synthetic index of -index.scale missions, made by
// internal/tools/synthrec (the extractor's records of the synthetic
// archive of seed 1), adding the missions it lacks: record i is the same in
// every run, so an index kept in -index.dir grows from 10,000 to 100,000
// missions without starting again. Building is not timed.
func scaleIndex(b *testing.B) *Index {
	scaled.Lock()
	defer scaled.Unlock()
	if scaled.ix != nil {
		return scaled.ix
	}
	dir := *scaleDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "escale-scale-"); err != nil {
			b.Fatal(err)
		}
		scaled.temp = dir
	}
	// The service's options: its places, synonyms and world regions.
	g := gazetteer.Default()
	ix, err := Open(dir, Options{Places: g, Synonyms: synonyms.Default(), Zones: g.ZonesOf})
	if err != nil {
		b.Fatal(err)
	}
	have, err := ix.Count()
	if err != nil {
		b.Fatal(err)
	}
	if int(have) > *scale {
		ix.Close()
		b.Fatalf("%s holds %d missions, more than -index.scale=%d: give another -index.dir", dir, have, *scale)
	}
	src, err := synthrec.New(1)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	err = src.Batches(context.Background(), int(have), *scale-int(have), 500, 0, func(items []synthrec.Item) error {
		ms := make([]*mission.Mission, len(items))
		for i, it := range items {
			ms[i] = it.Mission
		}
		return ix.PutBatch(ms)
	})
	if err != nil {
		b.Fatal(err)
	}
	if int(have) < *scale {
		b.Logf("indexed missions %d to %d in %v", have, *scale, time.Since(t0))
	}
	// The first search reads each segment's facet values once: not timed.
	if _, err := ix.Search(context.Background(), Query{Text: "ville"}); err != nil {
		b.Fatal(err)
	}
	scaled.ix = ix
	return ix
}

// TestMain closes the synthetic index a benchmark opened, and removes it
// when it is a temporary one.
func TestMain(m *testing.M) {
	code := m.Run()
	if scaled.ix != nil {
		scaled.ix.Close()
		if scaled.temp != "" {
			os.RemoveAll(scaled.temp)
		}
	}
	os.Exit(code)
}

// BenchmarkSearchScale measures Search with every facet over the synthetic
// index of -index.scale missions, for each class of synthrec.Classes (one
// word, several words, facets selected, a word every mission holds), and
// reports the median and the 99th percentile besides the mean. CI runs it
// at the default, small, size; BENCHMARKS.md gives the commands at 10,000
// and 100,000.
func BenchmarkSearchScale(b *testing.B) {
	ix := scaleIndex(b)
	ctx := context.Background()
	for _, c := range synthrec.Classes {
		b.Run(c.Name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var hits, scored int
			ix.trace = func(h, s int) { hits, scored = hits+h, scored+s }
			defer func() { ix.trace = nil }()
			for i := 0; b.Loop(); i++ {
				sq := c.Queries[i%len(c.Queries)]
				q := Query{Text: sq.Text, Filters: sq.Filters, YearFrom: sq.YearFrom, Size: 10}
				t0 := time.Now()
				if _, err := ix.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			reportLatency(b, lat)
			if hits > 0 {
				// The share of hits whose frequencies the engine read: those
				// whose bound from their marks could reach the page.
				b.ReportMetric(float64(scored)/float64(hits), "scored/hit")
			}
		})
	}
}

// reportLatency adds the median and the 99th percentile of lat to b's report.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
