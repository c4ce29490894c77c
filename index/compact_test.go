package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
	"escale/internal/testlog"
	"escale/internal/tools/synthrec"
)

// segments counts the missions index's segments.
func segments(t *testing.T, ix *Index) int {
	t.Helper()
	s, ok, err := openSnapshot(ix.missions, nil)
	if err != nil || !ok {
		t.Fatalf("openSnapshot: %v, %v", ok, err)
	}
	defer s.close()
	return len(s.segs)
}

// TestCompact checks that Compact leaves a few segments, but two at least,
// none holding more than half the missions (ten segments would merge
// into one without that cap), and that every search gives the same totals,
// facets and scores as before (ties may change order: merging renumbers
// the documents).
func TestCompact(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 200 synthetic records")
	}
	ix, all := syntheticIndex(t, 11, 200, 20) // ten segments
	defer ix.Close()
	ctx := context.Background()
	for i := 0; i < len(all); i += 9 {
		if err := ix.Delete(all[i].MissionID); err != nil {
			t.Fatal(err)
		}
	}
	before, after, err := ix.Compact(ctx)
	if err != nil || after != before {
		t.Fatalf("Compact of %d missions = %d, %d, %v; want as many segments after as before (below compactMin)", len(all), before, after, err)
	}
	if n := segments(t, ix); n != before {
		t.Fatalf("Compact counted %d segments, the index has %d", before, n)
	}
	if before <= compactAbove {
		t.Fatalf("%d segments before compacting, want more than %d (Compact merged below compactMin?)", before, compactAbove)
	}
	var qs []Query
	for _, c := range synthrec.Classes {
		for _, sq := range c.Queries {
			qs = append(qs, Query{Text: sq.Text, Filters: sq.Filters, YearFrom: sq.YearFrom, Size: 20})
		}
	}
	want := make([]*Result, len(qs))
	for i, q := range qs {
		var err error
		if want[i], err = ix.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	if b, a, err := ix.compact(ctx, 0); err != nil || b != before || a >= b {
		t.Fatalf("compact = %d, %d, %v; want %d segments, then fewer", b, a, err, before)
	}
	after = segments(t, ix)
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := openSnapshot(ix.missions, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ss := range s.segs {
		if live := ss.Count() - ss.Deleted().GetCardinality(); live > n/2+1 {
			t.Errorf("a segment holds %d of %d missions, more than half", live, n)
		}
	}
	s.close()
	if after >= before || after > compactSegments || after < 2 {
		t.Errorf("%d segments after compacting, %d before: want 2 to %d", after, before, compactSegments)
	}
	if b, a, err := ix.compact(ctx, 0); err != nil || b != after || a != after {
		t.Errorf("compact again = %d, %d, %v; want %d and %d (already compact)", b, a, err, after, after)
	}
	t.Logf("%d segments -> %d", before, after)
	for i, q := range qs {
		got, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want[i].Total || !reflect.DeepEqual(got.Facets, want[i].Facets) {
			t.Errorf("Search(%q): total %d, facets %v after compacting; before %d, %v", q.Text, got.Total, got.Facets, want[i].Total, want[i].Facets)
			continue
		}
		for k := range got.Hits {
			if a, b := got.Hits[k].Score, want[i].Hits[k].Score; math.Abs(a-b) > 1e-9*math.Max(1, b) {
				t.Errorf("Search(%q): hit %d scores %v after compacting, %v before", q.Text, k, a, b)
			}
		}
	}
	compareEngine(t, ix, qs)
}

// tinyIndex opens an index in dir and puts n small missions in it, batch at
// a time: one segment per batch, far quicker than syntheticIndex's reports.
// The missions' ids are m000, m001... Bleve merges segments of ten missions
// itself once a write finds more than ten of them: 90 in batches of 10 make
// 9 segments, which stay until Compact merges them, and one more write
// leaves 10.
func tinyIndex(t *testing.T, dir string, n, batch int) *Index {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for from := 0; from < n; from += batch {
		var ms []*mission.Mission
		for i := from; i < min(from+batch, n); i++ {
			ms = append(ms, tinyMission(fmt.Sprintf("m%03d", i)))
		}
		if err := ix.PutBatch(ms); err != nil {
			ix.Close()
			t.Fatal(err)
		}
	}
	return ix
}

func tinyMission(id string) *mission.Mission {
	return &mission.Mission{MissionID: id, Title: mission.Ptr("Mission " + id), Text: "Une visite courte à Lisbonne, mission " + id + ".", Pages: 1}
}

// sortedIDs lists the missions an index holds.
func sortedIDs(t *testing.T, ix *Index) []string {
	t.Helper()
	ids, err := ix.IDs()
	if err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(maps.Keys(ids))
}

// TestCompactLeavesFewSegmentsAlone checks that Compact merges nothing when
// the index holds compactAbove segments or fewer: a few writes after a
// compaction do not make it rewrite the index.
func TestCompactLeavesFewSegmentsAlone(t *testing.T) {
	ix := tinyIndex(t, t.TempDir(), compactAbove*10, 10) // compactAbove segments
	defer ix.Close()
	before := segments(t, ix)
	if before < compactSegments+1 || before > compactAbove {
		t.Fatalf("%d segments built, want %d to %d", before, compactSegments+1, compactAbove)
	}
	if b, a, err := ix.compact(context.Background(), 0); b != before || a != before || err != nil {
		t.Errorf("compact of %d segments = %d, %d, %v; want %d, %d, nil", before, b, a, err, before, before)
	}
	if after := segments(t, ix); after != before {
		t.Errorf("%d segments after compact, want the %d there were", after, before)
	}
}

// TestCompactWithWrites checks that missions put and deleted while Compact
// merges are kept as written, before and after the index is closed and
// opened again.
func TestCompactWithWrites(t *testing.T) {
	dir := t.TempDir()
	ix := tinyIndex(t, dir, 90, 10)
	defer func() { ix.Close() }()
	if n := segments(t, ix); n <= compactAbove {
		t.Fatalf("%d segments built, want more than %d", n, compactAbove)
	}
	want := map[string]bool{}
	for _, id := range sortedIDs(t, ix) {
		want[id] = true
	}
	merged := make(chan error, 1)
	go func() {
		_, _, err := ix.compact(context.Background(), 0)
		merged <- err
	}()
	for i := range 10 {
		id := fmt.Sprintf("new%d", i)
		if err := ix.Put(tinyMission(id)); err != nil {
			t.Fatal(err)
		}
		want[id] = true
		old := fmt.Sprintf("m%03d", i*7)
		if err := ix.Delete(old); err != nil {
			t.Fatal(err)
		}
		delete(want, old)
	}
	if err := <-merged; err != nil {
		t.Fatalf("compact with writes: %v", err)
	}
	wantIDs := slices.Sorted(maps.Keys(want))
	if got := sortedIDs(t, ix); !slices.Equal(got, wantIDs) {
		t.Errorf("ids after compacting while writing = %v, want %v", got, wantIDs)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedIDs(t, ix); !slices.Equal(got, wantIDs) {
		t.Errorf("ids after opening again = %v, want %v", got, wantIDs)
	}
}

// TestCompactStopped checks that a compaction cancelled, or cut short by
// Close, loses nothing: the index opens again with every mission.
func TestCompactStopped(t *testing.T) {
	for _, stop := range []string{"cancel", "close"} {
		t.Run(stop, func(t *testing.T) {
			dir := t.TempDir()
			ix := tinyIndex(t, dir, 90, 10)
			want := sortedIDs(t, ix)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				_, _, err := ix.compact(ctx, 0)
				done <- err
			}()
			var closeErr error
			switch stop {
			case "cancel":
				cancel()
				if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("compact cancelled: %v, want nil or context.Canceled", err)
				}
				closeErr = ix.Close()
			case "close":
				// What a service must not do (it cancels first): the
				// index stays whole even so.
				closeErr = ix.Close()
				<-done
			}
			cancel()
			if closeErr != nil {
				t.Fatalf("Close: %v", closeErr)
			}
			ix, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if got := sortedIDs(t, ix); !slices.Equal(got, want) {
				t.Errorf("ids after a compaction stopped by %s = %d missions, want %d:\n%v", stop, len(got), len(want), got)
			}
		})
	}
}

