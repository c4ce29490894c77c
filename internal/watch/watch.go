// Package watch ingests the files dropped into a folder (a shared folder
// staff already use) and moves each, once read, to DIR/traités/ or
// DIR/refusés/ beside a .txt note saying what became of it.
//
// It polls rather than asks the kernel for events: shared network folders
// often send none, and a report is not urgent to the second. A file is taken
// only once its size and time have stayed the same for one poll, so that a
// copy in progress is not read half-way.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"escale/internal/mission"
	"escale/internal/service"
)

// Folders a watched directory's files are moved to.
const (
	DoneDir    = "traités"
	RefusedDir = "refusés"
)

// Ingester is what the watcher asks of the service.
type Ingester interface {
	Ingest(ctx context.Context, up service.Upload) (*service.Result, error)
}

// Watcher polls one folder.
type Watcher struct {
	Dir      string
	Every    time.Duration // between polls
	MaxSize  int64         // larger files are refused without being read
	Ingester Ingester
	Logger   *slog.Logger
	Now      func() time.Time // for notes; time.Now when nil

	seen map[string]stat // what each file looked like at the last poll
}

type stat struct {
	size int64
	mod  time.Time
}

// Run polls until ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Every <= 0 {
		w.Every = 2 * time.Second
	}
	for _, d := range []string{w.Dir, filepath.Join(w.Dir, DoneDir), filepath.Join(w.Dir, RefusedDir)} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return fmt.Errorf("watch: %w", err)
		}
	}
	t := time.NewTicker(w.Every)
	defer t.Stop()
	for {
		w.Poll(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Poll looks at the folder once and ingests the files that have stopped
// changing since the previous poll. It returns how many it handled.
func (w *Watcher) Poll(ctx context.Context) int {
	if w.seen == nil {
		w.seen = map[string]stat{}
	}
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		w.logger().Warn("watch: read folder", "dir", w.Dir, "err", err)
		return 0
	}
	now := map[string]stat{}
	handled := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		st := stat{info.Size(), info.ModTime()}
		now[name] = st
		if prev, ok := w.seen[name]; !ok || prev != st {
			continue // new or still changing: next poll
		}
		if ctx.Err() != nil {
			break
		}
		if w.handle(ctx, name, st.size) {
			delete(now, name)
			handled++
		}
	}
	w.seen = now
	return handled
}

// handle ingests one file and moves it; it reports false when the file
// should be tried again later (the server was busy or failed).
func (w *Watcher) handle(ctx context.Context, name string, size int64) bool {
	path := filepath.Join(w.Dir, name)
	var res *service.Result
	var err error
	if w.MaxSize > 0 && size > w.MaxSize {
		err = mission.Refuse(mission.ErrTooLarge, "%d bytes", size)
	} else {
		var data []byte
		data, err = readFile(path, w.MaxSize)
		if err == nil {
			res, err = w.Ingester.Ingest(ctx, service.Upload{Filename: name, Data: data, Source: "watch"})
		}
	}
	var note, dest string
	switch r, refused := mission.RefusalOf(err); {
	case err == nil:
		dest = DoneDir
		note = w.doneNote(name, res)
	case refused:
		dest = RefusedDir
		note = fmt.Sprintf("Fichier : %s\nDate : %s\nRésultat : refusé (%s)\nRaison : %s\n", name, w.stamp(), r.Code, r.Message)
	default:
		// Our fault or a full queue: leave the file for the next poll.
		if !errors.Is(err, context.Canceled) {
			w.logger().Warn("watch: ingest failed, will retry", "file", name, "err", err)
		}
		return false
	}
	target, err := move(path, filepath.Join(w.Dir, dest), name)
	if err != nil {
		w.logger().Error("watch: move", "file", name, "err", err)
		return false
	}
	if err := os.WriteFile(target+".txt", []byte(note), 0o640); err != nil {
		w.logger().Warn("watch: note", "file", target, "err", err)
	}
	w.logger().Info("watch: file handled", "file", name, "to", dest)
	return true
}

func (w *Watcher) doneNote(name string, res *service.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Fichier : %s\nDate : %s\n", name, w.stamp())
	m := res.Mission
	if res.Created {
		fmt.Fprintf(&b, "Résultat : ajouté (mission %s)\n", m.MissionID)
	} else {
		fmt.Fprintf(&b, "Résultat : déjà présent, mêmes octets (mission %s, fichier d’origine « %s »)\n", m.MissionID, m.Filename)
	}
	if m.Title != nil {
		fmt.Fprintf(&b, "Titre : %s\n", *m.Title)
	}
	if m.DuplicateOf != "" {
		fmt.Fprintf(&b, "Attention : doublon probable de la mission %s (même texte)\n", m.DuplicateOf)
	}
	for _, warn := range m.Warnings {
		fmt.Fprintf(&b, "Remarque : %s\n", warn)
	}
	return b.String()
}

func (w *Watcher) stamp() string {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	return now().Format("2006-01-02 15:04:05")
}

func (w *Watcher) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}

func readFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if max <= 0 {
		return io.ReadAll(f)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, mission.Refuse(mission.ErrTooLarge, "more than %d bytes", max)
	}
	return data, nil
}

// move renames path into dir under name, or name (2), name (3)... when
// taken, and returns where it went.
func move(path, dir, name string) (string, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		target := filepath.Join(dir, name)
		if i > 1 {
			target = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", base, i, ext))
		}
		if _, err := os.Lstat(target); err == nil {
			continue
		}
		if _, err := os.Lstat(target + ".txt"); err == nil {
			continue
		}
		return target, os.Rename(path, target)
	}
	return "", fmt.Errorf("watch: no free name for %s in %s", name, dir)
}
