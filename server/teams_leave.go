package server

import (
	"errors"
	"net/http"

	"digiportal/teams"
)

// teamLeave takes the signed-in helper off their team: their account
// becomes a resident's, and the team's records stay without their name.
func (s *indicatorsPart) teamLeave(w http.ResponseWriter, r *http.Request) error {
	if err := teams.Leave(r.Context(), s.db, s.actor(r)); err != nil {
		if errors.Is(err, teams.ErrNoTeam) {
			return errNotFound
		}
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/account", http.StatusSeeOther)
	return nil
}
