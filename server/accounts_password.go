package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

type passwordView struct {
	Page
}

// passwordForm lets a signed-in user change their password.
func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "accounts-password", &passwordView{Page: s.page(w, r, "accounts.password.title")})
}

// passwordSave checks the current password, applies the policy to the new
// one and ends every other session of the user; this session carries on
// under a new token.
func (s *Server) passwordSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.password.title")
	_, err := s.acct.auth.SignIn(ctx, s.db, u.Email, r.PostForm.Get("current"), clientIP(r))
	if tm, ok := throttled(err); ok {
		return tm
	}
	if errors.Is(err, accounts.ErrBadCredentials) {
		p.Errors = []i18n.FieldError{{Field: "current", Message: p.L.T("accounts.password.current_bad")}}
	} else if err != nil {
		return err
	}
	// The new password is judged even when the current one is wrong, so
	// that both problems show at once.
	pw := r.PostForm.Get("new")
	if msg := passwordProblem(p.L, s.acct.passwords.Check(pw, u.Email)); msg != "" {
		p.Errors = append(p.Errors, i18n.FieldError{Field: "new", Message: msg})
	}
	if len(p.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-password", &passwordView{Page: p})
	}
	hash, err := s.acct.passwords.Hash(ctx, pw)
	if err != nil {
		return err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := accounts.SetPasswordHash(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
			Action: accounts.AuditPasswordSet, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), IP: clientIP(r)})
	})
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.putTime(ctx, sessAuthAt, time.Now())
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/account?password=1", http.StatusSeeOther)
	return nil
}
