package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// row is one line of the table: what was measured, at which size, Escale's
// figure, its peer's in the same run (when there is one), the issue's
// target and whether it is met.
type row struct {
	measure, size, escale, peer, target, met string
}

// table is what a run measured.
type table struct {
	machine string
	rows    []row
	notes   []string
}

func (t *table) add(r row) { t.rows = append(t.rows, r) }

func (t *table) note(format string, args ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// print writes the table in Markdown.
func (t *table) print(w io.Writer) {
	fmt.Fprintf(w, "Machine: %s. Finished %s.\n\n", t.machine, time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(w, "| Measure | Size | Escale | Peer (same run) | Target | Met |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, r := range t.rows {
		cells := []string{r.measure, r.size, r.escale, dash(r.peer), dash(r.target), dash(r.met)}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	for _, n := range t.notes {
		fmt.Fprintf(w, "\n%s\n", n)
	}
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// ms formats a duration in milliseconds, with a precision that suits it.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// percentile returns the p-th percentile (0–100) of ds, nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// thousands writes n with commas between thousands (10,000).
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(",")
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mb formats bytes in megabytes.
func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

// kb formats bytes in kilobytes.
func kb(b float64) string { return fmt.Sprintf("%.1f kB", b/1e3) }
