package server

import "net/http"

type homeView struct {
	Page
}

// home introduces the four parts of the portal.
func (s *web) home(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "home.title")
	return s.render(w, r, "home", &homeView{Page: p})
}
