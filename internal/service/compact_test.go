package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/store"
	"escale/internal/testlog"
)

// compactingIndex is a fakeIndex that compacts, as index.Index does: each
// write adds a segment, and Compact merges them into one when there are
// more than two. hold, when set, keeps each Compact running until it is
// closed or the Compact's ctx ends.
type compactingIndex struct {
	*fakeIndex
	hold chan struct{}
	err  error // what Compact fails with

	mu        sync.Mutex
	segs      int
	calls     int  // Compacts started
	running   bool // a Compact has started and not returned
	cancelled int  // Compacts stopped by their ctx
	started   chan struct{}
}

func newCompactingIndex() *compactingIndex {
	return &compactingIndex{fakeIndex: newFakeIndex(), started: make(chan struct{}, 16)}
}

func (c *compactingIndex) Put(m *mission.Mission) error {
	if err := c.fakeIndex.Put(m); err != nil {
		return err
	}
	c.mu.Lock()
	c.segs++
	c.mu.Unlock()
	return nil
}

func (c *compactingIndex) Delete(id string) error {
	if err := c.fakeIndex.Delete(id); err != nil {
		return err
	}
	c.mu.Lock()
	c.segs++ // a deletion writes a segment too
	c.mu.Unlock()
	return nil
}

func (c *compactingIndex) Compact(ctx context.Context) (before, after int, err error) {
	c.mu.Lock()
	c.calls++
	c.running = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	}()
	c.started <- struct{}{}
	if c.hold != nil {
		select {
		case <-c.hold:
		case <-ctx.Done():
			// A merge takes a moment to wind down: Close must wait.
			time.Sleep(20 * time.Millisecond)
			c.mu.Lock()
			c.cancelled++
			c.mu.Unlock()
			return 0, 0, ctx.Err()
		}
	}
	if c.err != nil {
		return 0, 0, c.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	before = c.segs
	if c.segs > 2 {
		c.segs = 1
	}
	return before, c.segs, nil
}

// state returns the segments and how many Compacts started.
func (c *compactingIndex) state() (segs, calls int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.segs, c.calls
}

// compactFixture is a service over a compactingIndex that compacts after
// idle without writes.
type compactFixture struct {
	*fixture
	cidx *compactingIndex
	logs *testlog.Buffer
}

func newCompactFixture(t *testing.T, idx *compactingIndex, idle time.Duration) *compactFixture {
	t.Helper()
	f := &compactFixture{fixture: &fixture{idx: idx.fakeIndex, ex: &fakeExtractor{}}, cidx: idx, logs: &testlog.Buffer{}}
	f.svc, f.st = newService(t, idx, f.ex, Config{CompactIdle: idle, Logger: slog.New(slog.NewTextHandler(f.logs, nil))})
	t.Cleanup(f.svc.Close)
	return f
}

