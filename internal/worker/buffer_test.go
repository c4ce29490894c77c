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

func TestDecodeLine(t *testing.T) {
	tests := []struct {
		line    string
		seq     int64
		refusal string
		ok      bool
	}{
		{`{"seq":1,"refusal":"damaged"}` + "\n", 1, "damaged", true},
		{`{"seq":2,"refusal":"encrypted","detail":"x"}`, 2, "encrypted", true},
		{`{"seq":1,"refusal":"encrypted"}`, 2, "", false}, // another request's answer
		{`{"seq":1,"refusal":"dam`, 1, "", false},
		{"", 1, "", false},
		{`{"seq":1}`, 1, "", false},
		{"stray print\n", 1, "", false},
		{"panic: boom\n", 1, "", false},
	}
	for _, tt := range tests {
		r, ok := decodeLine([]byte(tt.line), tt.seq)
		if ok != tt.ok || (ok && r.Refusal != tt.refusal) {
			t.Errorf("decodeLine(%q, %d) = %q, %v, want %q, %v", tt.line, tt.seq, r.Refusal, ok, tt.refusal, tt.ok)
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
