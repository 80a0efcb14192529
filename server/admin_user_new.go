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
}

// adminUserNewForm lets an admin create any account, officials included.
func (s *Server) adminUserNewForm(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, r.URL.RequestURI()) {
		return nil
	}
	return s.render(w, r, "admin-user-new", &adminUserNewView{Page: s.page(w, r, "accounts.admin.new.title"), Roles: accounts.Roles()})
}

// adminUserNewSave creates the account without a password and shows a
// one-time link for its owner to set one; no password ever passes through
// the admin.
func (s *Server) adminUserNewSave(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, "/"+r.PathValue("lang")+"/admin/users/new") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	admin := s.currentUser(r)
	f := adminUserNewForm{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Role: r.PostForm.Get("role"), Unit: r.PostForm.Get("unit")}
	p := s.page(w, r, "accounts.admin.new.title")
	v := &adminUserNewView{Page: p, Form: f, Roles: accounts.Roles()}
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
	if f.Role != "" && !accounts.Role(f.Role).Valid() {
		errs = append(errs, i18n.FieldError{Field: "role", Message: p.L.T("accounts.admin.bad_role")})
	}
	if accounts.Role(f.Role).Official() && f.Unit == "" {
		errs = append(errs, i18n.FieldError{Field: "unit", Message: p.L.T("accounts.admin.unit_required")})
	}
	if len(errs) > 0 {
		v.Errors = i18n.InFieldOrder(errs, "email", "name", "role", "unit")
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-user-new", v)
	}
	var token string
	err := database.InTx(r.Context(), s.db, func(ctx context.Context, tx bun.Tx) error {
		u, err := accounts.CreateUser(ctx, tx, accounts.NewUser{Email: f.Email, Name: f.Name, Role: accounts.Role(f.Role), UnitCode: f.Unit})
		if err != nil {
			return err
		}
		if token, err = accounts.NewPasswordToken(ctx, tx, u.ID); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, accounts.AuditEntry{ActorID: admin.ID, ActorEmail: admin.Email,
			Action: accounts.AuditUserCreated, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			New: f.Role + " " + f.Unit, IP: clientIP(r)})
	})
	if errors.Is(err, accounts.ErrEmailTaken) || errors.Is(err, accounts.ErrInvalidEmail) {
		v.Errors = []i18n.FieldError{{Field: "email", Message: p.L.T("accounts.signup.taken")}}
		if errors.Is(err, accounts.ErrInvalidEmail) {
			v.Errors[0].Message = p.L.T("accounts.signup.bad_email")
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-user-new", v)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	v.Link = p.BaseURL + "/" + string(p.Lang) + "/set-password/" + token
	return s.render(w, r, "admin-user-new", v)
}
