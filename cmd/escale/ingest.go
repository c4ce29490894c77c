package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"escale/internal/mission"
	"escale/internal/service"
)

// runIngest adds reports (files, or folders searched recursively) to the
// data directory, or sends them to a running server with --server. It exits
// 0 when every file was added or already there, 1 when some were refused or
// failed, 2 for a mistake on the command line.
func runIngest(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	df := addDataFlags(fs)
	server := fs.String("server", "", "adresse d’un serveur Escale à qui envoyer les fichiers, par exemple http://127.0.0.1:8080 ("+envName("server")+")")
	verbose := fs.Bool("verbose", false, "journal détaillé sur la sortie d’erreur")
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(e.stdout, "Utilisation : escale ingest [OPTIONS] CHEMIN...\n\nAjoute des rapports (fichiers, ou dossiers parcourus récursivement) au répertoire de données,\nou les envoie à un serveur en marche avec --server (jeton : ESCALE_TOKEN).\n\nOptions :")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		return usageError(e, "%s ; escale ingest --help donne la liste des options", flagError(err))
	}
	if len(paths) == 0 {
		return usageError(e, "indiquez au moins un fichier ou un dossier : escale ingest CHEMIN...")
	}
	if err := applyEnv(fs, e.getenv, "server"); err != nil {
		return usageError(e, "%v", err)
	}
	cfg, err := df.resolve(e.getenv)
	if err != nil {
		return usageError(e, "%v", err)
	}
	files, err := collect(paths)
	if err != nil {
		return usageError(e, "%v", err)
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "escale: aucun fichier trouvé dans les chemins indiqués.")
		return 1
	}
	log := slog.New(slog.DiscardHandler)
	if *verbose {
		log = slog.New(slog.NewTextHandler(e.stderr, nil))
	}

	var send func(ctx context.Context, name string, data []byte) (*service.Result, error)
	var compact func(ctx context.Context) (bool, error) // the local index's, once the files are in
	// Files in flight: one per extraction at once for a server, which
	// queues them itself. Here, more: the service writes together the files
	// read within its linger, while the extractions go on with the next.
	inFlight := cfg.Workers
	if *server != "" {
		c := &client{base: strings.TrimRight(*server, "/"), token: strings.TrimSpace(e.getenv("ESCALE_TOKEN")), http: &http.Client{Timeout: 10 * time.Minute}}
		send = c.upload
	} else {
		inFlight = ingestInFlight * cfg.Workers
		cfg.Queue = max(cfg.Queue, inFlight-cfg.Workers)
		cfg.Linger = ingestLinger
		d, err := openDataDir(ctx, cfg, "ingest", log)
		var held *errHeld
		if errors.As(err, &held) {
			fmt.Fprintf(e.stderr, "escale: %s\n", heldMessage(held, "ingest"))
			return 1
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "escale: ouverture du répertoire de données %s impossible : %v\n", cfg.Data, err)
			return 1
		}
		defer d.Close()
		if _, err := d.svc.Reconcile(ctx); err != nil {
			fmt.Fprintf(e.stderr, "escale: mise en accord du catalogue et de l’index impossible : %v\n", err)
			return 1
		}
		send = func(ctx context.Context, name string, data []byte) (*service.Result, error) {
			return d.svc.Ingest(ctx, service.Upload{Filename: name, Data: data, Source: "ingest"})
		}
		compact = d.svc.Compact
	}

	// Indexing allocates much and keeps little: a heap of five times what
	// is live (not twice, Go's default) spares the collector most of its
	// work, 3 ms of a two-page report's 20 in this process.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	p := newProgress(e.stdout, e.stderr, len(files))
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
		held = newBudget(ingestBytes)
	)
	for range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				path := files[i]
				var size int64
				if st, err := os.Stat(path); err == nil {
					size = min(st.Size(), cfg.Extract.Limits.MaxSize)
				}
				held.acquire(size)
				var res *service.Result
				data, err := readReport(path, cfg.Extract.Limits.MaxSize)
				if err == nil {
					res, err = send(ctx, filepath.Base(path), data)
				}
				data = nil
				held.release(size)
				p.done(path, res, err)
			}
		}()
	}
	wg.Wait()
	if compact != nil && ctx.Err() == nil && p.created > 0 {
		compactIndex(ctx, e, compact)
	}
	return p.summary(ctx.Err() != nil)
}

// compactIndex compacts the index after an ingest or a reindex
// (service.Service.Compact: the index decides whether it is worth it, and
// the service logs what was done). A failure costs searches some speed,
// nothing else: it is said, not fatal.
func compactIndex(ctx context.Context, e *env, compact func(context.Context) (bool, error)) {
	if isTerminal(e.stderr) {
		fmt.Fprint(e.stderr, "\r\033[Kcompactage de l’index…")
		defer fmt.Fprint(e.stderr, "\r\033[K")
	}
	if _, err := compact(ctx); err != nil {
		fmt.Fprintf(e.stderr, "escale: compactage de l’index impossible (la recherche reste possible, un peu plus lente) : %v\n", err)
	}
}

// How escale ingest feeds a data directory: per extraction at once, how
// many files it keeps in flight (being read, or read and waiting to be
// written together), and at most how many bytes of them; and how long a file
// read waits for others to be written with it (service.Config.Linger). Batches
// of a dozen two-page reports cost the index a third less per mission than
// batches of three or four.
const (
	ingestInFlight = 8
	ingestBytes    = 256 << 20
	ingestLinger   = 250 * time.Millisecond
)

