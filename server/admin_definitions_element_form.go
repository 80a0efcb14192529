package server

import (
	"net/http"
	"strconv"

	"digiportal/indicators"
)

type adminElementView struct {
	Page
	Element indicators.Element
	MinAge  string
	MaxAge  string
}

// adminDefinitionsElementForm edits a data element's names, its age band
// (the age that makes an "adult" is set here), its order and whether it is
// in use.
func (s *indicatorsPart) adminDefinitionsElementForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.elementOf(r)
	if err != nil {
		return err
	}
	v := adminElementView{Page: s.page(w, r, "indicators.admin.element.title"), Element: *e, MinAge: optAge(e.MinAge), MaxAge: optAge(e.MaxAge)}
	return s.render(w, r, "admin-definitions-element", &v)
}

func optAge(a *int) string {
	if a == nil {
		return ""
	}
	return strconv.Itoa(*a)
}

func (s *indicatorsPart) elementOf(r *http.Request) (*indicators.Element, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	return indicators.ElementByID(r.Context(), s.db, id)
}
