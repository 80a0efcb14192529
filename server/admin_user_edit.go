package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/i18n"
)

type adminUserView struct {
	Page
	Target *accounts.User
	Roles  []accounts.Role
	Fresh  bool
	Saved  bool
}

func (s *accountsPart) targetUser(r *http.Request) (*accounts.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	return accounts.UserByID(r.Context(), s.db, id)
}

// adminUserShow shows one account with the changes an admin may make.
func (s *accountsPart) adminUserShow(w http.ResponseWriter, r *http.Request) error {
	t, err := s.targetUser(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "accounts.admin.user.title")
	return s.render(w, r, "admin-user", &adminUserView{Page: p, Target: t, Roles: accounts.Roles(), Fresh: s.fresh(r), Saved: r.URL.Query().Get("saved") == "1"})
}

// adminUserSave applies one change — role and unit, disable, enable, or a
// reset of the second factor — after a fresh sign-in, and audits it.
func (s *accountsPart) adminUserSave(w http.ResponseWriter, r *http.Request) error {
	t, err := s.targetUser(r)
	if err != nil {
		return err
	}
	back := "/" + r.PathValue("lang") + "/admin/users/" + strconv.FormatInt(t.ID, 10)
	if !s.requireFresh(w, r, back) {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx, who := r.Context(), s.actor(r)
	p := s.page(w, r, "accounts.admin.user.title")
	switch op := r.PostForm.Get("op"); op {
	case "role":
		err = accounts.ChangeRole(ctx, s.db, who, t.ID, accounts.Role(r.PostForm.Get("role")), r.PostForm.Get("unit"))
	case "disable", "enable":
		err = accounts.SetDisabled(ctx, s.db, who, t.ID, op == "disable")
	case "reset-2fa":
		err = accounts.ResetTOTP(ctx, s.db, who, t.ID)
	case "delete":
		if r.PostForm.Get("confirm") != "yes" {
			p.Errors = []i18n.FieldError{{Field: "confirm", Message: p.L.T("accounts.admin.user.delete_confirm_missing")}}
			return s.renderStatus(w, r, http.StatusBadRequest, "admin-user", &adminUserView{Page: p, Target: t, Roles: accounts.Roles(), Fresh: true})
		}
		err = accounts.DeleteAccount(ctx, s.db, who, t.ID, s.holders)
		if err == nil {
			http.Redirect(w, r, "/"+r.PathValue("lang")+"/admin/users?deleted=1", http.StatusSeeOther)
			return nil
		}
	default:
		return errBadRequest
	}
	if errors.Is(err, accounts.ErrOwnAccount) {
		return errBadRequest // another admin must change this admin's role or access
	}
	if errs := accountFieldErrors(p.L, err, nil); errs != nil {
		p.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "admin-user", &adminUserView{Page: p, Target: t, Roles: accounts.Roles(), Fresh: true})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, back+"?saved=1", http.StatusSeeOther)
	return nil
}
