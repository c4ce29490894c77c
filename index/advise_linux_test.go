package index

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"escale/internal/mission"
)

// TestSegmentsReadAtRandom checks that after a search every mapped segment
// file of the index is advised MADV_RANDOM (« rr » among its VmFlags in
// /proc/self/smaps), the segments of later writes too.
func TestSegmentsReadAtRandom(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var ms []*mission.Mission
	loadJSON(t, filepath.Join("testdata", "search", "missions.json"), &ms)
	for i, m := range ms {
		if err := ix.Put(m); err != nil {
			t.Fatal(err)
		}
		if i == 0 || i == len(ms)-1 {
			if _, err := ix.Search(context.Background(), Query{Text: "port"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	mapped, random := 0, 0
	header := regexp.MustCompile(`^[0-9a-f]+-[0-9a-f]+ `)
	var path string
	for _, line := range strings.Split(string(b), "\n") {
		if header.MatchString(line) {
			path = ""
			if at := strings.Index(line, " /"); at >= 0 {
				path = line[at+1:]
			}
			continue
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && strings.HasPrefix(path, real+"/") && strings.HasSuffix(path, ".zap") {
			mapped++
			if strings.Contains(flags+" ", " rr ") {
				random++
			}
		}
	}
	if mapped == 0 {
		t.Fatal("no segment file of the index is mapped: nothing checked")
	}
	if random != mapped {
		t.Errorf("%d of %d mapped segment files advised random reads, want all", random, mapped)
	}
}
