package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"escale/internal/mission"
	"escale/internal/render"
)

// Page thumbnails, when the server has a renderer (Config.Thumbnails): the
// mission page shows a PDF's pages as small pictures, each opening the PDF
// at its page. Without one, the pages simply show none.

// Thumbnailer draws page n of a PDF as a PNG width pixels wide (ErrNoImage
// when it cannot). *render.Renderer implements it.
type Thumbnailer interface {
	Thumbnail(ctx context.Context, src render.Source, n, width int) ([]byte, error)
}

const (
	// thumbWidth is the width thumbnails are drawn at: twice the width they
	// show at, for sharp screens; one width keeps the cache small.
	thumbWidth = 240
	// maxThumbs is how many pages the mission page shows as pictures.
	maxThumbs = 24
	// thumbsAtOnce bounds the drawings running together (each may start
	// pdftoppm): a page of thumbnails must not take every core.
	thumbsAtOnce = 2
)

// thumbPages lists the pages of m the mission page shows as pictures.
func (s *Server) thumbPages(m *mission.Mission) []int {
	if s.cfg.Thumbnails == nil || m.Format != mission.FormatPDF {
		return nil
	}
	// Without pdftoppm most pages would show as broken pictures.
	if r, ok := s.cfg.Thumbnails.(interface{ CanRender() bool }); ok && !r.CanRender() {
		return nil
	}
	var out []int
	for n := 1; n <= min(m.Pages, maxThumbs); n++ {
		out = append(out, n)
	}
	return out
}

// thumbnail is GET /missions/{id}/pages/{n}: page n of the mission's PDF
// as a PNG. Errors have no page: an image that is not there is a 404.
func (s *Server) thumbnail(c *gin.Context) {
	ctx := c.Request.Context()
	n, err := strconv.Atoi(c.Param("n"))
	if s.cfg.Thumbnails == nil || err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	m, err := s.missions.Get(ctx, c.Param("id"))
	if err != nil || m.Format != mission.FormatPDF || n < 1 || n > m.Pages {
		c.Status(http.StatusNotFound)
		return
	}
	select {
	case s.ui.thumbs <- struct{}{}:
		defer func() { <-s.ui.thumbs }()
	case <-ctx.Done():
		c.Status(http.StatusServiceUnavailable)
		return
	}
	src := render.Source{SHA256: m.SHA256, Open: func() ([]byte, error) {
		f, _, err := s.missions.Original(ctx, m.MissionID)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUpload+1))
		if err == nil && int64(len(data)) > s.cfg.MaxUpload {
			err = fmt.Errorf("original of %s over %d bytes", m.MissionID, s.cfg.MaxUpload)
		}
		return data, err
	}}
	png, err := s.cfg.Thumbnails.Thumbnail(ctx, src, n, thumbWidth)
	if err != nil {
		if !errors.Is(err, render.ErrNoImage) && ctx.Err() == nil {
			s.log.Warn("page thumbnail", "mission_id", m.MissionID, "page", n, "err", err)
		}
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "private, max-age=86400")
	c.Data(http.StatusOK, "image/png", png)
}
