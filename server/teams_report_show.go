package server

import (
	"net/http"
	"net/url"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/teams"
)

// teamsReportNoTeamNames bounds the communes without a team the
// province's report names; the rest are counted.
const teamsReportNoTeamNames = 60

// teamsReportView is the officials' report of what the teams' help logs
// add up to in one month: one row per hamlet (team) of the commune
// chosen, their total, and the places to send help next. A commune
// official sees their commune; a province official chooses one of the
// province's communes and sees, besides, the communes with no team.
//
// Rows is per hamlet and month, the help log's figures beside those of the
// team's classes held in the month (teams.ClassTotals).
type teamsReportView struct {
	Page
	// MonthValue is the month shown ("2026-12"), Month its label, Months
	// those to choose.
	MonthValue string
	Month      string
	Months     []teamsMonthOption
	// Province: the official chooses a commune among Communes; UnitCode
	// is the commune shown ("" when none is chosen yet), UnitName its name.
	Province bool
	Communes []teamsReportUnit
	UnitCode string
	UnitName string
	Rows     []teamsReportRow
	Total    teamsReportRow
	// KindMsgIDs head the columns of the kinds of help, in the order of
	// teams.HelpKinds and of each row's Kinds.
	KindMsgIDs []string
	// The places to send help next: hamlets whose team has no member now,
	// teams with no entry in the last teams.IdleDays days, and (for a
	// province) communes with no team, the first few named.
	NoMember   []string
	Idle       []teamsReportIdle
	IdleDays   int
	NoTeam     []string
	NoTeamMore int64
	CSV        string // the address of the table's download
	// Services and Lessons are the services filed and lessons taken that
	// the month's entries name, with how many entries named each.
	Services []teamsReportPick
	Lessons  []teamsReportPick
}

// teamsReportPick is a service or lesson the month's entries name.
type teamsReportPick struct {
	Name    string
	Entries int64
}

// teamsReportUnit is a commune the province official may choose.
type teamsReportUnit struct {
	Code, Name string
	Selected   bool
}

// teamsReportRow is one hamlet's month: what its team's entries add up to
// against the hamlet's household count.
type teamsReportRow struct {
	teams.HamletMonth
	// Coverage is households reached as a share of the household count,
	// "" when the count is not known (0).
	Coverage string
	Percent  int64
	Known    bool
	// Classes are the team's classes held in the month and who attended.
	Classes teams.ClassTotal
}

// teamsReportIdle is a team with no recent entry and the day of its last.
type teamsReportIdle struct {
	Name    string
	LastDay string // "" when it never recorded one
}

// teamsReport shows the report, or with ?format=csv downloads its table.
func (s *indicatorsPart) teamsReport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.teamsReportView(w, r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("format") {
	case "":
		return s.render(w, r, "teams-report", v)
	case "csv":
		if v.UnitCode == "" {
			return errBadRequest
		}
		return teamsReportCSV(w, v)
	}
	return errBadRequest
}

