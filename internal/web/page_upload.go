package web

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
)

// The upload page (/televerser): several files in one form (dropped onto
// it where JavaScript runs), each read as it arrives, one result per file.

const (
	// maxFilesPerForm bounds one sending; more is a folder for escale ingest.
	maxFilesPerForm = 50
	// formFilesBudget is how many full-size files one form may carry in all.
	formFilesBudget = 4
	recentUploads   = 10
)

type uploadView struct {
	Results  []fileResult
	Added    int
	Present  int
	Refused  int
	Note     string // about the sending as a whole
	Recent   []recentLine
	MaxFiles int
	MaxSize  string
}

// fileResult is what became of one file.
type fileResult struct {
	Filename  string
	Status    string // added, present, refused
	Message   string
	MissionID string
	Title     string
	Duplicate string
}

type recentLine struct {
	At, Filename, Outcome, Message, MissionID string
}

var outcomeLabels = map[string]string{
	store.Created:  "ajouté",
	store.Existing: "déjà présent",
	store.Refused:  "refusé",
	store.Failed:   "échec",
}

// uploadPage is GET /televerser.
func (s *Server) uploadPage(c *gin.Context) {
	s.renderUpload(c, http.StatusOK, &uploadView{})
}

func (s *Server) renderUpload(c *gin.Context, status int, v *uploadView) {
	v.MaxFiles = maxFilesPerForm
	v.MaxSize = megabytes(s.cfg.MaxUpload)
	if entries, err := s.missions.IngestLog(c.Request.Context(), recentUploads); err == nil {
		for _, e := range entries {
			l := recentLine{At: e.At.Local().Format("02/01/2006 15:04"), Filename: e.Filename, Outcome: outcomeLabels[e.Outcome], MissionID: e.MissionID}
			if l.Outcome == "" {
				l.Outcome = e.Outcome
			}
			if e.Outcome == store.Refused {
				l.Message = e.Message
			}
			v.Recent = append(v.Recent, l)
		}
	}
	s.render(c, status, "upload", &page{Title: "Téléverser des rapports", Nav: "upload", Data: v})
}

func megabytes(n int64) string {
	return number(int((n+(1<<20)-1)>>20)) + " Mo"
}

// uploadFiles is POST /televerser: a multipart form whose first field is
// the CSRF token, then any number of « file » fields. Each file is read in
// memory up to the size limit and ingested before the next is read, so
// memory holds one file at a time.
func (s *Server) uploadFiles(c *gin.Context) {
	ctx := c.Request.Context()
	v := &uploadView{}
	budget := int64(formFilesBudget)*s.cfg.MaxUpload + formOverhead
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, budget)
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		v.Note = "Le formulaire envoyé est illisible. Choisissez les fichiers avec le bouton puis cliquez sur « Téléverser »."
		s.renderUpload(c, http.StatusBadRequest, v)
		return
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		v.Note = "Le formulaire envoyé est illisible. Choisissez les fichiers avec le bouton puis cliquez sur « Téléverser »."
		s.renderUpload(c, http.StatusBadRequest, v)
		return
	}
	// The token comes first in the form, so that nothing is read or stored
	// for a request that did not come from our page.
	part, err := mr.NextPart()
	if err != nil || part.FormName() != csrfField {
		s.render(c, http.StatusForbidden, "error", &page{Title: "Erreur", Error: msgBadCSRF})
		return
	}
	token, _ := io.ReadAll(io.LimitReader(part, 256))
	if !s.checkCSRF(c, string(token)) {
		s.render(c, http.StatusForbidden, "error", &page{Title: "Erreur", Error: msgBadCSRF})
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			v.Note = sendingCut(err)
			break
		}
		if part.FormName() != "file" || part.FileName() == "" {
			part.Close()
			continue
		}
		if len(v.Results) == maxFilesPerForm {
			v.Note = "Seuls les " + number(maxFilesPerForm) + " premiers fichiers ont été lus : envoyez les autres en plusieurs fois, ou déposez un dossier avec la commande escale ingest."
			part.Close()
			break
		}
		r, cut := s.ingestPart(ctx, part.FileName(), part)
		part.Close()
		v.Results = append(v.Results, r)
		if cut != nil {
			v.Note = sendingCut(cut)
			break
		}
		if ctx.Err() != nil {
			break
		}
	}
	for _, r := range v.Results {
		switch r.Status {
		case "added":
			v.Added++
		case "present":
			v.Present++
		default:
			v.Refused++
		}
	}
	if len(v.Results) == 0 && v.Note == "" {
		v.Note = "Aucun fichier reçu : choisissez un ou plusieurs rapports (PDF, texte ou Markdown) avant de cliquer sur « Téléverser »."
		s.renderUpload(c, http.StatusBadRequest, v)
		return
	}
	s.renderUpload(c, http.StatusOK, v)
}

// ingestPart reads and ingests one file. cut is set when the sending itself
// broke (too large in all, connection lost): the files after it are lost.
func (s *Server) ingestPart(ctx context.Context, name string, r io.Reader) (res fileResult, cut error) {
	res.Filename = service.SafeFilename(name)
	data, err := io.ReadAll(io.LimitReader(r, s.cfg.MaxUpload+1))
	if err != nil {
		res.Status, res.Message = "refused", "Le fichier n’a pas été reçu en entier."
		return res, err
	}
	if int64(len(data)) > s.cfg.MaxUpload {
		// Skip the rest of this file: the next ones may still fit.
		io.Copy(io.Discard, r)
		err := s.missions.Refused(ctx, name, int64(len(data)), mission.Refuse(mission.ErrTooLarge, "upload over %d bytes", s.cfg.MaxUpload))
		_, _, msg := classify(err)
		res.Status, res.Message = "refused", msg
		return res, nil
	}
	out, err := s.missions.Ingest(ctx, service.Upload{Filename: name, Data: data, Source: "web"})
	if err != nil {
		status, code, msg := classify(err)
		if status >= 500 && code != "busy" {
			s.log.Error("page upload", "filename", res.Filename, "err", err)
		}
		res.Status, res.Message = "refused", msg
		return res, nil
	}
	m := out.Mission
	res.MissionID, res.Title, res.Duplicate = m.MissionID, deref(m.Title), m.DuplicateOf
	res.Filename = m.Filename
	if out.Created {
		res.Status = "added"
	} else {
		res.Status = "present"
	}
	return res, nil
}

// sendingCut says in French why the rest of a sending was lost.
func sendingCut(err error) string {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return "L’envoi dépasse la taille permise pour un seul formulaire : les fichiers suivants n’ont pas été lus. Envoyez-les en plusieurs fois."
	}
	return "L’envoi a été interrompu : les fichiers suivants n’ont pas été reçus. Envoyez-les de nouveau."
}
