package server

import (
	"errors"
	"net/http"

	"digiportal/i18n"
	"digiportal/teams"
)

// teamsCreate adds a team to the official's commune; a refused one shows
// the list again with what was typed and each problem at its field.
func (s *indicatorsPart) teamsCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := teamForm{Name: r.PostForm.Get("name"), Households: r.PostForm.Get("households")}
	_, err := teams.Create(r.Context(), s.db, s.actor(r), s.currentUser(r).UnitCode, teams.Input{Name: f.Name, Households: f.Households})
	if err == nil {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/teams?done=created", http.StatusSeeOther)
		return nil
	}
	v, verr := s.teamsListView(w, r)
	if verr != nil {
		return verr
	}
	v.Form = f
	switch errs := fieldErrors(v.L, err, nil, teamMessage); {
	case errs != nil:
		v.Errors = errs
	case errors.Is(err, teams.ErrTooManyTeams):
		v.Errors = []i18n.FieldError{{Message: v.L.T("teams.error.too_many_teams", "Max", teams.MaxTeams)}}
	default:
		return err
	}
	return s.renderStatus(w, r, http.StatusBadRequest, "teams", v)
}
