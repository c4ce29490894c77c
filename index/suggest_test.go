package index

import (
	"context"
	"testing"
)

func TestSuggestRespellsWordsNoMissionHolds(t *testing.T) {
	ix, _ := openSample(t)
	tests := []struct{ text, want string }{
		{"patrimoine", ""},            // every word is there
		{"patrimoinne", "patrimoine"}, // one letter too many
		{"rotterdma", "rotterdam"},    // two letters swapped
		{"delegation a Quebec", ""},   // folded words are there too
		{"mission à Bordaux", "mission à bordeaux"},
		{"xyzzyq", ""}, // nothing near
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ix.Suggest(context.Background(), tt.text)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", tt.text, err)
		}
		if got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
