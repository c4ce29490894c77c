// Package taxonomy holds the mission themes (the contract's taxonomy.md) with
// the French vocabulary that reveals each one, and classifies a mission's
// passages against them. The default list is embedded (data/themes.txt, whose
// header documents the format); Load reads an administrator's edited copy.
package taxonomy

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/themes.txt
var defaultData []byte

// Theme is one theme of the taxonomy.
type Theme struct {
	ID    string
	Label string
	Terms []Term
}

// Term is a word or phrase that signals a theme.
type Term struct {
	Words  []string // folded; a word ending in « * » is a prefix
	Weight float64
}

// Taxonomy is a read-only list of themes with their vocabulary, safe for
// concurrent use.
type Taxonomy struct {
	Themes []Theme
	// UnitThreshold is the weight a passage's terms must reach for the
	// passage to be about a theme.
	UnitThreshold float64
	// WordsPerPoint raises the threshold for long passages: one point per
	// this many words beyond the first 60 (0 to disable).
	WordsPerPoint float64
	// Dominance is the share of a passage's main theme weight another theme
	// must reach for the passage to be about it too (0 to disable): a word
	// of urbanism in a paragraph about culture is a passing mention.
	Dominance float64
	// ReportThreshold is the weight a theme's terms must reach over all the
	// passages of a report for the report to be about it when no single
	// passage is (0 to disable): a theme that recurs is not in passing.
	ReportThreshold float64

	exact  map[string][]termRef // first word → terms
	prefix map[string][]termRef // first word's prefix (without « * ») → terms
}

type termRef struct {
	theme int
	term  int
}

var (
	defaultOnce sync.Once
	defaultTax  *Taxonomy
)

// Default returns the embedded taxonomy. It panics only if the embedded file
// is broken, which the package's tests rule out.
func Default() *Taxonomy {
	defaultOnce.Do(func() {
		t, err := Load(bytes.NewReader(defaultData))
		if err != nil {
			panic(fmt.Sprintf("taxonomy: embedded data: %v", err))
		}
		defaultTax = t
	})
	return defaultTax
}

// Load reads a taxonomy file (format in the header of data/themes.txt).
func Load(r io.Reader) (*Taxonomy, error) {
	t := &Taxonomy{UnitThreshold: 3, exact: map[string][]termRef{}, prefix: map[string][]termRef{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	seen := map[string]bool{}
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		head, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch head {
		case "theme":
			id, label, _ := strings.Cut(rest, " ")
			if id == "" {
				return nil, fmt.Errorf("taxonomy: line %d: theme without an id", n)
			}
			if seen[id] {
				return nil, fmt.Errorf("taxonomy: line %d: theme %q defined twice", n, id)
			}
			seen[id] = true
			t.Themes = append(t.Themes, Theme{ID: id, Label: strings.TrimSpace(label)})
		case "setting":
			name, val, _ := strings.Cut(rest, " ")
			v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("taxonomy: line %d: setting %s needs a positive number, got %q", n, name, val)
			}
			switch name {
			case "unit-threshold":
				t.UnitThreshold = v
			case "words-per-point":
				t.WordsPerPoint = v
			case "dominance":
				if v > 1 {
					return nil, fmt.Errorf("taxonomy: line %d: setting dominance is a share between 0 and 1, got %v", n, v)
				}
				t.Dominance = v
			case "report-threshold":
				t.ReportThreshold = v
			default:
				return nil, fmt.Errorf("taxonomy: line %d: unknown setting %q (unit-threshold, words-per-point, dominance, report-threshold)", n, name)
			}
		default:
			w, err := strconv.ParseFloat(head, 64)
			if err != nil || w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("taxonomy: line %d: want « theme », « setting » or a weight of 0 or more, got %q", n, head)
			}
			if len(t.Themes) == 0 {
				return nil, fmt.Errorf("taxonomy: line %d: terms before the first theme", n)
			}
			th := &t.Themes[len(t.Themes)-1]
			for _, s := range strings.Split(rest, ",") {
				words := words(s)
				if len(words) == 0 {
					continue
				}
				th.Terms = append(th.Terms, Term{Words: words, Weight: w})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("taxonomy: read: %w", err)
	}
	if len(t.Themes) == 0 {
		return nil, fmt.Errorf("taxonomy: no theme defined")
	}
	for i, th := range t.Themes {
		for j, term := range th.Terms {
			first := term.Words[0]
			ref := termRef{i, j}
			if p, ok := strings.CutSuffix(first, "*"); ok {
				t.prefix[p] = append(t.prefix[p], ref)
			} else {
				t.exact[first] = append(t.exact[first], ref)
			}
		}
	}
	return t, nil
}

// words folds s (lowercase, no accents) and splits it into words; a « * »
// glued to a word stays on it. The words share one string: Score folds
// every passage of a report, and Load every term, as each extraction starts.
func words(s string) []string {
	var b strings.Builder
	b.Grow(len(s))
	var ends []int // where each word ends in b
	start := 0     // where the current word starts
	flush := func() {
		if b.Len() > start {
			ends = append(ends, b.Len())
			start = b.Len()
		}
	}
	if ascii(s) {
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				b.WriteByte(c)
			case 'A' <= c && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			case c == '*' && b.Len() > start:
				b.WriteByte(c)
				flush()
			default:
				flush()
			}
		}
	} else {
		for _, r := range norm.NFD.String(s) {
			switch {
			case unicode.Is(unicode.Mn, r):
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(unicode.ToLower(r))
			case r == '*' && b.Len() > start:
				b.WriteRune(r)
				flush()
			default:
				flush()
			}
		}
	}
	flush()
	all := b.String()
	out := make([]string, len(ends))
	start = 0
	for i, end := range ends {
		out[i], start = all[start:end], end
	}
	// œ decomposes to nothing: NFD keeps it, so spell it out.
	if ligature(all) {
		for i, w := range out {
			if ligature(w) {
				out[i] = ligatures.Replace(w)
			}
		}
	}
	return out
}

