package server

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"digiportal/i18n"
	"digiportal/indicators"
)

// indicatorsQuery reads a dashboard's filters from the URL: unit, from, to
// (months, YYYY-MM) and indicator. Anything unreadable is a 400.
func (s *indicatorsPart) indicatorsQuery(r *http.Request) (indicators.Query, error) {
	q := r.URL.Query()
	from, to := indicators.DefaultRangeOn(s.now(), q.Get("date"))
	var err error
	iq := indicators.Query{Unit: q.Get("unit"), Indicator: q.Get("indicator"), Day: q.Get("date")}
	if iq.From, err = indicators.ParseMonthOr(q.Get("from"), from); err != nil {
		return iq, errBadRequest
	}
	if iq.To, err = indicators.ParseMonthOr(q.Get("to"), to); err != nil {
		return iq, errBadRequest
	}
	if iq.To.Compare(iq.From) < 0 || len(iq.Unit) > 10 || len(iq.Indicator) > 40 || (iq.Day != "" && !indicators.ValidDay(iq.Day)) {
		return iq, errBadRequest
	}
	return iq, nil
}

// dashboardErr maps the domain's refusals of a query to statuses.
func dashboardErr(err error) error {
	if errors.Is(err, indicators.ErrBadQuery) {
		return errBadRequest
	}
	return err
}

// indNumbers formats the figures of one page in the page's language.
type indNumbers struct{ L *i18n.Localizer }

// count formats a rolled-up count, rounded to a whole number.
func (n indNumbers) count(f float64) string { return n.L.Int(int64(math.Round(f))) }

// pct formats a figure's percentage, "–" when there is none.
func (n indNumbers) pct(f indicators.Figure) string {
	if !f.Has() {
		return "–"
	}
	return n.L.Percent(f.Percent)
}

// target words a target: "≥ 80%" or "> 50%".
func (n indNumbers) target(t *indicators.Target) string {
	if t == nil {
		return "–"
	}
	op := "≥ "
	if t.Strict {
		op = "> "
	}
	return op + n.L.Percent(t.Value)
}

// targetWords words a target inside a sentence: "80%" or "over 50%".
func (n indNumbers) targetWords(t *indicators.Target) string {
	if t.Strict {
		return n.L.T("indicators.target.over", "Value", n.L.Percent(t.Value))
	}
	return n.L.Percent(t.Value)
}

// indPeriodLabel words a period in the page's language.
func indPeriodLabel(l *i18n.Localizer, p indicators.Period) string {
	return p.Label(l.T)
}

// dashboardLink builds the URL of a dashboard view with filters, so that
// every view is a shareable link.
func dashboardLink(base string, q indicators.Query, extra ...string) string {
	v := url.Values{}
	if q.Unit != "" {
		v.Set("unit", q.Unit)
	}
	if q.Indicator != "" {
		v.Set("indicator", q.Indicator)
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.String())
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.String())
	}
	if q.Day != "" {
		v.Set("date", q.Day)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
		} else {
			v.Set(extra[i], extra[i+1])
		}
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// indPageParam reads ?page= as a number from 1.
func indPageParam(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if n < 1 || n > 100000 {
		return 1
	}
	return n
}

// indMonthOptions lists the months a range filter offers, newest first.
func indMonthOptions(l *i18n.Localizer, to indicators.Period, n int) []indOption {
	out := make([]indOption, 0, n)
	for m, i := to, 0; i < n; m, i = m.Prev(), i+1 {
		out = append(out, indOption{Value: m.String(), Label: indPeriodLabel(l, m)})
	}
	return out
}

// indDayLabel formats a day written YYYY-MM-DD in the page's language; a
// day that is not one is shown as it is.
func indDayLabel(l *i18n.Localizer, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return l.Date(t)
}

// indOption is one choice of a select.
type indOption struct {
	Value, Label string
}

// urlQuery escapes a query-string value.
func urlQuery(s string) string { return url.QueryEscape(s) }
