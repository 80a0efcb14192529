package server

import (
	"net/http"

	"digiportal/teams"
)

// teamForm is what an official types for a team, as typed.
type teamForm struct {
	Name, Households string
}

type teamsListView struct {
	Page
	Teams []teams.Team
	Form  teamForm
	Done  string
}

// teamsList lists the commune's teams with the form that adds one.
func (s *indicatorsPart) teamsList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamsListView(w, r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "created" {
		v.Done = "teams.done.created"
	}
	return s.render(w, r, "teams", v)
}

func (s *indicatorsPart) teamsListView(w http.ResponseWriter, r *http.Request) (*teamsListView, error) {
	list, err := teams.List(r.Context(), s.db, s.currentUser(r).UnitCode)
	if err != nil {
		return nil, err
	}
	return &teamsListView{Page: s.page(w, r, "teams.title"), Teams: list}, nil
}
