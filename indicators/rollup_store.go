package indicators

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// rollupRow is one stored roll-up cell.
type rollupRow struct {
	bun.BaseModel `bun:"table:indicator_rollups,alias:ir"`
	Hierarchy     string  `bun:"hierarchy,pk"`
	UnitID        int64   `bun:"unit_id,pk"`
	Period        string  `bun:"period,pk"`
	ElementID     int64   `bun:"element_id,pk"`
	Approved      float64 `bun:"approved,notnull"`
	Counted       float64 `bun:"counted,notnull"`
	ApprovedNC    int     `bun:"approved_nc,notnull"`
	CountedNC     int     `bun:"counted_nc,notnull"`
}

type completenessRow struct {
	bun.BaseModel `bun:"table:indicator_completeness,alias:ic"`
	Hierarchy     string `bun:"hierarchy,pk"`
	UnitID        int64  `bun:"unit_id,pk"`
	Period        string `bun:"period,pk"`
	Expected      int    `bun:"expected,notnull"`
	Reported      int    `bun:"reported,notnull"`
	Approved      int    `bun:"approved,notnull"`
}

// elementIDs lists every element's id.
func elementIDs(ctx context.Context, db bun.IDB) ([]int64, error) {
	var ids []int64
	if err := db.NewSelect().Model((*Element)(nil)).Column("id").Order("id").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("indicators.elementIDs: %w", err)
	}
	return ids, nil
}

// FirstReportedMonth returns the earliest month any report is for, and
// false when there is no report.
func FirstReportedMonth(ctx context.Context, db bun.IDB) (Period, bool, error) {
	var first string
	if err := db.NewSelect().Model((*Report)(nil)).ColumnExpr("COALESCE(MIN(period), '')").Scan(ctx, &first); err != nil {
		return Period{}, false, fmt.Errorf("indicators.FirstReportedMonth: %w", err)
	}
	if first == "" {
		return Period{}, false, nil
	}
	p, err := ParsePeriod(first)
	if err != nil {
		return Period{}, false, fmt.Errorf("indicators.FirstReportedMonth: %w", err)
	}
	return p, true, nil
}

// reportedPeriods lists the months that have reports, in order.
func reportedPeriods(ctx context.Context, db bun.IDB) ([]string, error) {
	var ps []string
	if err := db.NewSelect().Model((*Report)(nil)).ColumnExpr("DISTINCT period").Order("period").Scan(ctx, &ps); err != nil {
		return nil, fmt.Errorf("indicators.reportedPeriods: %w", err)
	}
	return ps, nil
}

// compute builds the roll-ups on day's hierarchy for the given units (nil:
// every unit valid on day and the nation) and periods (nil: every period
// with reports) from the reports themselves.
func compute(ctx context.Context, db bun.IDB, g *graph, units []int64, periods []string) (*Cube, error) {
	if units == nil {
		units = []int64{NationID}
		for _, id := range g.onDay {
			units = append(units, id)
		}
	}
	var err error
	if periods == nil {
		if periods, err = reportedPeriods(ctx, db); err != nil {
			return nil, err
		}
	}
	elems, err := elementIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	c := newCube(units, periods, elems)
	for _, p := range periods {
		if per, err := ParsePeriod(p); err == nil {
			g.addExpected(c, per)
		}
	}
	q := `SELECT r.unit_id, r.period, r.status, v.element_id, v.value
		FROM indicator_reports AS r JOIN indicator_values AS v ON v.report_id = r.id
		WHERE r.status IN ('submitted', 'approved')`
	var args []any
	if len(periods) <= 200 {
		q += " AND r.period IN (?)"
		args = append(args, bun.List(periods))
	}
	rows, err := db.QueryContext(ctx, db.NewRaw(q+" ORDER BY r.id", args...).String())
	if err != nil {
		return nil, fmt.Errorf("indicators.compute: %w", err)
	}
	defer rows.Close()
	var (
		unit, elem, val int64
		period, status  string
		one             = Values{}
	)
	for rows.Next() {
		if err := rows.Scan(&unit, &period, &status, &elem, &val); err != nil {
			return nil, fmt.Errorf("indicators.compute: %w", err)
		}
		clear(one)
		one[elem] = val
		g.addValues(c, unit, period, Status(status), one)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("indicators.compute: %w", err)
	}
	if err := g.addReports(ctx, db, c, periods); err != nil {
		return nil, err
	}
	return c, nil
}

