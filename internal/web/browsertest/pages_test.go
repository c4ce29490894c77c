package browsertest

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/unicode/norm"
)

// fold lowercases and strips accents, as the index does, to compare words.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x300 || r > 0x36f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// submitSearch types a query in the search box and waits for the page it
// gives.
func submitSearch(t *testing.T, ctx context.Context, query string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(h.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), query),
		chromedp.Click(chromedp.CSS(`.querybar button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q[value="`+query+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#total`)),
	)
}

func TestSearchWithoutAccentsFindsAccentedText(t *testing.T) {
	ctx := tab(t)
	submitSearch(t, ctx, "economie")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#hits mark`)))
	total := attr(t, ctx, `#total`, "data-total")
	marks := get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#hits mark')].map(m => m.textContent)`))
	screenshot(t, ctx, "economie")
	if n, _ := strconv.Atoi(total); n == 0 {
		t.Fatalf("search « economie »: total %q, want hits", total)
	}
	accented := false
	for _, m := range marks {
		if strings.HasPrefix(fold(m), "econom") && m != fold(m) {
			accented = true
		}
	}
	if !accented {
		t.Errorf("search « economie »: highlighted %q, want an accented « économ… »", marks)
	}
}

// facetState is a facet value as the page shows it.
type facetState struct {
	Count   int  `json:"count"`
	Checked bool `json:"checked"`
}

// facets are the page's facets: name -> value -> state.
type facets map[string]map[string]facetState

const readFacets = `(() => {
	const out = {};
	document.querySelectorAll('details.facet').forEach(d => {
		const f = d.id.replace('facet-', '');
		out[f] = {};
		d.querySelectorAll('li').forEach(li => {
			const i = li.querySelector('input'), c = li.querySelector('.count');
			out[f][i.value] = {count: +c.dataset.count, checked: i.checked};
		});
	});
	return out;
})()`

func TestFacetClickNarrowsResultsAndOtherFacets(t *testing.T) {
	ctx := tab(t)
	do(t, ctx,
		chromedp.Navigate(h.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#facet-country`)),
	)
	totalBefore := attr(t, ctx, `#total`, "data-total")
	before := get(t, ctx, chromedp.Evaluate[facets](readFacets))
	all, _ := strconv.Atoi(totalBefore)
	// A country that some missions have and others not.
	country, want := "", 0
	for v, s := range before["country"] {
		if s.Count > 0 && s.Count < all && s.Count > want {
			country, want = v, s.Count
		}
	}
	if country == "" {
		t.Fatalf("no country facet value narrows %d missions: %v", all, before["country"])
	}
	id := get(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`[...document.querySelectorAll('#facet-country input')].find(i => i.value === %q).id`, country)))
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#"+id)),
		chromedp.WaitVisible(chromedp.CSS(`#chips a[data-facet="country"]`)),
	)
	totalAfter := attr(t, ctx, `#total`, "data-total")
	after := get(t, ctx, chromedp.Evaluate[facets](readFacets))
	screenshot(t, ctx, "country")
	if got, _ := strconv.Atoi(totalAfter); got != want {
		t.Errorf("after ticking country %q: total %s, want its count %d (of %d)", country, totalAfter, want, all)
	}
	if !after["country"][country].Checked {
		t.Errorf("after ticking country %q: the box is not ticked", country)
	}
	// The facet keeps its own counts (multi-select)...
	for v, s := range before["country"] {
		if after["country"][v].Count != s.Count {
			t.Errorf("country %q: count %d after ticking %q, want %d as before", v, after["country"][v].Count, country, s.Count)
		}
	}
	// ...while the other facets count the narrowed result, as the API does.
	api := apiSearch(t, url.Values{"country": {country}})
	if api.Total != uint64(want) {
		t.Errorf("API search country=%s: total %d, page said %d", country, api.Total, want)
	}
	for _, f := range []string{"city", "year", "theme"} {
		shown := map[string]int{}
		for v, s := range after[f] {
			shown[v] = s.Count
		}
		for _, fv := range api.Facets[f] {
			if _, ok := shown[fv.Value]; !ok && len(shown) < 8 {
				t.Errorf("facet %s: value %q (%d) missing from the page", f, fv.Value, fv.Count)
			}
			if n, ok := shown[fv.Value]; ok && n != fv.Count {
				t.Errorf("facet %s %q: page %d, API %d", f, fv.Value, n, fv.Count)
			}
		}
	}
	narrowed := false
	for v, s := range before["city"] {
		if after["city"][v].Count < s.Count {
			narrowed = true
		}
	}
	if !narrowed {
		t.Errorf("city counts did not narrow after ticking country %q: before %v, after %v", country, before["city"], after["city"])
	}
}

