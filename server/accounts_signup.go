package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
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
func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "accounts.signup.title")
	return s.render(w, r, "accounts-signup", &signupView{Page: p, Form: signupForm{Kind: "resident"}, Purposes: accounts.Purposes()})
}

// passwordProblem words a password-policy refusal, or returns "".
func passwordProblem(l *i18n.Localizer, err error) string {
	switch {
	case errors.Is(err, accounts.ErrPasswordShort):
		return l.T("accounts.password.short", "Min", accounts.PasswordMin)
	case errors.Is(err, accounts.ErrPasswordLong):
		return l.T("accounts.password.long", "Max", accounts.PasswordMax)
	case errors.Is(err, accounts.ErrPasswordCommon):
		return l.T("accounts.password.common")
	}
	return ""
}

// emailProblem words what is wrong with an address that passed the form's
// checks but that no account may take: one the accounts package reads
// differently, or one that has an account already. Asking before anything
// else is checked lets the form show every problem at once; the store still
// refuses a duplicate that slips in between.
func emailProblem(ctx context.Context, db bun.IDB, l *i18n.Localizer, email string) (string, error) {
	if _, err := accounts.NormalizeEmail(email); err != nil {
		return l.T("accounts.signup.bad_email"), nil
	}
	_, err := accounts.UserByEmail(ctx, db, email)
	switch {
	case err == nil:
		return l.T("accounts.signup.taken"), nil
	case errors.Is(err, database.ErrNotFound):
		return "", nil
	}
	return "", err
}

// signupSave creates the account, records the consents ticked (none are
// ticked for the visitor) and signs the new user in.
func (s *Server) signupSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := signupForm{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Kind: r.PostForm.Get("kind"), Password: r.PostForm.Get("password")}
	p := s.page(w, r, "accounts.signup.title")
	checked := map[string]bool{}
	for _, pur := range accounts.Purposes() {
		checked[pur.ID] = r.PostForm.Get("consent_"+pur.ID) == "yes"
	}
	view := &signupView{Page: p, Form: signupForm{Email: f.Email, Name: f.Name, Kind: f.Kind}, Purposes: accounts.Purposes(), Checked: checked}
	errs := p.L.Validate(&f)
	if !i18n.HasErrorFor(errs, "email") {
		msg, err := emailProblem(r.Context(), s.db, p.L, f.Email)
		if err != nil {
			return err
		}
		if msg != "" {
			errs = append(errs, i18n.FieldError{Field: "email", Message: msg})
		}
	}
	if f.Password != "" {
		if msg := passwordProblem(p.L, s.acct.passwords.Check(f.Password, f.Email)); msg != "" {
			errs = append(errs, i18n.FieldError{Field: "password", Message: msg})
		}
	}
	if len(errs) > 0 {
		view.Errors = i18n.InFieldOrder(errs, "email", "name", "kind", "password")
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	}
	hash, err := s.acct.passwords.Hash(r.Context(), f.Password)
	if err != nil {
		return err
	}
	var u *accounts.User
	err = database.InTx(r.Context(), s.db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		u, err = accounts.CreateUser(ctx, tx, accounts.NewUser{Email: f.Email, Name: f.Name, Role: accounts.Role(f.Kind), PasswordHash: hash})
		if err != nil {
			return err
		}
		for id, yes := range checked {
			if yes {
				if err := accounts.GrantConsent(ctx, tx, u.ID, id); err != nil {
					return err
				}
			}
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
			Action: accounts.AuditSignUp, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), New: string(u.Role), IP: clientIP(r)})
	})
	switch {
	case errors.Is(err, accounts.ErrEmailTaken):
		// Saying so reveals that the address has an account; the sign-in
		// form does not, but a sign-up form cannot avoid it without e-mail.
		view.Errors = []i18n.FieldError{{Field: "email", Message: p.L.T("accounts.signup.taken")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	case errors.Is(err, accounts.ErrInvalidEmail):
		view.Errors = []i18n.FieldError{{Field: "email", Message: p.L.T("accounts.signup.bad_email")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-signup", view)
	case err != nil:
		return err
	}
	return s.completeSignIn(w, r, u)
}
