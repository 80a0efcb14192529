package server

import (
	"net/http"
	"strings"
)

// rootRedirect sends "/" to the remembered language, then the browser's
// preferred one, else Vietnamese.
func (s *web) rootRedirect(w http.ResponseWriter, r *http.Request) error {
	lang := s.bundle.FromRequest(r, langCookie)
	w.Header().Set("Vary", "Accept-Language, Cookie")
	http.Redirect(w, r, "/"+string(lang)+"/", http.StatusSeeOther)
	return nil
}

// langRoot adds the slash to "/vi" and "/en".
func (s *web) langRoot(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/", http.StatusMovedPermanently)
	return nil
}

// unmatched answers every request no route takes: 405 with the methods
// the path does take when another method would have matched it (a program
// sending POST to the API learns it wants GET), else 404.
func unmatched(mux *http.ServeMux, methods []string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var allow []string
		for _, m := range methods {
			probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
				if m == http.MethodGet {
					allow = append(allow, http.MethodHead)
				}
			}
		}
		if len(allow) == 0 {
			return errNotFound
		}
		return methodNotAllowed(strings.Join(allow, ", "))
	}
}