// waitCompacts waits until n Compacts have started.
func (f *compactFixture) waitCompacts(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, calls := f.cidx.state(); calls >= n {
			return
		}
		if time.Now().After(deadline) {
			_, calls := f.cidx.state()
			t.Fatalf("%d compactions started after 10 s, want %d", calls, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitStarted waits until a Compact has started.
func (c *compactingIndex) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-c.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no compaction started after 10 s")
	}
}

// waitIdle waits until the service's idle compaction has stopped.
func (f *compactFixture) waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		f.svc.idle.mu.Lock()
		alive := f.svc.idle.alive
		f.svc.idle.mu.Unlock()
		if !alive {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the idle compaction still runs after 10 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCompactsWhenIdle checks that every kind of write to the index leads,
// once the service has had none for its idle delay, to one compaction; that
// a compaction logs its segments before and after, and one that had
// nothing to do logs nothing; and that without writes none follows.
func TestCompactsWhenIdle(t *testing.T) {
	ctx := context.Background()
	f := newCompactFixture(t, newCompactingIndex(), 10*time.Millisecond)
	a := f.ingest(t, "a.txt", "A|Lyon|texte a")
	f.waitCompacts(t, 1)
	f.waitIdle(t)
	if segs, _ := f.cidx.state(); segs != 1 {
		t.Fatalf("segments after one write and a compaction = %d, want 1 (nothing worth merging)", segs)
	}
	if strings.Contains(f.logs.String(), "index compacted") {
		t.Errorf("a compaction with nothing to do logged:\n%s", f.logs)
	}
	f.ingest(t, "b.txt", "B|Lyon|texte b")
	f.ingest(t, "c.txt", "C|Lyon|texte c")
	f.waitCompacts(t, 2)
	f.waitIdle(t)
	if segs, _ := f.cidx.state(); segs != 1 {
		t.Errorf("segments after three writes then idle = %d, want 1", segs)
	}
	if want := "segments_before=3"; !strings.Contains(f.logs.String(), want) || !strings.Contains(f.logs.String(), "segments_after=1") {
		t.Errorf("log lacks %q and segments_after=1:\n%s", want, f.logs)
	}

	// Each other write: a correction, a deletion, a reconciliation that
	// puts a mission back, one that removes a mission.
	writes := []struct {
		name  string
		write func() error
	}{
		{"Correct", func() error {
			_, err := f.svc.Correct(ctx, a.Mission.MissionID, Corrections{{Field: "title", Value: []byte(`"Corrigé"`)}}, "test")
			return err
		}},
		{"Delete", func() error { return f.svc.Delete(ctx, a.Mission.MissionID) }},
		{"Reconcile (missing)", func() error {
			b := MissionID(store.Hash([]byte("B|Lyon|texte b")))
			f.idx.mu.Lock()
			delete(f.idx.docs, b)
			f.idx.mu.Unlock()
			r, err := f.svc.Reconcile(ctx)
			if err == nil && r.Indexed != 1 {
				err = fmt.Errorf("Reconcile = %+v, want 1 indexed", r)
			}
			return err
		}},
		{"Reconcile (removed)", func() error {
			f.idx.mu.Lock()
			f.idx.docs["ghost"] = &mission.Mission{MissionID: "ghost"}
			f.idx.mu.Unlock()
			r, err := f.svc.Reconcile(ctx)
			if err == nil && r.Removed != 1 {
				err = fmt.Errorf("Reconcile = %+v, want 1 removed", r)
			}
			return err
		}},
	}
	for i, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for _, calls := f.cidx.state(); calls < 3+i; _, calls = f.cidx.state() {
			if time.Now().After(deadline) {
				t.Fatalf("no compaction after %s then idle: %d compactions, want %d", w.name, calls, 3+i)
			}
			time.Sleep(time.Millisecond)
		}
		f.waitIdle(t)
	}

	// No write: no compaction.
	_, before := f.cidx.state()
	time.Sleep(50 * time.Millisecond)
	if _, calls := f.cidx.state(); calls != before {
		t.Errorf("%d compactions without a write, want none", calls-before)
	}
}

// TestNoCompactionWhileWriting checks that writes coming closer together
// than the idle delay put the compaction off until they stop, however long
// they last.
func TestNoCompactionWhileWriting(t *testing.T) {
	const idle = 200 * time.Millisecond
	for attempt := 0; ; attempt++ {
		f := newCompactFixture(t, newCompactingIndex(), idle)
		start := time.Now()
		last := start
		var widest time.Duration
		for i := 0; time.Since(start) < 3*idle; i++ {
			time.Sleep(idle / 10)
			f.ingest(t, fmt.Sprintf("%d.txt", i), fmt.Sprintf("M%d|Lyon|texte %d", i, i))
			widest = max(widest, time.Since(last))
			last = time.Now()
		}
		_, calls := f.cidx.state()
		if widest >= idle*3/4 {
			// The machine stalled a write close to the idle delay: this
			// run cannot tell.
			if attempt == 2 {
				t.Skipf("writes %v apart at worst on this machine, too close to the idle delay %v", widest, idle)
			}
			continue
		}
		if calls != 0 {
			t.Fatalf("%d compactions while writes came at most %v apart for %v, want none before the writes stop for %v", calls, widest, time.Since(start), idle)
		}
		f.waitCompacts(t, 1)
		return
	}
}

// TestCloseStopsCompaction checks that Close cancels a compaction under way
// and returns once it has returned (the index may then be closed), and that
// writes after Close start none.
func TestCloseStopsCompaction(t *testing.T) {
	idx := newCompactingIndex()
	idx.hold = make(chan struct{}) // released only once the test is over
	f := newCompactFixture(t, idx, time.Millisecond)
	t.Cleanup(func() { close(idx.hold) }) // before f.svc.Close, if this test fails
	f.ingest(t, "a.txt", "A|Lyon|texte a")
	idx.waitStarted(t)
	closed := make(chan struct{})
	go func() {
		f.svc.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close still waits after 10 s for a compaction under way: it must cancel it")
	}
	idx.mu.Lock()
	running, cancelled := idx.running, idx.cancelled
	idx.mu.Unlock()
	if running || cancelled != 1 {
		t.Errorf("when Close returned: compaction running %v, cancelled %d times; want it cancelled once and returned", running, cancelled)
	}
	if !strings.Contains(f.logs.String(), "index compaction stopped") || strings.Contains(f.logs.String(), "level=WARN") {
		t.Errorf("log after Close, want the compaction said stopped, no warning:\n%s", f.logs)
	}
	f.ingest(t, "b.txt", "B|Lyon|texte b")
	time.Sleep(20 * time.Millisecond)
	if _, calls := idx.state(); calls != 1 {
		t.Errorf("%d compactions started, want 1: none after Close", calls)
	}
	f.svc.Close() // twice: nothing more
}

// TestWriteDuringCompaction checks that a write while a compaction runs
// goes through, into the index, and leads to another compaction once idle
// again.
func TestWriteDuringCompaction(t *testing.T) {
	idx := newCompactingIndex()
	idx.hold = make(chan struct{})
	f := newCompactFixture(t, idx, time.Millisecond)
	f.ingest(t, "a.txt", "A|Lyon|texte a")
	idx.waitStarted(t)
	b := f.ingest(t, "b.txt", "B|Lyon|texte b")
	if f.idx.get(b.Mission.MissionID) == nil {
		t.Errorf("a mission written during a compaction is not in the index")
	}
	if _, calls := idx.state(); calls != 1 {
		t.Errorf("%d compactions started with one under way, want 1", calls)
	}
	close(idx.hold)
	f.waitCompacts(t, 2)
	f.waitIdle(t)
	if got, err := f.svc.Get(context.Background(), b.Mission.MissionID); err != nil || got.MissionID != b.Mission.MissionID {
		t.Errorf("Get(%s) after the compactions = %v, %v; want the mission", b.Mission.MissionID, got, err)
	}
}

// TestCompactionFailureIsLogged checks that a failed compaction is a
// warning in the log, and that the service goes on writing.
func TestCompactionFailureIsLogged(t *testing.T) {
	idx := newCompactingIndex()
	idx.err = errors.New("disque plein")
	f := newCompactFixture(t, idx, time.Millisecond)
	f.ingest(t, "a.txt", "A|Lyon|texte a")
	f.waitCompacts(t, 1)
	f.waitIdle(t)
	if logs := f.logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "disque plein") {
		t.Errorf("log after a failed compaction, want a warning with its error:\n%s", logs)
	}
	f.ingest(t, "b.txt", "B|Lyon|texte b")
	f.waitCompacts(t, 2)
}

