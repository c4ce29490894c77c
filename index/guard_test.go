package index

import (
	"errors"
	"strings"
	"testing"
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
