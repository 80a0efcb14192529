package server

import (
	"errors"
	"net/http"

	"digiportal/accounts"
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
	owner, _ := accounts.PasswordTokenUser(ctx, s.db, token) // 0 when invalid: the call below says so
	err := accounts.SetPasswordWithToken(ctx, s.db, s.passwords, s.actor(r), token, r.PostForm.Get("password"))
	if errors.Is(err, accounts.ErrTokenInvalid) {
		view.Valid = false
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-setpassword", view)
	}
	if errs := accountFieldErrors(p.L, err, nil); errs != nil {
		view.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-setpassword", view)
	}
	if err != nil {
		return err
	}
	if signedIn, err := s.signInInvitedHelper(w, r, owner); signedIn || err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/login?set=1", http.StatusSeeOther)
	return nil
}
