package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// timing is one command's cost: wall time, process start included, and the
// CPU time of the process and the children it waited for.
type timing struct {
	wall, cpu time.Duration
}

// timed runs a command, its output discarded unless out is given.
func timed(ctx context.Context, out *bytes.Buffer, name string, args ...string) (timing, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if out != nil {
		cmd.Stdout = out
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Run()
	t := timing{wall: time.Since(t0)}
	if cmd.ProcessState != nil {
		t.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return t, fmt.Errorf("%s %v: %w: %s", name, args, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return t, nil
}

// archive returns a synthetic archive written by genarchive with args,
// writing it unless a previous run did.
func archive(ctx context.Context, c config, name string, n int, args ...string) (string, error) {
	dir := filepath.Join(c.work, name)
	files := filepath.Join(dir, "files")
	if es, err := os.ReadDir(files); err == nil && len(es) == n {
		return files, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	bin, err := genarchive(ctx, c)
	if err != nil {
		return "", err
	}
	args = append(args, "-n", strconv.Itoa(n), "-q", dir)
	if _, err := timed(ctx, nil, bin, args...); err != nil {
		return "", err
	}
	return files, nil
}

// genarchive builds the archive generator into the working directory.
func genarchive(ctx context.Context, c config) (string, error) {
	bin := filepath.Join(c.work, "genarchive")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	return goBuild(ctx, c.work, "genarchive", "./internal/tools/genarchive")
}

var pdfinfoPages = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfPages counts a PDF's pages with pdfinfo (poppler-utils, beside pdftotext).
func pdfPages(ctx context.Context, path string) (int, error) {
	var out bytes.Buffer
	if _, err := timed(ctx, &out, "pdfinfo", path); err != nil {
		return 0, err
	}
	m := pdfinfoPages.FindSubmatch(out.Bytes())
	if m == nil {
		return 0, fmt.Errorf("pdfinfo %s: no page count", path)
	}
	return strconv.Atoi(string(m[1]))
}

// benchExtract times `escale extract --json` and `pdftotext` on the same
// multi-page PDFs, file by file, alternating which runs first.
func benchExtract(ctx context.Context, c config, t *table) error {
	// Born-digital PDFs of one to six pages as synth draws them; the
	// one-page ones are left out (the target is over multi-page reports).
	files, err := archive(ctx, c, fmt.Sprintf("extract-%d-seed%d", c.extractN, c.seed+1), c.extractN*3/2+10,
		"-seed", strconv.FormatInt(c.seed+1, 10), "-pdf", "1")
	if err != nil {
		return err
	}
	es, err := os.ReadDir(files)
	if err != nil {
		return err
	}
	type pdf struct {
		path  string
		pages int
	}
	var pdfs []pdf
	for _, e := range es {
		p := filepath.Join(files, e.Name())
		n, err := pdfPages(ctx, p)
		if err != nil {
			return err
		}
		if n >= 2 {
			pdfs = append(pdfs, pdf{p, n})
		}
		if len(pdfs) == c.extractN {
			break
		}
	}
	// What the same extraction costs in one process per file, without the
	// child that isolates it, linking the extraction code alone or what
	// escale links (internal/tools/extractonly): where the cost per file
	// comes from.
	lone, err := goBuild(ctx, c.work, "extractonly", "./internal/tools/extractonly")
	if err != nil {
		return err
	}
	heavy, err := goBuild(ctx, c.work, "extractonly-heavy", "./internal/tools/extractonly", "heavy")
	if err != nil {
		return err
	}
	var (
		pages           int
		esc, peer       timing
		loneT, heavyT   timing
		escPer, peerPe  []time.Duration // per file and page
		escFit, peerFit fit             // wall time against pages
	)
	var out bytes.Buffer
	for r := range c.rounds {
		for i, f := range pdfs {
			runEscale := func() error {
				out.Reset()
				tm, err := timed(ctx, &out, c.escale, "extract", "--json", f.path)
				if err != nil {
					return err
				}
				var rec struct {
					Pages int `json:"pages"`
				}
				if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
					return fmt.Errorf("escale extract %s: output is not a record: %w", f.path, err)
				}
				if rec.Pages != f.pages {
					return fmt.Errorf("escale extract %s: %d pages, pdfinfo says %d", f.path, rec.Pages, f.pages)
				}
				esc.wall += tm.wall
				esc.cpu += tm.cpu
				escPer = append(escPer, tm.wall/time.Duration(f.pages))
				escFit.add(f.pages, tm.wall)
				return nil
			}
			runPeer := func() error {
				if c.skipPeers {
					return nil
				}
				tm, err := timed(ctx, nil, "pdftotext", f.path, "-")
				if err != nil {
					return err
				}
				peer.wall += tm.wall
				peer.cpu += tm.cpu
				peerPe = append(peerPe, tm.wall/time.Duration(f.pages))
				peerFit.add(f.pages, tm.wall)
				return nil
			}
			inProcess := func(bin string, into *timing) func() error {
				return func() error {
					tm, err := timed(ctx, nil, bin, f.path)
					into.wall += tm.wall
					into.cpu += tm.cpu
					return err
				}
			}
			runs := []func() error{runEscale, runPeer, inProcess(lone, &loneT), inProcess(heavy, &heavyT)}
			for k := range runs {
				if err := runs[(r+i+k)%len(runs)](); err != nil {
					return err
				}
			}
			pages += f.pages
		}
	}
	size := fmt.Sprintf("%d PDFs, %d pages, ×%d", len(pdfs), pages/c.rounds, c.rounds)
	per := func(d time.Duration) time.Duration { return d / time.Duration(max(pages, 1)) }
	addRow := func(measure string, e, p time.Duration) {
		r := row{measure: measure, size: size, escale: ms(e), target: "≤ pdftotext"}
		if !c.skipPeers {
			r.peer = "pdftotext " + ms(p)
			r.met = fmt.Sprintf("%s (×%.2f)", yesNo(e <= p), float64(e)/float64(max(p, 1)))
		}
		t.add(r)
	}
	addRow("Extraction per page, wall, one process per file", per(esc.wall), per(peer.wall))
	addRow("Extraction per page, median over files, wall", percentile(escPer, 50), percentile(peerPe, 50))
	addRow("Extraction per page, CPU (process and children)", per(esc.cpu), per(peer.cpu))
	for _, v := range []struct {
		what string
		t    timing
	}{
		{"extraction code alone", loneT},
		{"linking what escale links", heavyT},
	} {
		r := row{measure: "Extraction per page, wall, one process per file, no child (`internal/tools/extractonly`, " + v.what + ", not shipped)",
			size: size, escale: ms(per(v.t.wall)), target: "—", met: "—"}
		if !c.skipPeers {
			r.escale += fmt.Sprintf(" (×%.2f pdftotext)", float64(v.t.wall)/float64(max(peer.wall, 1)))
		}
		t.add(r)
	}
	// Where the difference lies: a file's wall time as a cost per file
	// plus a cost per page (least squares over every file and round).
	ef, ep := escFit.line()
	pf, pp := peerFit.line()
	if ep == 0 {
		return nil // one page count: no line (-extract too small)
	}
	for _, r := range []row{
		{measure: "Extraction, wall, fixed cost per file (fit: time = fixed + pages × per page)", escale: ms(ef), peer: "pdftotext " + ms(pf)},
		{measure: "Extraction, wall, cost per page (same fit)", escale: ms(ep), peer: "pdftotext " + ms(pp)},
	} {
		r.size, r.target = size, "—"
		if c.skipPeers {
			r.peer = ""
		}
		t.add(r)
	}
	return nil
}

// fit gathers points (pages, wall time) for a least-squares line.
type fit struct{ n, sx, sy, sxx, sxy float64 }

func (f *fit) add(pages int, wall time.Duration) {
	x, y := float64(pages), float64(wall)
	f.n++
	f.sx += x
	f.sy += y
	f.sxx += x * x
	f.sxy += x * y
}

// line returns the fitted line's value at zero pages and its slope, both
// zero when the points do not determine a line (no two page counts).
func (f *fit) line() (fixed, perPage time.Duration) {
	d := f.n*f.sxx - f.sx*f.sx
	if f.n < 2 || d == 0 {
		return 0, 0
	}
	b := (f.n*f.sxy - f.sx*f.sy) / d
	a := (f.sy - b*f.sx) / f.n
	return time.Duration(a), time.Duration(b)
}
