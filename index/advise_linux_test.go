package index

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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
		if i == len(ms)/2 { // advises the first segments; the later ones come after
			if _, err := ix.Search(context.Background(), Query{Text: "port"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Bleve writes segments to disk and merges them in the background:
	// the search after a new segment advises it. Search until every mapped
	// segment is advised, or give up.
	var mapped, random int
	for try := 0; try < 100; try++ {
		if _, err := ix.Search(context.Background(), Query{Text: "port"}); err != nil {
			t.Fatal(err)
		}
		mapped, random = adviceOf(t, real)
		if mapped > 0 && random == mapped {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	if mapped == 0 {
		t.Fatal("no segment file of the index is mapped: nothing checked")
	}
	if random != mapped {
		t.Errorf("%d of %d mapped segment files advised random reads, want all", random, mapped)
	}
}

// adviceOf counts the mappings of segment files under dir in
// /proc/self/smaps, and those advised random reads (« rr »).
func adviceOf(t *testing.T, dir string) (mapped, random int) {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
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
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && strings.HasPrefix(path, dir+"/") && strings.HasSuffix(path, ".zap") {
			mapped++
			if strings.Contains(flags+" ", " rr ") {
				random++
			}
		}
	}
	return mapped, random
}
