package server

import "net/http"

// progressForget stops this device from showing the progress, as on a
// shared computer at the commune office. The progress itself stays, under
// its resume code.
func (s *lessonsPart) progressForget(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	s.sessions.Remove(ctx, sessLearner)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/progress", http.StatusSeeOther)
	return nil
}
