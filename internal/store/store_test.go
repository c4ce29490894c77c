package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"escale/internal/mission"
)

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func entry(t *testing.T, s *Store, data, filename string) *Entry {
	t.Helper()
	sha, err := s.PutOriginal([]byte(data))
	if err != nil {
		t.Fatalf("PutOriginal: %v", err)
	}
	m := &mission.Mission{Filename: filename, Title: mission.Ptr("Mission à " + filename), Year: mission.Ptr(2024),
		Destinations: []mission.Destination{{City: "Lisbonne", Country: "Portugal"}},
		Outcomes:     []mission.Outcome{{Category: mission.Ptr("Économie"), Text: "Un accord.", Page: 2}},
		Text:         data, Pages: 2}
	m.Normalize()
	ext := *m
	return &Entry{ID: sha[:16], SHA256: sha, Extracted: &ext, Mission: m, Signature: []byte{1, 2, 3}}
}

func TestOriginalsAreContentAddressed(t *testing.T) {
	s, dir := openTest(t)
	data := []byte("Rapport de mission\n")
	a, err := s.PutOriginal(data)
	if err != nil {
		t.Fatalf("PutOriginal: %v", err)
	}
	b, err := s.PutOriginal(data)
	if err != nil {
		t.Fatalf("PutOriginal again: %v", err)
	}
	if a != b || a != Hash(data) {
		t.Errorf("PutOriginal twice = %s, %s, want %s both times", a, b, Hash(data))
	}
	files := 0
	filepath.WalkDir(filepath.Join(dir, originalsDir), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files != 1 {
		t.Errorf("files under originals/ = %d, want 1", files)
	}
	got, err := s.ReadOriginal(a)
	if err != nil || string(got) != string(data) {
		t.Errorf("ReadOriginal(%s) = %q, %v, want %q", a, got, err, data)
	}
	if _, err := s.ReadOriginal("../../etc/passwd"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadOriginal(path) err = %v, want ErrNotFound", err)
	}
}

func TestInsertTwiceIsRefused(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	e := entry(t, s, "texte", "a.txt")
	if err := s.Insert(ctx, e, LogEntry{Filename: "a.txt", Outcome: Created}); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	again := entry(t, s, "texte", "b.txt")
	if err := s.Insert(ctx, again, LogEntry{Filename: "b.txt", Outcome: Created}); !errors.Is(err, ErrExists) {
		t.Errorf("Insert(same bytes) err = %v, want ErrExists", err)
	}
	got, err := s.GetBySHA(ctx, e.SHA256)
	if err != nil {
		t.Fatalf("GetBySHA: %v", err)
	}
	if got.ID != e.ID || got.Record().Filename != "a.txt" {
		t.Errorf("GetBySHA = %s %q, want %s a.txt", got.ID, got.Record().Filename, e.ID)
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func TestGetRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	e := entry(t, s, "texte", "a.txt")
	e.Corrections = []Correction{{Field: "year", Value: json.RawMessage("2023"), By: "upload"}}
	if err := s.Insert(ctx, e, LogEntry{Filename: "a.txt", Outcome: Created}); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	got, err := s.Get(ctx, e.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	r := got.Record()
	if r.MissionID != e.ID || r.SHA256 != e.SHA256 || *r.Title != *e.Mission.Title || len(r.Outcomes) != 1 || *r.Outcomes[0].Category != "Économie" {
		t.Errorf("Get(%s).Record() = %+v, want the inserted record", e.ID, r)
	}
	if len(got.Corrections) != 1 || got.Corrections[0].Field != "year" || string(got.Corrections[0].Value) != "2023" || got.Corrections[0].At.IsZero() {
		t.Errorf("Get(%s).Corrections = %+v, want one year correction with a time", e.ID, got.Corrections)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(nope) err = %v, want ErrNotFound", err)
	}
}

// TestRecordIsGetsRecord: Record reads less than Get, and returns what
// Get's Record does, for a twin and a corrected mission too.
func TestRecordIsGetsRecord(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a := entry(t, s, "texte", "a.txt")
	b := entry(t, s, "texte bis", "b.txt")
	b.DuplicateOf = a.ID
	for _, e := range []*Entry{a, b} {
		if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
			t.Fatalf("Insert: %v", err)
		}
	}
	_, err := s.Update(ctx, a.ID, func(e *Entry) ([]Correction, error) {
		e.Mission.Year = mission.Ptr(2019)
		return []Correction{{Field: "year", Value: json.RawMessage("2019"), By: "api"}}, nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	for _, id := range []string{a.ID, b.ID} {
		e, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		got, version, err := s.Record(ctx, id)
		if err != nil {
			t.Fatalf("Record(%s): %v", id, err)
		}
		if version != e.Version {
			t.Errorf("Record(%s) version = %d, want Get's %d", id, version, e.Version)
		}
		want, _ := json.Marshal(e.Record())
		if g, _ := json.Marshal(got); string(g) != string(want) {
			t.Errorf("Record(%s) = %s\nwant Get's %s", id, g, want)
		}
	}
	if got, _, _ := s.Record(ctx, b.ID); got.DuplicateOf != a.ID {
		t.Errorf("Record(%s).DuplicateOf = %q, want %s", b.ID, got.DuplicateOf, a.ID)
	}
	if got, _, _ := s.Record(ctx, a.ID); got.Year == nil || *got.Year != 2019 {
		t.Errorf("Record(%s).Year = %v, want the corrected 2019", a.ID, got.Year)
	}
	if _, _, err := s.Record(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Record(nope) err = %v, want ErrNotFound", err)
	}
}

func TestUpdateKeepsCorrectionsAndBumpsVersion(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	e := entry(t, s, "texte", "a.txt")
	if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	if err := s.MarkAllIndexed(ctx, "", []Indexed{{ID: e.ID, Version: 1}}); err != nil {
		t.Fatalf("MarkAllIndexed: %v", err)
	}
	if stale, _ := s.Stale(ctx); len(stale) != 0 {
		t.Errorf("Stale after MarkAllIndexed = %v, want none", stale)
	}
	up, err := s.Update(ctx, e.ID, func(e *Entry) ([]Correction, error) {
		e.Mission.Destinations = []mission.Destination{{City: "Porto", Country: "Portugal"}}
		return []Correction{{Field: "destinations", Value: json.RawMessage(`[{"city":"Porto","country":"Portugal"}]`), By: "api"}}, nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if up.Version != 2 {
		t.Errorf("Update version = %d, want 2", up.Version)
	}
	if stale, _ := s.Stale(ctx); len(stale) != 1 || stale[0] != e.ID {
		t.Errorf("Stale after Update = %v, want [%s]", stale, e.ID)
	}
	got, _ := s.Get(ctx, e.ID)
	if got.Record().Destinations[0].City != "Porto" || got.Extracted.Destinations[0].City != "Lisbonne" {
		t.Errorf("after Update: city %q extracted %q, want Porto, Lisbonne", got.Record().Destinations[0].City, got.Extracted.Destinations[0].City)
	}
	var city string
	s.db.QueryRow("SELECT city FROM destinations WHERE mission_id = ?", e.ID).Scan(&city)
	if city != "Porto" {
		t.Errorf("destinations table city = %q, want Porto", city)
	}
	if len(got.Corrections) != 1 {
		t.Errorf("corrections = %d, want 1", len(got.Corrections))
	}
	boom := errors.New("boom")
	if _, err := s.Update(ctx, e.ID, func(*Entry) ([]Correction, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("Update(failing change) err = %v, want boom", err)
	}
}

func TestDeleteRelinksTwinsAndRemovesOriginal(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a := entry(t, s, "original", "a.pdf")
	b := entry(t, s, "twin one", "b.txt")
	c := entry(t, s, "twin two", "c.txt")
	b.DuplicateOf, c.DuplicateOf = a.ID, a.ID
	for _, e := range []*Entry{a, b, c} {
		if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
			t.Fatalf("Insert(%s): %v", e.Mission.Filename, err)
		}
	}
	d, err := s.Delete(ctx, a.ID)
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if len(d.Relinked) != 2 {
		t.Errorf("Delete relinked %v, want 2 twins", d.Relinked)
	}
	gb, _ := s.Get(ctx, b.ID)
	gc, _ := s.Get(ctx, c.ID)
	if gb.DuplicateOf != "" || gc.DuplicateOf != b.ID {
		t.Errorf("after Delete: b dup %q, c dup %q, want \"\" and %s", gb.DuplicateOf, gc.DuplicateOf, b.ID)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(deleted) err = %v, want ErrNotFound", err)
	}
	if _, err := s.ReadOriginal(a.SHA256); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadOriginal(deleted) err = %v, want ErrNotFound", err)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM outcomes WHERE mission_id = ?", a.ID).Scan(&n)
	if n != 0 {
		t.Errorf("outcomes left for deleted mission = %d, want 0", n)
	}
}

func TestIngestLog(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	e := entry(t, s, "texte", "a.txt")
	if err := s.Insert(ctx, e, LogEntry{Filename: "a.txt", SHA256: e.SHA256, Outcome: Created, Source: "api"}); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	if err := s.Log(ctx, LogEntry{Filename: "scan.pdf", Outcome: Refused, Code: "no_text", Message: "Ce PDF ne contient pas de texte."}); err != nil {
		t.Fatalf("Log: %v", err)
	}
	log, err := s.IngestLog(ctx, 10)
	if err != nil {
		t.Fatalf("IngestLog: %v", err)
	}
	if len(log) != 2 || log[0].Code != "no_text" || log[0].Filename != "scan.pdf" || log[1].MissionID != e.ID || log[1].Outcome != Created {
		t.Errorf("IngestLog = %+v, want the refusal then the creation", log)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	e := entry(t, s, "texte", "a.txt")
	if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, tmpDir, "half-written"), []byte("x"), 0o600)
	orphan, _ := s.PutOriginal([]byte("never committed"))
	s.Close()

	s, err = Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.Get(ctx, e.ID); err != nil {
		t.Errorf("Get after reopen: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, tmpDir)); len(left) != 0 {
		t.Errorf("tmp/ after reopen holds %d files, want 0", len(left))
	}
	n, err := s.RemoveOrphans(ctx)
	if err != nil || n != 1 {
		t.Errorf("RemoveOrphans = %d, %v, want 1", n, err)
	}
	if _, err := s.ReadOriginal(orphan); !errors.Is(err, ErrNotFound) {
		t.Errorf("orphan still there: %v", err)
	}
	if _, err := s.ReadOriginal(e.SHA256); err != nil {
		t.Errorf("kept original gone: %v", err)
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir, "http://127.0.0.1:8080")
	if err != nil {
		t.Fatalf("Acquire: %v", err)
	}
	if _, err := Acquire(dir, "other"); !errors.Is(err, ErrLocked) {
		t.Errorf("second Acquire err = %v, want ErrLocked", err)
	}
	if h := Holder(dir); h != "http://127.0.0.1:8080" {
		t.Errorf("Holder = %q, want the server address", h)
	}
	l.Release()
	l2, err := Acquire(dir, "again")
	if err != nil {
		t.Errorf("Acquire after Release: %v", err)
	}
	l2.Release()
}

// TestInsertAllIsAllOrNone inserts several missions in one transaction, then
// a batch one of which is already there: none of that batch is kept.
func TestInsertAllIsAllOrNone(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a, b := entry(t, s, "rapport A", "a.txt"), entry(t, s, "rapport B", "b.txt")
	logs := []LogEntry{{Filename: "a.txt", Outcome: Created}, {Filename: "b.txt", Outcome: Created}}
	if err := s.InsertAll(ctx, []*Entry{a, b}, logs); err != nil {
		t.Fatalf("InsertAll(a, b) = %v", err)
	}
	for _, e := range []*Entry{a, b} {
		got, err := s.Get(ctx, e.ID)
		if err != nil || got.Version != 1 || e.Version != 1 || e.CreatedAt.IsZero() {
			t.Errorf("after InsertAll, Get(%s) = %+v, %v (entry version %d), want version 1", e.ID, got, err, e.Version)
		}
	}
	c := entry(t, s, "rapport C", "c.txt")
	again := entry(t, s, "rapport A", "a-copie.txt")
	err := s.InsertAll(ctx, []*Entry{c, again}, []LogEntry{{Filename: "c.txt"}, {Filename: "a-copie.txt"}})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("InsertAll(c, a again) = %v, want ErrExists", err)
	}
	if _, err := s.Get(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(c) after a failed InsertAll = %v, want ErrNotFound: the batch is all or none", err)
	}
	if log, _ := s.IngestLog(ctx, 10); len(log) != 2 {
		t.Errorf("IngestLog after a failed InsertAll = %d lines, want the 2 of the first batch", len(log))
	}
	// With a's fingerprint, kept in the same transaction; none for b.
	if err := s.MarkAllIndexed(ctx, "k", []Indexed{{ID: a.ID, Version: 1, Fingerprint: "fa"}, {ID: b.ID, Version: 1}}); err != nil {
		t.Fatalf("MarkAllIndexed = %v", err)
	}
	if stale, err := s.Stale(ctx); err != nil || len(stale) != 0 {
		t.Errorf("Stale() after MarkAllIndexed = %v, %v, want none", stale, err)
	}
	if got, err := s.Fingerprints(ctx, "k"); err != nil || len(got) != 1 || got[a.ID] != "fa" {
		t.Errorf("Fingerprints(k) after MarkAllIndexed = %v, %v, want only %s: fa", got, err, a.ID)
	}
}

// TestFingerprintsFollowVersionAndKey: a recorded fingerprint is returned
// for its key while its mission keeps the version it was computed from.
func TestFingerprintsFollowVersionAndKey(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a := entry(t, s, "texte", "a.txt")
	b := entry(t, s, "texte bis", "b.txt")
	for _, e := range []*Entry{a, b} {
		if err := s.Insert(ctx, e, LogEntry{Outcome: Created}); err != nil {
			t.Fatalf("Insert: %v", err)
		}
	}
	err := s.SetFingerprints(ctx, "k1", []Fingerprint{{ID: a.ID, Value: "fa", Version: 1}, {ID: b.ID, Value: "fb", Version: 7}})
	if err != nil {
		t.Fatalf("SetFingerprints: %v", err)
	}
	got, err := s.Fingerprints(ctx, "k1")
	if err != nil {
		t.Fatalf("Fingerprints: %v", err)
	}
	// b's was for a version it does not have: not recorded.
	if len(got) != 1 || got[a.ID] != "fa" {
		t.Errorf("Fingerprints(k1) = %v, want only %s: fa", got, a.ID)
	}
	if got, _ := s.Fingerprints(ctx, "k2"); len(got) != 0 {
		t.Errorf("Fingerprints(k2) = %v, want none (another key)", got)
	}
	if _, err := s.Update(ctx, a.ID, func(e *Entry) ([]Correction, error) {
		e.Mission.Year = mission.Ptr(2019)
		return nil, nil
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got, _ := s.Fingerprints(ctx, "k1"); len(got) != 0 {
		t.Errorf("Fingerprints(k1) after an update = %v, want none (a new version)", got)
	}
	// Recorded again, for the new version and under another key.
	if err := s.SetFingerprints(ctx, "k2", []Fingerprint{{ID: a.ID, Value: "fa2", Version: 2}}); err != nil {
		t.Fatalf("SetFingerprints again: %v", err)
	}
	if got, _ := s.Fingerprints(ctx, "k2"); len(got) != 1 || got[a.ID] != "fa2" {
		t.Errorf("Fingerprints(k2) = %v, want %s: fa2", got, a.ID)
	}
	if got, _ := s.Fingerprints(ctx, "k1"); len(got) != 0 {
		t.Errorf("Fingerprints(k1) = %v, want none (replaced under k2)", got)
	}
	if _, err := s.Delete(ctx, a.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM fingerprints").Scan(&n); err != nil || n != 0 {
		t.Errorf("fingerprints left after Delete: %d (%v), want 0", n, err)
	}
}

// TestStartQueriesReadNoRows: the queries a start runs for every mission
// read the missions table through the missions_versions index alone; the
// columns they need come after the large ones, behind each row's overflow
// pages.
func TestStartQueriesReadNoRows(t *testing.T) {
	s, _ := openTest(t)
	for name, q := range map[string]string{"stale": staleQuery, "fingerprints": fingerprintsQuery,
		"set fingerprint": setFingerprintQuery, "signatures": signaturesQuery} {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = "x"
		}
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		read := false
		for _, step := range plan {
			if strings.Contains(step, "missions") || strings.Contains(step, " m ") {
				read = true
				if !strings.Contains(step, "USING COVERING INDEX missions_versions") && !strings.Contains(step, "USING COVERING INDEX missions_signatures") {
					t.Errorf("%s reads the missions' rows: %q (plan %q)", name, step, plan)
				}
			}
		}
		if !read {
			t.Errorf("%s: no step reads missions in plan %q", name, plan)
		}
	}
}
