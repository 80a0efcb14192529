package server

import (
	"net/http"

	"digiportal/accounts"
)

type accountView struct {
	Page
	User          *accounts.User
	Purposes      []accounts.Purpose
	Consented     map[string]bool
	RecoveryLeft  int
	Saved         bool
	PasswordSaved bool
	Assessments   []assessmentAccountRow // self-assessments kept under the account
}

// accountShow is the signed-in user's page: who they are, their consents,
// second factor, and the ways to get or delete their data.
func (s *accountsPart) accountShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.account.title")
	v := &accountView{Page: p, User: u, Purposes: accounts.Purposes(),
		Saved: r.URL.Query().Get("saved") == "1", PasswordSaved: r.URL.Query().Get("password") == "1"}
	consented, err := accounts.ActiveConsents(ctx, s.db, u.ID) // one query for every purpose
	if err != nil {
		return err
	}
	v.Consented = consented
	if u.TOTPEnabled {
		n, err := accounts.RecoveryCodesLeft(ctx, s.db, u.ID)
		if err != nil {
			return err
		}
		v.RecoveryLeft = n
	}
	rows, err := s.assessmentRows(r, p, u.ID)
	if err != nil {
		return err
	}
	v.Assessments = rows
	return s.render(w, r, "accounts-account", v)
}
