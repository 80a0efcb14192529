package server

import (
	"errors"
	"net/http"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

type loginForm struct {
	Email    string `form:"email" validate:"required,max=254" label:"accounts.field.email" msg:"required=accounts.error.email_missing,max=accounts.error.email_long"`
	Password string `form:"password" validate:"required,max=512" label:"accounts.field.password" msg:"required=accounts.error.password_missing,max=accounts.error.password_long"`
}

type loginView struct {
	Page
	Form   loginForm
	Return string
}

// loginForm shows the sign-in form.
func (s *accountsPart) loginForm(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if u := s.currentUser(r); u != nil {
		// Signed in already: on to where the link meant to go, else to the
		// account (an official's workspace links to everything else).
		http.Redirect(w, r, safeReturn(r.URL.Query().Get("return"), lang, signedInHome(u, lang, "/account")), http.StatusSeeOther)
		return nil
	}
	p := s.page(w, r, "accounts.login.title")
	return s.render(w, r, "accounts-login", &loginView{Page: p, Return: loginReturn(r.URL.Query().Get("return"), lang)})
}

// loginSave checks e-mail and password. Unknown e-mail and wrong password
// get one message; too many failures get the form again with 429,
// Retry-After and the reason in words.
func (s *accountsPart) loginSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := loginForm{Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password")}
	p := s.page(w, r, "accounts.login.title")
	ret := loginReturn(r.PostForm.Get("return"), r.PathValue("lang"))
	view := &loginView{Page: p, Form: loginForm{Email: f.Email}, Return: ret}
	if errs := p.L.Validate(&f); errs != nil {
		view.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-login", view)
	}
	u, err := s.auth.SignInOnDevice(r.Context(), s.db, f.Email, f.Password, clientIP(r), s.deviceCookie(r))
	var te *accounts.ThrottledError
	if errors.As(err, &te) {
		// The form again, saying why and for how long: the person may
		// wait, or sign in on a device they have used before.
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
		view.Errors = []i18n.FieldError{{Message: slowedMessage(p.L, te)}}
		return s.renderStatus(w, r, http.StatusTooManyRequests, "accounts-login", view)
	}
	if errors.Is(err, accounts.ErrBadCredentials) {
		view.Errors = []i18n.FieldError{{Field: "email", Message: p.L.T("accounts.login.bad")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-login", view)
	}
	if err != nil {
		return err
	}
	ctx := r.Context()
	s.sessions.Put(ctx, sessReturn, ret)
	if u.TOTPEnabled {
		// The password is right; the session is not the user's until the
		// code is too. A new token now keeps the half-way state unguessable.
		if err := s.sessions.RenewToken(ctx); err != nil {
			return err
		}
		s.sessions.Put(ctx, sessPendingUID, u.ID)
		s.putTime(ctx, sessPendingAt, time.Now())
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/login/code", http.StatusSeeOther)
		return nil
	}
	return s.completeSignIn(w, r, u)
}
