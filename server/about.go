package server

import (
	"html/template"
	"net/http"
)

// aboutView is a page about the portal itself: the privacy notice, the
// terms of use or the accessibility statement, whose text comes from the
// site file, or the contact page, which the site file fills.
type aboutView struct {
	Page
	Body template.HTML // the site file's text, already checked and rendered
}

// about serves the page named by the site file's text (privacy, terms,
// accessibility).
func (s *web) about(text string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := s.page(w, r, "about."+text+".title")
		return s.render(w, r, "about", &aboutView{Page: p, Body: s.cfg.Site.Text(text, p.Lang)})
	}
}

// aboutContact says who runs the portal and how to reach them.
func (s *web) aboutContact(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "about.contact.title")
	return s.render(w, r, "about-contact", &aboutView{Page: p})
}
