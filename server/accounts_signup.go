package server

import (
	"net/http"

	"digiportal/accounts"
)

type signupForm struct {
	Email    string `form:"email" validate:"required,email,max=254" label:"accounts.field.email" msg:"required=accounts.error.email_missing,email=accounts.signup.bad_email,max=accounts.error.email_long"`
	Name     string `form:"name" validate:"max=100" label:"accounts.field.name" msg:"max=accounts.error.name_long"`
	Kind     string `form:"kind,choice" validate:"required,oneof=resident business" label:"accounts.field.kind" msg:"required|oneof=accounts.error.kind_missing"`
	Password string `form:"password" validate:"required" label:"accounts.field.password" msg:"required=accounts.error.password_new"`
}

type signupView struct {
	Page
	Form     signupForm
	Purposes []accounts.Purpose
	Checked  map[string]bool
}

// signupForm offers an account to residents and businesses. Nothing on the
// portal needs one; it keeps progress and results across devices.
func (s *accountsPart) signupForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "accounts.signup.title")
	return s.render(w, r, "accounts-signup", &signupView{Page: p, Form: signupForm{Kind: "resident"}, Purposes: accounts.Purposes()})
}

// signupSave creates the account, records the consents ticked (none are
// ticked for the visitor) and signs the new user in.
func (s *accountsPart) signupSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := signupForm{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Kind: r.PostForm.Get("kind"), Password: r.PostForm.Get("password")}
	in := accounts.Registration{Email: f.Email, Name: f.Name, Role: accounts.Role(f.Kind), Password: f.Password}
	p := s.page(w, r, "accounts.signup.title")
	checked := map[string]bool{}
	for _, pur := range accounts.Purposes() {
		if r.PostForm.Get("consent_"+pur.ID) == "yes" {
			checked[pur.ID] = true
			in.Consents = append(in.Consents, pur.ID)
		}
	}
	view := &signupView{Page: p, Form: signupForm{Email: f.Email, Name: f.Name, Kind: f.Kind}, Purposes: accounts.Purposes(), Checked: checked}
	fields := map[string]string{"role": "kind"}
	if errs := p.L.Validate(&f); len(errs) > 0 {
		view.Errors = withFieldErrors(errs, accountFieldErrors(p.L, in.Check(s.passwords), fields))
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	}
	u, err := accounts.SignUp(r.Context(), s.db, s.passwords, s.actor(r), in)
	if errs := accountFieldErrors(p.L, err, fields); errs != nil {
		view.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	}
	if err != nil {
		return err
	}
	return s.completeSignIn(w, r, u)
}
