package server

import (
	"net/http"
)

// reportsDashboardExport downloads the officials' dashboard's tables.
func (s *indicatorsPart) reportsDashboardExport(w http.ResponseWriter, r *http.Request) error {
	return s.exportDashboard(w, r, true)
}
