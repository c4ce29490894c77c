package index

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"escale/internal/extract"
	"escale/internal/meta"
	"escale/internal/mission"
	"escale/internal/score"
)

var verbose = flag.Bool("relevance.v", false, "print each judged query's ranking")

// The acceptance thresholds of issue 3 on the visible corpus.
var relevanceBar = []struct {
	name string
	want float64
}{{"ndcg10", 0.98}, {"ndcg5", 0.97}, {"recall10", 0.98}}

// openCorpus indexes the visible corpus (from its annotations) in a temp dir.
func openCorpus(t testing.TB) *Index {
	t.Helper()
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.PutBatch(truthMissions(t)); err != nil {
		t.Fatalf("PutBatch: %v", err)
	}
	return ix
}

// judge runs the judged queries of the visible corpus exactly as score.py's
// search mode does (mission level, gains 2^grade − 1, ten hits asked with
// the query's filters, missions in left out) and checks the bar.
func judge(t *testing.T, ix *Index, left map[string]bool) {
	queries, err := score.LoadQueries(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var nd10, nd5, rc10, n float64
	for _, j := range queries {
		rel := map[string]int{}
		for id, g := range j.Relevant {
			if !left[id] {
				rel[id] = g
			}
		}
		if len(rel) == 0 {
			continue
		}
		res, err := ix.Search(context.Background(), Query{Text: j.Q, Filters: j.Filters, Size: 10})
		if err != nil {
			t.Fatalf("Search(%q, %v): %v", j.Q, j.Filters, err)
		}
		var ranked []string
		for _, h := range res.Hits {
			ranked = append(ranked, h.MissionID)
		}
		a, b, c := score.NDCG(ranked, rel, 10), score.NDCG(ranked, rel, 5), score.Recall(ranked, rel, 10)
		nd10, nd5, rc10, n = nd10+a, nd5+b, rc10+c, n+1
		if *verbose || a < 0.9 {
			t.Logf("%-55.55q ndcg10=%.3f ndcg5=%.3f recall10=%.2f got=%v", j.Q, a, b, c, ranked)
		}
	}
	got := map[string]float64{"ndcg10": nd10 / n, "ndcg5": nd5 / n, "recall10": rc10 / n}
	t.Logf("queries=%.0f ndcg10=%.4f ndcg5=%.4f recall10=%.4f", n, got["ndcg10"], got["ndcg5"], got["recall10"])
	for _, m := range relevanceBar {
		if got[m.name] < m.want {
			t.Errorf("%s = %.4f over the visible corpus, want ≥ %.2f", m.name, got[m.name], m.want)
		}
	}
}

// TestRelevance judges the ranking over records made from the corpus's
// annotations: the search alone, whatever the extractor does.
func TestRelevance(t *testing.T) {
	judge(t, openCorpus(t), nil)
}

// TestRelevanceExtracted judges it over the records the extractor makes of
// the visible corpus, as the service indexes them; a scan the extractor
// refuses is left out of the judgments, as score.py leaves it out.
func TestRelevanceExtracted(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts the whole corpus")
	}
	truth, err := score.LoadTruth(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	k := meta.DefaultKnowledge()
	var ms []*mission.Mission
	refused := map[string]bool{}
	for _, tr := range truth {
		data, err := os.ReadFile(filepath.Join(corpusDir, "files", tr.File))
		if err != nil {
			t.Fatal(err)
		}
		m, err := extract.Extract(context.Background(), data, tr.File, extract.Options{Knowledge: k})
		if err != nil {
			if tr.Format != "scan-pdf" {
				t.Errorf("Extract(%s): %v", tr.File, err)
			}
			refused[tr.ID] = true
			continue
		}
		m.MissionID = tr.ID
		ms = append(ms, m)
	}
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.PutBatch(ms); err != nil {
		t.Fatal(err)
	}
	judge(t, ix, refused)
}
