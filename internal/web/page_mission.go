package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/service"
)

// The mission page (/missions/{id}): the record as people read it, the
// original to download, what the reader noticed, and a form that corrects
// title, destinations, dates, year and themes through the same code as
// PATCH /api/v1/missions/{id}.

// newDestinationRows is how many empty destination rows the form offers.
const newDestinationRows = 2

type missionView struct {
	ID          string
	Title       string
	Filename    string
	Places      []string
	Dates       string
	Year        string
	Pages       int
	Format      string
	IsPDF       bool
	Themes      []string
	Orgs        []string
	Objectives  []mission.Objective
	Outcomes    []outcomeGroup
	Sections    []sectionView
	Warnings    []string
	OCR         []mission.OCRPage
	DuplicateOf string
	Text        []string
	Thumbs      []int    // pages shown as pictures
	Corrected   []string // French names of the fields set by hand
	Form        correctionForm
	CanEdit     bool
	LoginURL    string
}

type outcomeGroup struct {
	Category string
	Items    []outcomeView
}

type outcomeView struct {
	Title, Text string
	Page        int
	Themes      []string
}

type sectionView struct {
	Heading, Kind string // Kind is empty when the heading says it already
	Paragraphs    []string
	Page          int
}

// correctionForm holds the form's values: the record's, or what was posted
// when it must be shown again with an error.
type correctionForm struct {
	Title, StartDate, EndDate, Year string
	Destinations                    []destRow
	Themes                          []themeChoice
}

type destRow struct {
	N             int
	City, Country string
}

type themeChoice struct {
	ID, Label string
	Checked   bool
}

var fieldLabels = map[string]string{
	"title": "titre", "destinations": "destinations", "start_date": "date de début",
	"end_date": "date de fin", "year": "année", "themes": "thèmes",
}

// missionPage is GET /missions/{id}.
func (s *Server) missionPage(c *gin.Context) {
	m, err := s.missions.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.failPage(c, err)
		return
	}
	p := &page{Title: missionTitle(m), Nav: "mission"}
	if c.Query("corrige") != "" {
		p.Flash = "Les corrections sont enregistrées ; la recherche en tient déjà compte."
	}
	v := s.missionView(c, m)
	v.Form = s.formOf(m)
	p.Data = v
	s.render(c, http.StatusOK, "mission", p)
}

func missionTitle(m *mission.Mission) string {
	if m.Title != nil && *m.Title != "" {
		return *m.Title
	}
	return m.Filename
}

func (s *Server) missionView(c *gin.Context, m *mission.Mission) *missionView {
	v := &missionView{
		ID: m.MissionID, Title: deref(m.Title), Filename: m.Filename, Dates: dates(m.StartDate, m.EndDate),
		Pages: m.Pages, Format: m.Format, IsPDF: m.Format == mission.FormatPDF, Orgs: m.Organizations,
		Objectives: m.Objectives, Warnings: m.Warnings, OCR: m.OCR, DuplicateOf: m.DuplicateOf,
		Text: paragraphs(m.Text), CanEdit: s.authed(c), Thumbs: s.thumbPages(m),
		LoginURL: "/connexion?suite=" + url.QueryEscape("/missions/"+m.MissionID),
	}
	if m.Year != nil {
		v.Year = strconv.Itoa(*m.Year)
	}
	for _, d := range m.Destinations {
		v.Places = append(v.Places, place(d))
	}
	for _, t := range m.Themes {
		v.Themes = append(v.Themes, s.ui.themeLabel(t))
	}
	for _, o := range m.Outcomes {
		cat := deref(o.Category)
		i := slices.IndexFunc(v.Outcomes, func(g outcomeGroup) bool { return g.Category == cat })
		if i < 0 {
			i = len(v.Outcomes)
			v.Outcomes = append(v.Outcomes, outcomeGroup{Category: cat})
		}
		ov := outcomeView{Title: deref(o.Title), Text: o.Text, Page: o.Page}
		for _, t := range o.Themes {
			ov.Themes = append(ov.Themes, s.ui.themeLabel(t))
		}
		v.Outcomes[i].Items = append(v.Outcomes[i].Items, ov)
	}
	for _, sec := range m.Sections {
		// Objectives and outcomes show above, one by one, when they were read.
		if sec.Kind == mission.KindObjectives && len(m.Objectives) > 0 || sec.Kind == mission.KindOutcomes && len(m.Outcomes) > 0 {
			continue
		}
		sv := sectionView{Heading: sec.Heading, Kind: sectionLabel(sec.Kind), Paragraphs: paragraphs(sec.Text), Page: sec.Page}
		if sv.Heading == "" {
			sv.Heading, sv.Kind = sv.Kind, ""
		} else if strings.HasPrefix(index.Fold(sv.Heading), index.Fold(sv.Kind)) || strings.HasPrefix(index.Fold(sv.Kind), index.Fold(sv.Heading)) {
			sv.Kind = ""
		}
		v.Sections = append(v.Sections, sv)
	}
	if e, err := s.missions.Entry(c.Request.Context(), m.MissionID); err == nil {
		for _, cr := range e.Corrections {
			if l := fieldLabels[cr.Field]; l != "" && !slices.Contains(v.Corrected, l) {
				v.Corrected = append(v.Corrected, l)
			}
		}
	}
	return v
}

