package server

import (
	"net/http"

	"digiportal/indicators"
)

type apiUnit struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	NameEN    string `json:"name_en,omitempty"`
	Kind      string `json:"kind"`
	Level     int    `json:"level"`
	Parent    string `json:"parent,omitempty"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to,omitempty"`
}

func apiUnitOf(u *indicators.Unit) apiUnit {
	a := apiUnit{Code: u.Code, Name: u.Name, NameEN: u.NameEN, Kind: string(u.Kind), Level: u.Level, Parent: u.ParentCode, ValidFrom: u.ValidFrom}
	if u.ValidTo != indicators.OpenEnd {
		a.ValidTo = u.ValidTo
	}
	return a
}

// apiUnitsList lists the units valid on a day: all, or the children of one,
// or those whose name matches q (diacritics ignored).
func (s *indicatorsPart) apiUnitsList(w http.ResponseWriter, r *http.Request) error {
	q, err := s.apiParse(r, apiUnitsParams)
	if err != nil {
		return err
	}
	ctx := r.Context()
	out := struct {
		Date  string    `json:"date"`
		Total int       `json:"total"`
		Units []apiUnit `json:"units"`
	}{Date: q.Date, Units: []apiUnit{}}
	var us []indicators.Unit
	if q.Parent != "" {
		kids, err := indicators.Children(ctx, s.db, q.Parent, q.Date)
		if err != nil {
			return err
		}
		out.Total = len(kids)
		if q.Offset < len(kids) {
			us = kids[q.Offset:min(len(kids), q.Offset+q.Limit)]
		}
	} else {
		page, err := indicators.SearchUnits(ctx, s.db, q.Search, q.Date, q.Limit, q.Offset)
		if err != nil {
			return err
		}
		us, out.Total = page.Units, page.Total
	}
	for i := range us {
		out.Units = append(out.Units, apiUnitOf(&us[i]))
	}
	return s.apiWrite(w, r, out)
}
