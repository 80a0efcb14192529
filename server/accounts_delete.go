package server

import (
	"errors"
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
)

type accountDeleteView struct {
	Page
}

// accountDeleteForm explains what deleting the account removes and what it
// keeps, and asks for the password.
func (s *accountsPart) accountDeleteForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "accounts-delete", &accountDeleteView{Page: s.page(w, r, "accounts.delete.title")})
}

// accountDeleteSave deletes the account after the password is confirmed.
// Officials and admins are removed by an admin instead (the policy allows
// this action to residents and businesses only), so that the province never
// loses its last administrator by accident.
func (s *accountsPart) accountDeleteSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.delete.title")
	_, err := s.auth.SignInOnDevice(ctx, s.db, u.Login(), r.PostForm.Get("password"), clientIP(r), s.deviceCookie(r))
	var te *accounts.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
		p.Errors = []i18n.FieldError{{Message: slowedMessage(p.L, te)}}
		return s.renderStatus(w, r, http.StatusTooManyRequests, "accounts-delete", &accountDeleteView{Page: p})
	}
	if errors.Is(err, accounts.ErrBadCredentials) {
		p.Errors = []i18n.FieldError{{Field: "password", Message: p.L.T("accounts.password.current_bad")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-delete", &accountDeleteView{Page: p})
	}
	if err != nil {
		return err
	}
	if err := accounts.DeleteUser(ctx, s.db, u.ID, s.holders); err != nil {
		return err
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/?deleted=1", http.StatusSeeOther)
	return nil
}
