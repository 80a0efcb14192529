package server

import (
	"net/http"

	"digiportal/accounts"
)

type adminUserNewForm struct {
	Email string `form:"email" validate:"required,email,max=254" label:"accounts.field.email" msg:"required=accounts.admin.email_missing,email=accounts.signup.bad_email,max=accounts.error.email_long"`
	Name  string `form:"name" validate:"max=100" label:"accounts.field.name" msg:"max=accounts.error.name_long"`
	Role  string `form:"role,choice" validate:"required" label:"accounts.field.role" msg:"required=accounts.admin.bad_role"`
	Unit  string `form:"unit" validate:"max=20" label:"accounts.field.unit" msg:"max=accounts.admin.unit_long"`
}

type adminUserNewView struct {
	Page
	Form  adminUserNewForm
	Roles []accounts.Role
	Link  string // the one-time set-password link, shown once after creation
	// CanEmail: the portal sends e-mail, so the link may go to the new
	// user's address too; Emailed: it did.
	CanEmail bool
	Emailed  bool
}

// adminUserNewForm lets an admin create any account, officials included.
func (s *accountsPart) adminUserNewForm(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, r.URL.RequestURI()) {
		return nil
	}
	return s.render(w, r, "admin-user-new", &adminUserNewView{Page: s.page(w, r, "accounts.admin.new.title"), Roles: accounts.Roles(), CanEmail: s.mail.Configured()})
}

// adminUserNewSave creates the account without a password and shows a
// one-time link for its owner to set one; no password ever passes through
// the admin.
func (s *accountsPart) adminUserNewSave(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, "/"+r.PathValue("lang")+"/admin/users/new") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := adminUserNewForm{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Role: r.PostForm.Get("role"), Unit: r.PostForm.Get("unit")}
	in := accounts.NewUser{Email: f.Email, Name: f.Name, Role: accounts.Role(f.Role), UnitCode: f.Unit}
	p := s.page(w, r, "accounts.admin.new.title")
	v := &adminUserNewView{Page: p, Form: f, Roles: accounts.Roles(), CanEmail: s.mail.Configured()}
	if errs := p.L.Validate(&f); len(errs) > 0 {
		v.Errors = withFieldErrors(errs, accountFieldErrors(p.L, in.Check(), nil))
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-user-new", v)
	}
	_, token, err := accounts.CreateUserWithLink(r.Context(), s.db, s.actor(r), in)
	if errs := accountFieldErrors(p.L, err, nil); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-user-new", v)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	v.Link = p.BaseURL + "/" + string(p.Lang) + "/set-password/" + token
	if v.CanEmail && r.PostForm.Get("email_link") == "yes" {
		m, err := s.linkMessage(in.Email, "setpassword", v.Link)
		if err != nil {
			return err
		}
		s.sendLater(r.Context(), m)
		v.Emailed = true
	}
	return s.render(w, r, "admin-user-new", v)
}
