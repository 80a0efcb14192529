package server

import (
	"net/http"
)

// assessmentResult shows a submitted response's result: the level and
// score, the EU band for comparison, the pillars as a radar chart and a
// table, the biggest gaps, advice for the weak pillars, the peer benchmark,
// the consent choice and "take it again". A response still in progress goes
// to its review.
func (s *assessmentsPart) assessmentResult(w http.ResponseWriter, r *http.Request) error {
	return s.assessmentResultPage(w, r, "assessment.result.title", false)
}

// assessmentReport is the result as a document to print or save as PDF (a
// print stylesheet drops the portal's frame): the result page's figures
// plus the profile and every answer, in the page's language; the language
// switcher gives the other.
func (s *assessmentsPart) assessmentReport(w http.ResponseWriter, r *http.Request) error {
	return s.assessmentResultPage(w, r, "assessment.report.title", true)
}

// assessmentResultPage renders the result, as a page or as the report.
func (s *assessmentsPart) assessmentResultPage(w http.ResponseWriter, r *http.Request, titleID string, report bool) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	if !a.resp.Submitted() {
		http.Redirect(w, r, assessmentURL(r.PathValue("lang"), a.resp.ID, stepReview), http.StatusSeeOther)
		return nil
	}
	v, err := s.assessmentResultViewFor(w, r, a, titleID, report)
	if err != nil {
		return err
	}
	return s.render(w, r, "assessment-result", v)
}
