package worker

import (
	"io"
	"strings"
	"testing"
)

func TestCappedBuffer(t *testing.T) {
	b := &cappedBuffer{max: 8}
	if n, err := b.Write([]byte("12345678")); n != 8 || err != nil {
		t.Fatalf("Write(8 bytes under max 8) = %d, %v, want 8, nil", n, err)
	}
	if _, err := b.Write([]byte("9")); err == nil || !b.overflow {
		t.Errorf("Write(9th byte under max 8) error = %v, overflow %v, want an error and overflow", err, b.overflow)
	}
	if string(b.Bytes()) != "12345678" {
		t.Errorf("cappedBuffer kept %q, want %q", b.Bytes(), "12345678")
	}
	if _, ok := any(b).(io.ReaderFrom); ok {
		t.Errorf("cappedBuffer is an io.ReaderFrom: io.Copy would bypass its cap")
	}
}

func TestTailBuffer(t *testing.T) {
	b := &tailBuffer{max: 10}
	for _, s := range []string{"goroutine 1 [running]:\n", "main.main()\n", "panic: x\n"} {
		b.Write([]byte(s))
	}
	if got, want := b.String(), "panic: x\n"; !strings.HasSuffix(got, want) || len(got) != 10 {
		t.Errorf("tailBuffer(max 10) = %q, want the last 10 bytes ending %q", got, want)
	}
}

func TestDecodeResponse(t *testing.T) {
	tests := []struct {
		out     string
		refusal string
		ok      bool
	}{
		{`{"refusal":"damaged"}` + "\n", "damaged", true},
		{"stray print\n" + `{"refusal":"encrypted","detail":"x"}` + "\n", "encrypted", true},
		{`{"refusal":"dam`, "", false},
		{"", "", false},
		{"{}\n", "", false},
		{"panic: boom\n", "", false},
	}
	for _, tt := range tests {
		r, ok := decodeResponse([]byte(tt.out))
		if ok != tt.ok || r.Refusal != tt.refusal {
			t.Errorf("decodeResponse(%q) = %q, %v, want %q, %v", tt.out, r.Refusal, ok, tt.refusal, tt.ok)
		}
	}
}

func TestChildEnv(t *testing.T) {
	env := []string{"PATH=/usr/bin", "ESCALE_TOKEN=s3cret", "escale_token_file=/x", "HOME=/root", "AWS_SECRET_ACCESS_KEY=k", "LANG=fr_CA.UTF-8"}
	got := strings.Join(childEnv(env), " ")
	if want := "PATH=/usr/bin HOME=/root LANG=fr_CA.UTF-8"; got != want {
		t.Errorf("childEnv(%q) = %q, want %q", env, got, want)
	}
}
