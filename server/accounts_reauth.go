package server

import (
	"errors"
	"net/http"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

type reauthView struct {
	Page
	Return   string
	NeedCode bool
}

// reauthForm asks a signed-in user for the password again (and the code,
// when they have a second factor) before a sensitive change.
func (s *accountsPart) reauthForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "accounts.reauth.title")
	u := s.currentUser(r)
	return s.render(w, r, "accounts-reauth", &reauthView{Page: p, Return: safeReturn(r.URL.Query().Get("return"), r.PathValue("lang"), ""), NeedCode: u.TOTPEnabled})
}

// reauthSave checks the password (and code) through the same throttled path
// as sign-in and marks the session fresh.
func (s *accountsPart) reauthSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.reauth.title")
	view := &reauthView{Page: p, Return: safeReturn(r.PostForm.Get("return"), r.PathValue("lang"), ""), NeedCode: u.TOTPEnabled}
	ctx := r.Context()
	_, err := s.auth.SignInOnDevice(ctx, s.db, u.Login(), r.PostForm.Get("password"), clientIP(r), s.deviceCookie(r))
	var te *accounts.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
		view.Errors = []i18n.FieldError{{Message: slowedMessage(p.L, te)}}
		return s.renderStatus(w, r, http.StatusTooManyRequests, "accounts-reauth", view)
	}
	if err == nil && u.TOTPEnabled {
		ok, cerr := s.checkSecondFactor(r, u, r.PostForm.Get("code"), false)
		if cerr != nil {
			return cerr
		}
		if !ok {
			err = accounts.ErrBadCredentials
		}
	}
	if errors.Is(err, accounts.ErrBadCredentials) {
		view.Errors = []i18n.FieldError{{Field: "password", Message: p.L.T("accounts.reauth.bad")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-reauth", view)
	}
	if err != nil {
		return err
	}
	// Proving who one is again earns a new token, as signing in does: one
	// seen before the check is worth nothing after it.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.putTime(ctx, sessFreshAt, time.Now())
	http.Redirect(w, r, view.Return, http.StatusSeeOther)
	return nil
}
