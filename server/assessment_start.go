package server

import (
	"net/http"

	"digiportal/assessments"
)

// assessmentStart opens a new assessment with its resume code, lets this
// browser open it (and keeps it under the signed-in user's account when
// they consent to that), and goes to the profile page, which shows the code.
func (s *assessmentsPart) assessmentStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	resp, code, err := assessments.Start(ctx, s.db, s.now())
	if err != nil {
		return err
	}
	if err := s.assessmentOwn(w, r, resp.SeriesID, code); err != nil {
		return err
	}
	if err := s.assessmentKeep(r, resp.SeriesID); err != nil {
		return err
	}
	http.Redirect(w, r, assessmentURL(r.PathValue("lang"), resp.ID, "profile"), http.StatusSeeOther)
	return nil
}
