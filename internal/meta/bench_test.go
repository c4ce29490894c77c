package meta

import (
	"testing"

	"escale/internal/score"
)

func BenchmarkFill(b *testing.B) {
	truths, err := score.LoadTruth("../../testdata/corpus/visible")
	if err != nil {
		b.Fatal(err)
	}
	k := DefaultKnowledge()
	b.ResetTimer()
	for b.Loop() {
		for _, tr := range truths {
			Fill(fromTruth(tr), Source{}, k)
		}
	}
}
