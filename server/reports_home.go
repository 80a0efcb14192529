package server

import (
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

type reportsHomeView struct {
	Page
	Role      string
	UnitName  string
	Due       string
	DuePeriod string
	Units     []reportsHomeUnit
	Waiting   int
	CanEnter  bool
	CanReview bool
	IsAdmin   bool
}

type reportsHomeUnit struct {
	Code, Name, Status, StatusMsg, Link string
}

// reportsHome is the officials' start page: for a commune official the
// month due and the state of each unit's report; for a province official
// the reports waiting for approval; links to the dashboard and import.
func (s *indicatorsPart) reportsHome(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "indicators.reports.title")
	ctx := r.Context()
	u := s.currentUser(r)
	due := indicators.DueMonth(s.now())
	en := p.Lang == i18n.EN
	v := reportsHomeView{Page: p, Role: string(u.Role), Due: indPeriodLabel(p.L, due), DuePeriod: due.String(), IsAdmin: u.Role == accounts.RoleAdmin}
	v.CanEnter = s.authorize(r, accounts.ActIndicatorsEnter, accounts.Object{}) == nil
	v.CanReview = s.authorize(r, accounts.ActIndicatorsApprove, accounts.Object{}) == nil
	own, hasUnit, err := s.ownUnit(r)
	if err != nil {
		return err
	}
	if hasUnit {
		v.UnitName = own.DisplayName(en)
	}
	if v.CanEnter {
		units, err := indicators.ReportingUnits(ctx, s.db, u.UnitCode, due, 60)
		if err != nil {
			return err
		}
		for _, x := range units {
			rep, _, err := indicators.ReportFor(ctx, s.db, x.ID, due)
			if err != nil {
				return err
			}
			v.Units = append(v.Units, reportsHomeUnit{Code: x.Code, Name: x.DisplayName(en), Status: string(rep.Status), StatusMsg: statusMsg(rep.Status),
				Link: "/" + string(p.Lang) + "/reports/entry?unit=" + x.Code + "&period=" + due.String()})
		}
	}
	// An official counts the reports waiting in their unit's subtree, none
	// when their unit is unknown; an admin counts the country's.
	if v.IsAdmin || (v.CanReview && hasUnit) {
		f := indicators.ReportFilter{Status: indicators.StatusSubmitted, Limit: 1}
		if !v.IsAdmin {
			f.ScopePath = own.Path
		}
		_, n, err := indicators.ListReports(ctx, s.db, f)
		if err != nil {
			return err
		}
		v.Waiting = n
	}
	return s.render(w, r, "reports-home", &v)
}
