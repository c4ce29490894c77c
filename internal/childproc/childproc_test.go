package childproc

import (
	"context"
	"errors"
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
