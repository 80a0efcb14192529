package server

import (
	"net/http"
	"strconv"
	"strings"

	"digiportal/indicators"
)

type indicatorForm struct {
	NameVI      string `form:"name_vi" validate:"required,max=300" label:"indicators.admin.defs.name_vi" msg:"required=indicators.admin.error.name_vi_missing,max=indicators.admin.error.name_vi_long"`
	NameEN      string `form:"name_en" validate:"required,max=300" label:"indicators.admin.defs.name_en" msg:"required=indicators.admin.error.name_en_missing,max=indicators.admin.error.name_en_long"`
	Numerator   int64  `form:"numerator,choice" validate:"gt=0" label:"indicators.col.numerator" msg:"gt=indicators.admin.error.numerator"`
	Denominator int64  `form:"denominator,choice" validate:"gt=0,nefield=Numerator" label:"indicators.col.denominator" msg:"gt=indicators.admin.error.denominator,nefield=indicators.admin.error.same_elements"`
}

// adminDefinitionsIndicatorSave stores an indicator's edits, audited.
func (s *indicatorsPart) adminDefinitionsIndicatorSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.indicatorEditView(w, r)
	if err != nil {
		return err
	}
	num, den := formID(r.PostForm.Get("numerator")), formID(r.PostForm.Get("denominator"))
	f := indicatorForm{NameVI: strings.TrimSpace(r.PostForm.Get("name_vi")), NameEN: strings.TrimSpace(r.PostForm.Get("name_en")), Numerator: num, Denominator: den}
	in := indicators.IndicatorInput{NameVI: f.NameVI, NameEN: f.NameEN, NumeratorID: num, DenominatorID: den, Active: r.PostForm.Get("active") == "yes"}
	v.Indicator.NameVI, v.Indicator.NameEN, v.Indicator.NumeratorID, v.Indicator.DenominatorID = f.NameVI, f.NameEN, num, den
	if errs := v.L.Validate(&f); len(errs) > 0 {
		v.Errors = withFieldErrors(errs, indicatorFieldErrors(v.L, in.Check(), nil))
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions-indicator", v)
	}
	err = indicators.SaveIndicator(r.Context(), s.db, s.actor(r), v.Indicator.Code, in)
	if errs := indicatorFieldErrors(v.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions-indicator", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

// formID reads the ID a select sends; anything else is 0, which names
// nothing and which the form and the domain both refuse.
func formID(s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return id
}
