package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

type setPasswordView struct {
	Page
	Valid bool
	Token string
}

// setPasswordForm opens a one-time link. An unknown, used or expired link
// gets one plain explanation and what to do.
func (s *accountsPart) setPasswordForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "accounts.setpassword.title")
	token := r.PathValue("token")
	_, err := accounts.PasswordTokenUser(r.Context(), s.db, token)
	if err != nil && !errors.Is(err, accounts.ErrTokenInvalid) {
		return err
	}
	return s.render(w, r, "accounts-setpassword", &setPasswordView{Page: p, Valid: err == nil, Token: token})
}

// setPasswordSave spends the link and sets the password; the user then
// signs in with it.
func (s *accountsPart) setPasswordSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	p := s.page(w, r, "accounts.setpassword.title")
	token := r.PathValue("token")
	view := &setPasswordView{Page: p, Valid: true, Token: token}
	userID, err := accounts.PasswordTokenUser(ctx, s.db, token)
	if errors.Is(err, accounts.ErrTokenInvalid) {
		view.Valid = false
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-setpassword", view)
	}
	if err != nil {
		return err
	}
	u, err := accounts.UserByID(ctx, s.db, userID)
	if err != nil {
		return err
	}
	pw := r.PostForm.Get("password")
	if msg := passwordProblem(p.L, s.passwords.Check(pw, u.Email)); msg != "" {
		view.Errors = []i18n.FieldError{{Field: "password", Message: msg}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-setpassword", view)
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		return err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := accounts.UsePasswordToken(ctx, tx, token); err != nil {
			return err
		}
		if err := accounts.SetPasswordHash(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
			Action: accounts.AuditPasswordSet, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), IP: clientIP(r)})
	})
	if errors.Is(err, accounts.ErrTokenInvalid) {
		view.Valid = false
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-setpassword", view)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/login?set=1", http.StatusSeeOther)
	return nil
}
