package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"digiportal/accounts"
	"digiportal/database"
)

// Session keys of the signed-in state.
const (
	sessUserID     = "uid"
	sessAuthAt     = "auth_at"     // when this session's sign-in or password change happened
	sessFreshAt    = "fresh_at"    // when the password and code were last checked together
	sessPendingUID = "pending_uid" // password checked, second factor awaited
	sessPendingAt  = "pending_at"
	sessReturn     = "return_to"
)

// Freshness windows: admin changes need a sign-in within the last 10 minutes;
// a password without its code is forgotten after 5.
const (
	freshWindow   = 10 * time.Minute
	pendingWindow = 5 * time.Minute
)

// loadUser puts the signed-in user, if any, in the request context. A
// session that began before the user's sessions were ended (password change,
// disabling) is destroyed here, on whichever instance sees it next.
func (s *web) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := accounts.UserByID(ctx, s.db, id)
		authAt := s.getTime(ctx, sessAuthAt)
		switch {
		case err == nil && u.SessionValid(authAt):
			ctx = context.WithValue(ctx, userKey, u)
		case err == nil || errors.Is(err, database.ErrNotFound):
			if err := s.sessions.Destroy(ctx); err != nil {
				s.adapt(func(http.ResponseWriter, *http.Request) error { return err }).ServeHTTP(w, r)
				return
			}
		default:
			s.adapt(func(http.ResponseWriter, *http.Request) error { return err }).ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// currentUser returns the signed-in user, or nil.
func (s *web) currentUser(r *http.Request) *accounts.User {
	u, _ := r.Context().Value(userKey).(*accounts.User)
	return u
}

// authorize is the one access decision for an object: it asks accounts
// whether the signed-in user may take act on obj.
func (s *web) authorize(r *http.Request, act accounts.Action, obj accounts.Object) error {
	return s.access.Allow(r.Context(), s.currentUser(r), act, obj)
}

// fresh reports whether the user proved who they are — password and, when
// they have one, second factor — within the last ten minutes.
func (s *web) fresh(r *http.Request) bool {
	at := s.getTime(r.Context(), sessFreshAt)
	return !at.IsZero() && time.Since(at) < s.freshFor
}

// requireFresh sends the user to sign in again unless they did so in the
// last ten minutes; after that they come back to returnTo.
func (s *web) requireFresh(w http.ResponseWriter, r *http.Request, returnTo string) bool {
	if s.fresh(r) {
		return true
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/reauth?return="+url.QueryEscape(returnTo), http.StatusSeeOther)
	return false
}

// signInRedirect sends a visitor who is not signed in to the sign-in page,
// which brings them back here afterwards.
func (s *web) signInRedirect(w http.ResponseWriter, r *http.Request) {
	lang, _ := s.langOf(r)
	ret := ""
	if r.Method == http.MethodGet {
		ret = r.URL.RequestURI()
	}
	to := "/" + string(lang) + "/login"
	if ret != "" {
		to += "?return=" + url.QueryEscape(ret)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// guard makes a route need a signed-in user whose role may take act, and
// who has enrolled a second factor when the user's role must have one.
func (s *web) guard(act accounts.Action, pattern string, next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := s.currentUser(r)
		if u == nil {
			s.signInRedirect(w, r)
			return nil
		}
		if err := s.access.Allow(r.Context(), u, act, accounts.Object{}); err != nil {
			return err
		}
		if !u.TOTPEnabled && pattern != totpEnrolGet && pattern != totpEnrolPost {
			required, err := s.totpRequired(r.Context())
			if err != nil {
				return err
			}
			if required[u.Role] {
				http.Redirect(w, r, "/"+r.PathValue("lang")+"/account/2fa", http.StatusSeeOther)
				return nil
			}
		}
		return next(w, r)
	}
}

// putTime stores an instant in the session as Unix nanoseconds, which the
// session's encoding carries without type registration.
func (s *web) putTime(ctx context.Context, key string, t time.Time) {
	s.sessions.Put(ctx, key, t.UnixNano())
}

// getTime reads an instant stored by putTime; zero when absent.
func (s *web) getTime(ctx context.Context, key string) time.Time {
	n := s.sessions.GetInt64(ctx, key)
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// actor is who acts in a request: the signed-in user and the client's
// address, as every use case takes it.
func (s *web) actor(r *http.Request) accounts.Actor {
	return accounts.UserActor(s.currentUser(r), clientIP(r))
}
