package server

import (
	"errors"
	"net/http"
	"strings"

	"digiportal/accounts"
	"digiportal/i18n"
)

type recoverForm struct {
	Login    string `form:"login" validate:"required,max=254" label:"accounts.field.login" msg:"required=accounts.recover.login_missing,max=accounts.error.email_long"`
	Code     string `form:"code" validate:"required,max=64" label:"accounts.field.recovery_code" msg:"required=accounts.recover.code_missing,max=accounts.recover.bad"`
	Password string `form:"password" validate:"required,max=512" label:"accounts.field.new_password" msg:"required=accounts.error.password_new,max=accounts.error.password_long"`
}

type recoverView struct {
	Page
	Form recoverForm
}

// recoverForm lets a resident without e-mail set a new password with one of
// the recovery codes printed at sign-up.
func (s *accountsPart) recoverForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "accounts-recover", &recoverView{Page: s.page(w, r, "accounts.recover.title")})
}

// recoverSave spends a recovery code for a new password, limited like
// sign-in; then the resident signs in.
func (s *accountsPart) recoverSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := s.page(w, r, "accounts.recover.title")
	f := recoverForm{Login: strings.TrimSpace(r.PostForm.Get("login")), Code: r.PostForm.Get("code"), Password: r.PostForm.Get("password")}
	v := &recoverView{Page: p, Form: recoverForm{Login: f.Login}}
	if errs := p.L.Validate(&f); len(errs) > 0 {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-recover", v)
	}
	err := s.auth.ResetWithRecoveryCode(r.Context(), s.db, s.actor(r), f.Login, f.Code, f.Password)
	if tm, ok := throttled(err); ok {
		return tm
	}
	if errors.Is(err, accounts.ErrBadCredentials) {
		v.Errors = []i18n.FieldError{{Field: "code", Message: p.L.T("accounts.recover.bad")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-recover", v)
	}
	if errs := accountFieldErrors(p.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-recover", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/login?set=1", http.StatusSeeOther)
	return nil
}

type assistedForm struct {
	Login  string `form:"login" validate:"required,max=254" label:"accounts.field.login" msg:"required=accounts.recover.login_missing,max=accounts.error.email_long"`
	Reason string `form:"reason" validate:"required,max=500" label:"accounts.field.reason" msg:"required=accounts.assisted.reason_missing,max=accounts.assisted.reason_long"`
}

type assistedView struct {
	Page
	Form  assistedForm
	Login string // the account the link was given for
	Link  string // shown once, to print or copy for the resident
}

// assistedResetForm is where a commune official gives a resident who came
// in person, without e-mail or codes, a one-time link to set a password.
func (s *accountsPart) assistedResetForm(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, r.URL.RequestURI()) {
		return nil
	}
	return s.render(w, r, "accounts-assisted-reset", &assistedView{Page: s.page(w, r, "accounts.assisted.title")})
}

// assistedResetSave issues the link, audited with who, when and why.
func (s *accountsPart) assistedResetSave(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, "/"+r.PathValue("lang")+"/account/assisted-reset") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := s.page(w, r, "accounts.assisted.title")
	f := assistedForm{Login: strings.TrimSpace(r.PostForm.Get("login")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	v := &assistedView{Page: p, Form: f}
	word := func(l *i18n.Localizer, err error) string {
		if errors.Is(err, accounts.ErrBadCredentials) {
			return l.T("accounts.assisted.unknown")
		}
		return accountMessage(l, err)
	}
	if errs := p.L.Validate(&f); len(errs) > 0 {
		_, cerr := accounts.CheckAssistedReset(r.Context(), s.db, f.Login, f.Reason)
		v.Errors = withFieldErrors(errs, fieldErrors(p.L, cerr, nil, word))
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-assisted-reset", v)
	}
	u, token, err := accounts.IssueAssistedReset(r.Context(), s.db, s.actor(r), f.Login, f.Reason)
	if errs := fieldErrors(p.L, err, nil, word); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-assisted-reset", v)
	}
	if err != nil {
		return err
	}
	v.Login = u.Login()
	v.Link = p.BaseURL + "/" + string(p.Lang) + "/set-password/" + token
	return s.render(w, r, "accounts-assisted-reset", v)
}
