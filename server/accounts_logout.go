package server

import (
	"net/http"

	"digiportal/accounts"
)

// logout ends the session: the data goes and the token is renewed, so the
// old cookie is worth nothing even if copied.
func (s *accountsPart) logout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := accounts.SignOut(ctx, s.db, s.actor(r)); err != nil {
		return err
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/", http.StatusSeeOther)
	return nil
}