// addValues adds values without counting the report toward completeness.
func (g *graph) addValues(c *Cube, unitID int64, period string, st Status, vals Values) {
	approved := st == StatusApproved
	for a, l := range g.landing(unitID) {
		for e, v := range vals {
			p := c.cell(a, period, e)
			if p == nil {
				continue
			}
			if !l.comparable {
				p.CountedNC++
				if approved {
					p.ApprovedNC++
				}
				continue
			}
			d := l.w * float64(v)
			p.Counted += d
			if approved {
				p.Approved += d
			}
		}
	}
}

// addReports counts each counted report once toward completeness.
func (g *graph) addReports(ctx context.Context, db bun.IDB, c *Cube, periods []string) error {
	var reps []Report
	q := db.NewSelect().Model(&reps).Column("unit_id", "period", "status").Where("status IN (?)", bun.List([]Status{StatusSubmitted, StatusApproved}))
	if len(periods) <= 200 {
		q = q.Where("period IN (?)", bun.List(periods))
	}
	if err := q.Scan(ctx); err != nil {
		return fmt.Errorf("indicators.addReports: %w", err)
	}
	for _, r := range reps {
		for a := range g.landing(r.UnitID) {
			if i, ok := c.index(a, r.Period); ok {
				c.comp[i].Reported++
				if r.Status == StatusApproved {
					c.comp[i].Approved++
				}
			}
		}
	}
	return nil
}

// maxHierarchies bounds the hierarchies whose roll-ups are stored: the
// latest ones, which dashboards ask about. A day before the oldest is
// computed from the reports.
const maxHierarchies = 12

// hierarchies returns the days on which some unit began or ended, in
// order: each names the hierarchy of the unit versions valid from it to
// the next. The latest maxHierarchies are returned.
func hierarchies(ctx context.Context, db bun.IDB) ([]string, error) {
	var days []string
	if err := db.NewRaw(`SELECT valid_from FROM org_units UNION SELECT valid_to FROM org_units WHERE valid_to <> ?`, OpenEnd).Scan(ctx, &days); err != nil {
		return nil, fmt.Errorf("indicators.hierarchies: %w", err)
	}
	days = dedupeStrings(days)
	if len(days) > maxHierarchies {
		days = days[len(days)-maxHierarchies:]
	}
	return days, nil
}

// hierarchyOf returns the hierarchy of hs that day lies in ("" when it
// lies before them all).
func hierarchyOf(hs []string, day string) string {
	h := ""
	for _, d := range hs {
		if d <= day {
			h = d
		}
	}
	return h
}

// storedHierarchies returns the hierarchies the stored roll-ups were built
// for, none when they are not built or units have changed since.
func storedHierarchies(ctx context.Context, db bun.IDB) ([]string, error) {
	ver, err := getSetting(ctx, db, settingUnitsVersion, "0")
	if err != nil {
		return nil, err
	}
	rv, err := getSetting(ctx, db, settingRollupVersion, "")
	if err != nil || rv != ver {
		return nil, err
	}
	list, err := getSetting(ctx, db, settingRollupHierarchies, "")
	if err != nil || list == "" {
		return nil, err
	}
	return strings.Split(list, ","), nil
}

// RebuildRollups recomputes every stored roll-up, on each hierarchy (see
// hierarchies), in one transaction. Data entry keeps the roll-ups right by
// itself (onReportChanged).
func RebuildRollups(ctx context.Context, db bun.IDB, now time.Time) error {
	return rebuildRollups(ctx, db, now, "", nil)
}

// RebuildRollupsFrom recomputes the stored roll-ups of the hierarchies
// from the day from on, and keeps those of earlier ones: what changes on a
// day (units beginning or ending, the successor links of a
// reorganisation that took effect then) changes nothing about the
// hierarchies before it. Imports of units or mappings call it with their
// day; "" rebuilds all.
func RebuildRollupsFrom(ctx context.Context, db bun.IDB, now time.Time, from string) error {
	return rebuildRollups(ctx, db, now, from, nil)
}