// TestCompactNow checks the compaction the bulk commands ask for: what
// the index says, logged, and nothing for an index that does not compact.
func TestCompactNow(t *testing.T) {
	ctx := context.Background()
	f := newCompactFixture(t, newCompactingIndex(), -1) // never when idle
	for i := range 3 {
		f.ingest(t, fmt.Sprintf("%d.txt", i), fmt.Sprintf("M%d|Lyon|texte %d", i, i))
	}
	if f.svc.idle != nil {
		t.Errorf("CompactIdle -1: an idle compaction is set up, want none")
	}
	if merged, err := f.svc.Compact(ctx); !merged || err != nil {
		t.Errorf("Compact over 3 segments = %v, %v; want true", merged, err)
	}
	if !strings.Contains(f.logs.String(), "segments_before=3") {
		t.Errorf("log after Compact lacks segments_before=3:\n%s", f.logs)
	}
	if merged, err := f.svc.Compact(ctx); merged || err != nil {
		t.Errorf("Compact again = %v, %v; want false", merged, err)
	}
	plain := newFixture(t, Config{})
	if merged, err := plain.svc.Compact(ctx); merged || err != nil {
		t.Errorf("Compact of an index that does not compact = %v, %v; want false, nil", merged, err)
	}
	plain.svc.Close()
}