func (s *indicatorsPart) teamsReportView(w http.ResponseWriter, r *http.Request) (*teamsReportView, error) {
	p := s.page(w, r, "teamviews.report.title")
	now := s.now()
	month, months, err := teamsMonth(r, p, now)
	if err != nil {
		return nil, err
	}
	own, ok, err := s.ownUnit(r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	en := p.Lang == i18n.EN
	v := &teamsReportView{Page: p, MonthValue: month, Month: monthLabel(p, month), Months: months, IdleDays: teams.IdleDays,
		Province: s.currentUser(r).Role == accounts.RoleProvinceOfficial}
	for _, k := range teams.HelpKinds {
		v.KindMsgIDs = append(v.KindMsgIDs, "teams.log.done_"+k)
	}
	communes, err := s.teamsCommunes(r, own)
	if err != nil {
		return nil, err
	}
	want := r.URL.Query().Get("unit")
	if want == "" && !v.Province {
		want = own.Code
	}
	if want != "" {
		// Out of the official's scope, or no commune of it: not found.
		if err := s.authorizeUnit(r, accounts.ActTeamsReport, want); err != nil {
			return nil, err
		}
		found := false
		for _, c := range communes {
			if c.Code == want {
				found, v.UnitCode, v.UnitName = true, c.Code, c.DisplayName(en)
			}
		}
		if !found {
			return nil, errNotFound
		}
	}
	if v.Province {
		codes := make([]string, len(communes))
		for i, c := range communes {
			codes[i] = c.Code
			v.Communes = append(v.Communes, teamsReportUnit{Code: c.Code, Name: c.DisplayName(en), Selected: c.Code == v.UnitCode})
		}
		counts, err := teams.TeamCounts(r.Context(), s.db, codes)
		if err != nil {
			return nil, err
		}
		for _, c := range communes {
			if counts[c.Code] > 0 {
				continue
			}
			if len(v.NoTeam) < teamsReportNoTeamNames {
				v.NoTeam = append(v.NoTeam, c.DisplayName(en))
			} else {
				v.NoTeamMore++
			}
		}
	}
	if v.UnitCode == "" {
		return v, nil
	}
	hamlets, err := teams.MonthReport(r.Context(), s.db, v.UnitCode, month)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(hamlets))
	for i, h := range hamlets {
		ids[i] = h.Team.ID
	}
	first, last, err := monthDays(month)
	if err != nil {
		return nil, err
	}
	classes, err := teams.ClassTotals(r.Context(), s.db, ids, first, last)
	if err != nil {
		return nil, err
	}
	today := teams.Today(now)
	var counted int64 // households of the hamlets whose count is known
	var reachedCounted int64
	for _, h := range hamlets {
		row := reportRow(p, h)
		row.Classes = classes[h.Team.ID]
		v.Rows = append(v.Rows, row)
		v.Total.Classes.Held += row.Classes.Held
		v.Total.Classes.Attended1559 += row.Classes.Attended1559
		v.Total.Classes.Attended60 += row.Classes.Attended60
		t := &v.Total.HamletMonth
		t.Households += h.Households
		t.Team.Households += h.Team.Households
		t.Team.Members += h.Members
		t.Entries += h.Entries
		t.People1559 += h.People1559
		t.People60 += h.People60
		for i := range t.Kinds {
			t.Kinds[i].Entries += h.Kinds[i].Entries
			t.Kinds[i].People += h.Kinds[i].People
		}
		if h.Team.Households > 0 {
			counted += h.Team.Households
			reachedCounted += h.Households
		}
		if h.Members == 0 {
			v.NoMember = append(v.NoMember, h.Name)
		}
		if h.Idle(today) {
			idle := teamsReportIdle{Name: h.Name}
			if d, err := time.Parse("2006-01-02", h.LastDay); err == nil {
				idle.LastDay = p.L.Date(d)
			}
			v.Idle = append(v.Idle, idle)
		}
	}
	picked, err := teams.MonthPicks(r.Context(), s.db, v.UnitCode, month)
	if err != nil {
		return nil, err
	}
	cat := s.help
	for _, x := range picked {
		switch x.Kind {
		case teams.PickService:
			v.Services = append(v.Services, teamsReportPick{Name: cat.serviceName(p.Lang, x.Code), Entries: x.Entries})
		case teams.PickLesson:
			v.Lessons = append(v.Lessons, teamsReportPick{Name: cat.lessonName(p.Lang, x.Code), Entries: x.Entries})
		}
	}
	if counted > 0 {
		v.Total.Known, v.Total.Percent = true, reachedCounted*100/counted
		v.Total.Coverage = p.L.T("teams.coverage", "Percent", p.L.Int(v.Total.Percent))
	}
	q := url.Values{"month": {month}, "format": {"csv"}}
	if v.Province {
		q.Set("unit", v.UnitCode)
	}
	v.CSV = "/" + string(p.Lang) + "/reports/teams?" + q.Encode()
	return v, nil
}

// reportRow words one hamlet's month for the report.
func reportRow(p Page, h teams.HamletMonth) teamsReportRow {
	row := teamsReportRow{HamletMonth: h}
	if h.Team.Households > 0 {
		row.Known, row.Percent = true, h.Households*100/h.Team.Households
		row.Coverage = p.L.T("teams.coverage", "Percent", p.L.Int(row.Percent))
	}
	return row
}

// teamsCommunes lists the communes of today in the official's unit, by
// name: the unit itself when it has none below it (a commune official's),
// else the units at the bottom of its subtree (a province's communes and
// wards).
func (s *indicatorsPart) teamsCommunes(r *http.Request, own *indicators.Unit) ([]indicators.Unit, error) {
	sub, err := indicators.Subtree(r.Context(), s.db, own, indicators.Today(s.now()))
	if err != nil {
		return nil, err
	}
	parents := map[string]bool{}
	for _, u := range sub {
		parents[u.ParentCode] = true
	}
	var out []indicators.Unit
	for _, u := range sub {
		if !parents[u.Code] && (u.Code != own.Code || len(sub) == 1) {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		out = append(out, *own)
	}
	return out, nil
}

// monthDays is the first and last day ("2006-01-02") of a month ("2006-01").
func monthDays(month string) (first, last string, err error) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return "", "", err
	}
	return m.Format("2006-01-02"), m.AddDate(0, 1, -1).Format("2006-01-02"), nil
}
