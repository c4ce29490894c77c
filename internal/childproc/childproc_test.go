package childproc

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestOutput(t *testing.T) {
	ctx := context.Background()
	run := func(ctx context.Context, script string, stdin string, max int) ([]byte, error) {
		return Output(ctx, Command(ctx, "sh", "-c", script), []byte(stdin), 1<<30, max)
	}
	if out, err := run(ctx, "cat", "page 1", 100); err != nil || string(out) != "page 1" {
		t.Errorf("Output(cat) = %q, %v; want its input back", out, err)
	}
	if _, err := run(ctx, "head -c 5000 /dev/zero", "", 100); !errors.Is(err, ErrOutput) {
		t.Errorf("Output(5000 bytes, cap 100) = %v, want ErrOutput", err)
	}
	_, err := run(ctx, "echo first >&2; echo 'no such page' >&2; exit 3", "", 100)
	if err == nil || !strings.Contains(err.Error(), "no such page") || strings.Contains(err.Error(), "first") {
		t.Errorf("Output(failing) = %v, want its last error line", err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := run(short, "sleep 30", "", 100); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Output(sleep 30, 100 ms) = %v, want the deadline", err)
	}
}

func TestCapped(t *testing.T) {
	b := NewCapped(8)
	if n, err := b.Write([]byte("12345678")); n != 8 || err != nil {
		t.Fatalf("Write(8 bytes under max 8) = %d, %v, want 8, nil", n, err)
	}
	if _, err := b.Write([]byte("9")); !errors.Is(err, ErrOutput) || !b.Overflowed() {
		t.Errorf("Write(9th byte under max 8) error = %v, overflowed %v, want ErrOutput and overflowed", err, b.Overflowed())
	}
	if string(b.Bytes()) != "12345678" {
		t.Errorf("Capped kept %q, want %q", b.Bytes(), "12345678")
	}
	if _, ok := any(b).(io.ReaderFrom); ok {
		t.Errorf("Capped is an io.ReaderFrom: io.Copy would bypass its cap")
	}
}
