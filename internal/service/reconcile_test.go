package service

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"escale/internal/mission"
	"escale/internal/store"
)

// TestReconcileSaysWhy checks the reason Reconcile logs for each mission it
// indexes again: the crash test relies on it to tell a write the catalog
// knew unconfirmed ("stale") from one the index lost ("missing", "changed").
func TestReconcileSaysWhy(t *testing.T) {
	var logs bytes.Buffer
	f := newFixture(t, Config{
		Fingerprint: func(m *mission.Mission) (string, error) { return fakeFingerprint(m), nil },
		Logger:      slog.New(slog.NewTextHandler(&logs, nil)),
	})
	ctx := context.Background()
	stale := f.ingest(t, "a.txt", "A|Lyon|texte a").Mission.MissionID
	missing := f.ingest(t, "b.txt", "B|Lyon|texte b").Mission.MissionID
	changed := f.ingest(t, "c.txt", "C|Lyon|texte c").Mission.MissionID
	fine := f.ingest(t, "d.txt", "D|Lyon|texte d").Mission.MissionID
	// A correction committed but never indexed; an index that lost one
	// mission and kept an older record of another.
	f.st.Update(ctx, stale, func(e *store.Entry) ([]store.Correction, error) {
		e.Mission.Title = mission.Ptr("A corrigé")
		return nil, nil
	})
	f.idx.Delete(missing)
	f.idx.docs[changed] = &mission.Mission{MissionID: changed, Title: mission.Ptr("ancien")}
	logs.Reset()
	r, err := f.svc.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Indexed != 3 {
		t.Errorf("Reconcile = %+v, want 3 indexed", r)
	}
	for id, reason := range map[string]string{stale: "stale", missing: "missing", changed: "changed"} {
		if want := "mission_id=" + id + " reason=" + reason; !strings.Contains(logs.String(), want) {
			t.Errorf("Reconcile log lacks %q:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), fine) {
		t.Errorf("Reconcile log names %s, which the index had right:\n%s", fine, logs.String())
	}
}

// batchFakeIndex is a fakeIndex that also takes batches, as index.Index does.
type batchFakeIndex struct {
	*fakeIndex
	batches []int
}

func (b *batchFakeIndex) PutBatch(ms []*mission.Mission) error {
	for _, m := range ms {
		if err := b.Put(m); err != nil {
			return err
		}
	}
	b.batches = append(b.batches, len(ms))
	return nil
}

// TestReconcileBatches checks that Reconcile gives an index that takes
// batches its missions reconcileBatch at a time, and marks each indexed.
func TestReconcileBatches(t *testing.T) {
	ctx := context.Background()
	idx := &batchFakeIndex{fakeIndex: newFakeIndex()}
	svc, st := newService(t, idx, &fakeExtractor{}, Config{})
	n := reconcileBatch + 5
	for i := range n {
		data := fmt.Sprintf("Mission %d|Lyon|texte %d", i, i)
		if _, err := svc.Ingest(ctx, Upload{Filename: fmt.Sprintf("%d.txt", i), Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.MarkAllStale(ctx); err != nil {
		t.Fatal(err)
	}
	idx.docs = map[string]*mission.Mission{}
	idx.batches = nil // Ingest's own
	r, err := svc.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Indexed != n || len(idx.docs) != n {
		t.Errorf("Reconcile = %+v with %d missions in the index, want %d indexed", r, len(idx.docs), n)
	}
	if want := []int{reconcileBatch, 5}; !slices.Equal(idx.batches, want) {
		t.Errorf("Reconcile gave batches of %v, want %v", idx.batches, want)
	}
	if stale, err := st.Stale(ctx); err != nil || len(stale) != 0 {
		t.Errorf("after Reconcile, Stale() = %d missions (%v), want none", len(stale), err)
	}
}
