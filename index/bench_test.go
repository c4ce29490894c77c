package index

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
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

var scale = flag.Int("index.scale", 5000, "missions in BenchmarkSearchScale's synthetic index")

// syntheticMissions makes n missions from the visible corpus's annotations:
// each takes its structure from one report and its paragraphs, objectives
// and outcomes from random others, with a made-up destination and year, so
// that term statistics stay French and mission-like at any size.
func syntheticMissions(t testing.TB, n int) []*mission.Mission {
	base := truthMissions(t)
	var paras []string
	for _, m := range base {
		for _, p := range strings.Split(m.Text, "\n") {
			if len(p) > 40 {
				paras = append(paras, p)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]*mission.Mission, n)
	for i := range out {
		b := base[rng.IntN(len(base))]
		m := *b
		m.MissionID = fmt.Sprintf("syn-%06d", i)
		m.Filename = m.MissionID + ".pdf"
		y := 2000 + rng.IntN(27)
		m.Year = &y
		d := fmt.Sprintf("%d-%02d-%02d", y, 1+rng.IntN(12), 1+rng.IntN(28))
		m.StartDate, m.EndDate = &d, &d
		city := fmt.Sprintf("Ville%d", rng.IntN(n/20+1))
		m.Destinations = []mission.Destination{{City: city, Country: fmt.Sprintf("Pays%d", rng.IntN(60))}}
		var text []string
		for range 25 + rng.IntN(30) {
			text = append(text, paras[rng.IntN(len(paras))])
		}
		m.Text = strings.Join(text, "\n")
		m.Objectives = nil
		for range 3 + rng.IntN(4) {
			o := base[rng.IntN(len(base))]
			if len(o.Objectives) > 0 {
				m.Objectives = append(m.Objectives, o.Objectives[rng.IntN(len(o.Objectives))])
			}
		}
		m.Outcomes = nil
		for range 4 + rng.IntN(6) {
			o := base[rng.IntN(len(base))]
			if len(o.Outcomes) > 0 {
				m.Outcomes = append(m.Outcomes, o.Outcomes[rng.IntN(len(o.Outcomes))])
			}
		}
		m.Sections = []mission.Section{
			{Heading: "Contexte", Kind: mission.KindContext, Text: strings.Join(text[:5], "\n"), Page: 1},
			{Heading: "Programme", Kind: mission.KindProgram, Text: strings.Join(text[5:12], "\n"), Page: 2},
			{Heading: "Suivis", Kind: mission.KindFollowup, Text: strings.Join(text[12:], "\n"), Page: 3},
		}
		out[i] = &m
	}
	return out
}

var scaled struct {
	sync.Mutex
	ix  *Index
	dir string
}

// scaleIndex builds the synthetic index once per process (benchmarks run
// several times to find b.N), under the system's temp dir.
func scaleIndex(b *testing.B) *Index {
	scaled.Lock()
	defer scaled.Unlock()
	if scaled.ix != nil {
		return scaled.ix
	}
	ms := syntheticMissions(b, *scale)
	dir, err := os.MkdirTemp("", "escale-scale-")
	if err != nil {
		b.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	for i := 0; i < len(ms); i += 500 {
		if err := ix.PutBatch(ms[i:min(i+500, len(ms))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("indexed %d missions in %v", len(ms), time.Since(t0))
	scaled.ix, scaled.dir = ix, dir
	return ix
}

// TestMain removes the synthetic index a benchmark built.
func TestMain(m *testing.M) {
	code := m.Run()
	if scaled.ix != nil {
		scaled.ix.Close()
		os.RemoveAll(scaled.dir)
	}
	os.Exit(code)
}

// BenchmarkSearchScale measures Search with every facet over a synthetic
// index of -index.scale missions (built once, not timed).
func BenchmarkSearchScale(b *testing.B) {
	ix := scaleIndex(b)
	queries, err := score.LoadQueries(corpusDir)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := queries[i%len(queries)]
		t0 := time.Now()
		if _, err := ix.Search(ctx, Query{Text: j.Q, Size: 10}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
