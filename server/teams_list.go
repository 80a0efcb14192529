package server

import (
	"net/http"

	"digiportal/indicators"

	"digiportal/teams"
)

// teamForm is what an official types for a team, as typed.
type teamForm struct {
	Name, Households string
	// The help desk's place and hours, on the team's own page only.
	DeskPlace, DeskHours string
}

type teamsListView struct {
	Page
	Teams []teamRow
	Form  teamForm
	Done  string
	Month string
	// MonthValue is the month shown ("2026-12"), Months those to choose.
	MonthValue string
	Months     []teamsMonthOption
}

// teamRow is a team with what its help log of the month adds up to:
// households reached against the hamlet's household count.
type teamRow struct {
	teams.Team
	Total    teams.MonthTotal
	Coverage string // households reached as a share of the count, "" when unknown
}

// teamsList lists the commune's teams with the form that adds one.
func (s *indicatorsPart) teamsList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamsListView(w, r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "created" {
		v.Done = "teams.done.created"
	}
	return s.render(w, r, "teams", v)
}

func (s *indicatorsPart) teamsListView(w http.ResponseWriter, r *http.Request) (*teamsListView, error) {
	unit := s.currentUser(r).UnitCode
	list, err := teams.List(r.Context(), s.db, unit)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "teams.title")
	month, months, err := teamsMonth(r, p, s.now())
	if err != nil {
		return nil, err
	}
	totals, err := teams.MonthTotals(r.Context(), s.db, unit, month)
	if err != nil {
		return nil, err
	}
	v := &teamsListView{Page: p, Month: monthLabel(p, month), MonthValue: month, Months: months}
	for _, t := range list {
		row := teamRow{Team: t, Total: totals[t.ID]}
		if t.Households > 0 {
			row.Coverage = p.L.T("teams.coverage", "Percent", p.L.Int(row.Total.Households*100/t.Households))
		}
		v.Teams = append(v.Teams, row)
	}
	return v, nil
}

// monthLabel words a month ("2026-12") for a heading.
func monthLabel(p Page, month string) string {
	m, err := indicators.ParsePeriod(month)
	if err != nil {
		return month
	}
	return indPeriodLabel(p.L, m)
}
