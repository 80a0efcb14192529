package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"digiportal/accounts"
)

type forgotForm struct {
	Email string `form:"email" validate:"required,email,max=254" label:"accounts.field.email" msg:"required=accounts.error.email_missing,email=accounts.signup.bad_email,max=accounts.error.email_long"`
}

type forgotView struct {
	Page
	Form       forgotForm
	Sent       bool
	Configured bool // e-mail reaches people; otherwise the page says so
}

// forgotForm asks for the address of the account whose password is lost.
func (s *accountsPart) forgotForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "accounts.forgot.title")
	return s.render(w, r, "accounts-forgot", &forgotView{Page: p, Configured: s.mail.Configured()})
}

// forgotSave e-mails a one-time reset link, valid 30 minutes, to the
// account with the address typed, and answers the same whether or not
// there is one: the link is made and sent after the answer, so even the
// time taken tells nothing. Requests are limited per address typed and
// per client address, silently for the former.
func (s *accountsPart) forgotSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := s.page(w, r, "accounts.forgot.title")
	f := forgotForm{Email: strings.TrimSpace(r.PostForm.Get("email"))}
	v := &forgotView{Page: p, Form: f, Configured: s.mail.Configured()}
	if errs := p.L.Validate(&f); len(errs) > 0 {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-forgot", v)
	}
	ctx := r.Context()
	if refused, _, err := s.resetPerAddress.Attempt(ctx, s.db, "reset-ip:"+clientKeyOf(r)); err != nil {
		return err
	} else if refused > 0 {
		return tooMany((&accounts.ThrottledError{Wait: refused}).RetryAfterSeconds())
	}
	email, _ := accounts.NormalizeEmail(f.Email)
	refused, _, err := s.resetThrottle.Attempt(ctx, s.db, "reset-to:"+email)
	if err != nil {
		return err
	}
	if refused == 0 {
		s.sendResetLater(r, email)
	}
	v.Sent = true
	return s.render(w, r, "accounts-forgot", v)
}

// sendResetLater makes the reset link and sends it once the request is
// answered; for an address without an account it does nothing.
func (s *accountsPart) sendResetLater(r *http.Request, email string) {
	who := s.actor(r)
	lang := r.PathValue("lang")
	base := s.baseURL()
	ctx := context.WithoutCancel(r.Context())
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		u, token, err := accounts.RequestPasswordReset(ctx, s.db, who, email)
		if err != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "password reset", slog.Any("err", err))
			return
		}
		if u == nil {
			return
		}
		m, err := s.linkMessage(u.Email, "reset", base+"/"+lang+"/set-password/"+token)
		if err != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "password reset e-mail", slog.Any("err", err))
			return
		}
		s.sendLater(ctx, m)
	}()
}

// baseURL is the portal's absolute address without a trailing slash, for
// links that leave the site (e-mail).
func (s *web) baseURL() string {
	if s.cfg.BaseURL == nil {
		return ""
	}
	return strings.TrimSuffix(s.cfg.BaseURL.String(), "/")
}