var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae")

// ligature is strings.ContainsAny(s, "œæ"), which is slow on multibyte
// sets: it looks up every rune of s in the set.
func ligature(s string) bool { return strings.Contains(s, "œ") || strings.Contains(s, "æ") }

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Score weighs a passage's vocabulary for each theme, indexed like Themes. At
// each word the longest matching term of each theme counts and the words it
// covers are skipped for that theme; a term counts at most twice.
func (t *Taxonomy) Score(text string) []float64 { return t.score(words(text)) }

// score is Score on a passage's words: Classify needs them twice, and
// folding them is most of its cost.
func (t *Taxonomy) score(ws []string) []float64 {
	scores := make([]float64, len(t.Themes))
	next := make([]int, len(t.Themes)) // first word each theme may match again
	used := map[termRef]int{}
	for i, w := range ws {
		best := map[int]termRef{} // theme → longest term matching at i
		try := func(refs []termRef) {
			for _, ref := range refs {
				if i < next[ref.theme] {
					continue
				}
				term := t.Themes[ref.theme].Terms[ref.term]
				if !matches(term.Words, ws[i:]) {
					continue
				}
				if b, ok := best[ref.theme]; !ok || len(term.Words) > len(t.Themes[b.theme].Terms[b.term].Words) {
					best[ref.theme] = ref
				}
			}
		}
		try(t.exact[w])
		for l := 1; l <= len(w); l++ {
			if refs, ok := t.prefix[w[:l]]; ok {
				try(refs)
			}
		}
		for th, ref := range best {
			term := t.Themes[ref.theme].Terms[ref.term]
			next[th] = i + len(term.Words)
			if used[ref] < 2 {
				used[ref]++
				scores[th] += term.Weight
			}
		}
	}
	return scores
}

func matches(term, ws []string) bool {
	if len(term) > len(ws) {
		return false
	}
	for i, tw := range term {
		if p, ok := strings.CutSuffix(tw, "*"); ok {
			if !strings.HasPrefix(ws[i], p) {
				return false
			}
		} else if ws[i] != tw {
			return false
		}
	}
	return true
}

// threshold is the weight a passage of n words must reach.
func (t *Taxonomy) threshold(n int) float64 {
	th := t.UnitThreshold
	if t.WordsPerPoint > 0 && n > 60 {
		th += float64(n-60) / t.WordsPerPoint
	}
	return th
}

// Classify returns the ids of the themes a passage is substantially about, in
// taxonomy order: those whose terms weigh at least the threshold and at least
// Dominance times the passage's main theme.
func (t *Taxonomy) Classify(text string) []string {
	var out []string
	ws := words(text)
	for _, i := range t.about(len(ws), t.score(ws)) {
		out = append(out, t.Themes[i].ID)
	}
	return out
}

// about returns the indexes of the themes a passage of n words with these
// scores is about.
func (t *Taxonomy) about(n int, scores []float64) []int {
	if len(scores) == 0 {
		return nil
	}
	th := t.threshold(n)
	top := slices.Max(scores)
	var out []int
	for i, s := range scores {
		if s > 0 && s >= th && s >= t.Dominance*top {
			out = append(out, i)
		}
	}
	return out
}

// ClassifyReport returns the ids of the themes of a report made of these
// passages (its title, objectives and outcomes), in taxonomy order: the
// themes of each passage, and those whose terms weigh at least
// ReportThreshold over all the passages. each[i] is what Classify gives for
// passages[i], found on the way: callers that want both read each passage
// once.
func (t *Taxonomy) ClassifyReport(passages []string) (report []string, each [][]string) {
	found := make([]bool, len(t.Themes))
	total := make([]float64, len(t.Themes))
	each = make([][]string, len(passages))
	for j, p := range passages {
		ws := words(p)
		scores := t.score(ws)
		for _, i := range t.about(len(ws), scores) {
			found[i] = true
			each[j] = append(each[j], t.Themes[i].ID)
		}
		for i, s := range scores {
			total[i] += s
		}
	}
	for i, th := range t.Themes {
		if found[i] || t.ReportThreshold > 0 && total[i] >= t.ReportThreshold {
			report = append(report, th.ID)
		}
	}
	return report, each
}

// Has reports whether id is one of the taxonomy's themes.
func (t *Taxonomy) Has(id string) bool {
	for _, th := range t.Themes {
		if th.ID == id {
			return true
		}
	}
	return false
}

// Explain lists the terms of theme id found in text, for people tuning the
// vocabulary.
func (t *Taxonomy) Explain(text, id string) []string {
	ws := words(text)
	var out []string
	for _, th := range t.Themes {
		if th.ID != id {
			continue
		}
		for i := 0; i < len(ws); {
			var best *Term
			for k, term := range th.Terms {
				if matches(term.Words, ws[i:]) && (best == nil || len(term.Words) > len(best.Words)) {
					best = &th.Terms[k]
				}
			}
			if best == nil {
				i++
				continue
			}
			out = append(out, fmt.Sprintf("%s(%g)", strings.Join(ws[i:i+len(best.Words)], " "), best.Weight))
			i += len(best.Words)
		}
	}
	return out
}
