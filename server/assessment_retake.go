package server

import (
	"net/http"

	"digiportal/assessments"
)

// assessmentRetake starts the assessment again for the same business: a
// new response in the same series (the same resume code), with the last
// answers filled in to change what has changed, whose result is then
// compared with this one.
func (s *assessmentsPart) assessmentRetake(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	if !a.owner || !a.resp.Submitted() {
		return errNotFound
	}
	next, err := assessments.Retake(r.Context(), s.db, s.cat, a.resp.ID, s.now())
	if err != nil {
		return err
	}
	if !a.linked {
		if err := s.assessmentKeep(r, a.series.ID); err != nil {
			return err
		}
	}
	http.Redirect(w, r, assessmentURL(r.PathValue("lang"), next.ID, "profile"), http.StatusSeeOther)
	return nil
}
