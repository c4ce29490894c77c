package pdftext

import "escale/internal/mission"

// rewrite returns a copy of data that the PDF library can open.
func rewrite(data []byte) ([]byte, []string, error) {
	return nil, nil, mission.Refuse(mission.ErrDamaged, "pdf: cannot rebuild")
}
