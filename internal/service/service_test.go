package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"escale/internal/mission"
	"escale/internal/store"
)

// fakeExtractor reads "title|city|text" files; "refuse:CODE" gives that
// refusal. block, when set, holds every extraction until closed.
type fakeExtractor struct {
	mu     sync.Mutex
	calls  int
	block  chan struct{}
	prefix string // added to titles: a "new version" of the extractor
}

func (f *fakeExtractor) Extract(ctx context.Context, data []byte, filename string) (*mission.Mission, error) {
	f.mu.Lock()
	f.calls++
	block, prefix := f.block, f.prefix
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s := string(data)
	if code, ok := strings.CutPrefix(s, "refuse:"); ok {
		r, _ := mission.RefusalByCode(code)
		return nil, mission.Refuse(r, "fake")
	}
	parts := strings.SplitN(s, "|", 3)
	if len(parts) != 3 {
		return nil, mission.Refuse(mission.ErrUnsupported, "fake: not a|b|c")
	}
	m := &mission.Mission{Filename: filename, Title: mission.Ptr(prefix + parts[0]), Text: parts[2], Pages: 1,
		Destinations: []mission.Destination{{City: parts[1], Country: "Pays de " + parts[1]}},
		Year:         mission.Ptr(2020), Themes: []string{"economie", "culture"},
		Outcomes: []mission.Outcome{{Text: "Un accord.", Page: 1, Themes: []string{"economie"}}}}
	return m, nil
}

// fakeIndex keeps missions in a map.
type fakeIndex struct {
	mu   sync.Mutex
	docs map[string]*mission.Mission
	puts int
	fail error
}

func newFakeIndex() *fakeIndex { return &fakeIndex{docs: map[string]*mission.Mission{}} }

func (f *fakeIndex) Put(m *mission.Mission) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.puts++
	f.docs[m.MissionID] = m
	return nil
}

func (f *fakeIndex) Delete(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.docs, id)
	return nil
}

func (f *fakeIndex) IDs() (map[string]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := map[string]string{}
	for id, m := range f.docs {
		ids[id] = fakeFingerprint(m)
	}
	return ids, nil
}

