package server

import (
	"net/http"
	"strconv"

	"digiportal/accounts"
)

// logout ends the session: the data goes and the token is renewed, so the
// old cookie is worth nothing even if copied.
func (s *accountsPart) logout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := s.currentUser(r); u != nil {
		if err := accounts.RecordAudit(ctx, s.db, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
			Action: accounts.AuditSignOut, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), IP: clientIP(r)}); err != nil {
			return err
		}
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/", http.StatusSeeOther)
	return nil
}
