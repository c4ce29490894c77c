package index

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestGuardedTurnsPanicIntoError: a panic becomes the error returned, and
// an error or nil passes through.
func TestGuardedTurnsPanicIntoError(t *testing.T) {
	err := guarded(func() error {
		var bits []uint64
		_ = bits[3] // index out of range, as on a damaged segment
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("guarded(panic) = %v, want the panic as an error", err)
	}
	want := errors.New("x")
	if err := guarded(func() error { return want }); err != want {
		t.Errorf("guarded(error) = %v, want %v", err, want)
	}
	if err := guarded(func() error { return nil }); err != nil {
		t.Errorf("guarded(nil) = %v", err)
	}
}

// TestHalvesReturnsPanic: a panic in halves or inHalves comes back as an
// error whether the work runs in two goroutines or in the caller's alone
// (one segment, a few documents, or one processor).
func TestHalvesReturnsPanic(t *testing.T) {
	for _, s := range []*snapshot{
		{segs: make([]*scorch.SegmentSnapshot, 4), base: []uint64{0, 10, 20, 30}, maxDoc: 40},
		{segs: make([]*scorch.SegmentSnapshot, 1), base: []uint64{0}, maxDoc: 40},
	} {
		err := s.halves(func(h, lo, hi int) {
			if h == 1 {
				panic("late half")
			}
		})
		if err == nil || !strings.Contains(err.Error(), "late half") {
			t.Errorf("halves over %d segments = %v, want the second half's panic as an error", len(s.segs), err)
		}
	}
	s := &snapshot{segs: make([]*scorch.SegmentSnapshot, 1), base: []uint64{0}, maxDoc: 40}
	err := s.inHalves(nil, nil, make([]uint32, 3), func(h, lo, hi int) error { panic("few documents") })
	if err == nil || !strings.Contains(err.Error(), "few documents") {
		t.Errorf("inHalves over 3 documents = %v, want the panic as an error", err)
	}
}

// TestBothWaitsAndReturnsPanics: a panic on either side of both comes back
// as its error, and both returns only once the other side is done, even
// when the caller's side panicked.
func TestBothWaitsAndReturnsPanics(t *testing.T) {
	for _, first := range []bool{true, false} {
		var done atomic.Bool
		slow := func() error { time.Sleep(20 * time.Millisecond); done.Store(true); return nil }
		boom := func() error { panic("one side") }
		a, b := boom, slow
		if !first {
			a, b = slow, boom
		}
		err := both(a, b)
		if err == nil || !strings.Contains(err.Error(), "one side") {
			t.Errorf("panic in the caller's side %v: both = %v, want the panic as an error", first, err)
		}
		if !done.Load() {
			t.Errorf("panic in the caller's side %v: both returned before the other side was done", first)
		}
	}
}
