package structure

import (
	"slices"
	"strings"
	"testing"

	"escale/internal/layout"
	"escale/internal/mission"
	"escale/internal/textfile"
)

func parseText(t *testing.T, src string) *Result {
	t.Helper()
	doc, err := textfile.Read([]byte(src))
	if err != nil {
		t.Fatalf("textfile.Read error %v", err)
	}
	return Parse(doc)
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func kinds(r *Result) []string {
	var out []string
	for _, s := range r.Sections {
		out = append(out, s.Kind)
	}
	return out
}

type wantOutcome struct{ category, title, textStart string }

func checkOutcomes(t *testing.T, r *Result, want []wantOutcome) {
	t.Helper()
	if len(r.Outcomes) != len(want) {
		for _, o := range r.Outcomes {
			t.Logf("outcome %q | %q | %.50q", str(o.Category), str(o.Title), o.Text)
		}
		t.Fatalf("Parse gave %d outcomes, want %d", len(r.Outcomes), len(want))
	}
	for i, w := range want {
		o := r.Outcomes[i]
		if str(o.Category) != w.category || str(o.Title) != w.title || !strings.HasPrefix(o.Text, w.textStart) {
			t.Errorf("outcome %d = %q | %q | %.60q; want %q | %q | %q...", i, str(o.Category), str(o.Title), o.Text, w.category, w.title, w.textStart)
		}
	}
}

// A plain-text report from another city, with other wordings and list styles
// than the corpus.
const textReport = `Ville de Québec
RAPPORT DE MISSION – GUADALAJARA (MEXIQUE) 2023

Délégation : le maire; la directrice du Service du développement économique.

1. MISE EN CONTEXTE

Guadalajara accueillait le Sommet des villes créatives. La Ville y était invitée
à présenter sa démarche.

2. OBJECTIFS POURSUIVIS

La mission poursuivait les objectifs suivants :

– Présenter la démarche de Québec en matière d’industries créatives.
– Assurer le suivi des ententes signées en 2019 avec l’État de Jalisco.
– Rencontrer les dirigeants du pôle numérique Ciudad Creativa Digital.

3. PROGRAMME

– Lundi 6 mars : arrivée et breffage.
– Mardi 7 mars : ouverture du Sommet.

4. RETOMBÉES POUR QUÉBEC

Économie créative

– Vitrine pour les studios de Québec : Trois studios ont présenté leurs jeux aux investisseurs du pôle numérique.
– Un accord de principe a été conclu avec l’Université de Guadalajara pour des stages croisés.

Relations institutionnelles

– Renouvellement de l’entente avec Jalisco. Les deux gouvernements ont convenu de prolonger l’entente jusqu’en 2027.

5. PROCHAINES ÉTAPES

– Transmettre le rapport au comité exécutif.
Page 3 de 3
`

func TestParseTextReport(t *testing.T) {
	r := parseText(t, textReport)
	if got, want := str(r.Title), "RAPPORT DE MISSION – GUADALAJARA (MEXIQUE) 2023"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	wantKinds := []string{mission.KindContext, mission.KindObjectives, mission.KindProgram, mission.KindOutcomes, mission.KindFollowup}
	if got := kinds(r); !slices.Equal(got, wantKinds) {
		t.Errorf("section kinds = %q, want %q", got, wantKinds)
	}
	var objs []string
	for _, o := range r.Objectives {
		objs = append(objs, o.Text)
	}
	wantObjs := []string{
		"Présenter la démarche de Québec en matière d’industries créatives.",
		"Assurer le suivi des ententes signées en 2019 avec l’État de Jalisco.",
		"Rencontrer les dirigeants du pôle numérique Ciudad Creativa Digital.",
	}
	if !slices.Equal(objs, wantObjs) {
		t.Errorf("Objectives = %q, want %q", objs, wantObjs)
	}
	checkOutcomes(t, r, []wantOutcome{
		{"Économie créative", "Vitrine pour les studios de Québec", "Trois studios ont présenté"},
		{"Économie créative", "<nil>", "Un accord de principe a été conclu"},
		{"Relations institutionnelles", "Renouvellement de l’entente avec Jalisco", "Les deux gouvernements"},
	})
	if !strings.Contains(r.Text, "La Ville y était invitée à présenter sa démarche.") {
		t.Errorf("Text does not join the wrapped context line:\n%s", r.Text)
	}
	if strings.Contains(r.Text, "Page 3 de 3") {
		t.Errorf("Text keeps the page number:\n%s", r.Text)
	}
}

const markdownReport = `# Mission à Valparaíso – Patrimoine et port

**Dates :** du 2 au 6 octobre 2023

## Objectifs

1. Visiter le quartier historique inscrit au patrimoine mondial.
2. Échanger avec l’autorité portuaire sur les croisières.

## Principaux résultats

**Court terme**

- **Échange d’experts.** Deux urbanistes de Valparaíso viendront à Québec en 2024.
- Une exposition photo sera présentée à la Maison de la littérature.

**Long terme**

- **Réseau des villes portuaires** : Valparaíso appuiera la candidature de Québec.

## Suivi

- Préparer l’accueil des urbanistes.
`

func TestParseMarkdownReport(t *testing.T) {
	r := parseText(t, markdownReport)
	if got, want := str(r.Title), "Mission à Valparaíso – Patrimoine et port"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	wantKinds := []string{mission.KindObjectives, mission.KindOutcomes, mission.KindFollowup}
	if got := kinds(r); !slices.Equal(got, wantKinds) {
		t.Errorf("section kinds = %q, want %q", got, wantKinds)
	}
	if len(r.Objectives) != 2 || r.Objectives[0].Text != "Visiter le quartier historique inscrit au patrimoine mondial." {
		t.Errorf("Objectives = %+v, want the two numbered items without numbers", r.Objectives)
	}
	checkOutcomes(t, r, []wantOutcome{
		{"Court terme", "Échange d’experts", "Deux urbanistes"},
		{"Court terme", "<nil>", "Une exposition photo"},
		{"Long terme", "Réseau des villes portuaires", "Valparaíso appuiera"},
	})
}

// A text report without titles in its outcomes and with a section the
// vocabulary does not know.
func TestParseTextParagraphOutcomes(t *testing.T) {
	r := parseText(t, `Mission virtuelle - Helsinki (Finlande)

Objectifs

S'informer de la stratégie numérique de la capitale finlandaise.

Bilan de la mission

La Ville a obtenu la documentation sur la plateforme de données ouvertes d'Helsinki et son modèle de gouvernance.

Les équipes de Forum Virium ont présenté leurs bancs d'essai urbains, dont Québec pourrait s'inspirer pour ses quartiers.

Suivis

• Préparer une note au comité exécutif.
`)
	checkOutcomes(t, r, []wantOutcome{
		{"<nil>", "<nil>", "La Ville a obtenu la documentation"},
		{"<nil>", "<nil>", "Les équipes de Forum Virium"},
	})
	if got, want := str(r.Title), "Mission virtuelle - Helsinki (Finlande)"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
}

// TestParseNoTitle: a report that opens on a section has no title of its own.
func TestParseNoTitle(t *testing.T) {
	r := parseText(t, "OBJECTIFS DE MISSION\n\n1. Participer à la conférence.\n\nRETOMBÉES\n\n• Une entente a été signée avec le port.\n")
	if r.Title != nil {
		t.Errorf("Title = %q, want none", *r.Title)
	}
	if len(r.Objectives) != 1 || len(r.Outcomes) != 1 {
		t.Errorf("Parse = %d objectives, %d outcomes; want 1 and 1", len(r.Objectives), len(r.Outcomes))
	}
}

// TestParseTitle: a letterhead (the sending organisation's name alone) or a
// dateline is not the report's title; a subject line may be.
func TestParseTitle(t *testing.T) {
	const body = "\n\nOBJECTIFS\n\n1. Rencontrer les partenaires.\n"
	tests := []struct {
		name, src, want string
	}{
		{"letterhead, office and dateline only", "VILLE DE MONTRÉAL\n\nService du développement économique\n\nMontréal, le 3 mai 2019" + body, "<nil>"},
		{"letterhead in parts", "Ville de Gatineau – Bureau des relations internationales" + body, "<nil>"},
		{"cabinet, then a subject line", "Cabinet du maire\n\nObjet : Mission à Lyon du 2 au 5 mai 2022" + body, "Mission à Lyon du 2 au 5 mai 2022"},
		{"subject line that is a sentence", "Cabinet de la mairesse\n\nObjet : nous avons visité Lyon." + body, "<nil>"},
		{"the first line after the letterhead", "Ville de Gatineau\n\nBureau des relations internationales\n\nRencontre annuelle des villes jumelles" + body, "Rencontre annuelle des villes jumelles"},
		{"a place and dates line", "Lyon, 3-5 mai 2023" + body, "<nil>"},
		{"a title with a comma and a date", "Mission à Lyon, juin 2023" + body, "Mission à Lyon, juin 2023"},
		{"a title that opens on « Ville »", "Ville intelligente et mobilité à Barcelone" + body, "Ville intelligente et mobilité à Barcelone"},
		{"Markdown letterhead as the level-1 heading", "# Ville de Lévis\n\n## Mission à Bordeaux (France)" + body, "Mission à Bordeaux (France)"},
	}
	for _, tt := range tests {
		if got := str(parseText(t, tt.src).Title); got != tt.want {
			t.Errorf("%s: Parse(%.40q).Title = %q, want %q", tt.name, tt.src, got, tt.want)
		}
	}
}

// TestParsePDFLetterhead: a PDF's letterhead set larger than the title is
// not the title.
func TestParsePDFLetterhead(t *testing.T) {
	page := []layout.Line{
		pdfLine(60, 18, bold("VILLE DE LAVAL")),
		pdfLine(90, 10, reg("Cabinet du maire")),
		pdfLine(130, 14, bold("Rapport de mission à Oslo")),
		pdfLine(170, 13, bold("Objectifs")),
		pdfLine(190, 11, reg("Observer la gestion des traversiers du port.")),
	}
	r := Parse(&layout.Document{Format: mission.FormatPDF, Pages: []layout.Page{{Number: 1, Width: 612, Height: 792, Lines: page}}})
	if got, want := str(r.Title), "Rapport de mission à Oslo"; got != want {
		t.Errorf("Parse(PDF with letterhead).Title = %q, want %q", got, want)
	}
}

// pdfLine is a line of a synthetic PDF page.
func pdfLine(y float64, size float64, spans ...layout.Span) layout.Line {
	w := 0.0
	for i := range spans {
		spans[i].Size = size
		w += float64(len([]rune(spans[i].Text))) * size * 0.5
	}
	x := 72.0
	if strings.HasPrefix(spans[0].Text, "\uf0b7") {
		w += 18
	}
	return layout.Line{Spans: spans, X: x, Y: y, W: min(w, 450), H: size * 1.05}
}

func reg(s string) layout.Span  { return layout.Span{Text: s} }
func bold(s string) layout.Span { return layout.Span{Text: s, Bold: true} }

// A two-page PDF as a reader gives it: running header and footer, a title
// larger than the text, bold section headings, symbol-font bullets, bold
// run-in titles spanning two lines, hyphenation, a table row.
func TestParsePDFLayout(t *testing.T) {
	const pitch = 14.0
	page1 := []layout.Line{
		pdfLine(30, 9, reg("Rapport de mission – Oslo 2024")),
		pdfLine(80, 16, bold("Rapport de mission à Oslo (Norvège)")),
		pdfLine(120, 13, bold("Objectifs")),
		pdfLine(140, 11, reg("Observer la gestion des traversiers électriques du port d’Oslo et en ti-")),
		pdfLine(140+pitch, 11, reg("rer des leçons pour la traverse Québec-Lévis.")),
		pdfLine(190, 13, bold("Retombées")),
		pdfLine(210, 12, bold("Transport maritime")),
		pdfLine(230, 11, reg("\uf0b7 "), bold("Électrification des traversiers : les données de")),
		pdfLine(230+pitch, 11, bold("consommation"), reg(" seront transmises à la Société des traversiers.")),
		pdfLine(230+2*pitch, 11, reg("\uf0b7 "), reg("Une visite du chantier naval a été organisée avec le port.")),
		pdfLine(760, 9, reg("Page 1 de 2")),
	}
	page2 := []layout.Line{
		pdfLine(30, 9, reg("Rapport de mission – Oslo 2024")),
		pdfLine(80, 13, bold("Coûts")),
		{Spans: []layout.Span{{Text: "Billets d’avion", Size: 11}}, X: 72, Y: 100, W: 80, H: 11.5},
		{Spans: []layout.Span{{Text: "4 200 $", Size: 11}}, X: 300, Y: 100, W: 40, H: 11.5},
		pdfLine(760, 9, reg("Page 2 de 2")),
	}
	doc := &layout.Document{Format: mission.FormatPDF, Pages: []layout.Page{
		{Number: 1, Width: 612, Height: 792, Lines: page1},
		{Number: 2, Width: 612, Height: 792, Lines: page2},
	}}
	r := Parse(doc)
	if got, want := str(r.Title), "Rapport de mission à Oslo (Norvège)"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	wantKinds := []string{mission.KindObjectives, mission.KindOutcomes, mission.KindCosts}
	if got := kinds(r); !slices.Equal(got, wantKinds) {
		t.Errorf("section kinds = %q, want %q", got, wantKinds)
	}
	if len(r.Objectives) != 1 || r.Objectives[0].Text != "Observer la gestion des traversiers électriques du port d’Oslo et en tirer des leçons pour la traverse Québec-Lévis." {
		t.Errorf("Objectives = %+v, want one joined and dehyphenated", r.Objectives)
	}
	checkOutcomes(t, r, []wantOutcome{
		{"Transport maritime", "Électrification des traversiers : les données de consommation", "seront transmises"},
		{"Transport maritime", "<nil>", "Une visite du chantier naval"},
	})
	if !slices.Equal(r.Headers, []string{"Rapport de mission – Oslo 2024", "Page 1 de 2", "Page 2 de 2"}) {
		t.Errorf("Headers = %q, want the running header and the page numbers", r.Headers)
	}
	if strings.Contains(r.Text, "Page 1") || strings.Count(r.Text, "Oslo 2024") != 0 {
		t.Errorf("Text keeps running headers or page numbers:\n%s", r.Text)
	}
	if !strings.Contains(r.Text, "• Électrification") || !strings.Contains(r.Text, "Billets d’avion\t4 200 $") {
		t.Errorf("Text lacks the bullet or the table row:\n%s", r.Text)
	}
	if r.Pages != 2 || r.Outcomes[0].Page != 1 || r.Sections[2].Page != 2 {
		t.Errorf("pages = %d, outcome page %d, costs page %d; want 2, 1, 2", r.Pages, r.Outcomes[0].Page, r.Sections[2].Page)
	}
}

func TestParseEmpty(t *testing.T) {
	r := Parse(&layout.Document{Format: mission.FormatPDF, Pages: []layout.Page{{Number: 1}}})
	if r.Text != "" || r.Title != nil || r.Pages != 1 {
		t.Errorf("Parse(empty page) = %+v, want no text, no title, 1 page", r)
	}
}