// budget bounds the bytes of the files held at once; a file larger than the
// whole budget is still let through, alone.
type budget struct {
	mu   sync.Mutex
	cond *sync.Cond
	max  int64
	used int64
}

func newBudget(max int64) *budget {
	b := &budget{max: max}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes fit.
func (b *budget) acquire(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.used > 0 && b.used+n > b.max {
		b.cond.Wait()
	}
	b.used += n
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	b.cond.Broadcast()
}

// collect lists the files under paths: files as given, folders searched
// recursively, hidden files and folders skipped.
func collect(paths []string) ([]string, error) {
	var out []string
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("« %s » est introuvable : vérifiez le chemin", root)
		}
		if !st.IsDir() {
			out = append(out, root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // an unreadable corner: skip it
			}
			hidden := path != root && strings.HasPrefix(d.Name(), ".")
			switch {
			case d.IsDir() && hidden:
				return filepath.SkipDir
			case d.Type().IsRegular() && !hidden:
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// progress reports each file: a bar on a terminal, one line per file
// otherwise; then a summary.
type progress struct {
	mu       sync.Mutex
	out, err io.Writer
	tty      bool
	total    int
	count    int
	created  int
	existing int
	twins    []string
	refused  []string
	failed   []string
}

func newProgress(stdout, stderr io.Writer, total int) *progress {
	return &progress{out: stdout, err: stderr, tty: isTerminal(stderr), total: total}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) done(path string, res *service.Result, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count++
	var line string
	r, refused := mission.RefusalOf(err)
	switch {
	case err == nil && res.Created:
		p.created++
		line = fmt.Sprintf("ajouté       %s → %s", path, res.Mission.MissionID)
		if res.Mission.DuplicateOf != "" {
			p.twins = append(p.twins, fmt.Sprintf("%s (doublon probable de %s)", path, res.Mission.DuplicateOf))
			line += " (doublon probable de " + res.Mission.DuplicateOf + ")"
		}
	case err == nil:
		p.existing++
		line = fmt.Sprintf("déjà présent %s → %s", path, res.Mission.MissionID)
	case refused:
		p.refused = append(p.refused, fmt.Sprintf("%s : %s (%s)", path, r.Message, r.Code))
		line = fmt.Sprintf("refusé       %s : %s", path, r.Code)
	default:
		p.failed = append(p.failed, fmt.Sprintf("%s : %v", path, err))
		line = fmt.Sprintf("échec        %s : %v", path, err)
	}
	if !p.tty {
		fmt.Fprintln(p.out, line)
		return
	}
	const width = 30
	filled := width * p.count / p.total
	name := filepath.Base(path)
	if len([]rune(name)) > 40 {
		name = string([]rune(name)[:39]) + "…"
	}
	fmt.Fprintf(p.err, "\r\033[K[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.count, p.total, name)
	if p.count == p.total {
		fmt.Fprintln(p.err)
	}
}

// summary prints the totals and the reasons of refusals, and returns the
// exit code.
func (p *progress) summary(interrupted bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.count < p.total {
		fmt.Fprintln(p.err)
	}
	fmt.Fprintf(p.out, "\nBilan : %d ajoutés, %d déjà présents (mêmes octets), %d doublons probables, %d refusés, %d en échec.\n",
		p.created, p.existing, len(p.twins), len(p.refused), len(p.failed))
	for _, t := range p.twins {
		fmt.Fprintf(p.out, "  doublon probable : %s\n", t)
	}
	for _, r := range p.refused {
		fmt.Fprintf(p.out, "  refusé : %s\n", r)
	}
	for _, f := range p.failed {
		fmt.Fprintf(p.out, "  échec : %s\n", f)
	}
	if interrupted {
		fmt.Fprintf(p.out, "Interrompu : %d fichiers sur %d traités ; relancez la commande pour le reste (les fichiers déjà ajoutés seront reconnus).\n", p.count, p.total)
		return 1
	}
	if len(p.refused)+len(p.failed) > 0 {
		return 1
	}
	return 0
}

// client sends files to a running server.
type client struct {
	base, token string
	http        *http.Client
}

func (c *client) upload(ctx context.Context, name string, data []byte) (*service.Result, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return nil, err
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/documents", &body)
	if err != nil {
		return nil, fmt.Errorf("adresse du serveur « %s » invalide", c.base)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, fmt.Errorf("serveur %s injoignable : %v", c.base, err)
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusServiceUnavailable && attempt < 20:
			// The queue is full: wait as told and send again.
			time.Sleep(2 * time.Second)
			req.Body = io.NopCloser(bytes.NewReader(body.Bytes()))
			continue
		case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated:
			var m mission.Mission
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("réponse illisible du serveur : %v", err)
			}
			return &service.Result{Mission: &m, Created: resp.StatusCode == http.StatusCreated}, nil
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(b, &e) == nil && e.Error.Code != "" {
			if resp.StatusCode < 500 && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusNotFound {
				return nil, &mission.Refusal{Code: e.Error.Code, Message: e.Error.Message}
			}
			return nil, fmt.Errorf("%d %s : %s", resp.StatusCode, e.Error.Code, e.Error.Message)
		}
		return nil, fmt.Errorf("réponse %d du serveur", resp.StatusCode)
	}
}
