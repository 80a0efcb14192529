package server

import (
	"net/http"
	"strconv"
	"strings"

	"digiportal/indicators"
)

type elementForm struct {
	NameVI string `form:"name_vi" validate:"required,max=300" label:"indicators.admin.defs.name_vi" msg:"required=indicators.admin.error.name_vi_missing,max=indicators.admin.error.name_vi_long"`
	NameEN string `form:"name_en" validate:"required,max=300" label:"indicators.admin.defs.name_en" msg:"required=indicators.admin.error.name_en_missing,max=indicators.admin.error.name_en_long"`
	MinAge string `form:"min_age" validate:"omitempty,number,max=3" label:"indicators.admin.element.min_age" msg:"number|max=indicators.admin.error.min_age"`
	MaxAge string `form:"max_age" validate:"omitempty,number,max=3" label:"indicators.admin.element.max_age" msg:"number|max=indicators.admin.error.max_age"`
	Order  string `form:"order" validate:"omitempty,number,max=6" label:"indicators.admin.defs.order" msg:"number|max=indicators.admin.error.order"`
}

// adminDefinitionsElementSave stores an element's edits, audited.
func (s *indicatorsPart) adminDefinitionsElementSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	e, err := s.elementOf(r)
	if err != nil {
		return err
	}
	f := elementForm{NameVI: strings.TrimSpace(r.PostForm.Get("name_vi")), NameEN: strings.TrimSpace(r.PostForm.Get("name_en")),
		MinAge: strings.TrimSpace(r.PostForm.Get("min_age")), MaxAge: strings.TrimSpace(r.PostForm.Get("max_age")), Order: strings.TrimSpace(r.PostForm.Get("order"))}
	in := indicators.ElementInput{NameVI: f.NameVI, NameEN: f.NameEN, MinAge: optInt(f.MinAge), MaxAge: optInt(f.MaxAge),
		SortOrder: optInt(f.Order), Active: r.PostForm.Get("active") == "yes"}
	v := adminElementView{Page: s.page(w, r, "indicators.admin.element.title"), Element: *e, MinAge: f.MinAge, MaxAge: f.MaxAge}
	v.Element.NameVI, v.Element.NameEN = f.NameVI, f.NameEN
	if errs := v.L.Validate(&f); len(errs) > 0 {
		v.Errors = withFieldErrors(errs, indicatorFieldErrors(v.L, in.Check(), nil))
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions-element", &v)
	}
	err = indicators.SaveElement(r.Context(), s.db, s.actor(r), e.ID, in)
	if errs := indicatorFieldErrors(v.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions-element", &v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

// optInt reads an optional whole number of a form: nil when the field is
// empty or, since the form's own checks refuse it, not a number.
func optInt(s string) *int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return &n
}