// twoPagePDF writes a report whose second page alone holds word.
func twoPagePDF(t *testing.T, path, word string) {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetMargins(20, 20, 20)
	heading := func(s string, size float64) {
		pdf.SetFont("go", "B", size)
		pdf.MultiCell(0, size/2+2, s, "", "L", false)
		pdf.Ln(2)
	}
	para := func(s string) {
		pdf.SetFont("go", "", 11)
		pdf.MultiCell(0, 6, s, "", "L", false)
		pdf.Ln(3)
	}
	pdf.AddPage()
	heading("Rapport de mission à Reykjavik", 18)
	para("Mission à Reykjavik (Islande) du 3 au 6 mars 2025. La délégation municipale a rencontré la Ville de Reykjavik et l’agence nationale de l’énergie.")
	heading("Objectifs", 14)
	para("Comprendre le chauffage urbain de la capitale islandaise et ses réseaux de chaleur.")
	para("Établir des liens avec les services municipaux chargés de l’énergie et du climat.")
	pdf.AddPage()
	heading("Retombées", 14)
	para("La délégation a visité une centrale qui alimente le réseau de chaleur ; les " + word + " du port intéressent le service de l’environnement, qui étudiera leur rendement.")
	para("Un échange technique entre les deux villes est prévu à l’automne.")
	if err := pdf.OutputFileAndClose(path); err != nil {
		t.Fatal(err)
	}
}

