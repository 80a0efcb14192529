package server

import (
	"net/http"
	"strconv"

	"digiportal/teams"
)

// teamSave renames a team, changes its household count or its help
// desk's place and hours (shown on the public page, help_unit.go).
func (s *indicatorsPart) teamSave(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ownTeam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := teamForm{Name: r.PostForm.Get("name"), Households: r.PostForm.Get("households"),
		DeskPlace: r.PostForm.Get("desk_place"), DeskHours: r.PostForm.Get("desk_hours")}
	err = teams.Update(r.Context(), s.db, s.actor(r), t.ID, teams.Input{Name: f.Name, Households: f.Households,
		DeskPlace: f.DeskPlace, DeskHours: f.DeskHours})
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
