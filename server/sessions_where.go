package server

import (
	"context"
	"net/http"
	"strings"
)

// sessionlessPaths are the addresses served without reading a session:
// the assets, the health checks and the metrics use nobody's session,
// and reading one cost each of their requests a session read, a user read
// and a session write, and gave every asset "Vary: Cookie", so that a
// shared cache kept a copy per visitor.
var sessionlessPaths = []string{"/static/", "/livez", "/readyz", "/metrics"}

// sessionless reports whether the request's path is one of
// sessionlessPaths (a prefix ending in "/", else the whole path).
func sessionless(r *http.Request) bool {
	p := r.URL.Path
	for _, s := range sessionlessPaths {
		if p == s || strings.HasSuffix(s, "/") && strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

const sessionsKey ctxKey = 101

// withSessions loads the session and the signed-in user, and notes where
// the session is used, for every request but the sessionless ones.
func (s *web) withSessions(next http.Handler) http.Handler {
	loaded := s.sessions.LoadAndSave(s.loadUser(s.noteSession(next)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionless(r) {
			next.ServeHTTP(w, r)
			return
		}
		loaded.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionsKey, true)))
	})
}

// hasSession reports whether the request's session was loaded: reading a
// session that was not is a programming error the session manager
// panics on.
func hasSession(r *http.Request) bool {
	on, _ := r.Context().Value(sessionsKey).(bool)
	return on
}
