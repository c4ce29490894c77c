package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/store"
)

// batchFixture is a service over a real catalog and an index that takes
// batches, with Ingest's commits held until release is called, so that the
// files ingested meanwhile wait together.
type batchFixture struct {
	svc *Service
	st  *store.Store
	idx *batchFakeIndex
}

func newBatchFixture(t *testing.T, idx *batchFakeIndex) *batchFixture {
	t.Helper()
	svc, st := newService(t, idx, &fakeExtractor{}, Config{Workers: 4, Queue: 16})
	return &batchFixture{svc: svc, st: st, idx: idx}
}

// ingestTogether ingests every file at once while commits are held, waits
// until all are read and queued, then lets them be written.
func (f *batchFixture) ingestTogether(t *testing.T, files map[string]string) (map[string]*Result, map[string]error) {
	t.Helper()
	f.svc.mu.Lock()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		res  = map[string]*Result{}
		errs = map[string]error{}
	)
	for name, data := range files {
		wg.Go(func() {
			r, err := f.svc.Ingest(context.Background(), Upload{Filename: name, Data: []byte(data), Source: "test"})
			mu.Lock()
			res[name], errs[name] = r, err
			mu.Unlock()
		})
	}
	for i := 0; ; i++ {
		f.svc.qmu.Lock()
		n := len(f.svc.queued)
		f.svc.qmu.Unlock()
		if n == len(files) {
			break
		}
		if i == 1000 {
			f.svc.mu.Unlock()
			t.Fatalf("%d files queued for their commit after 10 s, want %d", n, len(files))
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.svc.mu.Unlock()
	wg.Wait()
	return res, errs
}

func TestFilesReadTogetherAreWrittenTogether(t *testing.T) {
	f := newBatchFixture(t, &batchFakeIndex{fakeIndex: newFakeIndex()})
	ctx := context.Background()
	files := map[string]string{}
	for i := range 6 {
		files[fmt.Sprintf("%d.txt", i)] = fmt.Sprintf("Mission %d|Ville %d|%s", i, i, uniqueText(i))
	}
	res, errs := f.ingestTogether(t, files)
	for name := range files {
		if errs[name] != nil || res[name] == nil || !res[name].Created {
			t.Errorf("Ingest(%s) = %+v, %v, want a new mission", name, res[name], errs[name])
			continue
		}
		if f.idx.get(res[name].Mission.MissionID) == nil {
			t.Errorf("Ingest(%s): mission %s not in the index", name, res[name].Mission.MissionID)
		}
		if _, err := f.st.Get(ctx, res[name].Mission.MissionID); err != nil {
			t.Errorf("Ingest(%s): mission not in the catalog: %v", name, err)
		}
	}
	if want := []int{6}; !slices.Equal(f.idx.batches, want) {
		t.Errorf("index batches = %v, want %v: the six files read together written at once", f.idx.batches, want)
	}
	if stale, err := f.st.Stale(ctx); err != nil || len(stale) != 0 {
		t.Errorf("Stale() = %v, %v after the batch, want none: the index has them all", stale, err)
	}
	log, err := f.st.IngestLog(ctx, 10)
	if err != nil || len(log) != 6 {
		t.Fatalf("IngestLog = %d lines, %v, want 6", len(log), err)
	}
	for _, l := range log {
		if l.Outcome != store.Created || l.MissionID == "" {
			t.Errorf("ingest log line %+v, want created with its mission", l)
		}
	}
}

// TestSameBytesInOneBatch sends the same bytes twice, and a near copy,
// within one batch: one mission for the bytes, the other answered with it,
// and the near copy flagged as its twin although neither was in the catalog
// when the batch began.
func TestSameBytesInOneBatch(t *testing.T) {
	f := newBatchFixture(t, &batchFakeIndex{fakeIndex: newFakeIndex()})
	text := uniqueText(1)
	files := map[string]string{
		"a.txt":      "Mission|Lyon|" + text,
		"copie.txt":  "Mission|Lyon|" + text,
		"proche.txt": "Mission modifiée|Lyon|" + text + " Une phrase de plus.",
	}
	// Map order is random: which of a.txt and copie.txt comes first is not
	// known, only that one is created and the other is not.
	res, errs := f.ingestTogether(t, files)
	for name, err := range errs {
		if err != nil {
			t.Fatalf("Ingest(%s) error = %v", name, err)
		}
	}
	a, c := res["a.txt"], res["copie.txt"]
	if a.Mission.MissionID != c.Mission.MissionID || a.Created == c.Created {
		t.Errorf("same bytes twice in a batch: created %v (%s) and %v (%s), want one mission, created once",
			a.Created, a.Mission.MissionID, c.Created, c.Mission.MissionID)
	}
	// Whichever came first in the batch is the original, the other its twin.
	near := res["proche.txt"].Mission
	if !res["proche.txt"].Created || (near.DuplicateOf != a.Mission.MissionID) == (a.Mission.DuplicateOf != near.MissionID) {
		t.Errorf("near copy in the same batch: %s duplicate of %q, %s duplicate of %q, want one the twin of the other",
			near.MissionID, near.DuplicateOf, a.Mission.MissionID, a.Mission.DuplicateOf)
	}
	if n, _ := f.st.Count(context.Background()); n != 2 {
		t.Errorf("catalog holds %d missions, want 2", n)
	}
}

// rejectingIndex refuses missions titled "rejet", whole batches included.
type rejectingIndex struct{ *batchFakeIndex }

var errRejected = errors.New("fake index: rejected")

func (r rejectingIndex) Put(m *mission.Mission) error {
	if deref(m.Title) == "rejet" {
		return errRejected
	}
	return r.batchFakeIndex.Put(m)
}

func (r rejectingIndex) PutBatch(ms []*mission.Mission) error {
	for _, m := range ms {
		if deref(m.Title) == "rejet" {
			return errRejected
		}
	}
	return r.batchFakeIndex.PutBatch(ms)
}

// TestIndexFailureInABatchFailsOneFile checks that a mission the index
// rejects fails alone: the others of its batch are indexed.
func TestIndexFailureInABatchFailsOneFile(t *testing.T) {
	idx := &batchFakeIndex{fakeIndex: newFakeIndex()}
	f := newBatchFixture(t, idx)
	f.svc.index = rejectingIndex{idx}
	files := map[string]string{
		"a.txt":     "A|Lyon|" + uniqueText(1),
		"rejet.txt": "rejet|Lyon|" + uniqueText(2),
		"b.txt":     "B|Lyon|" + uniqueText(3),
	}
	res, errs := f.ingestTogether(t, files)
	for _, name := range []string{"a.txt", "b.txt"} {
		if errs[name] != nil || f.idx.get(res[name].Mission.MissionID) == nil {
			t.Errorf("Ingest(%s) beside a rejected mission = %v, want it indexed", name, errs[name])
		}
	}
	if err := errs["rejet.txt"]; !errors.Is(err, errRejected) || !strings.Contains(err.Error(), "stored but not indexed") {
		t.Errorf("Ingest(rejet.txt) error = %v, want the index's rejection, stored but not indexed", err)
	}
	stale, err := f.st.Stale(context.Background())
	if err != nil || len(stale) != 1 {
		t.Errorf("Stale() = %v, %v, want the rejected mission only, for Reconcile", stale, err)
	}
}

// uniqueText is a text no other i gives, far from every other's.
func uniqueText(i int) string {
	var b strings.Builder
	for j := range 40 {
		fmt.Fprintf(&b, "mot%dx%d ", i, j)
	}
	return b.String()
}

// gatedExtractor reads "title|city|text" files at once, except those
// starting with "attendre:", which wait for gate to close.
type gatedExtractor struct {
	fakeExtractor
	gate chan struct{}
}

func (g *gatedExtractor) Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error) {
	if rest, ok := strings.CutPrefix(string(data), "attendre:"); ok {
		<-g.gate
		data = []byte(rest)
	}
	return g.fakeExtractor.Extract(ctx, data, filename)
}

