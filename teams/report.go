package teams

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// IdleDays is how long a team may go without an entry in its help log
// before the officials' report lists its hamlet among the places to send
// help next: a team whose newest entry is exactly IdleDays old is not
// idle, one a day older is.
const IdleDays = 60

// Kinds of help an entry ticks, in the order of the help log's form;
// HamletMonth.Kinds follows it.
var HelpKinds = []string{"vneid", "payment", "service", "cashless", "scam", "lesson"}

// KindTotal is what the entries of a month that ticked one kind of help
// add up to: how many entries, and the people they say were helped. An
// entry that ticks two kinds counts its people under both.
type KindTotal struct {
	Entries int64
	People  int64
}

// HamletMonth is one team (its hamlet or residential group) in one month,
// as the officials' report reads it.
type HamletMonth struct {
	Team
	Entries    int64
	Households int64 // households reached, summed over entries: one visited twice counts twice
	People1559 int64
	People60   int64
	Kinds      [6]KindTotal // in the order of HelpKinds
	// LastDay is the day of the team's newest entry of any month, "" when
	// it has none.
	LastDay string
}

// Idle reports whether the team has no entry in the IdleDays before
// today ("2026-12-07"), today included.
func (h HamletMonth) Idle(today string) bool {
	return h.LastDay == "" || h.LastDay < IdleSince(today)
}

// IdleSince is the oldest day ("2006-01-02") an entry may have for its
// team not to be idle on today.
func IdleSince(today string) string {
	d, err := time.Parse(visitDayLayout, today)
	if err != nil {
		return today
	}
	return d.AddDate(0, 0, -IdleDays).Format(visitDayLayout)
}

// monthRow is one team's sums of a month as the database returns them.
type monthRow struct {
	TeamID     int64 `bun:"team_id"`
	Entries    int64 `bun:"entries"`
	Households int64 `bun:"households"`
	People1559 int64 `bun:"people_15_59"`
	People60   int64 `bun:"people_60"`
	E0         int64 `bun:"e0"`
	P0         int64 `bun:"p0"`
	E1         int64 `bun:"e1"`
	P1         int64 `bun:"p1"`
	E2         int64 `bun:"e2"`
	P2         int64 `bun:"p2"`
	E3         int64 `bun:"e3"`
	P3         int64 `bun:"p3"`
	E4         int64 `bun:"e4"`
	P4         int64 `bun:"p4"`
	E5         int64 `bun:"e5"`
	P5         int64 `bun:"p5"`
}

// MonthReport returns every team of a commune with what its help log of
// month ("2026-12") adds up to, its current members counted, and the day
// of its newest entry; teams by name.
func MonthReport(ctx context.Context, db bun.IDB, unit, month string) ([]HamletMonth, error) {
	list, err := List(ctx, db, unit)
	if err != nil {
		return nil, fmt.Errorf("teams.MonthReport: %w", err)
	}
	out := make([]HamletMonth, len(list))
	at := make(map[int64]int, len(list))
	for i, t := range list {
		out[i].Team, at[t.ID] = t, i
	}
	if len(list) == 0 {
		return out, nil
	}
	cols := "v.team_id, COUNT(*) AS entries, SUM(v.households) AS households, SUM(v.people_15_59) AS people_15_59, SUM(v.people_60) AS people_60"
	for i, k := range HelpKinds {
		cols += fmt.Sprintf(", SUM(CASE WHEN v.done_%s THEN 1 ELSE 0 END) AS e%d, SUM(CASE WHEN v.done_%s THEN v.people_15_59 + v.people_60 ELSE 0 END) AS p%d", k, i, k, i)
	}
	var rows []monthRow
	err = db.NewSelect().TableExpr("team_visits AS v").Join("JOIN teams AS t ON t.id = v.team_id").ColumnExpr(cols).
		Where("t.unit_code = ?", unit).Where("v.day LIKE ?", month+"-%").Group("v.team_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teams.MonthReport: %w", err)
	}
	for _, r := range rows {
		i, ok := at[r.TeamID]
		if !ok {
			continue // a team past the listing bound
		}
		h := &out[i]
		h.Entries, h.Households, h.People1559, h.People60 = r.Entries, r.Households, r.People1559, r.People60
		h.Kinds = [6]KindTotal{{r.E0, r.P0}, {r.E1, r.P1}, {r.E2, r.P2}, {r.E3, r.P3}, {r.E4, r.P4}, {r.E5, r.P5}}
	}
	var last []struct {
		TeamID int64  `bun:"team_id"`
		Day    string `bun:"day"`
	}
	err = db.NewSelect().TableExpr("team_visits AS v").Join("JOIN teams AS t ON t.id = v.team_id").
		ColumnExpr("v.team_id, MAX(v.day) AS day").Where("t.unit_code = ?", unit).Group("v.team_id").Scan(ctx, &last)
	if err != nil {
		return nil, fmt.Errorf("teams.MonthReport: %w", err)
	}
	for _, l := range last {
		if i, ok := at[l.TeamID]; ok {
			out[i].LastDay = l.Day
		}
	}
	return out, nil
}

// TeamCounts returns how many teams each of the units holds; a unit with
// none is absent.
func TeamCounts(ctx context.Context, db bun.IDB, units []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(units) == 0 {
		return out, nil
	}
	var rows []struct {
		UnitCode string `bun:"unit_code"`
		N        int64  `bun:"n"`
	}
	err := db.NewSelect().Model((*Team)(nil)).ColumnExpr("unit_code, COUNT(*) AS n").
		Where("unit_code IN (?)", bun.List(units)).Group("unit_code").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teams.TeamCounts: %w", err)
	}
	for _, r := range rows {
		out[r.UnitCode] = r.N
	}
	return out, nil
}

// maxPickCodes bounds the services and lessons a month's counts list,
// far above what the two catalogues hold together.
const maxPickCodes = 500

// PickCount is how many of a month's entries named one service or lesson.
type PickCount struct {
	Kind    string `bun:"kind"`
	Code    string `bun:"code"`
	Entries int64  `bun:"entries"`
}

// MonthPicks counts, for the teams of a commune, the entries of month
// ("2026-12") naming each service and lesson of the catalogues, most
// named first.
func MonthPicks(ctx context.Context, db bun.IDB, unit, month string) ([]PickCount, error) {
	var out []PickCount
	err := db.NewSelect().TableExpr("team_visit_picks AS p").Join("JOIN team_visits AS v ON v.id = p.visit_id").
		Join("JOIN teams AS t ON t.id = v.team_id").ColumnExpr("p.kind, p.code, COUNT(*) AS entries").
		Where("t.unit_code = ?", unit).Where("v.day LIKE ?", month+"-%").Group("p.kind", "p.code").
		OrderExpr("p.kind, entries DESC, p.code").Limit(maxPickCodes).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("teams.MonthPicks: %w", err)
	}
	return out, nil
}
