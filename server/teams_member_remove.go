package server

import (
	"net/http"
	"strconv"

	"digiportal/teams"
)

// teamMemberRemove takes a member off a team: the account stops being a
// helper, and the team's history keeps the place without a name.
func (s *indicatorsPart) teamMemberRemove(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ownTeam(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	if err := teams.Remove(r.Context(), s.db, s.actor(r), t.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams/"+strconv.FormatInt(t.ID, 10)+"?done=removed", http.StatusSeeOther)
	return nil
}
