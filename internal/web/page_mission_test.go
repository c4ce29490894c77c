package web

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"escale/internal/mission"
	"escale/internal/service"
)

func TestCorrectionFormChangesOnlyWhatChanged(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	res, err := ps.svc.Ingest(context.Background(), service.Upload{Filename: "a.txt", Data: []byte("Mission à Lisbonne\nTexte.")})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Mission.MissionID
	resp, page := ps.get(t, "/missions/"+id)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `value="Lisbonne"`) || !strings.Contains(page, "<title>Mission à Lisbonne — Escale</title>") {
		t.Fatalf("GET /missions/%s = %d, want the page with the form filled", id, resp.StatusCode)
	}
	form := url.Values{
		"csrf": {csrfOf(t, page)}, "title": {"Mission à Lisbonne"},
		"city": {"Porto", "", ""}, "country": {"Portugal", "", ""},
		"start_date": {""}, "end_date": {""}, "year": {""}, "themes_sent": {"1"},
	}
	resp, _ = ps.post(t, "/missions/"+id, form)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/missions/"+id+"?corrige=1") {
		t.Fatalf("POST /missions/%s = %d to %q, want 303 back with corrige=1", id, resp.StatusCode, resp.Header.Get("Location"))
	}
	e, _ := ps.svc.Entry(context.Background(), id)
	var fields []string
	for _, c := range e.Corrections {
		fields = append(fields, c.Field)
	}
	if !reflect.DeepEqual(fields, []string{"destinations"}) {
		t.Errorf("corrections after changing the city = %v, want [destinations] only", fields)
	}
	if got := ps.idx.docs[id].Destinations; !reflect.DeepEqual(got, []mission.Destination{{City: "Porto", Country: "Portugal"}}) {
		t.Errorf("indexed destinations = %v, want Porto (Portugal)", got)
	}
	_, page = ps.get(t, "/missions/"+id+"?corrige=1")
	if !strings.Contains(page, "corrections sont enregistrées") || !strings.Contains(page, "Porto (Portugal)") {
		t.Errorf("page after the correction lacks the message or the new city")
	}
}

func TestCorrectionFormRefusesBadValuesWithTheirMessage(t *testing.T) {
	ps := newPageServer(t, Config{}, nil)
	res, _ := ps.svc.Ingest(context.Background(), service.Upload{Filename: "a.txt", Data: []byte("Titre\nTexte.")})
	id := res.Mission.MissionID
	_, page := ps.get(t, "/missions/"+id)
	resp, body := ps.post(t, "/missions/"+id, url.Values{"csrf": {csrfOf(t, page)}, "title": {"Titre"}, "start_date": {"2024-13-45"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "AAAA-MM-JJ") || !strings.Contains(body, `value="2024-13-45"`) {
		t.Errorf("POST a bad date = %d, want 400 with the message and the value kept", resp.StatusCode)
	}
	resp, body = ps.post(t, "/missions/"+id, url.Values{"csrf": {csrfOf(t, page)}, "title": {"Titre"}, "year": {"1492"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "pas plausible") {
		t.Errorf("POST year 1492 = %d, want 400 saying it is not plausible", resp.StatusCode)
	}
	resp, body = ps.get(t, "/missions/inconnue")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Aucune mission") {
		t.Errorf("GET /missions/inconnue = %d, want a 404 page", resp.StatusCode)
	}
}

func TestChangesMakesAPatchOfWhatDiffers(t *testing.T) {
	s := func(v string) *string { return &v }
	y := 2024
	m := &mission.Mission{Title: s("Titre"), StartDate: s("2024-05-13"), Year: &y,
		Destinations: []mission.Destination{{City: "Lisbonne", Country: "Portugal"}}, Themes: []string{"culture", "tourisme"}}
	base := url.Values{"title": {"Titre"}, "start_date": {"2024-05-13"}, "end_date": {""}, "year": {"2024"},
		"city": {"Lisbonne", ""}, "country": {"Portugal", ""}, "themes_sent": {"1"}, "theme": {"tourisme", "culture"}}
	with := func(k string, v ...string) url.Values {
		out := url.Values{}
		for kk, vv := range base {
			out[kk] = vv
		}
		out[k] = v
		return out
	}
	tests := []struct {
		name string
		form url.Values
		want map[string]any
	}{
		{"nothing", base, map[string]any{}},
		{"title", with("title", " Autre "), map[string]any{"title": "Autre"}},
		{"title cleared", with("title", ""), map[string]any{"title": nil}},
		{"year", with("year", "2023"), map[string]any{"year": 2023}},
		{"year not a number", with("year", "deux"), map[string]any{"year": "deux"}},
		{"end date", with("end_date", "2024-05-20"), map[string]any{"end_date": "2024-05-20"}},
		{"second destination", with("city", "Lisbonne", "Porto"), map[string]any{"destinations": []mission.Destination{{City: "Lisbonne", Country: "Portugal"}, {City: "Porto"}}}},
		{"no destination", with("country", "", ""), map[string]any{"destinations": []mission.Destination{{City: "Lisbonne"}}}},
		{"themes", with("theme", "culture"), map[string]any{"themes": []string{"culture"}}},
		{"no theme", with("theme"), map[string]any{"themes": []string{}}},
	}
	for _, tt := range tests {
		if got := changes(m, tt.form); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("changes(%s) = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}
