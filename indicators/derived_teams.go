package indicators

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/uptrace/bun"
)

// SourceTeams marks the elements the portal derives from the help log of
// the community digital technology teams (Tổ công nghệ số cộng đồng).
// They are never reported by a commune: no report, value, approval,
// indicator or target holds them. They are counted from the help log when
// asked for (TeamFigures) and rolled up along the hierarchy with the same
// landing rules as reported figures, and shown apart from them.
const SourceTeams = "teams.records"

// Codes of the elements derived from the teams' help log.
const (
	ElemTeamHouseholds = "TEAM_HOUSEHOLDS"
	ElemTeamPeople1559 = "TEAM_PEOPLE_15_59"
	ElemTeamPeople60   = "TEAM_PEOPLE_60"
)

// teamElements are seeded with the standard definitions (seedElements).
var teamElements = []Element{
	{Code: ElemTeamHouseholds, NameVI: "Lượt hộ gia đình được Tổ công nghệ số cộng đồng đến hỗ trợ", NameEN: "Household visits by community digital technology teams", Counts: "households", Source: SourceTeams, SortOrder: 210},
	{Code: ElemTeamPeople1559, NameVI: "Lượt người từ 15 đến 59 tuổi được Tổ công nghệ số cộng đồng hỗ trợ", NameEN: "People aged 15–59 helped by community digital technology teams", Counts: "persons", MinAge: intp(15), MaxAge: intp(59), Source: SourceTeams, SortOrder: 220},
	{Code: ElemTeamPeople60, NameVI: "Lượt người từ 60 tuổi trở lên được Tổ công nghệ số cộng đồng hỗ trợ", NameEN: "People aged 60 and over helped by community digital technology teams", Counts: "persons", MinAge: intp(60), Source: SourceTeams, SortOrder: 230},
}

// FromTeams reports whether the element is derived from the teams' help
// log rather than reported by communes.
func (e *Element) FromTeams() bool { return e.Source == SourceTeams }

// TeamMonth is what the help-log entries of one commune's teams add up to
// in one month: households reached and people helped by age band.
type TeamMonth struct {
	UnitCode   string // the teams' commune, as the teams table names it
	Month      string // YYYY-MM
	Households int64
	People1559 int64
	People60   int64
}

// TeamRecords is how the teams part gives its help log's monthly sums,
// without anything that identifies a resident.
type TeamRecords interface {
	// TeamMonths returns the sums by commune and month for the months
	// from…to (YYYY-MM, both included).
	TeamMonths(ctx context.Context, from, to string) ([]TeamMonth, error)
}

// TeamCell is a derived element's roll-up for one unit and month: the
// sum, and how many communes' figures were left out because an old unit
// was split without a stated share (then the sum is not comparable).
type TeamCell struct {
	Value         float64
	NotComparable int
}

// TeamFigures are the derived elements of a set of units over months, on
// one day's hierarchy.
type TeamFigures struct {
	Elements []Element // the active elements from team records, in order
	Months   []Period
	cube     *Cube
}

// Cell returns the roll-up of the element for unit (NationID for the
// country) in month.
func (f *TeamFigures) Cell(unit int64, month Period, e *Element) TeamCell {
	if f == nil || f.cube == nil {
		return TeamCell{}
	}
	c := f.cube.Cell(unit, month.String(), e.ID)
	return TeamCell{Value: c.Approved, NotComparable: c.ApprovedNC}
}

// Empty reports whether no help-log entry lands on unit in any month.
func (f *TeamFigures) Empty(unit int64) bool {
	for _, m := range f.Months {
		for i := range f.Elements {
			if c := f.Cell(unit, m, &f.Elements[i]); c.Value != 0 || c.NotComparable != 0 {
				return false
			}
		}
	}
	return true
}

// BuildTeamFigures counts the derived elements for units (ids of versions
// valid on day, or NationID) over months, rolled up on day's hierarchy.
// Each commune's monthly sums count for the version of its code valid on
// the month's last day, as a report for that month would, and land on the
// units above it and on the successors of a reorganised unit exactly as
// reported values do (graph.addValues). Nothing is written: reported
// figures, roll-ups and completeness are untouched.
func BuildTeamFigures(ctx context.Context, db bun.IDB, src TeamRecords, day string, units []int64, months []Period) (*TeamFigures, error) {
	els, err := Elements(ctx, db)
	if err != nil {
		return nil, err
	}
	f := &TeamFigures{Months: months}
	var ids []int64
	byField := map[string]int64{}
	for _, e := range els {
		if e.FromTeams() && e.Active {
			f.Elements = append(f.Elements, e)
			ids = append(ids, e.ID)
			byField[e.Code] = e.ID
		}
	}
	periods := make([]string, len(months))
	for i, m := range months {
		periods[i] = m.String()
	}
	f.cube = newCube(units, periods, ids)
	if src == nil || len(months) == 0 || len(ids) == 0 || len(units) == 0 {
		return f, nil
	}
	first, last := months[0], months[len(months)-1]
	for _, m := range months {
		if m.Compare(first) < 0 {
			first = m
		}
		if m.Compare(last) > 0 {
			last = m
		}
	}
	rows, err := src.TeamMonths(ctx, first.String(), last.String())
	if err != nil {
		return nil, fmt.Errorf("indicators.BuildTeamFigures: %w", err)
	}
	if len(rows) == 0 {
		return f, nil
	}
	g, err := loadGraph(ctx, db, day)
	if err != nil {
		return nil, err
	}
	versions := map[string][]*Unit{}
	for _, u := range g.all {
		versions[u.Code] = append(versions[u.Code], u)
	}
	for _, vs := range versions {
		sort.Slice(vs, func(i, j int) bool { return vs[i].ValidFrom < vs[j].ValidFrom })
	}
	vals := Values{}
	for _, r := range rows {
		per, err := ParsePeriod(r.Month)
		if err != nil || per.Kind != Monthly {
			continue
		}
		u := versionFor(versions[r.UnitCode], per)
		if u == nil {
			continue
		}
		clear(vals)
		for code, v := range map[string]int64{ElemTeamHouseholds: r.Households, ElemTeamPeople1559: r.People1559, ElemTeamPeople60: r.People60} {
			if id, ok := byField[code]; ok && v != 0 {
				vals[id] = v
			}
		}
		// Counted as approved: the help log has no workflow, and the
		// cube's approved sum is the one these figures are read from.
		g.addValues(f.cube, u.ID, r.Month, StatusApproved, vals)
	}
	return f, nil
}

// versionFor is the version of a code that a month's figures belong to:
// the one valid on the month's last day, else the last one that began by
// then (a commune that ended within the month); nil when none had begun.
func versionFor(vs []*Unit, per Period) *Unit {
	day := per.Day()
	var began *Unit
	for _, u := range vs {
		if u.ValidOn(day) {
			return u
		}
		if u.ValidFrom <= day {
			began = u
		}
	}
	return began
}

// Round returns a derived figure as a whole number: shares of a split
// commune can make a sum fractional.
func (c TeamCell) Round() int64 { return int64(math.Round(c.Value)) }
