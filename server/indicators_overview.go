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
	if err := s.teamsSection(r, v, d); err != nil {
		return err
	}
	return s.render(w, r, "indicators-dashboard", v)
}
