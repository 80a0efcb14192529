package server

import (
	"net/http"
	"strconv"

	"digiportal/teams"
)

// teamSave renames a team or changes its household count.
func (s *indicatorsPart) teamSave(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ownTeam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := teamForm{Name: r.PostForm.Get("name"), Households: r.PostForm.Get("households")}
	err = teams.Update(r.Context(), s.db, s.actor(r), t.ID, teams.Input{Name: f.Name, Households: f.Households})
	if err == nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams/"+strconv.FormatInt(t.ID, 10)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	v, verr := s.teamView(w, r)
	if verr != nil {
		return verr
	}
	errs := fieldErrors(v.L, err, nil, teamMessage)
	if errs == nil {
		return err
	}
	v.Form, v.Errors = f, errs
	return s.renderStatus(w, r, http.StatusBadRequest, "team", v)
}
