package server

import (
	"net/http"
)

// indicatorsShow is one indicator's public page: its trend over the chosen
// months and the comparison of the units below, each chart with its table.
func (s *indicatorsPart) indicatorsShow(w http.ResponseWriter, r *http.Request) error {
	v, _, err := s.dashboardView(w, r, "indicators.show.title", "/"+r.PathValue("lang")+"/indicators", false)
	if err != nil {
		return err
	}
	if v.Focus == nil {
		return errNotFound
	}
	v.Title = v.Focus.Name
	return s.render(w, r, "indicators-dashboard", v)
}
