package server

import (
	"errors"
	"net/http"
	"time"

	"digiportal/accounts"
)

// completeSignIn makes the session the user's: a new session token (so a
// token planted before sign-in is worthless), the time of sign-in, anonymous
// progress carried into the account, an audit line and the device cookie
// (rememberDevice) — then sends the user on, to enrol a second factor first
// when their role must have one.
func (s *accountsPart) completeSignIn(w http.ResponseWriter, r *http.Request, u *accounts.User) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	if err := accounts.RecordSignIn(ctx, s.db, accounts.UserActor(u, clientIP(r)), s.onSignIn...); err != nil {
		return err
	}
	if err := s.rememberDevice(w, r, u); err != nil {
		return err
	}
	ret := s.sessions.PopString(ctx, sessReturn)
	s.sessions.Remove(ctx, sessPendingUID)
	s.sessions.Remove(ctx, sessPendingAt)
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.putTime(ctx, sessAuthAt, time.Now())
	s.putTime(ctx, sessFreshAt, time.Now())

	lang := r.PathValue("lang")
	if !u.TOTPEnabled {
		required, err := s.totpRequired(ctx)
		if err != nil {
			return err
		}
		if required[u.Role] {
			http.Redirect(w, r, "/"+lang+"/account/2fa", http.StatusSeeOther)
			return nil
		}
	}
	http.Redirect(w, r, safeReturn(ret, lang, signedInHome(u, lang, "/")), http.StatusSeeOther)
	return nil
}

// loginReturn is the address a sign-in was asked to return to, kept on
// this site (safeReturn), or "" when it asked none or an unsafe one: then
// the user goes where their role starts (signedInHome).
func loginReturn(ret, lang string) string {
	const none = "\x00" // no path is this
	if got := safeReturn(ret, lang, none); got != none {
		return got
	}
	return ""
}

// signedInHome is where a signed-in user goes when no link says where:
// officials and admins to their workspace, a team's helper to the help
// log, everyone else to the page after the language prefix that other is.
func signedInHome(u *accounts.User, lang, other string) string {
	if u.Role.Privileged() {
		return "/" + lang + "/work"
	}
	if u.Role == accounts.RoleHelper {
		return "/" + lang + "/teams/log" // a helper signs in to record help given
	}
	return "/" + lang + other
}

// throttled renders the 429 page with Retry-After for a refused sign-in.
func throttled(err error) (error, bool) {
	var te *accounts.ThrottledError
	if errors.As(err, &te) {
		return tooMany(te.RetryAfterSeconds()), true
	}
	return nil, false
}
