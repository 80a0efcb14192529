package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"digiportal/database"
	"digiportal/indicators"
)

// The read-only JSON API of approved figures. Every answer carries an
// ETag (a hash of the body) and Last-Modified (when counted figures or
// units last changed), and answers 304 to a client that already has it.

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

// apiUnits lists the units valid on a day: all, or the children of one,
// or those whose name matches q (diacritics ignored).
func (s *indicatorsPart) apiUnits(w http.ResponseWriter, r *http.Request) error {
	q, ok := s.apiParse(w, r)
	if !ok {
		return nil
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

// apiIndicators lists the indicators with their elements and targets.
func (s *indicatorsPart) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.apiParse(w, r); !ok {
		return nil
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

// apiValues gives the approved roll-up of a unit (the portal's province by
// default) month by month: numerator, denominator and value of each
// indicator, and the completeness of reporting below the unit.
func (s *indicatorsPart) apiValues(w http.ResponseWriter, r *http.Request) error {
	q, ok := s.apiParse(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	d, err := indicators.BuildDashboard(ctx, s.db, indicators.Query{Unit: q.Unit, Day: q.Date, From: q.From, To: q.To}, s.now())
	if errors.Is(err, database.ErrNotFound) {
		apiError(w, http.StatusNotFound, "unit", "no such unit on that date")
		return nil
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
		apiError(w, http.StatusNotFound, "indicator", "no such indicator")
		return nil
	}
	for i, m := range d.Months {
		c := d.Completeness[i]
		out.Completeness = append(out.Completeness, apiCompleteness{Period: m.String(), Expected: c.Expected, Reported: c.Reported, Approved: c.Approved})
	}
	return s.apiWrite(w, r, out)
}

// apiParse reads the query string, answering 400 itself when it is wrong.
func (s *indicatorsPart) apiParse(w http.ResponseWriter, r *http.Request) (apiQuery, bool) {
	now := s.now()
	from, to := indicators.DefaultRange(now)
	q, err := parseAPIQuery(r.URL.Query(), from, to)
	var qe *errAPIQuery
	if errors.As(err, &qe) {
		apiError(w, http.StatusBadRequest, qe.Param, qe.Why)
		return q, false
	}
	if q.Date == "" {
		q.Date = indicators.Today(now)
	}
	return q, true
}

func apiError(w http.ResponseWriter, status int, param, why string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": http.StatusText(status), "parameter": param, "detail": why})
}

// apiWrite answers v as JSON with caching headers, or 304 when the client
// already holds this very answer.
func (s *indicatorsPart) apiWrite(w http.ResponseWriter, r *http.Request, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	changed, err := indicators.DataChangedAt(r.Context(), s.db)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	if !changed.IsZero() {
		h.Set("Last-Modified", changed.UTC().Format(http.TimeFormat))
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/")); t == etag || t == "*" {
				w.WriteHeader(http.StatusNotModified)
				return nil
			}
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" && !changed.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !changed.Truncate(time.Second).After(t) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type apiDocsView struct {
	Page
	Base string
}

// apiDocs is the short documentation page of the API, with examples.
func (s *indicatorsPart) apiDocs(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "indicators.api.title")
	return s.render(w, r, "api-docs", &apiDocsView{Page: p, Base: p.BaseURL})
}
