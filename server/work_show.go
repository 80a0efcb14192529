package server

import (
	"net/http"
	"strconv"
	"strings"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

// workView is the officials' workspace: what needs doing now, by role,
// and every official page one click away.
type workView struct {
	Page
	UnitName  string
	NoUnit    bool // an official whose unit the unit table does not hold
	Commune   *workCommune
	Province  *workProvince
	IsAdmin   bool
	Waiting   int // reports waiting for approval, for an admin
	Links     []workLink
	AdminLink []workLink
}

// workCommune is a commune official's part: the month due and the months
// before it, for each unit they report for.
type workCommune struct {
	Due, DueBy, From, To string
	Units                []workUnit
	More                 bool // more units than the page lists
}

type workUnit struct {
	Name, StatusMsg, Comment, Link string
	Returned                       bool
	History                        []workMonth
}

type workMonth struct {
	Label, StatusMsg, Link string
}

// workProvince is a province official's part: reports waiting by month,
// units late with the months before the one due, reports returned.
type workProvince struct {
	Waiting       []workCount
	WaitingTotal  int
	Late          []workLate
	Returned      []workReturned
	ReturnedTotal int
	ReturnedLink  string
}

type workCount struct {
	Label, Link, ApproveLink string
	Count                    int64
}

type workLate struct {
	Label, DueBy string
	Count        int
	Names        string // the first few, joined
	More         int
}

type workReturned struct {
	Unit, Month, Comment, Link string
}

type workLink struct {
	Href, MsgID, HintID string
}

// Bounds of the workspace, so that a large province stays within the
// page budget: units listed, months of history, months late, names each.
const (
	workUnits        = 20
	workHistory      = 6
	workHistoryUnits = 3
	workLateMonths   = 3
	workLateNames    = 8
	workPeriods      = 12
	workReturnedRows = 10
)

// workPage is an official page the workspace links to, shown to those
// whose role may take its action.
type workPage struct {
	path, msgID, hintID string
	act                 accounts.Action
	admin               bool
}

// workPages lists every official page outside the workspace.
func workPages() []workPage {
	return []workPage{
		{"/reports/entry", "indicators.entry.title", "workspace.hint.entry", accounts.ActIndicatorsEnter, false},
		{"/reports/import", "indicators.import.title", "workspace.hint.import", accounts.ActIndicatorsEnter, false},
		{"/reports/review", "indicators.review.title", "workspace.hint.review", accounts.ActIndicatorsView, false},
		{"/reports/dashboard", "indicators.official.title", "workspace.hint.dashboard", accounts.ActIndicatorsView, false},
		{"/reports/timeliness", "quality.timeliness.title", "workspace.hint.timeliness", accounts.ActIndicatorsView, false},
		{"/reports/followups", "quality.followup.title", "workspace.hint.followups", accounts.ActIndicatorsView, false},
		{"/reports/lessons", "lessons.stats.title", "workspace.hint.lessons", accounts.ActLessonsStats, false},
		{"/reports/assessments", "assessment.stats.title", "workspace.hint.assessments", accounts.ActAssessmentsStats, false},
		{"/reports/payments", "payments.report.title", "workspace.hint.payments", accounts.ActPaymentsList, false},
		{"/account/assisted-reset", "accounts.assisted.title", "workspace.hint.assisted", accounts.ActAssistedReset, false},
		{"/teams", "teams.title", "teams.hint.workspace", accounts.ActTeamsManage, false},
		{"/reports/teams", "teamviews.report.title", "teamviews.report.hint.workspace", accounts.ActTeamsReport, false},
		{"/teams/classes", "teamclasses.title", "teamclasses.hint.workspace", accounts.ActTeamsClasses, false},
		{"/admin/users", "accounts.admin.users.title", "workspace.hint.users", accounts.ActAdminUsers, true},
		{"/admin/users/new", "accounts.admin.new.title", "workspace.hint.new_user", accounts.ActAdminUsers, true},
		{"/admin/units", "indicators.admin.units.title", "workspace.hint.units", accounts.ActAdminUnits, true},
		{"/admin/definitions", "indicators.admin.definitions.title", "workspace.hint.definitions", accounts.ActAdminDefinitions, true},
		{"/admin/rules", "quality.rules.title", "workspace.hint.rules", accounts.ActAdminDefinitions, true},
		{"/admin/settings", "accounts.admin.settings.title", "workspace.hint.settings", accounts.ActAdminSettings, true},
		{"/admin/audit", "accounts.admin.audit.title", "workspace.hint.audit", accounts.ActAdminAudit, true},
	}
}

// workShow is the page officials and admins land on after signing in.
func (s *indicatorsPart) workShow(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "workspace.title")
	u := s.currentUser(r)
	v := workView{Page: p, IsAdmin: u.Role == accounts.RoleAdmin}
	for _, wp := range workPages() {
		if s.authorize(r, wp.act, accounts.Object{}) != nil {
			continue
		}
		l := workLink{Href: "/" + string(p.Lang) + wp.path, MsgID: wp.msgID, HintID: wp.hintID}
		if wp.admin {
			v.AdminLink = append(v.AdminLink, l)
		} else {
			v.Links = append(v.Links, l)
		}
	}
	own, hasUnit, err := s.ownUnit(r)
	if err != nil {
		return err
	}
	if hasUnit {
		v.UnitName = own.DisplayName(p.Lang == i18n.EN)
	}
	v.NoUnit = u.Role.Official() && !hasUnit
	if s.authorize(r, accounts.ActIndicatorsEnter, accounts.Object{}) == nil && hasUnit {
		if v.Commune, err = s.workCommune(r, p, own); err != nil {
			return err
		}
	}
	if s.authorize(r, accounts.ActIndicatorsApprove, accounts.Object{}) == nil && hasUnit {
		if v.Province, err = s.workProvince(r, p, own); err != nil {
			return err
		}
	}
	if v.IsAdmin {
		_, n, err := indicators.ListReports(r.Context(), s.db, indicators.ReportFilter{Status: indicators.StatusSubmitted, Limit: 1})
		if err != nil {
			return err
		}
		v.Waiting = n
	}
	return s.render(w, r, "work", &v)
}

