package server

import (
	"errors"
	"net/http"
	"strings"

	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
)

// reportsImportCommit writes a checked file, all rows or none.
func (s *indicatorsPart) reportsImportCommit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	if token == "" || len(token) > 64 {
		return errBadRequest
	}
	submit := r.PostForm.Get("submit") == "yes"
	v, err := s.importView(w, r)
	if err != nil {
		return err
	}
	v.Submit = submit
	name, plan, err := indicators.CommitUpload(r.Context(), s.db, s.actor(r), s.currentUser(r).ID, token, s.importScope(r), submit)
	if errors.Is(err, indicators.ErrInvalid) || (err == nil && len(plan.Errors) > 0) {
		// Something changed since the dry run: show the new problems.
		v.Name, v.Checked = name, true
		if plan != nil {
			v.Errors2 = importProblems(&v.Page, plan.Errors)
		}
		return s.renderStatus(w, r, http.StatusConflict, "reports-import", v)
	}
	if errors.Is(err, database.ErrNotFound) {
		// Committed already, dropped for a newer check or past its day:
		// say so beside the file field, where checking it again begins.
		v.Errors = []i18n.FieldError{{Field: "file", Message: v.L.N("limits.import.gone", indicators.MaxPendingUploads)}}
		return s.renderStatus(w, r, http.StatusGone, "reports-import", v)
	}
	if err != nil {
		return err
	}
	v.Name, v.Done = name, plan.Reports
	return s.render(w, r, "reports-import", v)
}
