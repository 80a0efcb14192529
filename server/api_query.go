package server

import (
	"net/url"
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

// errAPIQuery explains a refused query string to the API's caller.
type errAPIQuery struct{ Param, Why string }

func (e *errAPIQuery) Error() string { return e.Param + ": " + e.Why }

// parseAPIQuery reads and checks every parameter the API takes; unknown
// parameters are refused so that typos do not silently widen a query.
func parseAPIQuery(v url.Values, defFrom, defTo indicators.Period) (apiQuery, error) {
	q := apiQuery{Limit: 100, From: defFrom, To: defTo}
	for k, vs := range v {
		if len(vs) != 1 {
			return q, &errAPIQuery{k, "give it once"}
		}
		val := strings.TrimSpace(vs[0])
		if len(val) > 400 {
			return q, &errAPIQuery{k, "too long"}
		}
		switch k {
		case "date":
			if !indicators.ValidDay(val) {
				return q, &errAPIQuery{k, "want YYYY-MM-DD"}
			}
			q.Date = val
		case "unit", "parent":
			if val != "" && !isDigits(val, 2, 5) {
				return q, &errAPIQuery{k, "want a statistics-office code of 2 to 5 digits"}
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
					return q, &errAPIQuery{k, "want indicator codes separated by commas"}
				}
				q.Indicators = append(q.Indicators, c)
			}
			if len(q.Indicators) > 20 {
				return q, &errAPIQuery{k, "at most 20"}
			}
		case "from", "to":
			p, err := indicators.ParsePeriod(val)
			if err != nil || p.Kind != indicators.Monthly {
				return q, &errAPIQuery{k, "want a month YYYY-MM"}
			}
			if k == "from" {
				q.From = p
			} else {
				q.To = p
			}
		case "limit", "offset":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 || (k == "limit" && (n < 1 || n > 1000)) || n > 1_000_000 {
				return q, &errAPIQuery{k, "want a whole number (limit 1 to 1000)"}
			}
			if k == "limit" {
				q.Limit = n
			} else {
				q.Offset = n
			}
		default:
			return q, &errAPIQuery{k, "unknown parameter"}
		}
	}
	if q.To.Compare(q.From) < 0 {
		return q, &errAPIQuery{"from", "after to"}
	}
	if n := len(indicators.MonthRange(q.From, q.To, indicators.MaxMonths+1)); n > indicators.MaxMonths {
		return q, &errAPIQuery{"from", "at most 60 months"}
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
