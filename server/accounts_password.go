package server

import (
	"errors"
	"net/http"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

type passwordView struct {
	Page
}

// passwordForm lets a signed-in user change their password.
func (s *accountsPart) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "accounts-password", &passwordView{Page: s.page(w, r, "accounts.password.title")})
}

// passwordSave checks the current password, applies the policy to the new
// one and ends every other session of the user; this session carries on
// under a new token.
func (s *accountsPart) passwordSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	p := s.page(w, r, "accounts.password.title")
	err := s.auth.ChangePasswordOnDevice(ctx, s.db, s.actor(r), s.deviceCookie(r), r.PostForm.Get("current"), r.PostForm.Get("new"))
	var te *accounts.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
		p.Errors = []i18n.FieldError{{Message: slowedMessage(p.L, te)}}
		return s.renderStatus(w, r, http.StatusTooManyRequests, "accounts-password", &passwordView{Page: p})
	}
	if errs := accountFieldErrors(p.L, err, nil); errs != nil {
		p.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-password", &passwordView{Page: p})
	}
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
