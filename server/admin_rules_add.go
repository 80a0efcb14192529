package server

import (
	"errors"
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
)

// adminRulesAdd adds a validation rule; a refused one shows the list again
// with what was typed and each problem at its field.
func (s *indicatorsPart) adminRulesAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := r.PostForm
	in := indicators.NewRule{NameVI: f.Get("name_vi"), NameEN: f.Get("name_en"), MessageVI: f.Get("message_vi"), MessageEN: f.Get("message_en"),
		Left: f.Get("left"), Op: f.Get("op"), Right: f.Get("right")}
	_, err := indicators.AddRule(r.Context(), s.db, s.actor(r), in)
	if err == nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/rules?done=added", http.StatusSeeOther)
		return nil
	}
	v, verr := s.adminRulesView(w, r)
	if verr != nil {
		return verr
	}
	v.Form = in
	switch errs := fieldErrors(v.L, err, nil, ruleMessage); {
	case errs != nil:
		v.Errors = errs
	case errors.Is(err, indicators.ErrTooManyRules):
		v.Errors = []i18n.FieldError{{Message: v.L.T("quality.rules.error.too_many", "Max", indicators.MaxRules)}}
	default:
		return err
	}
	return s.renderStatus(w, r, http.StatusBadRequest, "admin-rules", v)
}