// rebuildRollups is RebuildRollupsFrom telling progress, when not nil, how
// many of the months it has rebuilt, over every hierarchy rebuilt.
func rebuildRollups(ctx context.Context, db bun.IDB, now time.Time, from string, progress func(done, total int)) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, false); err != nil {
			return err
		}
		hs, err := hierarchies(ctx, tx)
		if err != nil {
			return err
		}
		// Earlier hierarchies are kept only when the stored roll-ups hold
		// them and followed the units until this change: a version bumped
		// by this change alone.
		kept := map[string]bool{}
		if from != "" {
			old, err := getSetting(ctx, tx, settingRollupHierarchies, "")
			if err != nil {
				return err
			}
			stored := map[string]bool{}
			for _, h := range strings.Split(old, ",") {
				stored[h] = true
			}
			for _, h := range hs {
				if h < from && stored[h] {
					kept[h] = true
				}
			}
		}
		periods, err := reportedPeriods(ctx, tx)
		if err != nil {
			return err
		}
		// Months up to this one get their expected counts too, so that a month
		// nobody has reported for yet shows "0 of N".
		if len(periods) > 0 {
			first, err := ParsePeriod(periods[0])
			if err == nil {
				for m := first; m.Compare(MonthOf(now)) <= 0; m = m.Next() {
					periods = append(periods, m.String())
				}
			}
		}
		periods = dedupeStrings(periods)
		keep := make([]string, 0, len(kept))
		for h := range kept {
			keep = append(keep, h)
		}
		for _, m := range []any{(*rollupRow)(nil), (*completenessRow)(nil)} {
			q := tx.NewDelete().Model(m).Where("1 = 1")
			if len(keep) > 0 {
				q = q.Where("hierarchy NOT IN (?)", bun.List(keep))
			}
			if _, err := q.Exec(ctx); err != nil {
				return fmt.Errorf("indicators.RebuildRollups: %w", err)
			}
		}
		todo := 0
		for _, h := range hs {
			if !kept[h] {
				todo++
			}
		}
		done := 0
		for _, h := range hs {
			if kept[h] {
				continue
			}
			g, err := loadGraph(ctx, tx, h)
			if err != nil {
				return err
			}
			// A few months at a time, so that memory follows the number
			// of units, not units times months: a country of 50,000
			// communes over years of months would otherwise be one cube
			// of millions of cells.
			step := max(1, rebuildCells/(len(g.onDay)+1))
			for start := 0; start < len(periods); start += step {
				if progress != nil {
					progress(done*len(periods)+start, todo*len(periods))
				}
				c, err := compute(ctx, tx, g, nil, periods[start:min(start+step, len(periods))])
				if err != nil {
					return err
				}
				if err := writeCube(ctx, tx, c, h); err != nil {
					return err
				}
			}
			done++
		}
		if err := refreshLateMonths(ctx, tx, kept, periods, from); err != nil {
			return err
		}
		ver, err := getSetting(ctx, tx, settingUnitsVersion, "0")
		if err != nil {
			return err
		}
		if err := putSetting(ctx, tx, settingRollupVersion, ver); err != nil {
			return err
		}
		if err := touchData(ctx, tx); err != nil {
			return err
		}
		return putSetting(ctx, tx, settingRollupHierarchies, strings.Join(hs, ","))
	})
}

// EnsureRollups rebuilds the stored roll-ups when they do not follow the
// units (a portal started on data whose roll-ups were dropped by a
// migration, or never built).
func EnsureRollups(ctx context.Context, db bun.IDB, now time.Time) error {
	hs, err := storedHierarchies(ctx, db)
	if err != nil || hs != nil {
		return err
	}
	n, err := db.NewSelect().Model((*Unit)(nil)).Count(ctx)
	if err != nil || n == 0 {
		return err
	}
	return RebuildRollups(ctx, db, now)
}

const writeBatch = 1000

// lockRollups takes the lock that keeps the stored roll-ups consistent:
// exclusively for work that changes the hierarchy or rebuilds them (unit
// imports, rebuilds), shared for work that adds reports to them (entry,
// file imports, review), which then waits for a rebuild but not for other
// reports. See database.LockTx.
func lockRollups(ctx context.Context, tx bun.IDB, shared bool) error {
	return database.LockTx(ctx, tx, "indicators.rollups", shared)
}

// rebuildCells bounds the units times months a rebuild holds at once.
const rebuildCells = 1 << 17

