package server

import "net/http"

type assessmentResumeView struct {
	Page
	Code string
}

// assessmentResumeForm asks for a resume code. The link saved with a code
// brings it in the query string, so the form is filled in and one press
// continues (the form posts: opening an assessment changes the session).
func (s *assessmentsPart) assessmentResumeForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "assessment.resume.title")
	code := r.URL.Query().Get("code")
	if len(code) > 64 {
		code = ""
	}
	return s.render(w, r, "assessment-resume", &assessmentResumeView{Page: p, Code: code})
}
