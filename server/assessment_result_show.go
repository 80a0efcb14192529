package server

import (
	"net/http"
)

// assessmentResult shows a submitted response's result: the level and
// score, the EU band for comparison, the pillars as a radar chart and a
// table, the biggest gaps, advice for the weak pillars, the peer benchmark,
// the consent choice and "take it again". A response still in progress goes
// to its review.
func (s *Server) assessmentResult(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	if !a.resp.Submitted() {
		http.Redirect(w, r, assessmentURL(r.PathValue("lang"), a.resp.ID, stepReview), http.StatusSeeOther)
		return nil
	}
	v, err := s.assessmentResultViewFor(w, r, a, "assessment.result.title", false)
	if err != nil {
		return err
	}
	return s.render(w, r, "assessment-result", v)
}