func fakeFingerprint(m *mission.Mission) string { return deref(m.Title) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (f *fakeIndex) get(id string) *mission.Mission {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.docs[id]
}

// newService returns a Service of cfg over idx and ex, and its catalog: a
// store in a temp directory, closed at the end of the test.
func newService(t *testing.T, idx Index, ex Extractor, cfg Config) (*Service, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := New(ctx, st, idx, ex, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return svc, st
}

type fixture struct {
	svc *Service
	st  *store.Store
	idx *fakeIndex
	ex  *fakeExtractor
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	f := &fixture{idx: newFakeIndex(), ex: &fakeExtractor{}}
	f.svc, f.st = newService(t, f.idx, f.ex, cfg)
	return f
}

const report = "Mission à Lisbonne|Lisbonne|La délégation a rencontré le port de Lisbonne pour parler de l’interface ville-port, des croisières et de l’économie bleue. Un accord de coopération a été signé avec l’université."

func (f *fixture) ingest(t *testing.T, name, data string) *Result {
	t.Helper()
	res, err := f.svc.Ingest(context.Background(), Upload{Filename: name, Data: []byte(data), Source: "test"})
	if err != nil {
		t.Fatalf("Ingest(%q): %v", name, err)
	}
	return res
}

func TestIngestStoresIndexesAndDedupes(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.ingest(t, "rapport.txt", report)
	if !res.Created || res.Mission.MissionID == "" || res.Mission.SHA256 != store.Hash([]byte(report)) {
		t.Fatalf("Ingest = created %v id %q sha %q, want a new mission with its hash", res.Created, res.Mission.MissionID, res.Mission.SHA256)
	}
	if got := f.idx.get(res.Mission.MissionID); got == nil || *got.Title != "Mission à Lisbonne" {
		t.Errorf("index after Ingest has %+v, want the mission", got)
	}
	again := f.ingest(t, "copie.txt", report)
	if again.Created || again.Mission.MissionID != res.Mission.MissionID || again.Mission.Filename != "rapport.txt" {
		t.Errorf("Ingest(same bytes) = created %v id %q name %q, want the first mission", again.Created, again.Mission.MissionID, again.Mission.Filename)
	}
	if f.ex.calls != 1 {
		t.Errorf("extractions = %d, want 1 (the same bytes are not read twice)", f.ex.calls)
	}
	log, _ := f.st.IngestLog(context.Background(), 10)
	if len(log) != 2 || log[0].Outcome != store.Existing || log[1].Outcome != store.Created {
		t.Errorf("ingest log = %+v, want existing then created", log)
	}
}

func TestIngestRefusal(t *testing.T) {
	f := newFixture(t, Config{})
	_, err := f.svc.Ingest(context.Background(), Upload{Filename: "scan.pdf", Data: []byte("refuse:no_text")})
	if r, ok := mission.RefusalOf(err); !ok || r != mission.ErrNoText {
		t.Fatalf("Ingest(scan) err = %v, want ErrNoText", err)
	}
	_, err = f.svc.Ingest(context.Background(), Upload{Filename: "vide.pdf"})
	if r, ok := mission.RefusalOf(err); !ok || r != mission.ErrEmpty {
		t.Errorf("Ingest(empty) err = %v, want ErrEmpty", err)
	}
	if n, _ := f.st.Count(context.Background()); n != 0 {
		t.Errorf("missions after refusals = %d, want 0", n)
	}
	log, _ := f.st.IngestLog(context.Background(), 10)
	if len(log) != 2 || log[1].Code != "no_text" || log[1].Message != mission.ErrNoText.Message {
		t.Errorf("ingest log = %+v, want two refusals with code and message", log)
	}
}

func TestNearDuplicate(t *testing.T) {
	f := newFixture(t, Config{})
	first := f.ingest(t, "rapport.pdf", report)
	// The same report exported again: other bytes, a few words changed.
	twin := f.ingest(t, "rapport.txt", strings.Replace(report, "signé", "conclu", 1)+" Fin.")
	other := f.ingest(t, "autre.txt", "Mission à Dakar|Dakar|Une mission à Dakar sur la gestion des déchets, l’assainissement et les inondations du littoral sénégalais en saison des pluies.")
	if twin.Mission.DuplicateOf != first.Mission.MissionID {
		t.Errorf("twin.DuplicateOf = %q, want %q", twin.Mission.DuplicateOf, first.Mission.MissionID)
	}
	if other.Mission.DuplicateOf != "" {
		t.Errorf("other.DuplicateOf = %q, want none", other.Mission.DuplicateOf)
	}
	if got := f.idx.get(twin.Mission.MissionID); got == nil || got.DuplicateOf != first.Mission.MissionID {
		t.Errorf("indexed twin = %+v, want it flagged", got)
	}
	third := f.ingest(t, "rapport (2).txt", report+" Annexe.")
	if third.Mission.DuplicateOf != first.Mission.MissionID {
		t.Errorf("third copy DuplicateOf = %q, want the first %q", third.Mission.DuplicateOf, first.Mission.MissionID)
	}
	// Deleting the first makes the oldest twin stand for the family.
	if err := f.svc.Delete(context.Background(), first.Mission.MissionID); err != nil {
		t.Fatal(err)
	}
	tw, _ := f.svc.Get(context.Background(), twin.Mission.MissionID)
	th, _ := f.svc.Get(context.Background(), third.Mission.MissionID)
	if tw.DuplicateOf != "" || th.DuplicateOf != twin.Mission.MissionID {
		t.Errorf("after deleting the first: twin dup %q, third dup %q, want \"\" and %q", tw.DuplicateOf, th.DuplicateOf, twin.Mission.MissionID)
	}
	if got := f.idx.get(th.MissionID); got == nil || got.DuplicateOf != twin.Mission.MissionID {
		t.Errorf("indexed third after delete = %+v, want relinked", got)
	}
}

func TestUploadCorrections(t *testing.T) {
	f := newFixture(t, Config{})
	cs, err := FormCorrections(map[string][]string{"city": {"Porto", "Lisbonne"}, "year": {"2019"}, "theme": {"culture"}}, nil)
	if err != nil {
		t.Fatalf("FormCorrections: %v", err)
	}
	res, err := f.svc.Ingest(context.Background(), Upload{Filename: "r.txt", Data: []byte(report), Corrections: cs})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Mission
	want := []mission.Destination{{City: "Porto"}, {City: "Lisbonne", Country: "Pays de Lisbonne"}}
	if !slices.Equal(m.Destinations, want) {
		t.Errorf("destinations = %+v, want %+v (country kept for the known city)", m.Destinations, want)
	}
	if m.Year == nil || *m.Year != 2019 {
		t.Errorf("year = %v, want 2019", m.Year)
	}
	if !slices.Equal(m.Themes, []string{"culture"}) || len(m.Outcomes[0].Themes) != 0 {
		t.Errorf("themes = %v, outcome themes %v, want [culture] and none", m.Themes, m.Outcomes[0].Themes)
	}
}

func TestCorrectionsSurviveReextractionAndReindex(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.ingest(t, "r.txt", report)
	id := res.Mission.MissionID
	cs, err := ParsePatch([]byte(`{"destinations":[{"city":"Porto","country":"Portugal"}],"start_date":"2018-03-04"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.svc.Correct(context.Background(), id, cs, "api")
	if err != nil {
		t.Fatal(err)
	}
	if m.Destinations[0].City != "Porto" || *m.Year != 2018 {
		t.Errorf("after Correct: city %q year %v, want Porto 2018 (year follows the corrected start date)", m.Destinations[0].City, *m.Year)
	}
	if got := f.idx.get(id); got.Destinations[0].City != "Porto" {
		t.Errorf("index after Correct has city %q, want Porto", got.Destinations[0].City)
	}
	// A new extractor version reads titles differently; corrections stay.
	f.ex.prefix = "v2 "
	f.idx.docs = map[string]*mission.Mission{} // a fresh index
	r, err := f.svc.Reindex(context.Background(), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Missions != 1 || r.Extracted != 1 {
		t.Errorf("Reindex = %+v, want 1 mission re-extracted", r)
	}
	got := f.idx.get(id)
	if got == nil || *got.Title != "v2 Mission à Lisbonne" || got.Destinations[0].City != "Porto" || *got.StartDate != "2018-03-04" {
		t.Errorf("after Reindex: %+v, want the new title with the corrected city and date", got)
	}
}

func TestDeleteRemovesEverywhere(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.ingest(t, "r.txt", report)
	id := res.Mission.MissionID
	if err := f.svc.Delete(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if f.idx.get(id) != nil {
		t.Errorf("index still has %s after Delete", id)
	}
	if _, err := f.svc.Get(context.Background(), id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete err = %v, want ErrNotFound", err)
	}
	if _, err := f.st.ReadOriginal(res.Mission.SHA256); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("original after Delete err = %v, want ErrNotFound", err)
	}
	if err := f.svc.Delete(context.Background(), id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Delete twice err = %v, want ErrNotFound", err)
	}
}

func TestReconcile(t *testing.T) {
	f := newFixture(t, Config{})
	a := f.ingest(t, "a.txt", report)
	b := f.ingest(t, "b.txt", "Mission à Dakar|Dakar|Texte de Dakar.")
	// A crash lost b from the index, left a deleted mission in it, and
	// committed a correction of a that the index never saw.
	delete(f.idx.docs, b.Mission.MissionID)
	f.idx.docs["ghost"] = &mission.Mission{MissionID: "ghost"}
	f.st.Update(context.Background(), a.Mission.MissionID, func(e *store.Entry) ([]store.Correction, error) {
		e.Mission.Title = mission.Ptr("Corrigé")
		return nil, nil
	})
	r, err := f.svc.Reconcile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Indexed != 2 || r.Removed != 1 || r.Missions != 2 {
		t.Errorf("Reconcile = %+v, want 2 indexed, 1 removed, 2 missions", r)
	}
	ids, _ := f.idx.IDs()
	if _, ok := ids[a.Mission.MissionID]; !ok || len(ids) != 2 {
		t.Errorf("index ids after Reconcile = %v, want a and b", ids)
	}
	if _, ok := ids[b.Mission.MissionID]; !ok {
		t.Errorf("index ids after Reconcile = %v, want a and b", ids)
	}
	if *f.idx.get(a.Mission.MissionID).Title != "Corrigé" {
		t.Errorf("index has a stale title after Reconcile")
	}
	if r, _ := f.svc.Reconcile(context.Background()); r.Indexed+r.Removed != 0 {
		t.Errorf("second Reconcile = %+v, want nothing to do", r)
	}
}

func TestReconcileByFingerprint(t *testing.T) {
	f := newFixture(t, Config{Fingerprint: func(m *mission.Mission) (string, error) { return fakeFingerprint(m), nil }})
	a := f.ingest(t, "a.txt", report)
	// The index holds an older record although the catalog thinks it current.
	f.idx.docs[a.Mission.MissionID] = &mission.Mission{MissionID: a.Mission.MissionID, Title: mission.Ptr("ancien")}
	r, err := f.svc.Reconcile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Indexed != 1 || *f.idx.get(a.Mission.MissionID).Title != "Mission à Lisbonne" {
		t.Errorf("Reconcile = %+v, title %q, want the current record indexed again", r, *f.idx.get(a.Mission.MissionID).Title)
	}
}

// TestReconcileKeepsFingerprints: with a key, Reconcile keeps the
// fingerprints it computes, and the next one computes none for missions
// unchanged since; it still finds a mission the index holds in an older
// form, and another key computes them all again.
func TestReconcileKeepsFingerprints(t *testing.T) {
	var calls atomic.Int64
	fp := func(m *mission.Mission) (string, error) {
		calls.Add(1)
		return fakeFingerprint(m), nil
	}
	f := newFixture(t, Config{Fingerprint: fp, FingerprintKey: "k1"})
	a := f.ingest(t, "a.txt", report)
	f.ingest(t, "b.txt", "Mission à Porto|Porto|La délégation a visité le port de Porto.")
	ctx := context.Background()
	reconcile := func(what string, want int64) {
		t.Helper()
		calls.Store(0)
		if _, err := f.svc.Reconcile(ctx); err != nil {
			t.Fatalf("Reconcile (%s): %v", what, err)
		}
		if n := calls.Load(); n != want {
			t.Errorf("Reconcile (%s) computed %d fingerprints, want %d", what, n, want)
		}
	}
	// Ingestion kept the fingerprints of the records it indexed.
	reconcile("first", 0)
	// The index holds an older record of a, which the catalog thinks current.
	id := a.Mission.MissionID
	f.idx.docs[id] = &mission.Mission{MissionID: id, Title: mission.Ptr("ancien")}
	// Reconcile finds a changed from its kept fingerprint, without reading
	// it, and computes the fingerprint of a indexed again to keep it.
	reconcile("a lost by the index", 1)
	if got := *f.idx.get(id).Title; got != "Mission à Lisbonne" {
		t.Errorf("after Reconcile, title %q indexed, want the current record's", got)
	}
	reconcile("after a was indexed again", 0)
	f.svc.cfg.FingerprintKey = "k2"
	reconcile("another key", 2)
}

func TestIndexFailureIsRetried(t *testing.T) {
	f := newFixture(t, Config{})
	f.idx.fail = errors.New("disk full")
	if _, err := f.svc.Ingest(context.Background(), Upload{Filename: "r.txt", Data: []byte(report)}); err == nil {
		t.Fatal("Ingest with a failing index succeeded, want an error (not searchable)")
	}
	f.idx.fail = nil
	res := f.ingest(t, "r.txt", report)
	if res.Created || f.idx.get(res.Mission.MissionID) == nil {
		t.Errorf("retry: created %v, indexed %v, want the stored mission now indexed", res.Created, f.idx.get(res.Mission.MissionID) != nil)
	}
}

func TestQueueFull(t *testing.T) {
	f := newFixture(t, Config{Workers: 1, Queue: 1})
	f.ex.block = make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Ingest(context.Background(), Upload{Filename: "r.txt", Data: []byte(fmt.Sprintf("T%d|Lyon|texte %d", i, i))})
		}()
	}
	// Wait until both are admitted (one running, one waiting).
	for len(f.svc.slots) < 2 {
		waitABit()
	}
	_, err := f.svc.Ingest(context.Background(), Upload{Filename: "x.txt", Data: []byte("T9|Lyon|texte 9")})
	if !errors.Is(err, ErrBusy) {
		t.Errorf("third Ingest with a full queue err = %v, want ErrBusy", err)
	}
	close(f.ex.block)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("admitted Ingest %d: %v", i, err)
		}
	}
}

func TestSafeFilename(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rapport.pdf", "rapport.pdf"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\x\Bilan mission.pdf`, "Bilan mission.pdf"},
		{"a\x00b\nc.txt", "abc.txt"},
		{"", "document"},
		{"..", "document"},
		{strings.Repeat("é", 200) + ".pdf", strings.Repeat("é", 127)},
	}
	for _, tt := range tests {
		if got := SafeFilename(tt.in); got != tt.want {
			t.Errorf("SafeFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParsePatch(t *testing.T) {
	tests := []struct {
		body    string
		want    string // fields=values, or "error:FIELD"
		wantErr bool
	}{
		{`{"title":"  Mission   à Lisbonne "}`, `title="Mission à Lisbonne"`, false},
		{`{"title":null}`, `title=null`, false},
		{`{"title":""}`, `title=null`, false},
		{`{"year":2024}`, `year=2024`, false},
		{`{"year":2024.5}`, ``, true},
		{`{"year":"2024"}`, ``, true},
		{`{"year":12}`, ``, true},
		{`{"start_date":"2024-02-30"}`, ``, true},
		{`{"start_date":"2024-02-29","end_date":null}`, `start_date="2024-02-29" end_date=null`, false},
		{`{"destinations":[{"city":"Porto"},{"city":"Porto"},{}]}`, `destinations=[{"city":"Porto","country":""}]`, false},
		{`{"destinations":null}`, `destinations=[]`, false},
		{`{"destinations":"Porto"}`, ``, true},
		{`{"themes":["Economie","economie"," culture "]}`, `themes=["economie","culture"]`, false},
		{`{"themes":["<script>"]}`, ``, true},
		{`{"text":"x"}`, ``, true},
		{`{}`, ``, true},
		{`[]`, ``, true},
		{`{"title":"a"} {"title":"b"}`, ``, true},
		{`nope`, ``, true},
	}
	for _, tt := range tests {
		cs, err := ParsePatch([]byte(tt.body), nil)
		if tt.wantErr {
			var inv *InvalidError
			if !errors.As(err, &inv) || inv.Message == "" {
				t.Errorf("ParsePatch(%s) err = %v, want an InvalidError with a message", tt.body, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePatch(%s) err = %v, want none", tt.body, err)
			continue
		}
		var parts []string
		for _, c := range cs {
			parts = append(parts, c.Field+"="+string(c.Value))
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("ParsePatch(%s) = %s, want %s", tt.body, got, tt.want)
		}
	}
}

func FuzzParsePatch(f *testing.F) {
	for _, s := range []string{`{"title":"x"}`, `{"year":2024,"themes":["a"]}`, `{"destinations":[{"city":"Liège","country":"Belgique"}]}`,
		`{"start_date":"2024-01-01","end_date":null}`, `{"title":null}`, `[1]`, `{"a":1}`, `{"year":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		cs, err := ParsePatch(body, nil)
		if err != nil {
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("ParsePatch(%q) err = %v, want an InvalidError", body, err)
			}
			return
		}
		base := &mission.Mission{Title: mission.Ptr("t"), Year: mission.Ptr(2000)}
		m := Apply(base, cs, nil)
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("Apply(ParsePatch(%q)) gives an unencodable record: %v", body, err)
		}
		for _, c := range cs {
			if !json.Valid(c.Value) || !slices.Contains(correctable, c.Field) {
				t.Fatalf("ParsePatch(%q) gave %s=%s", body, c.Field, c.Value)
			}
			again, err := normalize(c.Field, c.Value, nil)
			if err != nil || string(again) != string(c.Value) {
				t.Fatalf("normalize(%s, %s) = %s, %v: not stable", c.Field, c.Value, again, err)
			}
		}
	})
}

func waitABit() { time.Sleep(5 * time.Millisecond) }
