package server

import (
	"net/http"

	"digiportal/indicators"
)

// adminDefinitionsSettingsSave saves the warning share and the home unit.
func (s *indicatorsPart) adminDefinitionsSettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	set := indicators.Settings{JumpShare: decimalInput(r.PostForm.Get("jump")) / 100, HomeUnit: r.PostForm.Get("home"),
		CompleteShare: decimalInput(r.PostForm.Get("complete")) / 100}
	err = indicators.SaveSettings(r.Context(), s.db, s.actor(r), set, s.now())
	if errs := indicatorFieldErrors(v.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}
