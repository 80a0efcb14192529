package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/server/export"
	"digiportal/teams"
)

// teamRecords gives the indicators part the help log's monthly sums by
// commune (indicators.TeamRecords). The sums read every entry of the
// months asked, all communes together (a national help log of 200,000
// entries takes about half a second of CPU for a year), and every
// dashboard, public or not, asks for them; so the sums of a span of months
// are kept for teamSumsFor and reused. A help-log write of this instance
// makes them stale at once (teams.LogWrites); another instance's write
// shows here within teamSumsFor.
type teamRecords struct {
	db  bun.IDB
	now func() time.Time

	mu   sync.Mutex
	kept map[string]teamSums // by "from to"
}

// teamSums is one span's sums as read at a time and write count.
type teamSums struct {
	rows   []indicators.TeamMonth
	at     time.Time
	writes int64
}

const (
	teamSumsFor  = 30 * time.Second // how long another instance's write may take to show
	teamSumsKept = 64               // spans kept at most; the dashboards ask for a few
)

func newTeamRecords(db bun.IDB, now func() time.Time) *teamRecords {
	return &teamRecords{db: db, now: now, kept: map[string]teamSums{}}
}

func (t *teamRecords) TeamMonths(ctx context.Context, from, to string) ([]indicators.TeamMonth, error) {
	key, writes, now := from+" "+to, teams.LogWrites(), t.now()
	t.mu.Lock()
	k, ok := t.kept[key]
	t.mu.Unlock()
	if ok && k.writes == writes && now.Sub(k.at) < teamSumsFor && !now.Before(k.at) {
		return k.rows, nil
	}
	rows, err := teams.UnitMonths(ctx, t.db, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]indicators.TeamMonth, len(rows))
	for i, r := range rows {
		out[i] = indicators.TeamMonth{UnitCode: r.UnitCode, Month: r.Month, Households: r.Households, People1559: r.People1559, People60: r.People60}
	}
	t.mu.Lock()
	if len(t.kept) >= teamSumsKept {
		clear(t.kept)
	}
	t.kept[key] = teamSums{rows: out, at: now, writes: writes}
	t.mu.Unlock()
	return out, nil
}

// teamsPublicMin is the smallest count from team records a public page or
// public export shows: a count of 1 to 4 is withheld ("fewer than 5"), as
// the portal's other public statistics withhold small groups
// (assessments.MinGroup). Every other count a public page shows is rounded
// to the nearest multiple of teamsPublicMin: anyone may open the page of
// the province and of each of its communes, so exact sums would give a
// withheld commune's count away by subtraction (the province's 10 less a
// commune's 7 is the other's 3). Officials see every count exactly.
const teamsPublicMin = 5

// indTeamsView is the dashboard's section of figures from team records,
// month by month, apart from the reported figures.
type indTeamsView struct {
	Heads         []string
	Rows          []indTeamsRow
	ExportCSV     string
	Min           int  // the smallest count a public page shows
	Empty         bool // no help-log entry lands on the unit in the months shown
	Withheld      bool // some counts are withheld on this public page
	Public        bool // a public page: counts withheld or rounded
	NotComparable bool
}

type indTeamsRow struct {
	Month string
	Cells []indTeamsCell
}

type indTeamsCell struct {
	Text                    string
	Withheld, NotComparable bool
}

// teamShortHeads are the section's column headings of the standard
// elements from team records.
var teamShortHeads = map[string]string{
	indicators.ElemTeamHouseholds: "teamind.short.households",
	indicators.ElemTeamPeople1559: "teamind.short.people_15_59",
	indicators.ElemTeamPeople60:   "teamind.short.people_60",
}

// teamsWithheld reports whether a public page withholds the count.
func teamsWithheld(n int64, official bool) bool {
	return !official && n > 0 && n < teamsPublicMin
}

// teamsShown is the count a page shows: exact for an official, else
// rounded to the nearest multiple of teamsPublicMin (half up), so that
// no difference of public figures is a withheld count.
func teamsShown(n int64, official bool) int64 {
	if official || n <= 0 {
		return n
	}
	return (n + teamsPublicMin/2) / teamsPublicMin * teamsPublicMin
}

