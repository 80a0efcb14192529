package server

import (
	"net/http"

	"digiportal/indicators"
)

type apiTarget struct {
	Year     int     `json:"year"`
	Value    float64 `json:"value"`
	Strict   bool    `json:"strict"`
	Unit     string  `json:"unit,omitempty"`
	SourceVI string  `json:"source_vi"`
	SourceEN string  `json:"source_en"`
}

type apiElement struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	MinAge *int   `json:"min_age,omitempty"`
	MaxAge *int   `json:"max_age,omitempty"`
}

type apiIndicator struct {
	Code        string      `json:"code"`
	NameVI      string      `json:"name_vi"`
	NameEN      string      `json:"name_en"`
	Numerator   apiElement  `json:"numerator"`
	Denominator apiElement  `json:"denominator"`
	Factor      float64     `json:"factor"`
	Targets     []apiTarget `json:"targets"`
}

func apiElementOf(e *indicators.Element) apiElement {
	if e == nil {
		return apiElement{}
	}
	return apiElement{Code: e.Code, NameVI: e.NameVI, NameEN: e.NameEN, MinAge: e.MinAge, MaxAge: e.MaxAge}
}

// apiIndicatorsList lists the indicators with their elements and targets.
func (s *indicatorsPart) apiIndicatorsList(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.apiParse(r, apiIndicatorsParams); err != nil {
		return err
	}
	ctx := r.Context()
	inds, err := indicators.Indicators(ctx, s.db)
	if err != nil {
		return err
	}
	ts, err := indicators.Targets(ctx, s.db)
	if err != nil {
		return err
	}
	out := struct {
		Indicators []apiIndicator `json:"indicators"`
	}{Indicators: []apiIndicator{}}
	for _, in := range inds {
		if !in.Active {
			continue
		}
		a := apiIndicator{Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Numerator: apiElementOf(in.Numerator), Denominator: apiElementOf(in.Denominator), Factor: in.Factor, Targets: []apiTarget{}}
		for _, t := range ts {
			if t.IndicatorID == in.ID {
				a.Targets = append(a.Targets, apiTarget{Year: t.Year, Value: t.Value, Strict: t.Strict, Unit: t.UnitCode, SourceVI: t.SourceVI, SourceEN: t.SourceEN})
			}
		}
		out.Indicators = append(out.Indicators, a)
	}
	return s.apiWrite(w, r, out)
}
