package server

import "net/http"

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

// notFound answers every path no route matches.
func (s *web) notFound(w http.ResponseWriter, r *http.Request) error {
	return errNotFound
}