func writeCube(ctx context.Context, db bun.IDB, c *Cube, h string) error {
	units := keysByIndex(c.units)
	periods := keysByIndexS(c.periods)
	elems := keysByIndex(c.elems)
	var rows []rollupRow
	var comps []completenessRow
	flush := func(force bool) error {
		if len(rows) >= writeBatch || (force && len(rows) > 0) {
			if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("indicators.writeCube: %w", err)
			}
			rows = rows[:0]
		}
		if len(comps) >= writeBatch || (force && len(comps) > 0) {
			if _, err := db.NewInsert().Model(&comps).Exec(ctx); err != nil {
				return fmt.Errorf("indicators.writeCube: %w", err)
			}
			comps = comps[:0]
		}
		return nil
	}
	for ui, u := range units {
		for pi, p := range periods {
			k := ui*len(periods) + pi
			if cp := c.comp[k]; cp != (Completeness{}) {
				comps = append(comps, completenessRow{Hierarchy: h, UnitID: u, Period: p, Expected: cp.Expected, Reported: cp.Reported, Approved: cp.Approved})
			}
			for ei, e := range elems {
				if c.cells[k] == nil {
					break
				}
				cell := c.cells[k][ei]
				if cell == (Cell{}) {
					continue
				}
				rows = append(rows, rollupRow{Hierarchy: h, UnitID: u, Period: p, ElementID: e, Approved: cell.Approved, Counted: cell.Counted, ApprovedNC: cell.ApprovedNC, CountedNC: cell.CountedNC})
			}
			if err := flush(false); err != nil {
				return err
			}
		}
	}
	return flush(true)
}

func keysByIndex(m map[int64]int) []int64 {
	out := make([]int64, len(m))
	for k, i := range m {
		out[i] = k
	}
	return out
}

func keysByIndexS(m map[string]int) []string {
	out := make([]string, len(m))
	for k, i := range m {
		out[i] = k
	}
	return out
}

// rollupsFresh returns the stored hierarchy day lies in, "" when the
// stored roll-ups do not follow the units or hold no hierarchy of day.
func rollupsFresh(ctx context.Context, db bun.IDB, day string) (string, error) {
	hs, err := storedHierarchies(ctx, db)
	if err != nil {
		return "", err
	}
	return hierarchyOf(hs, day), nil
}

