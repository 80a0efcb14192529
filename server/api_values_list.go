package server

import (
	"errors"
	"math"
	"net/http"

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

// apiValuesList gives the approved roll-up of a unit (the portal's province
// by default) month by month: numerator, denominator and value of each
// indicator, and the completeness of reporting below the unit.
func (s *indicatorsPart) apiValuesList(w http.ResponseWriter, r *http.Request) error {
	q, err := s.apiParse(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := indicators.BuildDashboard(ctx, s.db, indicators.Query{Unit: q.Unit, Day: q.Date, From: q.From, To: q.To}, s.now())
	if errors.Is(err, database.ErrNotFound) {
		return errAPINoUnit
	}
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, c := range q.Indicators {
		want[c] = true
	}
	out := struct {
		Date         string            `json:"date"`
		Basis        string            `json:"basis"`
		Unit         *apiUnit          `json:"unit"`
		Series       []apiSeries       `json:"series"`
		Completeness []apiCompleteness `json:"completeness"`
	}{Date: d.Query.Day, Basis: "approved", Series: []apiSeries{}}
	if d.Unit != nil {
		u := apiUnitOf(d.Unit)
		out.Unit = &u
	}
	for _, row := range d.Rows {
		if len(want) > 0 && !want[row.Indicator.Code] {
			continue
		}
		delete(want, row.Indicator.Code)
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
		out.Series = append(out.Series, sr)
	}
	if len(want) > 0 {
		return errAPINoIndicator
	}
	for i, m := range d.Months {
		c := d.Completeness[i]
		out.Completeness = append(out.Completeness, apiCompleteness{Period: m.String(), Expected: c.Expected, Reported: c.Reported, Approved: c.Approved})
	}
	return s.apiWrite(w, r, out)
}
