package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMemoryCgroup runs a program through wrap and checks that it ran in
// the group, under its limit. It needs root and a writable cgroup file
// system, and skips without them.
func TestMemoryCgroup(t *testing.T) {
	name := fmt.Sprintf("escale-bench-test-%d", os.Getpid())
	g, err := newMemoryCgroup(name, 64<<20)
	if err != nil {
		t.Skipf("no memory cgroup here: %v", err)
	}
	argv := g.wrap([]string{"cat", "/proc/self/cgroup"})
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%q: %v\n%s", argv, err, out)
	}
	if !strings.Contains(string(out), "/"+name) {
		t.Errorf("%q printed %q, want a line naming the group %s", argv, out, name)
	}
	if err := g.remove(); err != nil {
		t.Errorf("remove: %v", err)
	}
}
