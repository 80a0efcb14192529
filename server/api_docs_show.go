package server

import (
	"net/http"
)

type apiDocsView struct {
	Page
	Base string
}

// apiDocsShow is the short documentation page of the API, with examples.
func (s *indicatorsPart) apiDocsShow(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "indicators.api.title")
	return s.render(w, r, "api-docs", &apiDocsView{Page: p, Base: p.BaseURL})
}
