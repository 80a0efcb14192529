package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

type loginCodeView struct {
	Page
	// Expired: no password was checked in the last few minutes, so there
	// is no sign-in to finish; the page says so and links to sign in.
	Expired bool
}

// pendingUser returns the user whose password was checked in the last few
// minutes and who still owes a second-factor code.
func (s *accountsPart) pendingUser(r *http.Request) (*accounts.User, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessPendingUID)
	at := s.getTime(ctx, sessPendingAt)
	if id == 0 || time.Since(at) > pendingWindow {
		return nil, nil
	}
	u, err := accounts.UserByID(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// loginCodeForm asks for the authenticator code or a recovery code.
func (s *accountsPart) loginCodeForm(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	return s.render(w, r, "accounts-login-code", &loginCodeView{Page: s.page(w, r, "accounts.code.title"), Expired: u == nil})
}

// loginCodeSave checks the code. Failures count against the same per-account
// limit as passwords, so six digits cannot be guessed by brute force.
func (s *accountsPart) loginCodeSave(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	if u == nil {
		p := s.page(w, r, "accounts.code.title")
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-login-code", &loginCodeView{Page: p, Expired: true})
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
// allowRecovery a one-time recovery code. The try is counted before the code
// is looked at, so a burst of guesses sent at once gets no more tries than a
// slow one; past the limit it returns a 429 error.
func (s *accountsPart) checkSecondFactor(r *http.Request, u *accounts.User, code string, allowRecovery bool) (bool, error) {
	ctx := r.Context()
	key := "totp:" + strconv.FormatInt(u.ID, 10)
	refused, penalty, err := s.auth.PerAccount.Attempt(ctx, s.db, key)
	if err != nil {
		return false, err
	}
	if refused > 0 {
		return false, tooMany((&accounts.ThrottledError{Wait: refused}).RetryAfterSeconds())
	}
	code = strings.TrimSpace(code)
	ok, err := accounts.UseTOTP(ctx, s.db, u, code, time.Now())
	if err != nil {
		return false, err
	}
	if !ok && allowRecovery && len(code) > 6 {
		if ok, err = accounts.UseRecoveryCode(ctx, s.db, u.ID, code); err != nil {
			return false, err
		}
		if ok {
			if err := accounts.RecordAudit(ctx, s.db, accounts.AuditEntry{ActorID: u.ID, ActorEmail: u.Email,
				Action: accounts.AuditRecoveryUsed, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), IP: clientIP(r)}); err != nil {
				return false, err
			}
		}
	}
	if !ok {
		if penalty > 0 {
			return false, tooMany((&accounts.ThrottledError{Wait: penalty}).RetryAfterSeconds())
		}
		return false, nil
	}
	return true, s.auth.PerAccount.Reset(ctx, s.db, key)
}
