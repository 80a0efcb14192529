package server

import (
	"errors"
	"net/http"
	"time"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
)

type loginCodeView struct {
	Page
	// Expired: no password was checked in the last few minutes, so there
	// is no sign-in to finish; the page says so and links to sign in.
	Expired bool
}

// errNoPendingSignIn: no password was checked in this session in the last
// few minutes, or its account is gone since, so there is no sign-in to
// finish.
var errNoPendingSignIn = errors.New("no sign-in waiting for its second step")

// pendingUser returns the user whose password was checked in the last few
// minutes and who still owes a second-factor code, or errNoPendingSignIn.
func (s *accountsPart) pendingUser(r *http.Request) (*accounts.User, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessPendingUID)
	at := s.getTime(ctx, sessPendingAt)
	if id == 0 || time.Since(at) > pendingWindow {
		return nil, errNoPendingSignIn
	}
	u, err := accounts.UserByID(ctx, s.db, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil, errNoPendingSignIn
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// loginCodeForm asks for the authenticator code or a recovery code.
func (s *accountsPart) loginCodeForm(w http.ResponseWriter, r *http.Request) error {
	_, err := s.pendingUser(r)
	if err != nil && !errors.Is(err, errNoPendingSignIn) {
		return err
	}
	return s.render(w, r, "accounts-login-code", &loginCodeView{Page: s.page(w, r, "accounts.code.title"), Expired: err != nil})
}

// loginCodeSave checks the code. Failures count against the same per-account
// limit as passwords, so six digits cannot be guessed by brute force.
func (s *accountsPart) loginCodeSave(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingUser(r)
	if errors.Is(err, errNoPendingSignIn) {
		p := s.page(w, r, "accounts.code.title")
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-login-code", &loginCodeView{Page: p, Expired: true})
	}
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ok, err := s.checkSecondFactor(r, u, r.PostForm.Get("code"), true)
	if err != nil {
		return err
	}
	if !ok {
		p := s.page(w, r, "accounts.code.title")
		p.Errors = []i18n.FieldError{{Field: "code", Message: p.L.T("accounts.code.bad")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-login-code", &loginCodeView{Page: p})
	}
	return s.completeSignIn(w, r, u)
}

// checkSecondFactor checks a code from u's authenticator app, or with
// allowRecovery a one-time recovery code; past the limit of tries it
// returns a 429 error.
func (s *accountsPart) checkSecondFactor(r *http.Request, u *accounts.User, code string, allowRecovery bool) (bool, error) {
	ok, err := s.auth.CheckSecondFactor(r.Context(), s.db, accounts.UserActor(u, clientIP(r)), code, allowRecovery)
	if tm, isThrottled := throttled(err); isThrottled {
		return false, tm
	}
	return ok, err
}
