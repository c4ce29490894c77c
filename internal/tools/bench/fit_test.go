package main

import (
	"testing"
	"time"
)

// TestFitLine recovers a cost per file and a cost per page from points on
// that line, and gives nothing when one page count cannot fix a slope.
func TestFitLine(t *testing.T) {
	var f fit
	for _, pages := range []int{2, 3, 6, 2, 5} {
		f.add(pages, 3*time.Millisecond+time.Duration(pages)*2*time.Millisecond)
	}
	fixed, per := f.line()
	if d := fixed - 3*time.Millisecond; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("fixed cost %v, want 3ms", fixed)
	}
	if d := per - 2*time.Millisecond; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("cost per page %v, want 2ms", per)
	}
	var one fit
	one.add(4, time.Second)
	one.add(4, 2*time.Second)
	if fixed, per := one.line(); fixed != 0 || per != 0 {
		t.Errorf("one page count: %v, %v, want 0, 0", fixed, per)
	}
}
