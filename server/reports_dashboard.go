package server

import (
	"net/http"
)

// reportsDashboard is the officials' dashboard: like the public one, for
// the official's unit by default, with submitted figures counted and marked.
func (s *indicatorsPart) reportsDashboard(w http.ResponseWriter, r *http.Request) error {
	v, d, err := s.dashboardView(w, r, "indicators.official.title", "/"+r.PathValue("lang")+"/reports/dashboard", true)
	if err != nil {
		return err
	}
	v.ShowPage = false
	if err := s.teamsSection(r, v, d); err != nil {
		return err
	}
	return s.render(w, r, "indicators-dashboard", v)
}
