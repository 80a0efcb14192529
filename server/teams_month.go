package server

import (
	"net/http"
	"time"

	"digiportal/indicators"
	"digiportal/teams"
)

// teamsMonths is how many months back the official can look at a team's
// help log.
const teamsMonths = 12

// teamsMonthOption is a month the official can choose.
type teamsMonthOption struct {
	Value, Label string
	Selected     bool
}

// teamsMonth reads ?month= ("2026-12"), one of the last teamsMonths months
// in Vietnam, this month when absent; anything else is a bad request.
func teamsMonth(r *http.Request, p Page, now time.Time) (string, []teamsMonthOption, error) {
	this, err := indicators.ParsePeriod(teams.Today(now)[:7])
	if err != nil {
		return "", nil, err
	}
	want := r.URL.Query().Get("month")
	if want == "" {
		want = this.String()
	}
	var opts []teamsMonthOption
	found := false
	for m, i := this, 0; i < teamsMonths; m, i = m.Prev(), i+1 {
		o := teamsMonthOption{Value: m.String(), Label: indPeriodLabel(p.L, m), Selected: m.String() == want}
		found = found || o.Selected
		opts = append(opts, o)
	}
	if !found {
		return "", nil, errBadRequest
	}
	return want, opts, nil
}
