package server

import (
	"net/http"
	"strings"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

type signupForm struct {
	Email    string `form:"email" validate:"required_without=Username,omitempty,email,max=254" label:"accounts.field.email" msg:"required_without=accounts.username.email_or_username,email=accounts.signup.bad_email,max=accounts.error.email_long"`
	Username string `form:"username" validate:"max=32" label:"accounts.field.username" msg:"max=accounts.username.bad"`
	Name     string `form:"name" validate:"max=100" label:"accounts.field.name" msg:"max=accounts.error.name_long"`
	Kind     string `form:"kind,choice" validate:"required,oneof=resident business" label:"accounts.field.kind" msg:"required|oneof=accounts.error.kind_missing"`
	Password string `form:"password" validate:"required" label:"accounts.field.password" msg:"required=accounts.error.password_new"`
}

type signupView struct {
	Page
	Form     signupForm
	Purposes []accounts.Purpose
	Checked  map[string]bool
	// Sent: an e-mail sign-up was taken; the page says to open the link
	// sent to the address.
	Sent bool
	// Configured: e-mail reaches people; otherwise the page says so.
	Configured bool
}

// signupForm offers an account to residents and businesses. Nothing on the
// portal needs one; it keeps progress and results across devices.
func (s *accountsPart) signupForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "accounts.signup.title")
	return s.render(w, r, "accounts-signup", &signupView{Page: p, Form: signupForm{Kind: "resident"}, Purposes: accounts.Purposes(),
		Configured: s.mail.Configured()})
}

// signupSave takes a sign-up, within the limits per client address and
// network. With a username it creates the account at once, records the
// consents ticked (none are ticked for the visitor) and signs the new user
// in. With an e-mail address it answers "check your e-mail" whether or not
// the address has an account (signupByEmail).
func (s *accountsPart) signupSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := signupForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Username: strings.TrimSpace(r.PostForm.Get("username")),
		Name: r.PostForm.Get("name"), Kind: r.PostForm.Get("kind"), Password: r.PostForm.Get("password")}
	in := accounts.Registration{Email: f.Email, Username: f.Username, Name: f.Name, Role: accounts.Role(f.Kind), Password: f.Password}
	p := s.page(w, r, "accounts.signup.title")
	checked := map[string]bool{}
	for _, pur := range accounts.Purposes() {
		if r.PostForm.Get("consent_"+pur.ID) == "yes" {
			checked[pur.ID] = true
			in.Consents = append(in.Consents, pur.ID)
		}
	}
	view := &signupView{Page: p, Form: signupForm{Email: f.Email, Username: f.Username, Name: f.Name, Kind: f.Kind}, Purposes: accounts.Purposes(),
		Checked: checked, Configured: s.mail.Configured()}
	fields := map[string]string{"role": "kind"}
	if errs := p.L.Validate(&f); len(errs) > 0 {
		view.Errors = withFieldErrors(errs, accountFieldErrors(p.L, in.Check(s.passwords), fields))
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	}
	if wait, err := s.signupAdmit(r); err != nil {
		return err
	} else if wait > 0 {
		te := &accounts.ThrottledError{Wait: wait}
		w.Header().Set("Retry-After", te.RetryAfterSeconds())
		view.Errors = []i18n.FieldError{{Message: p.L.N("abuse.signup.slowed", max(1, int((wait+time.Minute-1)/time.Minute)))}}
		return s.renderStatus(w, r, http.StatusTooManyRequests, "accounts-signup", view)
	}
	if in.Username == "" {
		return s.signupByEmail(w, r, in, view)
	}
	u, codes, err := accounts.SignUp(r.Context(), s.db, s.passwords, s.actor(r), in)
	if errs := accountFieldErrors(p.L, err, fields); errs != nil {
		view.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	}
	if err != nil {
		return err
	}
	if len(codes) == 0 {
		return s.completeSignIn(w, r, u)
	}
	// Without e-mail the recovery codes are the way back in: shown once,
	// on a page made to be printed, before anything else.
	if err := s.completeSignIn(discardRedirect{}, r, u); err != nil {
		return err
	}
	// The device cookie set above went to the discarded writer.
	if err := s.rememberDevice(w, r, u); err != nil {
		return err
	}
	return s.render(w, r, "accounts-recovery-codes", &recoveryCodesView{Page: s.page(w, r, "accounts.recovery.title"), Username: u.Username, Codes: codes})
}

type recoveryCodesView struct {
	Page
	Username string
	Codes    []string
}

// discardRedirect is a ResponseWriter for completeSignIn whose redirect is
// not wanted: the page that follows is rendered instead. Headers set on it
// are dropped; cookies go through the real writer, since scs writes them.
type discardRedirect struct{}

func (discardRedirect) Header() http.Header         { return http.Header{} }
func (discardRedirect) Write(b []byte) (int, error) { return len(b), nil }
func (discardRedirect) WriteHeader(int)             {}
