// Package score compares extracted mission records with annotated truth, the way
// the evaluation script (eval/score.py) does, so that Go tests and benchmarks can
// hold extraction quality to the same figures.
package score

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"escale/internal/mission"
)

// Truth is one annotated report (testdata/corpus/visible/truth/ID.json).
type Truth struct {
	ID            string                `json:"id"`
	File          string                `json:"file"`
	Format        string                `json:"format"`
	Title         *string               `json:"title"`
	Destinations  []mission.Destination `json:"destinations"`
	StartDate     *string               `json:"start_date"`
	EndDate       *string               `json:"end_date"`
	Year          *int                  `json:"year"`
	Organizations []string              `json:"organizations"`
	Themes        []string              `json:"themes"`
	Objectives    []string              `json:"objectives"`
	Outcomes      []TruthOutcome        `json:"outcomes"`
	Text          string                `json:"text"`
}

// TruthOutcome is an annotated outcome.
type TruthOutcome struct {
	Category *string `json:"category"`
	Title    *string `json:"title"`
	Text     string  `json:"text"`
}

// LoadTruth reads every CORPUS/truth/*.json, sorted by id.
func LoadTruth(corpus string) ([]Truth, error) {
	paths, err := filepath.Glob(filepath.Join(corpus, "truth", "*.json"))
	if err != nil {
		return nil, err
	}
	var out []Truth
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("score: %w", err)
		}
		var t Truth
		if err := json.Unmarshal(b, &t); err != nil {
			return nil, fmt.Errorf("score: %s: %w", p, err)
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Truth) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func normalize(s string) string {
	s = norm.NFC.String(s)
	s = strings.NewReplacer("\u00a0", " ", "’", "'", "\u202f", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// Fold lowercases s and strips its accents, as the scorer compares cities,
// countries and categories.
func Fold(s string) string {
	d := norm.NFD.String(strings.ToLower(normalize(s)))
	var b strings.Builder
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Words splits s into lowercase words as the scorer does: runs of letters and
// digits.
func Words(s string) []string {
	s = strings.ToLower(normalize(s))
	var out []string
	start := -1
	for i, r := range s {
		word := (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)) && r != '_'
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func bagF1[T comparable](a, b []T) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	count := map[T]int{}
	for _, w := range a {
		count[w]++
	}
	inter := 0
	for _, w := range b {
		if count[w] > 0 {
			count[w]--
			inter++
		}
	}
	p := float64(inter) / float64(max(1, len(b)))
	r := float64(inter) / float64(max(1, len(a)))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// TextF1 is the word-level F1 of got against truth.
func TextF1(truth, got string) float64 { return bagF1(Words(truth), Words(got)) }

// OrderF1 is TextF1 over pairs of consecutive words: it drops when words come
// out of order.
func OrderF1(truth, got string) float64 {
	pairs := func(ws []string) [][2]string {
		var p [][2]string
		for i := 0; i+1 < len(ws); i++ {
			p = append(p, [2]string{ws[i], ws[i+1]})
		}
		return p
	}
	return bagF1(pairs(Words(truth)), pairs(Words(got)))
}

// Similarity is difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
// over the words of a and b joined by spaces.
func Similarity(a, b string) float64 {
	x := []rune(strings.Join(Words(a), " "))
	y := []rune(strings.Join(Words(b), " "))
	if len(x) == 0 && len(y) == 0 {
		return 1
	}
	return 2 * float64(matchingChars(x, y)) / float64(len(x)+len(y))
}

// matchingChars counts the characters of difflib's matching blocks: the longest
// common block, then recursively left and right of it.
func matchingChars(a, b []rune) int {
	b2j := map[rune][]int{}
	for j, r := range b {
		b2j[r] = append(b2j[r], j)
	}
	type span struct{ alo, ahi, blo, bhi int }
	total := 0
	queue := []span{{0, len(a), 0, len(b)}}
	for len(queue) > 0 {
		s := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		i, j, k := longestMatch(a, b2j, s.alo, s.ahi, s.blo, s.bhi)
		if k == 0 {
			continue
		}
		total += k
		if s.alo < i && s.blo < j {
			queue = append(queue, span{s.alo, i, s.blo, j})
		}
		if i+k < s.ahi && j+k < s.bhi {
			queue = append(queue, span{i + k, s.ahi, j + k, s.bhi})
		}
	}
	return total
}

// longestMatch is difflib's find_longest_match without junk: the earliest
// longest block a[i:i+k] == b[j:j+k] inside the given ranges.
func longestMatch(a []rune, b2j map[rune][]int, alo, ahi, blo, bhi int) (int, int, int) {
	besti, bestj, bestk := alo, blo, 0
	j2len := map[int]int{}
	for i := alo; i < ahi; i++ {
		next := map[int]int{}
		for _, j := range b2j[a[i]] {
			if j < blo {
				continue
			}
			if j >= bhi {
				break
			}
			k := j2len[j-1] + 1
			next[j] = k
			if k > bestk {
				besti, bestj, bestk = i-k+1, j-k+1, k
			}
		}
		j2len = next
	}
	return besti, bestj, bestk
}

type pair struct {
	t, g int
	sim  float64
}

// match pairs truth and got items one to one, greedily by similarity ≥ 0.8.
func match(truth, got []string) []pair {
	var cands []pair
	for i, t := range truth {
		for j, g := range got {
			if s := Similarity(t, g); s >= 0.8 {
				cands = append(cands, pair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y pair) int {
		if c := cmp.Compare(y.sim, x.sim); c != 0 {
			return c
		}
		if c := cmp.Compare(y.t, x.t); c != 0 {
			return c
		}
		return cmp.Compare(y.g, x.g)
	})
	usedT, usedG := map[int]bool{}, map[int]bool{}
	var out []pair
	for _, c := range cands {
		if !usedT[c.t] && !usedG[c.g] {
			usedT[c.t], usedG[c.g] = true, true
			out = append(out, c)
		}
	}
	return out
}

// Counts is a (true positives, predicted, true) triple.
type Counts struct{ TP, Pred, True int }

func (c *Counts) add(o Counts) { c.TP += o.TP; c.Pred += o.Pred; c.True += o.True }

// F1 of the counts, with the scorer's conventions for empty sides.
func (c Counts) F1() float64 {
	p := 0.0
	switch {
	case c.Pred > 0:
		p = float64(c.TP) / float64(c.Pred)
	case c.True == 0:
		p = 1
	}
	r := 1.0
	if c.True > 0 {
		r = float64(c.TP) / float64(c.True)
	}
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Ratio is (right, counted).
type Ratio struct{ OK, N int }

func (r *Ratio) add(o Ratio) { r.OK += o.OK; r.N += o.N }

// Value is OK/N, or 1 when nothing was counted.
func (r Ratio) Value() float64 {
	if r.N == 0 {
		return 1
	}
	return float64(r.OK) / float64(r.N)
}

// Doc is the comparison of one record with its truth.
type Doc struct {
	ID                   string
	TextF1, OrderF1      float64
	Objectives, Outcomes Counts
	Category, OutTitle   Ratio
	Year, Start, End     Ratio
	City, Country        Counts
	Themes               Counts
	Title                Ratio
}

func ptrEq(a, b *string) bool {
	if a == nil || *a == "" {
		return b == nil || *b == ""
	}
	return b != nil && *a == *b
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Compare scores one record against its truth.
func Compare(t Truth, g *mission.Mission) Doc {
	d := Doc{ID: t.ID, TextF1: TextF1(t.Text, g.Text), OrderF1: OrderF1(t.Text, g.Text)}
	var gobj []string
	for _, o := range g.Objectives {
		gobj = append(gobj, o.Text)
	}
	d.Objectives = Counts{len(match(t.Objectives, gobj)), len(gobj), len(t.Objectives)}
	key := func(title *string, text string) string { return strings.TrimSpace(deref(title) + " " + text) }
	var tout, gout []string
	for _, o := range t.Outcomes {
		tout = append(tout, key(o.Title, o.Text))
	}
	for _, o := range g.Outcomes {
		gout = append(gout, key(o.Title, o.Text))
	}
	mu := match(tout, gout)
	d.Outcomes = Counts{len(mu), len(gout), len(tout)}
	for _, m := range mu {
		to, go_ := t.Outcomes[m.t], g.Outcomes[m.g]
		d.Category.N++
		if Fold(deref(to.Category)) == Fold(deref(go_.Category)) {
			d.Category.OK++
		}
		d.OutTitle.N++
		tt, gt := deref(to.Title), deref(go_.Title)
		if (tt == "" && gt == "") || (tt != "" && gt != "" && Similarity(tt, gt) >= 0.9) {
			d.OutTitle.OK++
		}
	}
	if t.Year != nil {
		d.Year.N = 1
		if g.Year != nil && *g.Year == *t.Year {
			d.Year.OK = 1
		}
	}
	d.Start = Ratio{boolInt(ptrEq(t.StartDate, g.StartDate)), 1}
	d.End = Ratio{boolInt(ptrEq(t.EndDate, g.EndDate)), 1}
	set := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			if x != "" {
				m[x] = true
			}
		}
		return m
	}
	overlap := func(a, b map[string]bool) Counts {
		n := 0
		for x := range b {
			if a[x] {
				n++
			}
		}
		return Counts{n, len(b), len(a)}
	}
	var tc, tn, gc, gn []string
	for _, x := range t.Destinations {
		tc, tn = append(tc, Fold(x.City)), append(tn, Fold(x.Country))
	}
	for _, x := range g.Destinations {
		gc, gn = append(gc, Fold(x.City)), append(gn, Fold(x.Country))
	}
	d.City = overlap(set(tc), set(gc))
	d.Country = overlap(set(tn), set(gn))
	d.Themes = overlap(set(t.Themes), set(g.Themes))
	d.Title.N = 1
	if t.Title != nil && *t.Title != "" {
		d.Title.OK = boolInt(Similarity(*t.Title, deref(g.Title)) >= 0.8)
	} else {
		d.Title.OK = boolInt(strings.TrimSpace(deref(g.Title)) == "")
	}
	return d
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Summary aggregates documents as the scorer does (refused documents count as
// misses).
type Summary struct {
	Docs, Refused         int
	TextF1, OrderF1       float64
	Objectives, Outcomes  Counts
	Category, OutTitle    Ratio
	Year, Dates, Title    Ratio
	City, Country, Themes Counts
}

// Add counts one scored document.
func (s *Summary) Add(d Doc) {
	s.Docs++
	s.TextF1 += d.TextF1
	s.OrderF1 += d.OrderF1
	s.Objectives.add(d.Objectives)
	s.Outcomes.add(d.Outcomes)
	s.Category.add(d.Category)
	s.OutTitle.add(d.OutTitle)
	s.Year.add(d.Year)
	s.Dates.add(d.Start)
	s.Dates.add(d.End)
	s.Title.add(d.Title)
	s.City.add(d.City)
	s.Country.add(d.Country)
	s.Themes.add(d.Themes)
}

// AddRefused counts a document the extractor refused.
func (s *Summary) AddRefused(t Truth) {
	s.Docs++
	s.Refused++
	s.Objectives.True += len(t.Objectives)
	s.Outcomes.True += len(t.Outcomes)
	if t.Year != nil {
		s.Year.N++
	}
	s.Dates.N += 2
	s.Title.N++
	s.City.True += len(t.Destinations)
	countries := map[string]bool{}
	for _, x := range t.Destinations {
		if x.Country != "" {
			countries[x.Country] = true
		}
	}
	s.Country.True += len(countries)
	s.Themes.True += len(t.Themes)
}

// Metrics returns the scorer's named figures.
func (s Summary) Metrics() map[string]float64 {
	n := float64(max(1, s.Docs))
	return map[string]float64{
		"text_f1":              s.TextF1 / n,
		"text_order_f1":        s.OrderF1 / n,
		"objectives_f1":        s.Objectives.F1(),
		"outcomes_f1":          s.Outcomes.F1(),
		"outcome_category_acc": s.Category.Value(),
		"outcome_title_acc":    s.OutTitle.Value(),
		"year_acc":             s.Year.Value(),
		"dates_acc":            s.Dates.Value(),
		"city_f1":              s.City.F1(),
		"country_f1":           s.Country.F1(),
		"themes_f1":            s.Themes.F1(),
		"title_acc":            s.Title.Value(),
	}
}
