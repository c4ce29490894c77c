package testlog

import (
	"strings"
	"sync"
	"testing"
)

// TestBufferConcurrent writes from several goroutines while reading, and
// checks that every write is kept whole (go test -race checks the rest).
func TestBufferConcurrent(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if _, err := b.Write([]byte("ligne\n")); err != nil {
					t.Error(err)
				}
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := strings.Count(b.String(), "ligne\n"); got != 800 {
		t.Errorf("Buffer holds %d lines, want 800", got)
	}
}