// formOf fills the correction form with the record's values.
func (s *Server) formOf(m *mission.Mission) correctionForm {
	f := correctionForm{Title: deref(m.Title), StartDate: deref(m.StartDate), EndDate: deref(m.EndDate)}
	if m.Year != nil {
		f.Year = strconv.Itoa(*m.Year)
	}
	for _, d := range m.Destinations {
		f.Destinations = append(f.Destinations, destRow{City: d.City, Country: d.Country})
	}
	for range newDestinationRows {
		f.Destinations = append(f.Destinations, destRow{})
	}
	for i := range f.Destinations {
		f.Destinations[i].N = i + 1
	}
	f.Themes = s.themeChoices(m.Themes)
	return f
}

// themeChoices lists the taxonomy's themes, and any other theme the record
// has, ticked when the record has them.
func (s *Server) themeChoices(checked []string) []themeChoice {
	var out []themeChoice
	for _, t := range s.ui.themes {
		if s.missions.ValidTheme(t.ID) {
			out = append(out, themeChoice{ID: t.ID, Label: t.Label, Checked: slices.Contains(checked, t.ID)})
		}
	}
	for _, id := range checked {
		if !slices.ContainsFunc(out, func(c themeChoice) bool { return c.ID == id }) {
			out = append(out, themeChoice{ID: id, Label: s.ui.themeLabel(id), Checked: true})
		}
	}
	return out
}

// correctMission is POST /missions/{id}: the form becomes a JSON merge
// patch of the fields that changed, read by service.ParsePatch like the
// API's PATCH, then applied by the service.
func (s *Server) correctMission(c *gin.Context) {
	ctx := c.Request.Context()
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)
	if err := c.Request.ParseForm(); err != nil {
		s.render(c, http.StatusBadRequest, "error", &page{Title: "Erreur", Error: "Le formulaire envoyé est illisible ou trop long. Rechargez la page et réessayez."})
		return
	}
	if !s.checkCSRF(c, c.PostForm(csrfField)) {
		s.render(c, http.StatusForbidden, "error", &page{Title: "Erreur", Error: msgBadCSRF})
		return
	}
	m, err := s.missions.Get(ctx, c.Param("id"))
	if err != nil {
		s.failPage(c, err)
		return
	}
	form := c.Request.PostForm
	patch := changes(m, form)
	if len(patch) == 0 {
		c.Redirect(http.StatusSeeOther, "/missions/"+url.PathEscape(m.MissionID))
		return
	}
	body, err := json.Marshal(patch)
	if err == nil {
		var cs service.Corrections
		if cs, err = service.ParsePatch(body, s.missions.ValidTheme); err == nil {
			_, err = s.missions.Correct(ctx, m.MissionID, cs, "web")
		}
	}
	var invalid *service.InvalidError
	if errors.As(err, &invalid) {
		p := &page{Title: missionTitle(m), Nav: "mission", Error: "Correction refusée : " + invalid.Message}
		v := s.missionView(c, m)
		v.Form = s.postedForm(form)
		p.Data = v
		s.render(c, http.StatusBadRequest, "mission", p)
		return
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/missions/"+url.PathEscape(m.MissionID)+"?corrige=1#correction")
}

// changes compares the posted form with the record: only what changed is
// corrected, so that a field left alone keeps following the extractor.
func changes(m *mission.Mission, form url.Values) map[string]any {
	patch := map[string]any{}
	str := func(field string, cur *string) {
		v := strings.TrimSpace(form.Get(field))
		if v == deref(cur) {
			return
		}
		if v == "" {
			patch[field] = nil
		} else {
			patch[field] = v
		}
	}
	str("title", m.Title)
	str("start_date", m.StartDate)
	str("end_date", m.EndDate)
	curYear := ""
	if m.Year != nil {
		curYear = strconv.Itoa(*m.Year)
	}
	if y := strings.TrimSpace(form.Get("year")); y != curYear {
		switch n, err := strconv.Atoi(y); {
		case y == "":
			patch["year"] = nil
		case err != nil:
			patch["year"] = y // ParsePatch says what is wrong with it
		default:
			patch["year"] = n
		}
	}
	cities, countries := form["city"], form["country"]
	dests := []mission.Destination{}
	for i := range max(len(cities), len(countries)) {
		var d mission.Destination
		if i < len(cities) {
			d.City = strings.TrimSpace(cities[i])
		}
		if i < len(countries) {
			d.Country = strings.TrimSpace(countries[i])
		}
		if d != (mission.Destination{}) {
			dests = append(dests, d)
		}
	}
	if _, sent := form["city"]; sent && !slices.Equal(dests, m.Destinations) {
		patch["destinations"] = dests
	}
	if form.Get("themes_sent") != "" {
		themes := form["theme"]
		if themes == nil {
			themes = []string{}
		}
		if !sameSet(themes, m.Themes) {
			patch["themes"] = themes
		}
	}
	return patch
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// postedForm shows back what was posted.
func (s *Server) postedForm(form url.Values) correctionForm {
	f := correctionForm{Title: form.Get("title"), StartDate: form.Get("start_date"), EndDate: form.Get("end_date"), Year: form.Get("year")}
	cities, countries := form["city"], form["country"]
	for i := range max(len(cities), len(countries)) {
		var d destRow
		if i < len(cities) {
			d.City = cities[i]
		}
		if i < len(countries) {
			d.Country = countries[i]
		}
		d.N = i + 1
		f.Destinations = append(f.Destinations, d)
	}
	var ids []string
	for _, t := range form["theme"] {
		if s.missions.ValidTheme(t) {
			ids = append(ids, t)
		}
	}
	f.Themes = s.themeChoices(ids)
	return f
}
