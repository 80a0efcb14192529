package server

import (
	"context"
	"net/http"
	"strings"
)

// cheapPaths are the addresses that cost next to nothing to answer: the
// assets, the lessons' pictures, the health checks and the metrics. They
// use nobody's session, and they are never shed under load (overload.go).
var cheapPaths = []string{"/static/", "/media/", "/livez", "/readyz", "/metrics"}

// sessionlessPaths are the addresses served without reading a session:
// the cheap ones and the JSON API, which answers everyone alike. Reading
// one cost each of their requests a session read, a user read and a
// session write, and gave every asset "Vary: Cookie", so that a shared
// cache kept a copy per visitor.
var sessionlessPaths = append([]string{"/api/"}, cheapPaths...)

// sessionless reports whether the request's path is one of
// sessionlessPaths.
func sessionless(r *http.Request) bool { return pathIn(r.URL.Path, sessionlessPaths) }

// cheap reports whether the request's path is one of cheapPaths.
func cheap(r *http.Request) bool { return pathIn(r.URL.Path, cheapPaths) }

// pathIn reports whether p is one of paths: a prefix ending in "/", else
// the whole path.
func pathIn(p string, paths []string) bool {
	for _, s := range paths {
		if p == s || strings.HasSuffix(s, "/") && strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

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
