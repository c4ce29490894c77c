// Package synth writes synthetic mission reports, PDF, text and Markdown, with
// the truth an ideal extraction would give for each (the shape of
// testdata/corpus/visible/truth), so that Escale can be measured on archives
// of any size. A report depends only on the generator's options and its
// number: the same seed gives the same bytes, whatever the order or the
// number of workers.
//
// The reports vary the way real ones do: titles or none, dates lines in
// several forms or none, delegation inline or as a section, objectives
// numbered, bulleted or as paragraphs, outcomes under category headings
// (« Québec RAYONNE », « Retombées économiques », « Court terme ») or not,
// with bold lead phrases or not, programs, follow-ups, costs tables; PDFs of
// one to six pages in one or two columns with running headers, page numbers
// and hyphenation; text files in UTF-8 or cp1252, LF or CRLF.
package synth

import (
	"fmt"
	"strings"
	"time"

	"escale/internal/gazetteer"
	"escale/internal/mission"
	"escale/internal/score"
	"escale/internal/taxonomy"
)

// Options say what a Generator writes.
type Options struct {
	Seed int64
	// Home is the city whose office writes the reports (default « Québec »);
	// it is never a destination.
	Home string
	// PDF is the share of PDFs, the rest being text (70 %) and Markdown
	// (30 %). Negative means none; 0 means the default, 0.65.
	PDF float64
	// Pages, when above 0, is the page count PDFs aim at (1 to 6); otherwise
	// each PDF draws its own.
	Pages int
}

// Generator writes reports. It is read-only once built, safe for concurrent use.
type Generator struct {
	opt      Options
	places   *places
	home     gazetteer.City
	currency string
	labels   map[string]string
	themeIdx []int // indexes into themes of the taxonomy's themes
	metrics  *metrics
}

// Report is one generated file and its truth.
type Report struct {
	Name  string // file name, unique within an archive
	Data  []byte
	Pages int
	Truth score.Truth
}

// New builds a generator over a gazetteer (destinations) and a taxonomy
// (theme ids and labels).
func New(g *gazetteer.Gazetteer, tx *taxonomy.Taxonomy, opt Options) (*Generator, error) {
	if opt.Home == "" {
		opt.Home = "Québec"
	}
	if opt.PDF == 0 {
		opt.PDF = 0.65
	}
	if opt.Pages < 0 || opt.Pages > 6 {
		return nil, fmt.Errorf("synth: pages %d: want 0 (drawn) or 1 to 6", opt.Pages)
	}
	home, ok := g.City(opt.Home)
	if !ok {
		return nil, fmt.Errorf("synth: home city %q is not in the gazetteer", opt.Home)
	}
	gen := &Generator{opt: opt, home: home, labels: map[string]string{}, currency: "€"}
	if home.CountryCode == "CA" {
		gen.currency = "$"
	}
	for _, t := range tx.Themes {
		gen.labels[t.ID] = t.Label
	}
	for i, t := range themes {
		if tx.Has(t.id) {
			gen.themeIdx = append(gen.themeIdx, i)
		}
	}
	if len(gen.themeIdx) < 2 {
		return nil, fmt.Errorf("synth: the taxonomy shares fewer than two theme ids with the generator's vocabulary")
	}
	gen.places = newPlaces(g, home)
	if len(gen.places.all) == 0 {
		return nil, fmt.Errorf("synth: the gazetteer has no city to send missions to")
	}
	m, err := newMetrics()
	if err != nil {
		return nil, err
	}
	gen.metrics = m
	return gen, nil
}

func (g *Generator) label(id string) string {
	if l, ok := g.labels[id]; ok && l != "" {
		return l
	}
	return id
}

// francophone countries, where missions more often carry the theme.
var francophone = map[string]bool{"FR": true, "BE": true, "CH": true, "LU": true, "MC": true, "SN": true,
	"CI": true, "MA": true, "TN": true, "DZ": true, "CM": true, "BF": true, "ML": true, "BJ": true,
	"TG": true, "GA": true, "NE": true, "RW": true, "HT": true, "CD": true, "CG": true, "MG": true}

// plan draws what mission report n is about.
func (g *Generator) plan(r *rng) *missionPlan {
	p := &missionPlan{home: g.home.Name, currency: g.currency}
	// Years 1995 to 2026, more reports in recent years.
	ws := make([]float64, 32)
	for i := range ws {
		ws[i] = 1 + float64(i)/6
	}
	year := 1995 + r.weighted(ws...)
	p.start = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.between(8, 335))
	p.end = p.start.AddDate(0, 0, r.between(1, 6)+r.IntN(3)*r.IntN(2))
	first := g.places.pick(r)
	p.dests = []place{first}
	if r.chance(0.2) {
		if q, ok := g.places.pickIn(r, first); ok && r.chance(0.7) {
			p.dests = append(p.dests, q)
		} else if q := g.places.pick(r); q.City.ID != first.City.ID {
			p.dests = append(p.dests, q)
		}
	}
	port := false
	fr := false
	for _, d := range p.dests {
		port = port || d.Port
		fr = fr || francophone[d.City.CountryCode]
	}
	tw := make([]float64, len(g.themeIdx))
	for k, i := range g.themeIdx {
		tw[k] = 1
		switch themes[i].id {
		case "ville-port":
			if port {
				tw[k] = 6
			} else {
				tw[k] = 0.1
			}
		case "francophonie":
			if fr {
				tw[k] = 3
			} else {
				tw[k] = 0.3
			}
		case "relations-internationales":
			tw[k] = 2.5
		case "culture", "economie-innovation", "climat-environnement":
			tw[k] = 1.5
		}
	}
	n := r.between(2, 4)
	for len(p.themes) < n {
		k := r.weighted(tw...)
		tw[k] = 0
		p.themes = append(p.themes, g.themeIdx[k])
		if len(p.themes) == len(g.themeIdx) {
			break
		}
	}
	return p
}

