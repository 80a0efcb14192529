package server

import (
	"net/http"
)

// indicatorsOverview is the public dashboard: for the province (or a unit
// below it, ?unit=), each indicator's latest approved figure against its
// target, completeness month by month, the units below with links down,
// and the portal's own use.
func (s *indicatorsPart) indicatorsOverview(w http.ResponseWriter, r *http.Request) error {
	v, d, err := s.dashboardView(w, r, "indicators.overview.title", "/"+r.PathValue("lang")+"/indicators", false)
	if err != nil {
		return err
	}
	if err := s.portalFigures(r, v, d); err != nil {
		return err
	}
	return s.render(w, r, "indicators-dashboard", v)
}

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
