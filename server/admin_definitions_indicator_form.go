package server

import (
	"net/http"
	"strconv"

	"digiportal/i18n"
	"digiportal/indicators"
)

type adminIndicatorView struct {
	Page
	Indicator indicators.Indicator
	Elements  []indOption
	Factor    string
}

// adminDefinitionsIndicatorForm edits an indicator: its names and, chosen
// explicitly, its numerator and denominator.
func (s *indicatorsPart) adminDefinitionsIndicatorForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.indicatorEditView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-definitions-indicator", v)
}

func (s *indicatorsPart) indicatorEditView(w http.ResponseWriter, r *http.Request) (*adminIndicatorView, error) {
	in, err := indicators.IndicatorByCode(r.Context(), s.db, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	els, err := indicators.Elements(r.Context(), s.db)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "indicators.admin.indicator.title")
	v := &adminIndicatorView{Page: p, Indicator: *in, Factor: strconv.FormatFloat(in.Factor, 'f', -1, 64)}
	for _, e := range els {
		if e.Entered() {
			v.Elements = append(v.Elements, indOption{strconv.FormatInt(e.ID, 10), e.Name(p.Lang == i18n.EN)})
		}
	}
	return v, nil
}
