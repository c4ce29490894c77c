package index

import (
	"context"
	"flag"
	"testing"

	"escale/internal/score"
)

var verbose = flag.Bool("relevance.v", false, "print each judged query's ranking")

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

// TestRelevance scores the judged queries of the visible corpus exactly as
// score.py's search mode does (mission level, gains 2^grade − 1, ten hits
// asked with the query's filters).
func TestRelevance(t *testing.T) {
	ix := openCorpus(t)
	queries, err := score.LoadQueries(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var nd10, nd5, rc10 float64
	for _, j := range queries {
		res, err := ix.Search(context.Background(), Query{Text: j.Q, Filters: j.Filters, Size: 10})
		if err != nil {
			t.Fatalf("Search(%q, %v): %v", j.Q, j.Filters, err)
		}
		var ranked []string
		for _, h := range res.Hits {
			ranked = append(ranked, h.MissionID)
		}
		a, b, c := score.NDCG(ranked, j.Relevant, 10), score.NDCG(ranked, j.Relevant, 5), score.Recall(ranked, j.Relevant, 10)
		nd10, nd5, rc10 = nd10+a, nd5+b, rc10+c
		if *verbose || a < 0.9 {
			t.Logf("%-55.55q ndcg10=%.3f ndcg5=%.3f recall10=%.2f got=%v", j.Q, a, b, c, ranked)
		}
	}
	n := float64(len(queries))
	nd10, nd5, rc10 = nd10/n, nd5/n, rc10/n
	t.Logf("queries=%d ndcg10=%.4f ndcg5=%.4f recall10=%.4f", len(queries), nd10, nd5, rc10)
	for _, m := range []struct {
		name      string
		got, want float64
	}{{"ndcg10", nd10, 0.98}, {"ndcg5", nd5, 0.97}, {"recall10", rc10, 0.98}} {
		if m.got < m.want {
			t.Errorf("%s = %.4f, want ≥ %.2f", m.name, m.got, m.want)
		}
	}
}