// workCommune gathers the month due and the months before it for the
// units a commune official reports for.
func (s *indicatorsPart) workCommune(r *http.Request, p Page, own *indicators.Unit) (*workCommune, error) {
	ctx := r.Context()
	en := p.Lang == i18n.EN
	due := indicators.DueMonth(s.now())
	from, to := due.ReportingWindow()
	c := &workCommune{Due: indPeriodLabel(p.L, due), DueBy: indDayLabel(p.L, indicators.DueBy(due)), From: p.L.Date(from), To: p.L.Date(to)}
	units, err := indicators.ReportingUnits(ctx, s.db, own.Code, due, workUnits+1)
	if err != nil {
		return nil, err
	}
	if len(units) > workUnits {
		units, c.More = units[:workUnits], true
	}
	entry := func(code string, m indicators.Period) string {
		return "/" + string(p.Lang) + "/reports/entry?unit=" + urlQuery(code) + "&period=" + m.String()
	}
	for i, x := range units {
		rep, _, err := indicators.ReportFor(ctx, s.db, x.ID, due)
		if err != nil {
			return nil, err
		}
		wu := workUnit{Name: x.DisplayName(en), StatusMsg: statusMsg(rep.Status), Link: entry(x.Code, due),
			Returned: rep.Status == indicators.StatusReturned, Comment: rep.Comment}
		if i < workHistoryUnits {
			m := due
			for range workHistory {
				m = m.Prev()
				ok, err := indicators.IsReporting(ctx, s.db, &x, m)
				if err != nil {
					return nil, err
				}
				if !ok {
					break // the unit did not report then (it began later)
				}
				old, _, err := indicators.ReportFor(ctx, s.db, x.ID, m)
				if err != nil {
					return nil, err
				}
				wu.History = append(wu.History, workMonth{Label: indPeriodLabel(p.L, m), StatusMsg: statusMsg(old.Status), Link: entry(x.Code, m)})
			}
		}
		c.Units = append(c.Units, wu)
	}
	return c, nil
}

// workProvince gathers what waits for a province official: reports to
// approve by month, units late, reports returned and not yet sent again.
func (s *indicatorsPart) workProvince(r *http.Request, p Page, own *indicators.Unit) (*workProvince, error) {
	ctx := r.Context()
	en := p.Lang == i18n.EN
	lang := "/" + string(p.Lang)
	f := indicators.ReportFilter{Status: indicators.StatusSubmitted}
	if err := s.scopeReports(r, &f); err != nil {
		return nil, err
	}
	counts, err := indicators.CountByPeriod(ctx, s.db, f, workPeriods)
	if err != nil {
		return nil, err
	}
	v := &workProvince{}
	for _, c := range counts {
		m, err := indicators.ParsePeriod(c.Period)
		if err != nil {
			return nil, err
		}
		v.Waiting = append(v.Waiting, workCount{Label: indPeriodLabel(p.L, m), Count: int64(c.Count),
			Link:        lang + "/reports/review?status=submitted&period=" + c.Period,
			ApproveLink: lang + "/reports/review/approve-all?period=" + c.Period})
		v.WaitingTotal += c.Count
	}
	due := indicators.DueMonth(s.now())
	m := due
	for range workLateMonths {
		m = m.Prev()
		units, n, err := indicators.MissingReports(ctx, s.db, own.Code, m, workLateNames)
		if err != nil {
			return nil, err
		}
		l := workLate{Label: indPeriodLabel(p.L, m), DueBy: indDayLabel(p.L, indicators.DueBy(m)), Count: n, More: n - len(units)}
		names := make([]string, len(units))
		for i, u := range units {
			names[i] = u.DisplayName(en)
		}
		l.Names = strings.Join(names, ", ")
		v.Late = append(v.Late, l)
	}
	f.Status, f.Limit = indicators.StatusReturned, workReturnedRows
	rows, total, err := indicators.ListReports(ctx, s.db, f)
	if err != nil {
		return nil, err
	}
	v.ReturnedTotal = total
	v.ReturnedLink = lang + "/reports/review?status=returned"
	for _, row := range rows {
		m, err := indicators.ParsePeriod(row.Period)
		if err != nil {
			return nil, err
		}
		x, err := indicators.UnitByID(ctx, s.db, row.UnitID)
		if err != nil {
			return nil, err
		}
		name := x.DisplayName(en)
		v.Returned = append(v.Returned, workReturned{Unit: name, Month: indPeriodLabel(p.L, m), Comment: row.Comment,
			Link: lang + "/reports/review/" + strconv.FormatInt(row.ID, 10)})
	}
	return v, nil
}