// Report writes report n (from 0) of the archive.
func (g *Generator) Report(n int) (Report, error) {
	r := newRNG(g.opt.Seed, n)
	p := g.plan(r)
	format := mission.FormatPDF
	switch {
	case g.opt.PDF < 0 || r.Float64() >= g.opt.PDF:
		format = mission.FormatText
		if r.chance(0.3) {
			format = mission.FormatMarkdown
		}
	default:
		r.Float64() // keep the stream aligned with the text branch
	}
	if format != mission.FormatPDF {
		p.size = 1 + r.IntN(8)
		b := &builder{g: g, r: r, p: p, format: format}
		b.compose(n)
		return b.render(nil)
	}
	// Lay PDFs out until they have the page count aimed at, changing how
	// much they say; only the one kept is drawn.
	target := g.opt.Pages
	if target == 0 {
		target = 1 + r.weighted(15, 30, 25, 15, 8, 7)
	}
	size := 2*target - 1
	var best *builder
	var bestPages []ppage
	dist := func(pages int) int {
		if pages > 6 {
			return 100 + pages // never more than six pages while a try is left
		}
		return abs(pages - target)
	}
	for try := 0; try < 10 || (dist(len(bestPages)) >= 100 && try < 30); try++ {
		p.size = size
		b := &builder{g: g, r: r, p: p, format: format}
		b.compose(n)
		laid := b.layout()
		if best == nil || dist(len(laid)) < dist(len(bestPages)) {
			best, bestPages = b, laid
		}
		if len(laid) == target {
			break
		}
		if len(laid) > target {
			size = max(1, size-1-(len(laid)-target))
		} else {
			size += 1 + (target - len(laid))
		}
	}
	return best.render(bestPages)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// compose writes the report's blocks, file name and truth.
func (b *builder) compose(n int) {
	r, p := b.r, b.p
	b.mentioned, b.used, b.truthThemes = map[string]bool{}, map[string]bool{}, map[string]bool{}
	b.chooseStyle()
	twoCols := b.format == mission.FormatPDF && r.chance(0.18)

	b.titleBlock()
	objectivesFirst := !b.st.titled && r.chance(0.5)
	if objectivesFirst {
		b.objectives()
	}
	if !b.st.titled && b.st.delegation == 0 {
		b.st.delegation = 1
	}
	b.delegation()
	// Short reports leave sections out.
	long := p.size >= 2
	if !b.st.titled || r.chance(pr(long, 0.9, 0.5)) {
		b.context()
	}
	if !objectivesFirst {
		b.objectives()
	}
	if r.chance(pr(long, 0.75, 0.2)) {
		b.program()
	}
	b.outcomes()
	if r.chance(pr(long, 0.6, 0.2)) {
		b.followup()
	}
	if r.chance(pr(p.size >= 3, 0.3, 0.05)) {
		b.costs()
	}
	if r.chance(0.2) {
		b.conclusion()
	}
	if p.size >= 9 && r.chance(0.7) {
		b.annex()
	}

	k := n + 1
	name, nameYear := b.fileName(k)
	b.nameYear = nameYear
	id := fmt.Sprintf("s%06d", k)
	t := &b.truth
	t.ID, t.File = id, name
	for _, bl := range b.d.blocks {
		switch {
		case bl.kind == bTitle:
			t.Title = mission.Ptr(bl.text)
		case bl.section == mission.KindObjectives && bl.kind == bItem:
			t.Objectives = append(t.Objectives, bl.text)
		}
	}
	for _, d := range p.dests {
		t.Destinations = append(t.Destinations, mission.Destination{City: d.City.Name, Country: d.Country})
	}
	y := p.end.Year()
	titleYear := t.Title != nil && strings.Contains(*t.Title, fmt.Sprint(y))
	if b.st.datesShown {
		t.StartDate, t.EndDate = mission.Ptr(dateISO(p.start)), mission.Ptr(dateISO(p.end))
	}
	// The mission's themes first, then those its topics touch too.
	for k := range p.themes {
		if id := b.themeOf(k).id; b.truthThemes[id] {
			t.Themes = append(t.Themes, id)
			delete(b.truthThemes, id)
		}
	}
	for _, i := range b.g.themeIdx {
		if id := themes[i].id; b.truthThemes[id] {
			t.Themes = append(t.Themes, id)
		}
	}
	t.Organizations = b.orgs
	if t.Objectives == nil {
		t.Objectives = []string{}
	}
	t.Text = b.d.text()
	b.titleYear = titleYear
	if b.format == mission.FormatPDF {
		b.pdf = b.choosePDFStyle(twoCols)
		if r.chance(0.55) {
			b.pdf.header, b.headerYear = b.runningHeader()
			b.pdf.headerAlign = pick(r, []string{"L", "R"})
			b.pdf.headerFirst = r.chance(0.3)
		}
		b.d.created = time.Date(y, p.end.Month(), p.end.Day(), r.between(8, 18), r.IntN(60), r.IntN(60), 0, time.UTC).AddDate(0, 0, r.between(2, 20))
		if b.d.created.Year() != y {
			b.d.created = time.Date(y, 12, 31, 17, 0, 0, 0, time.UTC)
		}
		switch {
		case t.Title != nil && r.chance(0.5):
			b.d.infoTitle = *t.Title
		case r.chance(0.2):
			// What Word writes when nobody fills the title in: not the
			// report's title, which the truth keeps as written in it.
			b.d.infoTitle = "Microsoft Word - " + strings.TrimSuffix(name, ".pdf") + ".docx"
		}
		b.producer = pick(r, producers)
	}
}

// layout places a PDF report's blocks on pages.
func (b *builder) layout() []ppage { return layoutDoc(b.g.metrics, &b.pdf, &b.d) }

// render writes the file; laid is the PDF's layout.
func (b *builder) render(laid []ppage) (Report, error) {
	t, y := &b.truth, b.p.end.Year()
	var data []byte
	pages := 1
	switch b.format {
	case mission.FormatPDF:
		var err error
		data, err = renderPDF(&b.pdf, laid, &b.d, b.producer)
		if err != nil {
			return Report{}, err
		}
		pages = len(laid)
		t.Format = "pdf"
		if b.pdf.cols == 2 {
			t.Format = "pdf-2col"
		}
	default:
		ts := b.chooseTextStyle(b.format == mission.FormatMarkdown)
		var cp bool
		data, cp = renderText(&b.d, ts)
		t.Format = "txt"
		if ts.markdown {
			t.Format = "md"
		}
		if cp {
			t.Format += "-cp1252"
		}
		if ts.crlf {
			t.Format += "-crlf"
		}
	}
	// The year, by the contract's rule: trip dates or title, then running
	// headers, the file name, the PDF's creation date.
	if b.st.datesShown || b.titleYear || b.headerYear || b.nameYear || b.format == mission.FormatPDF {
		t.Year = mission.Ptr(y)
	}
	return Report{Name: t.File, Data: data, Pages: pages, Truth: *t}, nil
}

// runningHeader draws the header line of a PDF; year tells whether it names
// the trip's year.
func (b *builder) runningHeader() (string, bool) {
	r, p := b.r, b.p
	c := p.dests[0].City.Name
	y := fmt.Sprint(p.end.Year())
	switch r.IntN(4) {
	case 0:
		return "Mission à " + c + " – " + months[p.end.Month()-1] + " " + y, true
	case 1:
		return "Ville de " + p.home + " – Bureau des relations internationales", false
	case 2:
		return "Rapport de mission – " + c, false
	}
	return fmt.Sprintf("RM-%s-%03d", y, r.between(1, 60)), true
}

// fileName names report k the ways offices do; year tells whether the name
// carries the trip's year.
func (b *builder) fileName(k int) (string, bool) {
	r, p := b.r, b.p
	c := p.dests[0].City.Name
	y := p.end.Year()
	ext := ".pdf"
	switch b.format {
	case mission.FormatText:
		ext = ".txt"
	case mission.FormatMarkdown:
		ext = ".md"
	}
	ascii := strings.ReplaceAll(strings.ToLower(gazetteer.Fold(c)), " ", "-")
	switch r.IntN(7) {
	case 0:
		return fmt.Sprintf("%d-%02d_rapport_mission_%s_%05d%s", y, p.end.Month(), ascii, k, ext), true
	case 1:
		return fmt.Sprintf("Rapport de mission - %s %d (%05d)%s", c, y, k, ext), true
	case 2:
		return fmt.Sprintf("RM-%d-%05d%s", y, k, ext), true
	case 3:
		return fmt.Sprintf("Mission %s %s%d - rapport %05d%s", c, months[p.end.Month()-1], y, k, ext), true
	case 4:
		return fmt.Sprintf("mission_%s_final_v%d_%05d%s", ascii, r.between(1, 4), k, ext), false
	case 5:
		return fmt.Sprintf("Bilan mission %s - %05d%s", c, k, ext), false
	}
	return fmt.Sprintf("%05d %s%s", k, ascii, ext), false
}

func pr(cond bool, yes, no float64) float64 {
	if cond {
		return yes
	}
	return no
}
