package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"digiportal/accounts"
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
func (s *Server) adminDefinitionsElementForm(w http.ResponseWriter, r *http.Request) error {
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

func (s *Server) elementOf(r *http.Request) (*indicators.Element, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	return indicators.ElementByID(r.Context(), s.db, id)
}

type elementForm struct {
	NameVI string `form:"name_vi" validate:"required,max=300" label:"indicators.admin.defs.name_vi" msg:"required=indicators.admin.error.name_vi_missing,max=indicators.admin.error.name_vi_long"`
	NameEN string `form:"name_en" validate:"required,max=300" label:"indicators.admin.defs.name_en" msg:"required=indicators.admin.error.name_en_missing,max=indicators.admin.error.name_en_long"`
	MinAge string `form:"min_age" validate:"omitempty,number,max=3" label:"indicators.admin.element.min_age" msg:"number|max=indicators.admin.error.min_age"`
	MaxAge string `form:"max_age" validate:"omitempty,number,max=3" label:"indicators.admin.element.max_age" msg:"number|max=indicators.admin.error.max_age"`
	Order  string `form:"order" validate:"omitempty,number,max=6" label:"indicators.admin.defs.order" msg:"number|max=indicators.admin.error.order"`
}

// adminDefinitionsElementSave stores an element's edits, audited.
func (s *Server) adminDefinitionsElementSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	e, err := s.elementOf(r)
	if err != nil {
		return err
	}
	f := elementForm{NameVI: strings.TrimSpace(r.PostForm.Get("name_vi")), NameEN: strings.TrimSpace(r.PostForm.Get("name_en")),
		MinAge: strings.TrimSpace(r.PostForm.Get("min_age")), MaxAge: strings.TrimSpace(r.PostForm.Get("max_age")), Order: strings.TrimSpace(r.PostForm.Get("order"))}
	v := adminElementView{Page: s.page(w, r, "indicators.admin.element.title"), Element: *e, MinAge: f.MinAge, MaxAge: f.MaxAge}
	v.Element.NameVI, v.Element.NameEN = f.NameVI, f.NameEN
	// An age out of range would otherwise be dropped without a word, and
	// a band that ends before it starts would count nobody.
	v.Errors = v.L.Validate(&f)
	minAge, maxAge := ageOf(f.MinAge), ageOf(f.MaxAge)
	for _, a := range []struct {
		field, typed string
		age          *int
	}{{"min_age", f.MinAge, minAge}, {"max_age", f.MaxAge, maxAge}} {
		if a.typed != "" && a.age == nil && !i18n.HasErrorFor(v.Errors, a.field) {
			v.Errors = append(v.Errors, i18n.FieldError{Field: a.field, Message: v.L.T("indicators.admin.error." + a.field)})
		}
	}
	if minAge != nil && maxAge != nil && *maxAge < *minAge {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "max_age", Message: v.L.T("indicators.admin.error.age_order")})
	}
	if len(v.Errors) > 0 {
		v.Errors = i18n.InFieldOrder(v.Errors, "name_vi", "name_en", "min_age", "max_age", "order")
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions-element", &v)
	}
	old := fmt.Sprintf("%s | %s | %s-%s", e.NameVI, e.NameEN, optAge(e.MinAge), optAge(e.MaxAge))
	e.NameVI, e.NameEN = f.NameVI, f.NameEN
	e.MinAge, e.MaxAge = minAge, maxAge
	if n, err := strconv.Atoi(f.Order); err == nil {
		e.SortOrder = n
	}
	e.Active = r.PostForm.Get("active") == "yes"
	who := s.actor(r)
	err = s.db.RunInTx(r.Context(), nil, func(ctx contextT, tx bun.Tx) error {
		if err := indicators.SaveElement(ctx, tx, e); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: who.UserID, ActorEmail: who.Email, IP: who.IP,
			Action: "indicators.element_saved", ObjectType: "indicator_element", ObjectID: e.Code,
			Old: old, New: fmt.Sprintf("%s | %s | %s-%s", e.NameVI, e.NameEN, optAge(e.MinAge), optAge(e.MaxAge))})
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}

func ageOf(s string) *int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 120 {
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
func (s *Server) adminDefinitionsIndicatorForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.indicatorEditView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-definitions-indicator", v)
}

func (s *Server) indicatorEditView(w http.ResponseWriter, r *http.Request) (*adminIndicatorView, error) {
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
	NameVI      string `form:"name_vi" validate:"required,max=300" label:"indicators.admin.defs.name_vi" msg:"required=indicators.admin.error.name_vi_missing,max=indicators.admin.error.name_vi_long"`
	NameEN      string `form:"name_en" validate:"required,max=300" label:"indicators.admin.defs.name_en" msg:"required=indicators.admin.error.name_en_missing,max=indicators.admin.error.name_en_long"`
	Numerator   int64  `form:"numerator,choice" validate:"gt=0" label:"indicators.col.numerator" msg:"gt=indicators.admin.error.numerator"`
	Denominator int64  `form:"denominator,choice" validate:"gt=0,nefield=Numerator" label:"indicators.col.denominator" msg:"gt=indicators.admin.error.denominator,nefield=indicators.admin.error.same_elements"`
}

// adminDefinitionsIndicatorSave stores an indicator's edits, audited. The
// stored roll-ups hold elements, not indicators, so nothing needs
// recomputing.
func (s *Server) adminDefinitionsIndicatorSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.indicatorEditView(w, r)
	if err != nil {
		return err
	}
	num, _ := strconv.ParseInt(r.PostForm.Get("numerator"), 10, 64)
	den, _ := strconv.ParseInt(r.PostForm.Get("denominator"), 10, 64)
	f := indicatorForm{NameVI: strings.TrimSpace(r.PostForm.Get("name_vi")), NameEN: strings.TrimSpace(r.PostForm.Get("name_en")), Numerator: num, Denominator: den}
	in := v.Indicator
	old := fmt.Sprintf("%d/%d", in.NumeratorID, in.DenominatorID)
	v.Indicator.NameVI, v.Indicator.NameEN, v.Indicator.NumeratorID, v.Indicator.DenominatorID = f.NameVI, f.NameEN, num, den
	if v.Errors = v.L.Validate(&f); len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-definitions-indicator", v)
	}
	in.NameVI, in.NameEN, in.NumeratorID, in.DenominatorID = f.NameVI, f.NameEN, num, den
	in.Active = r.PostForm.Get("active") == "yes"
	who := s.actor(r)
	err = s.db.RunInTx(r.Context(), nil, func(ctx contextT, tx bun.Tx) error {
		if _, err := indicators.ElementByID(ctx, tx, num); err != nil {
			return err
		}
		if _, err := indicators.ElementByID(ctx, tx, den); err != nil {
			return err
		}
		if err := indicators.SaveIndicator(ctx, tx, &in); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: who.UserID, ActorEmail: who.Email, IP: who.IP,
			Action: "indicators.indicator_saved", ObjectType: "indicator_definition", ObjectID: in.Code,
			Old: old, New: fmt.Sprintf("%d/%d", num, den), Detail: in.NameVI})
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/definitions?done=saved", http.StatusSeeOther)
	return nil
}
