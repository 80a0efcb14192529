package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"digiportal/accounts"
)

// accountExport downloads everything the portal holds about the signed-in
// user as JSON (Law 91/2025/QH15: the data subject's right to their data).
func (s *accountsPart) accountExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := s.currentUser(r)
	x, err := accounts.ExportUser(ctx, s.db, u.ID, s.holders)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	if err := accounts.RecordAudit(ctx, s.db, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
		Action: accounts.AuditDataExported, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), IP: clientIP(r)}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="digiportal-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(body)
	return err
}
