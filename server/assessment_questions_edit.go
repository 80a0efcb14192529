package server

import "net/http"

// assessmentQuestionsEdit shows one question page: a pillar's questions or
// the barriers and needs. After submission, or for the demo, the answers
// show read-only.
func (s *assessmentsPart) assessmentQuestionsEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	v, err := s.assessmentQuestionsViewFor(w, r, a, r.PathValue("page"), a.resp.Answers, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, "assessment-questions", v)
}
