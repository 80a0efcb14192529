package server

import (
	"net/http"

	"digiportal/assessments"
)

// assessmentConsentSave gives or withdraws, after submission, the consent
// to count the result in the province's statistics and benchmarks. It
// takes effect at once.
func (s *assessmentsPart) assessmentConsentSave(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	if !a.owner || !a.resp.Submitted() {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	consent := r.PostForm.Get("consent") == assessments.ConsentVersion
	if err := assessments.SetConsent(r.Context(), s.db, a.resp.ID, consent, s.now()); err != nil {
		return err
	}
	http.Redirect(w, r, assessmentURL(r.PathValue("lang"), a.resp.ID, "result?consent=saved#consent"), http.StatusSeeOther)
	return nil
}
