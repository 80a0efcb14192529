package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"digiportal/accounts"
)

// signupByEmail takes a sign-up with an e-mail address. It checks the form
// and hashes the password, as every sign-up costs, then answers "check your
// e-mail" at once; the request is kept and the e-mail sent after the
// answer: a link that finishes the sign-up, or, to an address with an
// account already, a note saying so. So neither the answer nor its time
// says whether the address has an account.
func (s *accountsPart) signupByEmail(w http.ResponseWriter, r *http.Request, in accounts.Registration, view *signupView) error {
	hash, err := accounts.PrepareSignUp(r.Context(), s.passwords, in)
	if errs := accountFieldErrors(view.L, err, map[string]string{"role": "kind"}); errs != nil {
		view.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	}
	if err != nil {
		return err
	}
	s.sendSignupLater(r, in, hash)
	view.Sent = true
	return s.render(w, r, "accounts-signup", view)
}

// sendSignupLater keeps the sign-up and sends its e-mail once the request
// is answered, at most a few an hour to one address (silently beyond).
func (s *accountsPart) sendSignupLater(r *http.Request, in accounts.Registration, hash string) {
	lang := r.PathValue("lang")
	base := s.baseURL()
	ctx := context.WithoutCancel(r.Context())
	email, _ := accounts.NormalizeEmail(in.Email)
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		fail := func(err error) { s.log.LogAttrs(ctx, slog.LevelError, "sign-up e-mail", slog.Any("err", err)) }
		refused, penalty, err := s.signups.perEmail.Attempt(ctx, s.db, "signup-to:"+email)
		if err != nil || refused > 0 || penalty > 0 {
			if err != nil {
				fail(err)
			}
			return
		}
		existing, token, err := accounts.RequestSignUp(ctx, s.db, in, hash)
		if err != nil {
			fail(err)
			return
		}
		kind, link := "signup", base+"/"+lang+"/signup/confirm/"+token
		if existing != nil {
			kind, link = "signup_exists", base+"/"+lang+"/login"
		}
		m, err := s.linkMessage(email, kind, link)
		if err != nil {
			fail(err)
			return
		}
		s.sendLater(ctx, m)
	}()
}

type signupConfirmView struct {
	Page
	Valid bool
	Taken bool // the address got an account meanwhile
	Email string
	Token string
}

// signupConfirmForm opens a sign-up link: a button finishes the sign-up,
// so that a mail program that opens links to check them creates nothing.
// An unknown, used or expired link gets one plain explanation.
func (s *accountsPart) signupConfirmForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "abuse.confirm.title")
	token := r.PathValue("token")
	email, err := accounts.SignUpRequestEmail(r.Context(), s.db, token)
	if err != nil && !errors.Is(err, accounts.ErrTokenInvalid) {
		return err
	}
	return s.render(w, r, "accounts-signup-confirm", &signupConfirmView{Page: p, Valid: err == nil, Email: email, Token: token})
}

// signupConfirmSave opens the account and signs its owner in.
func (s *accountsPart) signupConfirmSave(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "abuse.confirm.title")
	view := &signupConfirmView{Page: p, Token: r.PathValue("token")}
	u, err := accounts.ConfirmSignUp(r.Context(), s.db, s.actor(r), view.Token)
	switch {
	case errors.Is(err, accounts.ErrTokenInvalid):
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup-confirm", view)
	case errors.Is(err, accounts.ErrEmailTaken):
		view.Taken = true
		return s.renderStatus(w, r, http.StatusConflict, "accounts-signup-confirm", view)
	case err != nil:
		return err
	}
	return s.completeSignIn(w, r, u)
}
