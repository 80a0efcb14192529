package server

import (
	"errors"
	"net/http"

	"digiportal/assessments"
	"digiportal/i18n"
)

// assessmentSubmit scores and freezes a complete response with the
// visitor's consent choice, then shows the result. An incomplete one comes
// back to the review with a link to each step still to do. The consent box
// counts only when it carries the current consent version, so a page shown
// before the wording changed cannot agree to the new wording.
func (s *assessmentsPart) assessmentSubmit(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	a, ok, err := s.assessmentOpenToChange(w, r, assessmentURL(lang, r.PathValue("id"), "result"))
	if !ok {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	consent := r.PostForm.Get("consent") == assessments.ConsentVersion
	_, err = assessments.Submit(r.Context(), s.db, s.cat, a.resp.ID, consent, s.now())
	var inc *assessments.IncompleteError
	if errors.As(err, &inc) {
		v, err := s.assessmentReviewViewFor(w, r, a)
		if err != nil {
			return err
		}
		v.Consent = consent
		if !a.resp.HasProfile() {
			v.Errors = append(v.Errors, i18n.FieldError{Field: "step-profile", Message: v.L.T("assessment.error.profile")})
		}
		for _, pg := range v.Pages {
			if !pg.Complete {
				v.Errors = append(v.Errors, i18n.FieldError{Field: "step-" + pg.Key,
					Message: v.L.N("assessment.error.incomplete", pg.Required-pg.Answered, "Step", pg.Name)})
			}
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "assessment-review", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, assessmentURL(lang, a.resp.ID, "result"), http.StatusSeeOther)
	return nil
}