// TestLingerWaitsForFilesBeingRead checks Config.Linger: a file read waits
// while another is being read, and both are written together; a file read
// while no other is being read is written at once, whatever the linger.
func TestLingerWaitsForFilesBeingRead(t *testing.T) {
	ctx := context.Background()
	idx := &batchFakeIndex{fakeIndex: newFakeIndex()}
	ex := &gatedExtractor{gate: make(chan struct{})}
	svc, _ := newService(t, idx, ex, Config{Workers: 2, Linger: time.Hour})

	// Alone: written at once (the test would wait an hour otherwise).
	if _, err := svc.Ingest(ctx, Upload{Filename: "seul.txt", Data: []byte("Seul|Lyon|" + uniqueText(0))}); err != nil {
		t.Fatal(err)
	}
	if want := []int{1}; !slices.Equal(idx.batches, want) {
		t.Fatalf("batches after a file alone = %v, want %v", idx.batches, want)
	}

	slow := make(chan error, 1)
	go func() {
		_, err := svc.Ingest(ctx, Upload{Filename: "lent.txt", Data: []byte("attendre:Lent|Lyon|" + uniqueText(1))})
		slow <- err
	}()
	for len(svc.workers) == 0 {
		time.Sleep(time.Millisecond) // until the slow file is being read
	}
	fast := make(chan error, 1)
	go func() {
		_, err := svc.Ingest(ctx, Upload{Filename: "vite.txt", Data: []byte("Vite|Lyon|" + uniqueText(2))})
		fast <- err
	}()
	select {
	case err := <-fast:
		t.Fatalf("Ingest(vite.txt) returned (%v) while lent.txt was still being read, want it to linger", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(ex.gate)
	if err := <-slow; err != nil {
		t.Fatalf("Ingest(lent.txt) = %v", err)
	}
	if err := <-fast; err != nil {
		t.Fatalf("Ingest(vite.txt) = %v", err)
	}
	if want := []int{1, 2}; !slices.Equal(idx.batches, want) {
		t.Errorf("batches = %v, want %v: the lingering file written with the slow one", idx.batches, want)
	}
}
