package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"escale/index"
	"escale/internal/gazetteer"
	"escale/internal/mission"
	"escale/internal/store"
	"escale/internal/synonyms"
	"escale/internal/tools/synthrec"
)

// buildData fills a data directory with n missions from synthrec, straight
// into the catalog and the index (PutBatch, 500 at a time), then compacts
// the index: what ingesting the same reports as text would store, without
// the HTTP or command-line round trip, the extraction child process or the
// twin search. A directory a previous run left with fewer missions is
// grown, record i being the same in every run.
func buildData(ctx context.Context, c config, n int) (string, error) {
	data := filepath.Join(c.work, fmt.Sprintf("data-built-%d-seed%d", n, c.seed))
	lock, err := store.Acquire(data, "bench")
	if err != nil {
		return "", err
	}
	defer lock.Release()
	st, err := store.Open(ctx, data)
	if err != nil {
		return "", err
	}
	defer st.Close()
	// The service's options: an index built without its regions would be
	// another index (escale serve would see it as its own and miss them).
	g := gazetteer.Default()
	ix, err := index.Open(filepath.Join(data, store.IndexDir), index.Options{Places: g, Synonyms: synonyms.Default(), Zones: g.ZonesOf})
	if err != nil {
		return "", err
	}
	defer ix.Close()
	inCatalog, err := st.Count(ctx)
	if err != nil {
		return "", err
	}
	inIndex, err := ix.Count()
	if err != nil {
		return "", err
	}
	if inCatalog != int(inIndex) || inCatalog > n {
		return "", fmt.Errorf("%s holds %d missions in its catalog and %d in its index: delete it", data, inCatalog, inIndex)
	}
	if inCatalog == n {
		return data, compact(ctx, c, ix)
	}
	src, err := synthrec.New(c.seed)
	if err != nil {
		return "", err
	}
	t0 := time.Now()
	done := inCatalog
	err = src.Batches(ctx, inCatalog, n-inCatalog, 500, 0, func(items []synthrec.Item) error {
		recs := make([]*mission.Mission, len(items))
		entries := make([]*store.Entry, len(items))
		for i, it := range items {
			if _, err := st.PutOriginal(it.Data); err != nil {
				return err
			}
			// Indexed first, then cataloged as indexed (indexed_version =
			// version): the server finds both in step at start.
			e := &store.Entry{ID: it.Mission.MissionID, SHA256: it.Mission.SHA256, Extracted: it.Mission,
				Mission: it.Mission, Version: 1, IndexedVersion: 1}
			entries[i], recs[i] = e, e.Record()
		}
		if err := ix.PutBatch(recs); err != nil {
			return err
		}
		for _, e := range entries {
			log := store.LogEntry{Filename: e.Mission.Filename, SHA256: e.SHA256, Size: e.Mission.Size, Source: "bench", Outcome: store.Created}
			if err := st.Insert(ctx, e, log); err != nil {
				return err
			}
		}
		done += len(items)
		c.progress("  %d/%d missions (%.0f/s)", done, n, float64(done-inCatalog)/time.Since(t0).Seconds())
		return nil
	})
	if err != nil {
		return "", err
	}
	return data, compact(ctx, c, ix)
}

// compact compacts the index as escale ingest does after a bulk load (a
// directory built before it did is compacted at its next use).
func compact(ctx context.Context, c config, ix *index.Index) error {
	t0 := time.Now()
	before, after, err := ix.Compact(ctx)
	if after < before {
		c.progress("  index compacted in %.1f s", time.Since(t0).Seconds())
	}
	return err
}

// addSizes adds the index's, the catalog's and the originals' size per
// mission of a data directory.
func addSizes(t *table, data string, missions int) error {
	ixSize, err := du(filepath.Join(data, store.IndexDir), nil)
	if err != nil {
		return err
	}
	catSize, err := du(data, func(name string) bool { return strings.HasPrefix(name, "catalog.db") })
	if err != nil {
		return err
	}
	origSize, err := du(filepath.Join(data, "originals"), nil)
	if err != nil {
		return err
	}
	per := func(b int64) string {
		return fmt.Sprintf("%s (%s in all)", kb(float64(b)/float64(max(missions, 1))), mb(b))
	}
	size := fmt.Sprintf("%s missions", thousands(missions))
	t.add(row{measure: "Index size per mission", size: size, escale: per(ixSize)})
	t.add(row{measure: "Catalog size per mission", size: size, escale: per(catSize)})
	t.add(row{measure: "Originals per mission", size: size, escale: per(origSize)})
	return nil
}

// du sums the sizes of the files under dir (only the top-level ones keep
// says yes to, when keep is given).
func du(dir string, keep func(name string) bool) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if keep != nil && p != dir {
				return filepath.SkipDir
			}
			return nil
		}
		if keep != nil && !keep(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if os.IsNotExist(err) {
		return 0, nil
	}
	return total, err
}
