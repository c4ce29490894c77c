package meta

import (
	"fmt"
	"strings"
	"testing"

	"escale/internal/mission"
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

// BenchmarkFillLongText fills a report whose text is one long paragraph of
// trip sentences and place names, the worst case for the place scans; its
// time per byte should not grow with the size (compare the sub-benchmarks).
func BenchmarkFillLongText(b *testing.B) {
	sentence := "La mission s’est déroulée à Lisbonne et à Porto du 3 au 7 mai 2024, via Paris, puis à Madrid (Espagne); le Port de Québec, au Québec, du Saint-Laurent. "
	k := DefaultKnowledge()
	for _, n := range []int{100, 1000} {
		text := strings.Repeat(sentence, n)
		b.Run(fmt.Sprintf("%dKB", len(text)/1000), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				title := "Mission à Lisbonne"
				Fill(&mission.Mission{Filename: "r.txt", Title: &title, Text: text}, Source{}, k)
			}
		})
	}
}