// smallIndex is an Index whose Compact merges whatever its missions' count
// (compactMin would want thousands), for the service's tests below.
type smallIndex struct {
	*Index
	started chan struct{} // receives when a compaction starts
}

func (s smallIndex) Compact(ctx context.Context) (before, after int, err error) {
	s.started <- struct{}{}
	return s.compact(ctx, 0)
}

// lineReader reads a report as its own text, its first line the title.
type lineReader struct{}

func (lineReader) Extract(_ context.Context, data []byte, filename string) (*mission.Mission, error) {
	title, _, _ := strings.Cut(string(data), "\n")
	return &mission.Mission{Filename: filename, Title: &title, Text: string(data), Pages: 1}, nil
}

// TestServiceCompactsWhenIdle checks the service's compaction when idle
// (internal/service) over a real index: after a write, then no write for
// its delay, the segments are merged, and a write while they are is kept;
// Close during the compaction stops it, after which the index opens with
// every mission.
func TestServiceCompactsWhenIdle(t *testing.T) {
	for _, closeEarly := range []bool{false, true} {
		t.Run(fmt.Sprintf("close early %v", closeEarly), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			ix := tinyIndex(t, filepath.Join(dir, "index"), 90, 10)
			defer func() { ix.Close() }()
			before := segments(t, ix)
			if before <= compactAbove {
				t.Fatalf("%d segments built, want more than %d", before, compactAbove)
			}
			st, err := store.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			idx := smallIndex{Index: ix, started: make(chan struct{}, 4)}
			logs := &testlog.Buffer{}
			svc, err := service.New(ctx, st, idx, lineReader{}, service.Config{CompactIdle: 10 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			want := sortedIDs(t, ix)
			res, err := svc.Ingest(ctx, service.Upload{Filename: "r.txt", Data: []byte("Mission à Porto\nUne visite du port.")})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, res.Mission.MissionID)
			slices.Sort(want)
			select {
			case <-idx.started:
			case <-time.After(10 * time.Second):
				t.Fatal("no compaction 10 s after the last write")
			}
			if closeEarly {
				svc.Close()
				if err := ix.Close(); err != nil {
					t.Fatal(err)
				}
				if ix, err = Open(filepath.Join(dir, "index"), Options{}); err != nil {
					t.Fatal(err)
				}
			} else {
				// A write while the compaction runs (or just after): kept,
				// in a segment of its own.
				res, err := svc.Ingest(ctx, service.Upload{Filename: "s.txt", Data: []byte("Mission à Braga\nUne autre visite.")})
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, res.Mission.MissionID)
				slices.Sort(want)
				// Merged by Compact, not by Bleve's own merging: the service
				// says so once Compact has returned. (The segments alone
				// drop as soon as the merge is in, before Compact returns:
				// closing then would cancel it.)
				compacted := fmt.Sprintf(`msg="index compacted" segments_before=%d`, before+1)
				deadline := time.Now().Add(10 * time.Second)
				for !strings.Contains(logs.String(), compacted) {
					if time.Now().After(deadline) {
						t.Fatalf("service log lacks %q 10 s after a compaction started:\n%s", compacted, logs)
					}
					time.Sleep(time.Millisecond)
				}
				if n := segments(t, ix); n > compactSegments+1 {
					t.Errorf("%d segments after the compaction, %d before; want %d at most", n, before, compactSegments+1)
				}
				svc.Close()
			}
			if got := sortedIDs(t, ix); !slices.Equal(got, want) {
				t.Errorf("ids after the compaction = %d missions, want %d:\n%v", len(got), len(want), got)
			}
		})
	}
}
