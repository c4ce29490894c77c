package web

import (
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"escale/index"
	"escale/internal/mission"
)

// CSV for Excel in French: a UTF-8 byte order mark (else Excel reads
// Windows-1252), « ; » between fields (« , » is the decimal separator) and
// CRLF line ends.
const utf8BOM = "\ufeff"

// maxExportRows bounds an export: past it, filters serve better.
const maxExportRows = 10000

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// csvWriter starts a CSV download named name.
func csvWriter(c *gin.Context, name string) *csv.Writer {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", contentDisposition("attachment", name))
	c.Status(http.StatusOK)
	c.Writer.WriteString(utf8BOM)
	w := csv.NewWriter(c.Writer)
	w.Comma = ';'
	w.UseCRLF = true
	return w
}

// cell makes a value safe for a spreadsheet: text that Excel would read as a
// formula (= + - @, tab, CR) is prefixed with an apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// plain turns a highlighted fragment back into text.
func plain(fragment string) string {
	s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(fragment)
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func places(ds []mission.Destination) string {
	var out []string
	for _, d := range ds {
		switch {
		case d.City != "" && d.Country != "":
			out = append(out, d.City+" ("+d.Country+")")
		case d.City != "":
			out = append(out, d.City)
		default:
			out = append(out, d.Country)
		}
	}
	return strings.Join(out, ", ")
}

func deref[T any](p *T) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

func exportName(kind string) string {
	return "escale-" + kind + "-" + time.Now().Format("2006-01-02") + ".csv"
}

// searchCSV is GET /api/v1/search.csv: every hit of a search (not only one
// page), one line each.
func (s *Server) searchCSV(c *gin.Context) {
	q, err := s.query(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q.Page, q.Size = 1, index.MaxSize
	res, err := s.search.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	w := csvWriter(c, exportName("recherche"))
	w.Write([]string{"mission_id", "titre", "fichier", "destinations", "date_debut", "date_fin", "annee", "themes", "doublon_de", "score", "passages"})
	rows := 0
	for {
		for _, h := range res.Hits {
			var ps []string
			for _, p := range h.Passages {
				ps = append(ps, fmt.Sprintf("p. %d : %s", p.Page, plain(p.Fragment)))
			}
			w.Write([]string{h.MissionID, cell(deref(h.Title)), cell(h.Filename), cell(places(h.Destinations)),
				deref(h.StartDate), deref(h.EndDate), deref(h.Year), strings.Join(h.Themes, ", "), h.DuplicateOf,
				strings.Replace(strconv.FormatFloat(h.Score, 'f', 4, 64), ".", ",", 1), cell(strings.Join(ps, " | "))})
			rows++
		}
		if len(res.Hits) < q.Size || uint64(rows) >= res.Total || rows >= maxExportRows {
			break
		}
		q.Page++
		if res, err = s.search.Search(c.Request.Context(), q); err != nil {
			// Headers are gone: say so in the file rather than cut it silently.
			s.log.Error("csv export", "err", err)
			w.Write([]string{"# export interrompu : erreur interne, relancez-le"})
			break
		}
	}
	w.Flush()
}

// outcomesCSV is GET /api/v1/outcomes.csv: every outcome of a query.
func (s *Server) outcomesCSV(c *gin.Context) {
	q, err := s.query(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q.Page, q.Size = 1, index.MaxSize
	res, err := s.search.Outcomes(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	w := csvWriter(c, exportName("retombees"))
	w.Write([]string{"mission_id", "mission", "fichier", "annee", "date_debut", "destinations", "categorie", "titre", "texte", "page", "themes"})
	rows := 0
	for {
		for _, o := range res.Outcomes {
			w.Write([]string{o.MissionID, cell(deref(o.MissionTitle)), cell(o.Filename), deref(o.Year), deref(o.StartDate),
				cell(places(o.Destinations)), cell(deref(o.Category)), cell(deref(o.Title)), cell(o.Text),
				strconv.Itoa(o.Page), strings.Join(o.Themes, ", ")})
			rows++
		}
		if len(res.Outcomes) < q.Size || uint64(rows) >= res.Total || rows >= maxExportRows {
			break
		}
		q.Page++
		if res, err = s.search.Outcomes(c.Request.Context(), q); err != nil {
			s.log.Error("csv export", "err", err)
			w.Write([]string{"# export interrompu : erreur interne, relancez-le"})
			break
		}
	}
	w.Flush()
}

// compareCSV is GET /api/v1/compare.csv: the comparison matrix, one row per
// value of by, one column per value of split, totals last.
func (s *Server) compareCSV(c *gin.Context) {
	q, err := s.query(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	by, split := compareParams(c.Request.URL.Query())
	m, err := s.search.Compare(c.Request.Context(), q, by, split)
	if err != nil {
		s.fail(c, err)
		return
	}
	w := csvWriter(c, exportName("comparaison"))
	header := []string{m.By}
	for _, col := range m.Cols {
		if col == "" {
			col = "(sans catégorie)"
		}
		header = append(header, cell(col))
	}
	w.Write(append(header, "total"))
	for i, row := range m.Rows {
		line := []string{cell(row)}
		for _, n := range m.Counts[i] {
			line = append(line, strconv.Itoa(n))
		}
		total := ""
		if i < len(m.RowTotals) {
			total = strconv.Itoa(m.RowTotals[i])
		}
		w.Write(append(line, total))
	}
	totals := []string{"total"}
	for _, n := range m.ColTotals {
		totals = append(totals, strconv.Itoa(n))
	}
	w.Write(append(totals, strconv.FormatUint(m.Total, 10)))
	w.Flush()
}
