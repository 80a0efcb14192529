package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

type adminUserView struct {
	Page
	Target *accounts.User
	Roles  []accounts.Role
	Fresh  bool
	Saved  bool
}

func (s *Server) targetUser(r *http.Request) (*accounts.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	return accounts.UserByID(r.Context(), s.db, id)
}

// adminUserShow shows one account with the changes an admin may make.
func (s *Server) adminUserShow(w http.ResponseWriter, r *http.Request) error {
	t, err := s.targetUser(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "accounts.admin.user.title")
	return s.render(w, r, "admin-user", &adminUserView{Page: p, Target: t, Roles: accounts.Roles(), Fresh: s.fresh(r), Saved: r.URL.Query().Get("saved") == "1"})
}

// adminUserSave applies one change — role and unit, disable, enable, or a
// reset of the second factor — after a fresh sign-in, and audits it.
func (s *Server) adminUserSave(w http.ResponseWriter, r *http.Request) error {
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
	admin := s.currentUser(r)
	p := s.page(w, r, "accounts.admin.user.title")
	entry := accounts.AuditEntry{ActorID: admin.ID, ActorEmail: admin.Email, ObjectType: "user", ObjectID: strconv.FormatInt(t.ID, 10), IP: clientIP(r)}
	var change func(ctx context.Context, tx bun.Tx) error
	switch r.PostForm.Get("op") {
	case "role":
		if t.ID == admin.ID {
			return errBadRequest // an admin cannot change their own role: another admin must
		}
		role, unit := accounts.Role(r.PostForm.Get("role")), r.PostForm.Get("unit")
		// Each problem in its own words, all at once.
		if !role.Valid() {
			p.Errors = append(p.Errors, i18n.FieldError{Field: "role", Message: p.L.T("accounts.admin.bad_role")})
		}
		if len(unit) > 20 {
			p.Errors = append(p.Errors, i18n.FieldError{Field: "unit", Message: p.L.T("accounts.admin.unit_long", "Param", 20)})
		} else if role.Official() && unit == "" {
			p.Errors = append(p.Errors, i18n.FieldError{Field: "unit", Message: p.L.T("accounts.admin.unit_required")})
		}
		if len(p.Errors) > 0 {
			return s.renderStatus(w, r, http.StatusBadRequest, "admin-user", &adminUserView{Page: p, Target: t, Roles: accounts.Roles(), Fresh: true})
		}
		entry.Action, entry.Old, entry.New = accounts.AuditRoleChanged, string(t.Role)+" "+t.UnitCode, string(role)+" "+unit
		change = func(ctx context.Context, tx bun.Tx) error { return accounts.SetRole(ctx, tx, t.ID, role, unit) }
	case "disable", "enable":
		if t.ID == admin.ID {
			return errBadRequest // an admin cannot lock themselves out
		}
		disable := r.PostForm.Get("op") == "disable"
		entry.Action = accounts.AuditEnabled
		if disable {
			entry.Action = accounts.AuditDisabled
		}
		change = func(ctx context.Context, tx bun.Tx) error { return accounts.SetDisabled(ctx, tx, t.ID, disable) }
	case "reset-2fa":
		entry.Action = accounts.AuditTOTPReset
		change = func(ctx context.Context, tx bun.Tx) error { return accounts.ResetTOTP(ctx, tx, t.ID) }
	default:
		return errBadRequest
	}
	err = database.InTx(r.Context(), s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := change(ctx, tx); err != nil {
			return err
		}
		return accounts.RecordAudit(ctx, tx, entry)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, back+"?saved=1", http.StatusSeeOther)
	return nil
}
