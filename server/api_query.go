package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"digiportal/indicators"
)

// apiQuery is the parsed query string of an API request.
type apiQuery struct {
	Date       string
	Unit       string
	Parent     string
	Search     string
	Indicators []string
	From, To   indicators.Period
	Limit      int
	Offset     int
}

// Bounds of the API's query string.
const (
	apiMaxValue      = 400 // bytes of one parameter's value
	apiMaxIndicators = 20
	apiMaxLimit      = 1000
	apiMaxOffset     = 1_000_000
)

// The parameters each address takes; any other is refused, so that a
// parameter meant for another address (units?unit=77) does not silently
// return everything.
var (
	apiUnitsParams      = []string{"date", "parent", "q", "limit", "offset"}
	apiIndicatorsParams = []string{}
	apiValuesParams     = []string{"date", "unit", "parent", "indicator", "from", "to", "limit", "offset"}
)

// apiParse reads the query string of an API request, which may hold only
// the parameters in allowed; a wrong one is a 400 naming the parameter.
// The date is today unless given.
func (s *indicatorsPart) apiParse(r *http.Request, allowed []string) (apiQuery, error) {
	now := s.now()
	v := r.URL.Query()
	from, to := indicators.DefaultRangeOn(now, strings.TrimSpace(v.Get("date")))
	for k := range v {
		if !slices.Contains(allowed, k) {
			return apiQuery{}, badParam(k, "api.param.unknown")
		}
	}
	q, err := parseAPIQuery(v, from, to)
	if err != nil {
		return q, err
	}
	if q.Date == "" {
		q.Date = indicators.Today(now)
	}
	return q, nil
}

// parseAPIQuery reads and checks every parameter the API takes; unknown
// parameters are refused so that typos do not silently widen a query. A
// refusal is a *statusError naming the parameter and a message saying how
// to write it.
func parseAPIQuery(v url.Values, defFrom, defTo indicators.Period) (apiQuery, error) {
	q := apiQuery{Limit: 100, From: defFrom, To: defTo}
	for k, vs := range v {
		if len(vs) != 1 {
			return q, badParam(k, "api.param.once")
		}
		val := strings.TrimSpace(vs[0])
		if len(val) > apiMaxValue {
			return q, badParam(k, "api.param.too_long", "Max", apiMaxValue)
		}
		switch k {
		case "date":
			if !indicators.ValidDay(val) {
				return q, badParam(k, "api.param.date")
			}
			q.Date = val
		case "unit", "parent":
			if val != "" && !isDigits(val, 2, 5) {
				return q, badParam(k, "api.param.unit")
			}
			if k == "unit" {
				q.Unit = val
			} else {
				q.Parent = val
			}
		case "q":
			q.Search = val
		case "indicator":
			for _, c := range strings.Split(val, ",") {
				c = strings.ToUpper(strings.TrimSpace(c))
				if c == "" || len(c) > 40 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
					return q, badParam(k, "api.param.indicator")
				}
				q.Indicators = append(q.Indicators, c)
			}
			if len(q.Indicators) > apiMaxIndicators {
				return q, badParam(k, "api.param.indicator_count", "Max", apiMaxIndicators)
			}
		case "from", "to":
			p, err := indicators.ParsePeriod(val)
			if err != nil || p.Kind != indicators.Monthly {
				return q, badParam(k, "api.param.month")
			}
			if k == "from" {
				q.From = p
			} else {
				q.To = p
			}
		case "limit", "offset":
			n, err := strconv.Atoi(val)
			if k == "limit" {
				if err != nil || n < 1 || n > apiMaxLimit {
					return q, badParam(k, "api.param.limit", "Max", apiMaxLimit)
				}
				q.Limit = n
			} else {
				if err != nil || n < 0 || n > apiMaxOffset {
					return q, badParam(k, "api.param.offset", "Max", apiMaxOffset)
				}
				q.Offset = n
			}
		default:
			return q, badParam(k, "api.param.unknown")
		}
	}
	if q.To.Compare(q.From) < 0 {
		return q, badParam("from", "api.param.order")
	}
	if n := len(indicators.MonthRange(q.From, q.To, indicators.MaxMonths+1)); n > indicators.MaxMonths {
		return q, badParam("from", "api.param.months", "Max", indicators.MaxMonths)
	}
	return q, nil
}

func isDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
