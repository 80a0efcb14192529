package server

import (
	"errors"
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
)

// reportsImportCheck is the dry run: it reads the uploaded file, checks
// every row and shows the problems row by row, changing nothing. A file
// without problems is kept so that the commit needs no second upload.
func (s *indicatorsPart) reportsImportCheck(w http.ResponseWriter, r *http.Request) error {
	v, err := s.importView(w, r)
	if err != nil {
		return err
	}
	form, err := readUpload(r, "file")
	if err != nil {
		return err
	}
	if msg := form.missingFile(v.L); msg != "" {
		v.Errors = []i18n.FieldError{{Field: "file", Message: msg}}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-import", v)
	}
	data := form.data
	v.Submit = form.values.Get("submit") == "yes"
	v.Name = form.name
	plan, err := indicators.CheckValueFile(r.Context(), s.db, data, s.importScope(r), v.Submit)
	if errors.Is(err, indicators.ErrNotTable) {
		v.Errors = []i18n.FieldError{{Field: "file", Message: importFileError(v.L, err)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-import", v)
	}
	if err != nil {
		return err
	}
	v.Checked, v.Reports = true, plan.Reports
	v.Errors2 = importProblems(&v.Page, plan.Errors)
	if v.RuleWarnings, err = s.importRuleWarnings(r, v.L, plan.Rows); err != nil {
		return err
	}
	if len(plan.Errors) == 0 && plan.Reports > 0 {
		if v.Token, err = indicators.KeepUpload(r.Context(), s.db, s.currentUser(r).ID, form.name, plan.Rows); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if len(plan.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderStatus(w, r, status, "reports-import", v)
}