// teamFiguresOf counts the elements from team records for the dashboard's
// unit over its months, on its day's hierarchy.
func (s *indicatorsPart) teamFiguresOf(ctx context.Context, d *indicators.Dashboard) (*indicators.TeamFigures, error) {
	return indicators.BuildTeamFigures(ctx, s.db, s.teamSums, d.Query.Day, []int64{d.UnitID()}, d.Months)
}

// teamsSection adds the figures from team records to a dashboard overview.
func (s *indicatorsPart) teamsSection(r *http.Request, v *indicatorsView, d *indicators.Dashboard) error {
	f, err := s.teamFiguresOf(r.Context(), d)
	if err != nil {
		return err
	}
	if len(f.Elements) == 0 {
		return nil
	}
	en := v.Lang == "en"
	tv := &indTeamsView{Empty: f.Empty(d.UnitID()), ExportCSV: v.ExportCSV + "&table=team_records", Min: teamsPublicMin, Public: !v.Official}
	for _, e := range f.Elements {
		// The standard elements have a short heading that fits a phone;
		// one an admin adds later shows its name.
		h := e.Name(en)
		if k, ok := teamShortHeads[e.Code]; ok {
			h = v.L.T(k)
		}
		tv.Heads = append(tv.Heads, h)
	}
	for _, m := range d.Months {
		row := indTeamsRow{Month: indPeriodLabel(v.L, m)}
		for i := range f.Elements {
			c := f.Cell(d.UnitID(), m, &f.Elements[i])
			n := c.Round()
			cell := indTeamsCell{Text: v.L.Int(teamsShown(n, v.Official)), NotComparable: c.NotComparable > 0}
			if teamsWithheld(n, v.Official) {
				cell = indTeamsCell{Text: v.L.T("teamind.withheld", "Min", teamsPublicMin), Withheld: true, NotComparable: cell.NotComparable}
				tv.Withheld = true
			}
			tv.NotComparable = tv.NotComparable || cell.NotComparable
			row.Cells = append(row.Cells, cell)
		}
		tv.Rows = append(tv.Rows, row)
	}
	v.Teams = tv
	return nil
}

// teamsTable is the export's table of figures from team records: one row
// per month and element, each saying where its figure comes from.
func (s *indicatorsPart) teamsTable(ctx context.Context, l *i18n.Localizer, d *indicators.Dashboard, official bool) (indTable, bool, error) {
	f, err := s.teamFiguresOf(ctx, d)
	if err != nil || len(f.Elements) == 0 {
		return indTable{}, false, err
	}
	en := l.Lang == i18n.EN
	t := indTable{Name: "team_records", Title: l.T("teamind.export.sheet"), Head: []string{
		l.T("indicators.col.unit_code"), l.T("indicators.col.unit"), l.T("indicators.col.month"),
		l.T("teamind.col.element_code"), l.T("indicators.col.element"), l.T("teamind.col.value"),
		l.T("indicators.col.not_comparable"), l.T("teamind.col.note"), l.T("teamind.col.source")}}
	code, name := export.Empty(), export.Text(l.T("indicators.nation"))
	if d.Unit != nil {
		code, name = export.Text(d.Unit.Code), export.Text(d.Unit.DisplayName(en))
	}
	source := export.Text(l.T("teamind.source"))
	for _, m := range d.Months {
		for i := range f.Elements {
			e := &f.Elements[i]
			c := f.Cell(d.UnitID(), m, e)
			n := c.Round()
			val, note := export.Int(teamsShown(n, official)), export.Empty()
			switch {
			case teamsWithheld(n, official):
				val, note = export.Empty(), export.Text(l.T("teamind.withheld", "Min", teamsPublicMin))
			case !official && n > 0:
				note = export.Text(l.T("teamind.rounded", "Min", teamsPublicMin))
			}
			t.Rows = append(t.Rows, []export.Cell{code, name, export.Text(m.String()), export.Text(e.Code), export.Text(e.Name(en)),
				val, export.Text(yesNo(l, c.NotComparable > 0)), note, source})
		}
	}
	return t, true, nil
}
