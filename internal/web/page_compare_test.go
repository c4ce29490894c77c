package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"escale/index"
)

func TestComparePageDrawsTheCounts(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	resp, body := ps.get(t, "/comparer?q=port&city=Lisbonne")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /comparer = %d", resp.StatusCode)
	}
	if q := ps.idx.last; q.Text != "port" || q.Filters["city"][0] != "Lisbonne" {
		t.Errorf("compare query = %+v, want the page's text and filters", q)
	}
	// The fake matrix: 2023 → Économie 1; 2024 → Économie 2, none 1.
	rect := regexp.MustCompile(`<rect class="bar [^"]*" x="[^"]*" y="[^"]*" width="[^"]*" height="([^"]*)" data-row="(\d+)" data-col="([^"]*)" data-count="(\d+)"`)
	unit := regexp.MustCompile(`data-unit="([^"]*)"`).FindStringSubmatch(body)
	if unit == nil {
		t.Fatalf("no chart unit in the page")
	}
	u, _ := strconv.ParseFloat(unit[1], 64)
	got := map[string]string{}
	for _, m := range rect.FindAllStringSubmatch(body, -1) {
		h, _ := strconv.ParseFloat(m[1], 64)
		n, _ := strconv.Atoi(m[4])
		if h != float64(n)*u {
			t.Errorf("bar %s/%s: height %v for %d outcomes at %v each", m[2], m[3], h, n, u)
		}
		got[m[2]+"/"+m[3]] = m[4]
	}
	want := map[string]string{"2023/Économie": "1", "2024/Économie": "2", "2024/": "1"}
	if len(got) != len(want) {
		t.Errorf("bars = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("bar %s = %q, want %q", k, got[k], v)
		}
	}
	for _, w := range []string{"(sans catégorie)", `href="/comparer.csv?city=Lisbonne&amp;q=port"`, `data-facet="city" data-value="Lisbonne"`} {
		if !strings.Contains(body, w) {
			t.Errorf("compare page lacks %q", w)
		}
	}
	resp, body = ps.get(t, "/comparer?by=mois")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "impossible") {
		t.Errorf("GET /comparer?by=mois = %d, want 400 with the index's message", resp.StatusCode)
	}
}

func TestNiceAxis(t *testing.T) {
	tests := []struct{ peak, step, top int }{
		{0, 1, 1}, {1, 1, 1}, {3, 1, 3}, {5, 1, 5}, {6, 2, 6}, {11, 5, 15}, {27, 10, 30}, {77, 20, 80}, {101, 50, 150}, {4999, 1000, 5000},
	}
	for _, tt := range tests {
		if step, top := niceAxis(tt.peak); step != tt.step || top != tt.top {
			t.Errorf("niceAxis(%d) = %d, %d, want %d, %d", tt.peak, step, top, tt.step, tt.top)
		}
	}
}

func TestChartFoldsSmallColumnsIntoOthers(t *testing.T) {
	m := &index.Matrix{By: "year", Split: "category", Rows: []string{"2024"}, Counts: [][]int{{}}}
	var names []string
	for j := range maxSeries + 3 {
		col := "c" + strconv.Itoa(j)
		m.Cols = append(m.Cols, col)
		m.ColTotals = append(m.ColTotals, 100-j)
		m.Counts[0] = append(m.Counts[0], 100-j)
		names = append(names, col)
	}
	ch := drawChart(m, names)
	bars := ch.Stacks[0].Bars
	if len(bars) != maxSeries || !bars[len(bars)-1].Others {
		t.Fatalf("drawChart with %d columns: %d bars, want %d, the last « autres »", len(m.Cols), len(bars), maxSeries)
	}
	if got, want := bars[len(bars)-1].Count, (100-11)+(100-12)+(100-13)+(100-14); got != want {
		t.Errorf("« autres » counts %d, want %d", got, want)
	}
	total := 0
	for _, b := range bars {
		total += b.Count
	}
	if ch.Stacks[0].Total != total {
		t.Errorf("stack total %d, want the sum of its bars %d", ch.Stacks[0].Total, total)
	}
}
