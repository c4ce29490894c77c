package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
)

// Limits on an upload's metadata fields.
const (
	maxFormFields = 200
	maxFieldBytes = 8 << 10
)

// uploadDocument is POST /api/v1/documents: a multipart form with the file
// in "file" and optional corrections (title, year, start_date, end_date,
// repeatable city, country, theme). 201 for a new mission, 200 when the same
// bytes were there already.
func (s *Server) uploadDocument(c *gin.Context) {
	up, err := s.readUpload(c)
	if err != nil {
		if up != nil && up.Filename != "" {
			err = s.missions.Refused(c.Request.Context(), up.Filename, int64(len(up.Data)), err)
		}
		s.fail(c, err)
		return
	}
	res, err := s.missions.Ingest(c.Request.Context(), *up)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/missions/"+url.PathEscape(res.Mission.MissionID))
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	c.JSON(status, res.Mission)
}

// readUpload streams the multipart form, holding the file in memory up to
// the size limit: no temporary files, and a file over the limit is refused
// as soon as its bytes pass it. On error, the upload returned (if any) names
// the file, for the ingest log.
func (s *Server) readUpload(c *gin.Context) (*service.Upload, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUpload+formOverhead)
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, errBadForm
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, errBadForm
	}
	up := &service.Upload{Source: "api"}
	form := url.Values{}
	gotFile := false
	for fields := 0; ; fields++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, formError(err)
		}
		if fields > maxFormFields {
			part.Close()
			return nil, errBadForm
		}
		name := part.FormName()
		switch {
		case name == "file" && !gotFile:
			up.Filename = part.FileName()
			data, err := io.ReadAll(io.LimitReader(part, s.cfg.MaxUpload+1))
			if err != nil {
				return up, formError(err)
			}
			if int64(len(data)) > s.cfg.MaxUpload {
				return up, mission.Refuse(mission.ErrTooLarge, "upload over %d bytes", s.cfg.MaxUpload)
			}
			up.Data, up.Filename, gotFile = data, part.FileName(), true
		case name != "" && name != "file":
			var b bytes.Buffer
			n, err := io.Copy(&b, io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return nil, formError(err)
			}
			if n > maxFieldBytes {
				return nil, &service.InvalidError{Field: name, Message: "Le champ « " + clip(name) + " » est trop long."}
			}
			form.Add(name, b.String())
		}
		part.Close()
	}
	if !gotFile {
		return nil, errNoFile
	}
	cs, err := service.FormCorrections(form, s.missions.ValidTheme)
	if err != nil {
		return nil, err
	}
	up.Corrections = cs
	return up, nil
}

func formError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return mission.Refuse(mission.ErrTooLarge, "%v", err)
	}
	return errBadForm
}

// clip shortens what a client sent to quote it in a message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	s = s[:40]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// getMission is GET /api/v1/missions/{id}.
func (s *Server) getMission(c *gin.Context) {
	m, err := s.missions.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// getFile is GET /api/v1/missions/{id}/file: the original bytes under their
// original name. PDFs open in the browser (so that #page=N works), anything
// else downloads; ?download=1 always downloads.
func (s *Server) getFile(c *gin.Context) {
	f, m, err := s.missions.Original(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.fail(c, err)
		return
	}
	disposition, ctype := "attachment", "application/octet-stream"
	switch m.Format {
	case mission.FormatPDF:
		ctype = "application/pdf"
		if c.Query("download") == "" {
			disposition = "inline"
		}
	case mission.FormatText:
		ctype = "text/plain"
	case mission.FormatMarkdown:
		ctype = "text/markdown"
	}
	h := c.Writer.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", contentDisposition(disposition, m.Filename))
	// Nothing in a stored file may run as our origin; the browser's PDF
	// viewer refuses sandboxed documents, and a PDF's own scripts it
	// ignores. Pages link to a file (#page=N), never frame it.
	if ctype == "application/pdf" {
		// Not default-src 'none': Chrome's viewer obeys it and shows nothing.
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	} else {
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	}
	h.Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(c.Writer, c.Request, "", info.ModTime(), f)
}

// contentDisposition writes a Content-Disposition whose file name cannot
// break the header nor name a path: an ASCII fallback in filename (RFC 6266)
// and, when the name is not plain ASCII, the exact name in filename*
// (RFC 5987: UTF-8, every byte outside attr-char percent-encoded).
func contentDisposition(kind, name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == ';' || r == '/' {
			return '_'
		}
		return r
	}, name)
	v := mime.FormatMediaType(kind, map[string]string{"filename": ascii})
	if v == "" {
		return kind
	}
	if ascii != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes every byte of s but attr-char (RFC 5987 §3.2.1).
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// patchMission is PATCH /api/v1/missions/{id}: a JSON merge patch of title,
// destinations, start_date, end_date, year and themes.
func (s *Server) patchMission(c *gin.Context) {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/merge-patch+json" && mt != "application/json" {
			s.fail(c, errBadPatch)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10))
	if err != nil {
		s.fail(c, &service.InvalidError{Field: "body", Message: "La correction est trop longue ou illisible."})
		return
	}
	cs, err := service.ParsePatch(body, s.missions.ValidTheme)
	if err != nil {
		s.fail(c, err)
		return
	}
	m, err := s.missions.Correct(c.Request.Context(), c.Param("id"), cs, "api")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// deleteMission is DELETE /api/v1/missions/{id}: gone from index and store.
func (s *Server) deleteMission(c *gin.Context) {
	if err := s.missions.Delete(c.Request.Context(), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// correction is one manual correction as the API shows it.
type correction struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
	At    time.Time       `json:"at"`
	By    string          `json:"by"`
}

// getCorrections is GET /api/v1/missions/{id}/corrections: the fields set
// by hand, oldest first (the last of a field is the one in force).
func (s *Server) getCorrections(c *gin.Context) {
	e, err := s.missions.Entry(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := []correction{}
	for _, cr := range e.Corrections {
		out = append(out, correction{Field: cr.Field, Value: cr.Value, At: cr.At, By: cr.By})
	}
	c.JSON(http.StatusOK, gin.H{"mission_id": e.ID, "corrections": out})
}

// logLine is one ingestion attempt as the API shows it.
type logLine struct {
	At        time.Time `json:"at"`
	Filename  string    `json:"filename"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	Outcome   string    `json:"outcome"`
	Code      string    `json:"code,omitempty"`
	Message   string    `json:"message,omitempty"`
	MissionID string    `json:"mission_id,omitempty"`
	Source    string    `json:"source"`
}

// getIngestLog is GET /api/v1/ingest-log?limit=N: the last attempts, newest
// first, refusals with their code and message (internal failures show only
// their code: the detail is in the server's log).
func (s *Server) getIngestLog(c *gin.Context) {
	limit := 100
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			s.fail(c, badQuery("Le paramètre limit « %s » doit être un nombre entre 1 et 1000.", clip(v)))
			return
		}
		limit = n
	}
	entries, err := s.missions.IngestLog(c.Request.Context(), limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := []logLine{}
	for _, e := range entries {
		l := logLine{At: e.At, Filename: e.Filename, SHA256: e.SHA256, Size: e.Size, Outcome: e.Outcome,
			Code: e.Code, Message: e.Message, MissionID: e.MissionID, Source: e.Source}
		if e.Outcome == store.Failed {
			l.Message = ""
		}
		out = append(out, l)
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}
