package worker

import (
	"strings"
	"testing"
)

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
