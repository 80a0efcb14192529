package server

import (
	"net/http"
)

// assessmentReport is the result as a document to print or save as PDF (a
// print stylesheet drops the portal's frame): the result page's figures
// plus the profile and every answer, in the page's language; the language
// switcher gives the other.
func (s *Server) assessmentReport(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	if !a.resp.Submitted() {
		http.Redirect(w, r, assessmentURL(r.PathValue("lang"), a.resp.ID, stepReview), http.StatusSeeOther)
		return nil
	}
	v, err := s.assessmentResultViewFor(w, r, a, "assessment.report.title", true)
	if err != nil {
		return err
	}
	return s.render(w, r, "assessment-result", v)
}
