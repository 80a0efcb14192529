package server

import (
	"encoding/json"
	"net/http"

	"digiportal/accounts"
)

// accountExport downloads everything the portal holds about the signed-in
// user as JSON (Law 91/2025/QH15: the data subject's right to their data).
func (s *accountsPart) accountExport(w http.ResponseWriter, r *http.Request) error {
	x, err := accounts.ExportUser(r.Context(), s.db, s.actor(r), s.holders)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="digiportal-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(body)
	return err
}
