package server

import (
	"net/http"

	"digiportal/accounts"
)

type adminSettingsView struct {
	Page
	Roles    []accounts.Role
	Required map[accounts.Role]bool
	Saved    bool
}

func privilegedRoles() []accounts.Role {
	var out []accounts.Role
	for _, r := range accounts.Roles() {
		if r.Privileged() {
			out = append(out, r)
		}
	}
	return out
}

// adminSettingsForm shows which roles must use a second factor.
func (s *accountsPart) adminSettingsForm(w http.ResponseWriter, r *http.Request) error {
	req, err := accounts.TOTPRequired(r.Context(), s.db)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-settings", &adminSettingsView{Page: s.page(w, r, "accounts.admin.settings.title"),
		Roles: privilegedRoles(), Required: req, Saved: r.URL.Query().Get("saved") == "1"})
}

// adminSettingsSave stores the roles that must use a second factor.
func (s *accountsPart) adminSettingsSave(w http.ResponseWriter, r *http.Request) error {
	back := "/" + r.PathValue("lang") + "/admin/settings"
	if !s.requireFresh(w, r, back) {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var roles []accounts.Role
	for _, role := range privilegedRoles() {
		if r.PostForm.Get("totp_"+string(role)) == "yes" {
			roles = append(roles, role)
		}
	}
	err := accounts.SetTOTPRequired(r.Context(), s.db, s.actor(r), roles)
	s.forgetSettings() // this instance follows the change at once
	if err != nil {
		return err
	}
	http.Redirect(w, r, back+"?saved=1", http.StatusSeeOther)
	return nil
}
