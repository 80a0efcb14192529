package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// consentsSave grants or withdraws each purpose as ticked, recording each
// change with its time and text version.
func (s *accountsPart) consentsSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := s.currentUser(r)
	err := database.InTx(r.Context(), s.db, func(ctx context.Context, tx bun.Tx) error {
		for _, pur := range accounts.Purposes() {
			had, err := accounts.HasConsent(ctx, tx, u.ID, pur.ID)
			if err != nil {
				return err
			}
			want := r.PostForm.Get("consent_"+pur.ID) == "yes"
			if had == want {
				continue
			}
			change := "withdrawn"
			if want {
				change = "granted"
				err = accounts.GrantConsent(ctx, tx, u.ID, pur.ID)
			} else {
				err = accounts.WithdrawConsent(ctx, tx, u.ID, pur.ID)
			}
			for _, hook := range s.onConsent { // the self-assessment keeps or cuts its links to the account
				if err != nil {
					break
				}
				err = hook(ctx, tx, u.ID, pur.ID, want)
			}
			if err != nil {
				return err
			}
			if err := accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
				Action: accounts.AuditConsent, ObjectType: "consent", ObjectID: pur.ID,
				New: change + " v" + strconv.Itoa(pur.Version), IP: clientIP(r)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/account?saved=1", http.StatusSeeOther)
	return nil
}
