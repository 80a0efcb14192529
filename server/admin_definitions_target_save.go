package server

import (
	"net/http"
	"strconv"
	"strings"

	"digiportal/indicators"
)

// adminDefinitionsTargetSave adds a target (or replaces the one of the same
// indicator, year and unit): targets are data, so a province adds its own.
func (s *indicatorsPart) adminDefinitionsTargetSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.adminDefsView(w, r)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("year")))
	if err != nil {
		year = 0 // the form and the domain both refuse it
	}
	f := targetForm{Indicator: r.PostForm.Get("indicator"), Year: year, Value: strings.TrimSpace(r.PostForm.Get("value")),
		Strict: r.PostForm.Get("strict") == "yes", Unit: strings.TrimSpace(r.PostForm.Get("unit")),
		SourceVI: strings.TrimSpace(r.PostForm.Get("source_vi")), SourceEN: strings.TrimSpace(r.PostForm.Get("source_en"))}
	in := indicators.TargetInput{Indicator: f.Indicator, Year: f.Year, Value: decimalInput(f.Value), Strict: f.Strict, Unit: f.Unit, SourceVI: f.SourceVI, SourceEN: f.SourceEN}
	v.Form = f
	if errs := v.L.Validate(&f); len(errs) > 0 {
		derr := indicators.CheckTarget(r.Context(), s.db, in)
		domain := indicatorFieldErrors(v.L, derr, nil)
		if derr != nil && domain == nil {
			return derr // the database failed
		}
		v.Errors = withFieldErrors(errs, domain)
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions", v)
	}
	err = indicators.SaveTarget(r.Context(), s.db, s.actor(r), in)
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
