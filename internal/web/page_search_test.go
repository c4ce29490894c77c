package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"escale/index"
	"escale/internal/service"
)

func TestSearchPageShowsHitsEscapedAndPassagesHighlighted(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	res, err := ps.svc.Ingest(context.Background(), service.Upload{Filename: "<img src=x onerror=alert(1)>.txt",
		Data: []byte("<script>alert(1)</script> Mission\nTexte.")})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Mission.MissionID
	resp, body := ps.get(t, "/?q=economie")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /?q=economie = %d", resp.StatusCode)
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt; Mission",
		"&lt;img src=x onerror=alert(1)&gt;.txt",
		"l’<mark>économie</mark> &amp; le port",
		`href="/missions/` + id + `/original#page=2"`,
		"« page 2 »",
		`data-total="1"`,
		`href="/recherche.csv?q=economie"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Errorf("search page lets markup from a report through")
	}
}

func TestSearchPageStateIsTheURL(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	ps.svc.Ingest(context.Background(), service.Upload{Filename: "a.txt", Data: []byte("A\nTexte.")})
	_, body := ps.get(t, "/?q=port&city=Lisbonne&city=Porto&theme=culture&year_from=2018&sort=date&page=1")
	q := ps.idx.last
	if q.Text != "port" || !reflect.DeepEqual(q.Filters["city"], []string{"Lisbonne", "Porto"}) || q.YearFrom != 2018 || q.Sort != "date" {
		t.Errorf("query from the URL = %+v", q)
	}
	body = html.UnescapeString(body)
	// Each chip's link is the same search less its value.
	chip := regexp.MustCompile(`href="([^"]*)" data-facet="city" data-value="Porto"`).FindStringSubmatch(body)
	if chip == nil {
		t.Fatalf("no chip for city Porto")
	}
	u, _ := url.Parse(chip[1])
	want := url.Values{"q": {"port"}, "city": {"Lisbonne"}, "theme": {"culture"}, "year_from": {"2018"}, "sort": {"date"}}
	if !reflect.DeepEqual(u.Query(), want) {
		t.Errorf("chip « Porto » links to %v, want %v", u.Query(), want)
	}
	// Selected values stay ticked even when the facet does not list them.
	for _, v := range []string{`name="city" value="Lisbonne" checked`, `name="city" value="Porto" checked`, `name="theme" value="culture" checked`, `value="2018"`, `<option value="date" selected>`} {
		if !strings.Contains(body, v) {
			t.Errorf("search form lacks %q", v)
		}
	}
	if !strings.Contains(body, `href="/comparer?city=Lisbonne&city=Porto&q=port&theme=culture&year_from=2018"`) {
		t.Errorf("the menu's compare link does not carry the search")
	}
}

func TestSearchPageRefusesABadQueryOnThePage(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	resp, body := ps.get(t, "/?q=port&page=abc")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "n’est pas un nombre") || !strings.Contains(body, `value="port"`) {
		t.Errorf("GET /?page=abc = %d %s, want a 400 page with the message and the query kept", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// narrowSearcher finds nothing for the city « Nulle » or the text
// « lisbone », and proposes « lisbonne ».
type narrowSearcher struct{ *memIndex }

func (n narrowSearcher) Search(ctx context.Context, q index.Query) (*index.Result, error) {
	if slices.Contains(q.Filters["city"], "Nulle") || q.Text == "lisbone" {
		return &index.Result{Page: 1, Size: 10, Facets: map[string][]index.FacetValue{}}, nil
	}
	return n.memIndex.Search(ctx, q)
}

func (narrowSearcher) Suggest(_ context.Context, text string) (string, error) {
	return strings.ReplaceAll(text, "lisbone", "lisbonne"), nil
}

func TestNoResultsPageHelps(t *testing.T) {
	ps := newPageServer(t, Config{}, func(x *memIndex) Searcher { return narrowSearcher{x} })
	ps.svc.Ingest(context.Background(), service.Upload{Filename: "a.txt", Data: []byte("A\nTexte.")})

	_, body := ps.get(t, "/?q=port&city=Nulle&theme=culture")
	body = html.UnescapeString(body)
	for _, want := range []string{`id="no-results"`, "sans « Destination : Nulle »", `href="/?q=port&theme=culture"`, "Chercher dans toutes les missions", `href="/?q=port"`} {
		if !strings.Contains(body, want) {
			t.Errorf("no-results page lacks %q", want)
		}
	}
	if strings.Contains(body, "sans « Thème") {
		t.Errorf("no-results page offers to drop a filter that would still find nothing")
	}
	_, body = ps.get(t, "/?q=lisbone")
	if !strings.Contains(html.UnescapeString(body), `Vouliez-vous dire <a href="/?q=lisbonne">« lisbonne »</a>`) {
		t.Errorf("no-results page lacks the spelling suggestion")
	}
}
