package server

import (
	"errors"
	"math"
	"net/http"
	"slices"

	"digiportal/database"
	"digiportal/indicators"
)

type apiValue struct {
	Period        string   `json:"period"`
	Numerator     float64  `json:"numerator"`
	Denominator   float64  `json:"denominator"`
	Value         *float64 `json:"value"`
	NotComparable bool     `json:"not_comparable,omitempty"`
}

type apiSeries struct {
	Indicator string     `json:"indicator"`
	Values    []apiValue `json:"values"`
}

type apiCompleteness struct {
	Period   string `json:"period"`
	Expected int    `json:"expected"`
	Reported int    `json:"reported"`
	Approved int    `json:"approved"`
}

// The API's 404s name the parameter whose code names nothing.
var (
	errAPINoUnit      = &statusError{status: http.StatusNotFound, msgID: "error.404.body", apiMsgID: "api.notfound.unit", param: "unit"}
	errAPINoIndicator = &statusError{status: http.StatusNotFound, msgID: "error.404.body", apiMsgID: "api.notfound.indicator", param: "indicator"}
)

// An answer with parent= holds at most apiValuesParentMax units, and
// apiValuesParentPage unless limit says otherwise: each is a dashboard's
// worth of roll-ups.
const (
	apiValuesParentMax  = 50
	apiValuesParentPage = 20
)

// apiUnitValues is one unit's series and completeness.
type apiUnitValues struct {
	Unit         *apiUnit          `json:"unit"`
	Series       []apiSeries       `json:"series"`
	Completeness []apiCompleteness `json:"completeness"`
}

// apiValuesList gives the approved roll-up of a unit (the portal's province
// by default) month by month: numerator, denominator and value of each
// indicator, and the completeness of reporting below the unit. With
// parent= it gives the same for each unit directly under parent, a page at
// a time (limit, offset), so that a province's communes take a few calls
// instead of one per commune.
func (s *indicatorsPart) apiValuesList(w http.ResponseWriter, r *http.Request) error {
	q, err := s.apiParse(r, apiValuesParams)
	if err != nil {
		return err
	}
	if q.Parent != "" && q.Unit != "" {
		return badParam("parent", "api.param.unit_or_parent")
	}
	if q.Parent != "" && !r.URL.Query().Has("limit") {
		q.Limit = apiValuesParentPage
	}
	if q.Parent != "" && q.Limit > apiValuesParentMax {
		return badParam("limit", "api.param.limit", "Max", apiValuesParentMax)
	}
	ctx := r.Context()
	if q.Parent == "" {
		uv, day, err := s.apiUnitValues(r, q, q.Unit)
		if err != nil {
			return err
		}
		return s.apiWrite(w, r, struct {
			Date  string `json:"date"`
			Basis string `json:"basis"`
			apiUnitValues
		}{day, "approved", uv})
	}
	parent, err := indicators.UnitByCode(ctx, s.db, q.Parent, q.Date)
	if errors.Is(err, database.ErrNotFound) {
		return errAPINoUnit.withParam("parent")
	}
	if err != nil {
		return err
	}
	kids, err := indicators.Children(ctx, s.db, parent.Code, q.Date)
	if err != nil {
		return err
	}
	pu := apiUnitOf(parent)
	out := struct {
		Date   string          `json:"date"`
		Basis  string          `json:"basis"`
		Parent apiUnit         `json:"parent"`
		Total  int             `json:"total"`
		Units  []apiUnitValues `json:"units"`
	}{Date: q.Date, Basis: "approved", Parent: pu, Total: len(kids), Units: []apiUnitValues{}}
	if q.Offset < len(kids) {
		for _, k := range kids[q.Offset:min(len(kids), q.Offset+q.Limit)] {
			uv, _, err := s.apiUnitValues(r, q, k.Code)
			if err != nil {
				return err
			}
			out.Units = append(out.Units, uv)
		}
	}
	return s.apiWrite(w, r, out)
}

// apiUnitValues builds the series of the unit with code (the portal's
// province when empty) for q's months and indicators, and says the day
// they are on.
func (s *indicatorsPart) apiUnitValues(r *http.Request, q apiQuery, code string) (apiUnitValues, string, error) {
	d, err := indicators.BuildDashboard(r.Context(), s.db, indicators.Query{Unit: code, Day: q.Date, From: q.From, To: q.To}, s.now())
	if errors.Is(err, database.ErrNotFound) {
		return apiUnitValues{}, "", errAPINoUnit
	}
	if err != nil {
		return apiUnitValues{}, "", err
	}
	uv := apiUnitValues{Series: []apiSeries{}, Completeness: []apiCompleteness{}}
	if d.Unit != nil {
		u := apiUnitOf(d.Unit)
		uv.Unit = &u
	}
	// Rows of the indicators asked for, all when none is; an indicator
	// asked for and not found is a 404, not an answer without it.
	found := map[string]bool{}
	for _, row := range d.Rows {
		if len(q.Indicators) > 0 && !slices.Contains(q.Indicators, row.Indicator.Code) {
			continue
		}
		found[row.Indicator.Code] = true
		sr := apiSeries{Indicator: row.Indicator.Code, Values: []apiValue{}}
		for i, m := range d.Months {
			f := row.Trend[i]
			v := apiValue{Period: m.String(), Numerator: math.Round(f.Num*100) / 100, Denominator: math.Round(f.Den*100) / 100, NotComparable: f.NotComparable}
			if f.Has() {
				x := math.Round(f.Percent*100) / 100
				v.Value = &x
			}
			sr.Values = append(sr.Values, v)
		}
		uv.Series = append(uv.Series, sr)
	}
	for _, c := range q.Indicators {
		if !found[c] {
			return apiUnitValues{}, "", errAPINoIndicator
		}
	}
	for i, m := range d.Months {
		c := d.Completeness[i]
		uv.Completeness = append(uv.Completeness, apiCompleteness{Period: m.String(), Expected: c.Expected, Reported: c.Reported, Approved: c.Approved})
	}
	return uv, d.Query.Day, nil
}
