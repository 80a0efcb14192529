package server

import (
	"net/http"

	"digiportal/accounts"
)

// signInInvitedHelper signs in a team member who has just set a password
// with the link an official handed over: the link proved who they are as
// much as the password would, and a helper has no second factor to ask
// for. Other accounts sign in as before, through the sign-in page.
func (s *accountsPart) signInInvitedHelper(w http.ResponseWriter, r *http.Request, userID int64) (bool, error) {
	if userID == 0 {
		return false, nil
	}
	u, err := accounts.UserByID(r.Context(), s.db, userID)
	if err != nil {
		return false, err
	}
	if u.Role != accounts.RoleHelper || u.Disabled {
		return false, nil
	}
	return true, s.completeSignIn(w, r, u)
}
