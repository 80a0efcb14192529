package server

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"digiportal/accounts"

	"digiportal/i18n"
	"digiportal/teams"
)

// maxMemberName bounds a member's display name, as the admin's form does.
const maxMemberName = 100

// teamInvite creates a helper's account in the team and shows the one-time
// link with which the helper sets a password, to hand over in person, or
// e-mails it when the portal sends e-mail and the official asks. No
// password ever passes through the official.
func (s *indicatorsPart) teamInvite(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ownTeam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	f := teamInviteForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: strings.TrimSpace(r.PostForm.Get("member_name"))}
	v, err := s.teamView(w, r)
	if err != nil {
		return err
	}
	v.Invite = f
	// Every problem at once: the address as any new account's, the name's
	// length as the admin's form bounds it.
	in := accounts.NewUser{Email: f.Email, Name: f.Name, Role: accounts.RoleHelper, UnitCode: t.UnitCode}
	errs := accountFieldErrors(v.L, in.Check(), nil)
	if utf8.RuneCountInString(f.Name) > maxMemberName {
		errs = append(errs, i18n.FieldError{Field: "member_name", Message: v.L.T("accounts.error.name_long", "Param", maxMemberName)})
	}
	if len(errs) > 0 {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "team", v)
	}
	token, err := teams.Invite(r.Context(), s.db, s.actor(r), t, f.Email, f.Name)
	if errs := accountFieldErrors(v.L, err, map[string]string{"name": "member_name"}); errs != nil {
		v.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "team", v)
	}
	if errors.Is(err, teams.ErrTooMany) {
		v.Errors = []i18n.FieldError{{Message: v.L.T("teams.error.too_many_members", "Max", teams.MaxMembers)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "team", v)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	v.Link = v.BaseURL + "/" + string(v.Lang) + "/set-password/" + token
	if v.CanEmail && r.PostForm.Get("email_link") == "yes" {
		m, err := s.linkMessage(f.Email, "setpassword", v.Link)
		if err != nil {
			return err
		}
		s.sendLater(r.Context(), m)
		v.Emailed = true
	}
	if v.Members, err = teams.Members(r.Context(), s.db, t.ID); err != nil {
		return err
	}
	return s.render(w, r, "team", v)
}
