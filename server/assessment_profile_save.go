package server

import (
	"net/http"
	"strconv"

	"digiportal/assessments"
	"digiportal/i18n"
)

// assessmentProfileSave stores the profile with its size class by Decree
// 80/2021/NĐ-CP and moves on: to the first question page, or to the page
// with the resume code when the visitor will finish later.
func (s *assessmentsPart) assessmentProfileSave(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	a, ok, err := s.assessmentOpenToChange(w, r, assessmentURL(lang, r.PathValue("id"), "profile"))
	if !ok {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := assessmentProfileForm{
		Sector: r.PostForm.Get("sector"), Employees: r.PostForm.Get("employees"),
		Revenue: r.PostForm.Get("revenue"), Capital: r.PostForm.Get("capital"), Area: r.PostForm.Get("area"),
	}
	v, err := s.assessmentProfileViewFor(w, r, a)
	if err != nil {
		return err
	}
	v.Form = f
	// The choices are checked against the lists whatever else is wrong, so
	// that every problem shows at once; a field has one message, the form's
	// own first.
	v.Errors = v.L.Validate(&f)
	employees, err := strconv.Atoi(f.Employees)
	if err != nil {
		employees = -1 // only digits pass the validator; too many is caught below
	}
	p := assessments.Profile{Sector: f.Sector, Employees: employees, Revenue: f.Revenue, Capital: f.Capital, Area: f.Area}
	cat := s.cat
	for _, fe := range cat.CheckProfile(p, v.Areas) {
		if !i18n.HasErrorFor(v.Errors, fe.Field) {
			v.Errors = append(v.Errors, i18n.FieldError{Field: fe.Field, Message: v.L.T(fe.MsgID, "Q", v.L.T("assessment.profile."+fe.Field))})
		}
	}
	if len(v.Errors) > 0 {
		v.Errors = i18n.InFieldOrder(v.Errors, "sector", "employees", "revenue", "capital", "area")
		return s.renderStatus(w, r, http.StatusBadRequest, "assessment-profile", v)
	}
	if err := assessments.SaveProfile(r.Context(), s.db, a.resp.ID, p, cat.Profile.SizeClassOf(p), s.now()); err != nil {
		return err
	}
	to := assessmentURL(lang, a.resp.ID, "questions/"+a.model.Pages()[0])
	if r.PostForm.Get("action") == "later" {
		to = assessmentURL(lang, a.resp.ID, "saved")
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
