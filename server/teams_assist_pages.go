package server

import (
	"errors"
	"net/http"
	"strings"

	"digiportal/accounts"
	"digiportal/i18n"
)

type assistAccountForm struct {
	Username string `form:"username" validate:"required,max=254" label:"assist.field.username" msg:"required=assist.error.username_missing,max=accounts.username.bad"`
}

// assistResetForm bounds the reason to 200 characters, fewer than an
// official's: a few words, which leave no room for a story about the
// resident.
type assistResetForm struct {
	Login  string `form:"login" validate:"required,max=254" label:"assist.field.login" msg:"required=assist.error.login_missing,max=assist.error.login_long"`
	Reason string `form:"reason" validate:"required,max=200" label:"assist.field.reason" msg:"required=assist.error.reason_missing,max=assist.error.reason_long"`
}

type assistView struct {
	Page
	Account   assistAccountForm
	Reset     assistResetForm
	Left, Max int
	// After a code is issued, shown once: what was done, for which
	// account, the code in groups of four, the page to type it on and the
	// link that holds it.
	Done     string
	Login    string
	Code     string
	CodePage string
	Link     string
}

// teamAssistShow is the helper's page: open a resident's account, or give a
// resident who lost access a code, each ending with a code the resident
// types on their own phone.
func (s *accountsPart) teamAssistShow(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, r.URL.RequestURI()) {
		return nil
	}
	v, err := s.assistView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "teams-assist", v)
}

// teamAssistAccount opens a plain resident's account known by the username
// the resident chose, without a password, and shows its code once.
func (s *accountsPart) teamAssistAccount(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, "/"+r.PathValue("lang")+"/teams/assist") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.assistView(w, r)
	if err != nil {
		return err
	}
	v.Account = assistAccountForm{Username: strings.TrimSpace(r.PostForm.Get("username"))}
	errs := v.L.Validate(&v.Account)
	if len(errs) == 0 {
		u, code, err := accounts.StartAssistedAccount(r.Context(), s.db, s.actor(r), v.Account.Username)
		if errs = fieldErrors(v.L, err, nil, assistMessage); errs == nil {
			if err != nil {
				return err
			}
			return s.assistIssued(w, r, v, "assist.done.new", u, code)
		}
	}
	v.Errors = errs
	return s.renderStatus(w, r, http.StatusBadRequest, "teams-assist", v)
}

// teamAssistReset gives a resident who lost access, named exactly, a code
// to set a new password, with the reason audited. A form with its own
// problems looks nobody up, so that a bad reason is no free look-up.
func (s *accountsPart) teamAssistReset(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, "/"+r.PathValue("lang")+"/teams/assist") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	v, err := s.assistView(w, r)
	if err != nil {
		return err
	}
	v.Reset = assistResetForm{Login: strings.TrimSpace(r.PostForm.Get("login")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	errs := v.L.Validate(&v.Reset)
	if len(errs) == 0 {
		u, code, err := accounts.IssueHelperReset(r.Context(), s.db, s.actor(r), v.Reset.Login, v.Reset.Reason)
		if errs = fieldErrors(v.L, err, nil, assistMessage); errs == nil {
			if err != nil {
				return err
			}
			return s.assistIssued(w, r, v, "assist.done.lost", u, code)
		}
	}
	v.Errors = i18n.InFieldOrder(errs, "login", "reason")
	return s.renderStatus(w, r, http.StatusBadRequest, "teams-assist", v)
}

// assistView is the helper's page with how many codes are left today.
func (s *accountsPart) assistView(w http.ResponseWriter, r *http.Request) (*assistView, error) {
	v := &assistView{Page: s.page(w, r, "assist.title"), Max: accounts.AssistPerDay}
	n, err := accounts.AssistIssuedToday(r.Context(), s.db, s.actor(r))
	if err != nil {
		return nil, err
	}
	v.Left = max(0, accounts.AssistPerDay-n)
	return v, nil
}

// assistIssued shows a code once, never stored by a cache: the page and
// the link to type it on, in groups of four to read it easily.
func (s *accountsPart) assistIssued(w http.ResponseWriter, r *http.Request, v *assistView, done string, u *accounts.User, code string) error {
	w.Header().Set("Cache-Control", "no-store")
	v.Done, v.Login = done, u.Login()
	v.Left = max(0, v.Left-1)
	v.Account, v.Reset = assistAccountForm{}, assistResetForm{}
	var groups []string
	for i := 0; i < len(code); i += 4 {
		groups = append(groups, code[i:min(i+4, len(code))])
	}
	v.Code = strings.Join(groups, "-")
	v.CodePage = v.BaseURL + "/" + string(v.Lang) + "/set-password"
	v.Link = v.CodePage + "/" + code
	return s.render(w, r, "teams-assist", v)
}

// assistMessage words one refusal of a helper's try.
func assistMessage(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, accounts.ErrAssistDayLimit):
		return l.T("assist.error.day_limit", "Max", accounts.AssistPerDay)
	case errors.Is(err, accounts.ErrAssistTriesLimit):
		return l.T("assist.error.tries_limit")
	case errors.Is(err, accounts.ErrBadCredentials):
		return l.T("assist.error.unknown")
	case errors.Is(err, accounts.ErrAssistNotPlain), errors.Is(err, accounts.ErrNotAResident):
		return l.T("assist.error.not_resident")
	case errors.Is(err, accounts.ErrAssistHasEmail):
		return l.T("assist.error.has_email")
	case errors.Is(err, accounts.ErrAssistHasTOTP):
		return l.T("assist.error.has_totp")
	case errors.Is(err, accounts.ErrAccountDisabled):
		return l.T("assist.error.disabled")
	case errors.Is(err, accounts.ErrReasonRequired):
		return l.T("assist.error.reason_missing")
	case errors.Is(err, accounts.ErrUsernamePersonal):
		return l.T("assist.error.username_personal")
	case errors.Is(err, accounts.ErrReasonPersonal):
		return l.T("assist.error.reason_personal")
	case errors.Is(err, accounts.ErrReasonInvisible):
		return l.T("assist.error.reason_invisible")
	case errors.Is(err, accounts.ErrReasonNamesLogin):
		return l.T("assist.error.reason_login")
	}
	return accountMessage(l, err)
}
