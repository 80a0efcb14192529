package server

import (
	"net/http"
	"strconv"
	"strings"

	"digiportal/i18n"
	"digiportal/indicators"
)

type adminElementView struct {
	Page
	Element indicators.Element
	MinAge  string
	MaxAge  string
}

// adminDefinitionsElementForm edits a data element's names, its age band
// (the age that makes an "adult" is set here), its order and whether it is
// in use.
func (s *indicatorsPart) adminDefinitionsElementForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.elementOf(r)
	if err != nil {
		return err
	}
	v := adminElementView{Page: s.page(w, r, "indicators.admin.element.title"), Element: *e, MinAge: optAge(e.MinAge), MaxAge: optAge(e.MaxAge)}
	return s.render(w, r, "admin-definitions-element", &v)
}

func optAge(a *int) string {
	if a == nil {
		return ""
	}
	return strconv.Itoa(*a)
}

func (s *indicatorsPart) elementOf(r *http.Request) (*indicators.Element, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	return indicators.ElementByID(r.Context(), s.db, id)
}

type elementForm struct {
	NameVI string `form:"name_vi" validate:"required,max=300" label:"indicators.admin.defs.name_vi"`
	NameEN string `form:"name_en" validate:"required,max=300" label:"indicators.admin.defs.name_en"`
	MinAge string `form:"min_age" validate:"omitempty,number,max=3" label:"indicators.admin.element.min_age"`
	MaxAge string `form:"max_age" validate:"omitempty,number,max=3" label:"indicators.admin.element.max_age"`
	Order  string `form:"order" validate:"omitempty,number,max=6" label:"indicators.admin.defs.order"`
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

type adminIndicatorView struct {
	Page
	Indicator indicators.Indicator
	Elements  []indOption
	Factor    string
}

// adminDefinitionsIndicatorForm edits an indicator: its names and, chosen
// explicitly, its numerator and denominator.
func (s *indicatorsPart) adminDefinitionsIndicatorForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.indicatorEditView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-definitions-indicator", v)
}

func (s *indicatorsPart) indicatorEditView(w http.ResponseWriter, r *http.Request) (*adminIndicatorView, error) {
	in, err := indicators.IndicatorByCode(r.Context(), s.db, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	els, err := indicators.Elements(r.Context(), s.db)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "indicators.admin.indicator.title")
	v := &adminIndicatorView{Page: p, Indicator: *in, Factor: strconv.FormatFloat(in.Factor, 'f', -1, 64)}
	for _, e := range els {
		if e.Entered() {
			v.Elements = append(v.Elements, indOption{strconv.FormatInt(e.ID, 10), e.Name(p.Lang == i18n.EN)})
		}
	}
	return v, nil
}

type indicatorForm struct {
	NameVI      string `form:"name_vi" validate:"required,max=300" label:"indicators.admin.defs.name_vi"`
	NameEN      string `form:"name_en" validate:"required,max=300" label:"indicators.admin.defs.name_en"`
	Numerator   int64  `form:"numerator" validate:"gt=0" label:"indicators.col.numerator"`
	Denominator int64  `form:"denominator" validate:"gt=0,nefield=Numerator" label:"indicators.col.denominator"`
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
