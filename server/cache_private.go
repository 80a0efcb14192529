package server

import (
	"net/http"
	"strings"
)

// privatePaths are the route paths whose answers belong to one person even
// when nobody is signed in: a link's token, a payment's reference, a
// self-assessment's id, a visitor's progress, and every export.
var privatePaths = []string{
	"/{lang}/set-password/",
	"/{lang}/password/",
	"/{lang}/login",
	"/{lang}/signup",
	"/{lang}/reauth",
	"/{lang}/account",
	"/{lang}/payments/{ref}",
	"/{lang}/assessment/{id}",
	"/{lang}/assessment/resume",
	"/{lang}/progress",
	"/export/",
}

// privateRoute reports whether a route's answers must never be stored by
// a browser or a proxy whoever asks.
func privateRoute(rt route) bool {
	if rt.access != "" || rt.private {
		return true
	}
	_, p, _ := strings.Cut(rt.pattern, " ")
	for _, pre := range privatePaths {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// noStore makes the answers of a private route, and every answer to a
// signed-in user, "Cache-Control: no-store": a shared computer's next user
// must not find the last one's pages in the history or the cache. It is
// set when the answer starts, over whatever the handler chose, so no page
// can forget it.
func (s *web) noStore(private bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if private || s.currentUser(r) != nil || hasSession(r) && s.sessions.GetInt64(r.Context(), sessPendingUID) != 0 {
			w = &noStoreWriter{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

// noStoreWriter sets Cache-Control: no-store as the answer starts.
type noStoreWriter struct {
	http.ResponseWriter
	started bool
}

func (w *noStoreWriter) start() {
	if !w.started {
		w.started = true
		w.Header().Set("Cache-Control", "no-store")
	}
}

func (w *noStoreWriter) WriteHeader(code int) {
	w.start()
	w.ResponseWriter.WriteHeader(code)
}

func (w *noStoreWriter) Write(b []byte) (int, error) {
	w.start()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath, for
// streamed exports that flush.
func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