func TestUploadedPDFFoundByPageTwoWord(t *testing.T) {
	ctx := tab(t)
	login(t, ctx)
	const word = "hydroliennes"
	file := filepath.Join(t.TempDir(), "Mission Reykjavik 2025.pdf")
	twoPagePDF(t, file, word)
	do(t, ctx,
		chromedp.Navigate(h.url+"/televerser"),
		chromedp.WaitVisible(chromedp.CSS(`#files`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#files`), []string{file}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#upload-results`)),
	)
	status := attr(t, ctx, `#upload-results tbody tr`, "data-status")
	missionURL := attr(t, ctx, `#upload-results tbody tr a`, "href")
	screenshot(t, ctx, "upload")
	if status != "added" {
		t.Fatalf("upload through the form: status %q, want added", status)
	}
	id := strings.TrimPrefix(missionURL, "/missions/")

	submitSearch(t, ctx, word)
	sel := `#hits li.hit[data-id="` + id + `"] a.pagelink`
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(sel)))
	href, page := attr(t, ctx, sel, "href"), attr(t, ctx, sel, "data-page")
	screenshot(t, ctx, "search")
	if page != "2" || !strings.HasSuffix(href, "#page=2") {
		t.Errorf("search %q: page link %q (page %q), want one ending #page=2", word, href, page)
	}
	resp, err := http.Get(h.url + strings.TrimSuffix(href, "#page=2"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("GET %s: %d %s, want 200 application/pdf", href, resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// With pdftoppm, the mission page shows both pages as pictures.
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Log("pdftoppm absent: no page thumbnails to check")
		return
	}
	do(t, ctx,
		chromedp.Navigate(h.url+"/missions/"+id),
		chromedp.WaitVisible(chromedp.CSS(`.thumbs img`)),
	)
	// 1 + the pictures drawn, once every one is done (0, falsy, polls on).
	done := get(t, ctx, chromedp.Poll[int](`(() => {
		const imgs = [...document.querySelectorAll('.thumbs img')];
		return imgs.every(i => i.complete) ? 1 + imgs.filter(i => i.naturalWidth > 0).length : 0;
	})()`))
	loaded := done - 1
	screenshot(t, ctx, "thumbnails")
	if loaded != 2 {
		t.Errorf("mission page of a 2-page PDF: %d page pictures loaded, want 2", loaded)
	}
}

// cityCount is a city's count in the search page's facet (0 if absent).
func cityCount(t *testing.T, ctx context.Context, city string) int {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(h.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#facet-city`)),
	)
	return get(t, ctx, chromedp.Evaluate[facets](readFacets))["city"][city].Count
}

func TestCorrectingCityChangesCityFacet(t *testing.T) {
	ctx := tab(t)
	login(t, ctx)
	// A mission with one destination whose city some other mission shares
	// or not: the facet must lose one and gain the new city.
	res := apiSearch(t, url.Values{"size": {"100"}})
	var id, oldCity string
	for _, hit := range res.Hits {
		if len(hit.Destinations) == 1 && hit.Destinations[0].City != "" {
			id, oldCity = hit.MissionID, hit.Destinations[0].City
			break
		}
	}
	if id == "" {
		t.Fatal("no mission with a single city in the corpus")
	}
	const newCity = "Tromsø"
	oldBefore := cityCount(t, ctx, oldCity)
	do(t, ctx,
		chromedp.Navigate(h.url+"/missions/"+id),
		chromedp.WaitVisible(chromedp.CSS(`#city-1`)),
		chromedp.SetValue(chromedp.CSS(`#city-1`), newCity),
		chromedp.SetValue(chromedp.CSS(`#country-1`), "Norvège"),
		chromedp.Click(chromedp.CSS(`form.correct button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	places := get(t, ctx, chromedp.Text(chromedp.CSS(`#places`)))
	screenshot(t, ctx, "mission")
	if !strings.Contains(places, newCity) {
		t.Errorf("mission page after correcting the city: destinations %q, want %s", places, newCity)
	}
	if got := cityCount(t, ctx, newCity); got != 1 {
		t.Errorf("city facet %q after the correction: %d, want 1", newCity, got)
	}
	if got := cityCount(t, ctx, oldCity); got != oldBefore-1 {
		t.Errorf("city facet %q after the correction: %d, want %d", oldCity, got, oldBefore-1)
	}
	screenshot(t, ctx, "facet")
}

// barState is one bar of the compare chart.
type barState struct {
	Row    string  `json:"row"`
	Col    string  `json:"col"`
	Count  int     `json:"count"`
	Height float64 `json:"height"`
}

func TestCompareBarsMatchAPICounts(t *testing.T) {
	ctx := tab(t)
	for _, split := range []string{"category", "theme"} {
		do(t, ctx,
			chromedp.Navigate(h.url+"/comparer?split="+split),
			chromedp.WaitVisible(chromedp.CSS(`#chart`)),
		)
		unit := attr(t, ctx, `#chart`, "data-unit")
		bars := get(t, ctx, chromedp.Evaluate[[]barState](`[...document.querySelectorAll('#chart rect.bar:not([data-others])')].map(r => ({
			row: r.dataset.row, col: r.dataset.col, count: +r.dataset.count, height: r.height.baseVal.value}))`))
		screenshot(t, ctx, split)
		var m struct {
			Rows   []string `json:"rows"`
			Cols   []string `json:"cols"`
			Counts [][]int  `json:"counts"`
		}
		apiGet(t, "/api/v1/compare?by=year&split="+split, &m)
		u, err := strconv.ParseFloat(unit, 64)
		if err != nil || u <= 0 {
			t.Fatalf("split %s: chart unit %q", split, unit)
		}
		drawn := map[[2]string]barState{}
		for _, b := range bars {
			drawn[[2]string{b.Row, b.Col}] = b
		}
		cells := 0
		for i, row := range m.Rows {
			for j, col := range m.Cols {
				n := m.Counts[i][j]
				if n == 0 {
					continue
				}
				cells++
				b, ok := drawn[[2]string{row, col}]
				if !ok {
					if len(m.Cols) <= 12 {
						t.Errorf("split %s: no bar for %s × %q (API count %d)", split, row, col, n)
					}
					continue
				}
				if b.Count != n {
					t.Errorf("split %s: bar %s × %q says %d, API %d", split, row, col, b.Count, n)
				}
				if want := float64(n) * u; math.Abs(b.Height-want) > 0.02 {
					t.Errorf("split %s: bar %s × %q is %.2f high for %d, want %.2f (%.3f per outcome)", split, row, col, b.Height, n, want, u)
				}
			}
		}
		if cells == 0 {
			t.Fatalf("split %s: the API counts no outcome", split)
		}
		if len(m.Cols) <= 12 && len(bars) != cells {
			t.Errorf("split %s: %d bars, want one per non-zero cell (%d)", split, len(bars), cells)
		}
	}
}

// hostile is markup a report may carry: none of it may run or parse.
const (
	hostileScript = `<script>window.escaleXSS=1</script>`
	hostileImg    = `<img src=x onerror="window.escaleXSS=2">`
)

// pageIsClean checks the page ran nothing from a report and shows its
// markup as text.
const pageIsClean = `(() => {
	const bad = [];
	if (window.escaleXSS !== undefined) bad.push('window.escaleXSS = ' + window.escaleXSS);
	document.querySelectorAll('script').forEach(s => { if (!s.src.endsWith('/static/escale.js')) bad.push('script ' + s.outerHTML.slice(0, 80)); });
	document.querySelectorAll('img').forEach(e => { if (!/^\/missions\/[0-9a-f]+\/pages\/\d+$/.test(new URL(e.src).pathname)) bad.push('element ' + e.outerHTML.slice(0, 80)); });
	document.querySelectorAll('iframe, object, embed').forEach(e => bad.push('element ' + e.outerHTML.slice(0, 80)));
	document.querySelectorAll('*').forEach(e => { for (const a of e.attributes) if (a.name.startsWith('on')) bad.push('attribute ' + a.name + ' on ' + e.tagName); });
	return bad;
})()`

func TestReportTextAndNameNeverRunAsHTML(t *testing.T) {
	ctx := tab(t)
	login(t, ctx)
	const word = "marqueurhostile"
	name := `rapport <script>window.escaleXSS=3<script> <img src=x onerror=window.escaleXSS=4>.txt`
	file := filepath.Join(t.TempDir(), name)
	text := hostileScript + " Mission à Oslo " + hostileImg + "\n\n" +
		"Objectifs\n\nRencontrer la Ville d’Oslo au sujet du " + word + " et de " + hostileScript + ".\n\n" +
		"Retombées\n\n" + hostileImg + " Résultats : un accord " + word + " sur le port.\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.Navigate(h.url+"/televerser"),
		chromedp.WaitVisible(chromedp.CSS(`#files`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#files`), []string{file}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#upload-results tbody tr a`)),
	)
	missionURL := attr(t, ctx, `#upload-results tbody tr a`, "href")
	// The title and a destination are set by hand too, so that they hold
	// markup whatever the extractor made of the file.
	do(t, ctx,
		chromedp.Navigate(h.url+missionURL),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SetValue(chromedp.CSS(`#title`), hostileScript+" Mission à Oslo "+hostileImg),
		chromedp.SetValue(chromedp.CSS(`#city-1`), "Oslo "+hostileImg),
		chromedp.SetValue(chromedp.CSS(`#country-1`), "Norvège"),
		chromedp.Click(chromedp.CSS(`form.correct button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	city := url.QueryEscape("Oslo " + hostileImg)
	pages := []struct {
		path string
		want string // text the page must show, escaped
	}{
		{"/?q=" + word, "<script>"},
		{"/?q=" + word + "&city=" + city, "<img"},
		{"/?q=" + word + "&city=" + city + "&year=1901", "<img"}, // no results: the help names the filter
		{missionURL, "<script>"},
		{"/televerser", "<script>"},
		{"/comparer?q=" + word + "&city=" + city, "<img"},
		{"/", ""},
	}
	for _, p := range pages {
		do(t, ctx,
			chromedp.Navigate(h.url+p.path),
			chromedp.WaitVisible(chromedp.CSS(`footer`)),
		)
		bad := get(t, ctx, chromedp.Evaluate[[]string](pageIsClean))
		body := get(t, ctx, chromedp.Text(chromedp.CSS(`main`)))
		if len(bad) > 0 {
			t.Errorf("page %s: markup from a report became live: %q", p.path, bad)
		}
		if p.want != "" && !strings.Contains(body, p.want) {
			t.Errorf("page %s: text %q not shown as text", p.path, p.want)
		}
		if strings.HasPrefix(p.path, "/missions/") {
			screenshot(t, ctx, "mission")
		}
	}
	screenshot(t, ctx, "last")
}
