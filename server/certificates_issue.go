package server

import (
	"errors"
	"net/http"
	"strings"

	"digiportal/content"
	"digiportal/i18n"
)

// certificateForm is what a learner enters to have a certificate issued.
type certificateForm struct {
	Name    string `form:"name" validate:"required,max=80" label:"lessons.certificate.name" msg:"required=lessons.certificate.name_missing,max=lessons.certificate.name_long"`
	Consent bool   `form:"consent"`
}

// certificateIssue issues the certificate of a finished path under the
// name the learner typed, after explicit consent to that name being shown
// to whoever has the code, and sends the learner to print it.
func (s *lessonsPart) certificateIssue(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.buildPathView(w, r)
	if err != nil {
		return err
	}
	// The page is the path's: the language switcher must point there.
	v.Path = "/paths/" + v.PathItem.Slug
	v.Form = certificateForm{Name: strings.TrimSpace(r.PostForm.Get("name")), Consent: r.PostForm.Get("consent") == "yes"}
	v.Errors = v.L.Validate(&v.Form)
	if _, err := content.CleanHolderName(v.Form.Name); err != nil && !i18n.HasErrorFor(v.Errors, "name") {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "name", Message: v.L.T("lessons.certificate.name_invalid")})
	}
	if !v.Form.Consent {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "consent", Message: v.L.T("lessons.certificate.consent_required")})
	}
	if !v.PathItem.Complete() {
		v.Errors = append(v.Errors, i18n.FieldError{Message: v.L.T("lessons.certificate.incomplete")})
	}
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "paths-show", v)
	}
	id, err := s.ensureLearner(r)
	if err != nil {
		return err
	}
	cert, err := content.IssueCertificate(r.Context(), s.db, s.lib, id, v.PathItem.Slug, v.Form.Name, s.now())
	switch {
	case errors.Is(err, content.ErrHolderName):
		v.Errors = append(v.Errors, i18n.FieldError{Field: "name", Message: v.L.T("lessons.certificate.name_invalid")})
		return s.renderStatus(w, r, http.StatusBadRequest, "paths-show", v)
	case errors.Is(err, content.ErrPathIncomplete):
		v.Errors = append(v.Errors, i18n.FieldError{Message: v.L.T("lessons.certificate.incomplete")})
		return s.renderStatus(w, r, http.StatusBadRequest, "paths-show", v)
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/"+string(v.Lang)+"/certificates/"+cert.FormattedCode()+"/print", http.StatusSeeOther)
	return nil
}