// Rollup returns the roll-ups for units (ids of versions valid on day, or
// NationID) and months on day's hierarchy: read from the stored roll-ups
// when they follow that hierarchy, else computed from the reports.
func Rollup(ctx context.Context, db bun.IDB, day string, units []int64, periods []string) (*Cube, error) {
	h, err := rollupsFresh(ctx, db, day)
	if err != nil {
		return nil, err
	}
	if h == "" {
		g, err := loadGraph(ctx, db, day)
		if err != nil {
			return nil, err
		}
		return compute(ctx, db, g, units, periods)
	}
	elems, err := elementIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	c := newCube(units, periods, elems)
	if len(units) == 0 || len(periods) == 0 {
		return c, nil
	}
	var rows []rollupRow
	if err := db.NewSelect().Model(&rows).Where("hierarchy = ?", h).Where("unit_id IN (?)", bun.List(units)).Where("period IN (?)", bun.List(periods)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Rollup: %w", err)
	}
	for _, r := range rows {
		if p := c.cell(r.UnitID, r.Period, r.ElementID); p != nil {
			*p = Cell{Approved: r.Approved, Counted: r.Counted, ApprovedNC: r.ApprovedNC, CountedNC: r.CountedNC}
		}
	}
	var comps []completenessRow
	if err := db.NewSelect().Model(&comps).Where("hierarchy = ?", h).Where("unit_id IN (?)", bun.List(units)).Where("period IN (?)", bun.List(periods)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Rollup: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range comps {
		if i, ok := c.index(r.UnitID, r.Period); ok {
			c.comp[i] = Completeness{Expected: r.Expected, Reported: r.Reported, Approved: r.Approved}
			seen[r.Period] = true
		}
	}
	// A month nobody has reported for since the last rebuild has no rows:
	// its units are still expected, "0 of 442", not "0 of 0".
	var g *graph
	for _, p := range periods {
		per, err := ParsePeriod(p)
		if seen[p] || err != nil {
			continue
		}
		if g == nil {
			if g, err = loadGraph(ctx, db, day); err != nil {
				return nil, err
			}
		}
		g.addExpected(c, per)
	}
	return c, nil
}

// onReportChanged keeps the stored roll-ups right when a report moves
// between states: it adds the report's values to (or takes them from) every
// unit above it on the stored hierarchy, and recounts completeness there.
// Only states that count (submitted, approved) change anything.
func onReportChanged(ctx context.Context, tx bun.IDB, unitID int64, rep *Report, from Status, vals Values) error {
	to := rep.Status
	counts := func(s Status) (int, int) {
		a, c := 0, 0
		if s == StatusApproved {
			a = 1
		}
		if s == StatusApproved || s == StatusSubmitted {
			c = 1
		}
		return a, c
	}
	a0, c0 := counts(from)
	a1, c1 := counts(to)
	if a0 == a1 && c0 == c1 {
		return nil
	}
	if err := touchData(ctx, tx); err != nil {
		return err
	}
	hs, err := storedHierarchies(ctx, tx)
	if err != nil {
		return err
	}
	per, err := ParsePeriod(rep.Period)
	if err != nil {
		return fmt.Errorf("indicators.onReportChanged: %w", err)
	}
	elems, err := elementIDs(ctx, tx)
	if err != nil {
		return err
	}
	// Every stored hierarchy the report's unit lands on, as a rebuild
	// would count it there.
	for _, h := range hs {
		g, err := sharedGraph(ctx, tx, h)
		if err != nil {
			return err
		}
		land := g.landing(unitID)
		if len(land) == 0 {
			continue
		}
		targets := make([]int64, 0, len(land))
		for a := range land {
			targets = append(targets, a)
		}
		sort.Slice(targets, func(i, j int) bool { return targets[i] < targets[j] })
		if err := ensureExpected(ctx, tx, g, per, h); err != nil {
			return err
		}
		c := newCube(targets, []string{rep.Period}, elems)
		g.addExpected(c, per)
		// One statement for the completeness of every unit above, one for
		// their cells: a month of a province approved at once is hundreds
		// of reports, each landing on a handful of units.
		comps := make([]completenessRow, 0, len(targets))
		var rows []rollupRow
		for _, a := range targets {
			l := land[a]
			i, _ := c.index(a, rep.Period)
			comps = append(comps, completenessRow{Hierarchy: h, UnitID: a, Period: rep.Period, Expected: c.comp[i].Expected, Reported: c1 - c0, Approved: a1 - a0})
			for _, e := range elems {
				v, ok := vals[e]
				if !ok {
					continue
				}
				row := rollupRow{Hierarchy: h, UnitID: a, Period: rep.Period, ElementID: e}
				if l.comparable {
					row.Approved = float64(a1-a0) * l.w * float64(v)
					row.Counted = float64(c1-c0) * l.w * float64(v)
				} else {
					row.ApprovedNC, row.CountedNC = a1-a0, c1-c0
				}
				rows = append(rows, row)
			}
		}
		if _, err := tx.NewInsert().Model(&comps).On("CONFLICT (hierarchy, unit_id, period) DO UPDATE").
			Set("expected = EXCLUDED.expected").
			Set("reported = ic.reported + EXCLUDED.reported").
			Set("approved = ic.approved + EXCLUDED.approved").Exec(ctx); err != nil {
			return fmt.Errorf("indicators.onReportChanged: %w", err)
		}
		if len(rows) == 0 {
			continue
		}
		if _, err := tx.NewInsert().Model(&rows).On("CONFLICT (hierarchy, unit_id, period, element_id) DO UPDATE").
			Set("approved = ir.approved + EXCLUDED.approved").
			Set("counted = ir.counted + EXCLUDED.counted").
			Set("approved_nc = ir.approved_nc + EXCLUDED.approved_nc").
			Set("counted_nc = ir.counted_nc + EXCLUDED.counted_nc").Exec(ctx); err != nil {
			return fmt.Errorf("indicators.onReportChanged: %w", err)
		}
	}
	return nil
}

// ensureExpected stores the expected counts of every unit for a month the
// stored roll-ups have not seen yet (the first report of a new month).
func ensureExpected(ctx context.Context, tx bun.IDB, g *graph, per Period, h string) error {
	n, err := tx.NewSelect().Model((*completenessRow)(nil)).Where("hierarchy = ?", h).Where("unit_id = ?", NationID).Where("period = ?", per.String()).Count(ctx)
	if err != nil {
		return fmt.Errorf("indicators.ensureExpected: %w", err)
	}
	if n > 0 {
		return nil
	}
	units := []int64{NationID}
	for _, id := range g.onDay {
		units = append(units, id)
	}
	c := newCube(units, []string{per.String()}, nil)
	g.addExpected(c, per)
	return writeCube(ctx, tx, c, h)
}

func dedupeStrings(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// settingDataChanged is when counted figures, units or definitions last
// changed, for the API's Last-Modified and as the version of what the
// public pages show (DataVersion).
const settingDataChanged = "data_changed_at"

func touchData(ctx context.Context, db bun.IDB) error {
	return putSetting(ctx, db, settingDataChanged, time.Now().UTC().Format(time.RFC3339Nano))
}

// DataChangedAt is when the counted figures or the units last changed
// (zero when never).
func DataChangedAt(ctx context.Context, db bun.IDB) (time.Time, error) {
	v, err := getSetting(ctx, db, settingDataChanged, "")
	if err != nil || v == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, nil
	}
	return t, nil
}
