package indicators

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Query asks for a dashboard: a unit (its code; empty for the portal's
// province, or the whole country when none is set), the day whose hierarchy
// applies, a run of months, the indicator in focus, and whether submitted
// (not yet approved) values count too.
type Query struct {
	Unit          string
	Day           string
	From, To      Period
	Indicator     string
	WithSubmitted bool
}

// MaxMonths bounds the run of months one view shows.
const MaxMonths = 60

// Figure is an indicator's value for one unit and month, computed from the
// rolled-up numerator and denominator (never by averaging percentages).
type Figure struct {
	Num, Den      float64
	Percent       float64 // NaN when there is nothing to divide
	NotComparable bool    // some values were left out: an old unit split without a share
}

// Has reports whether the figure has a value.
func (f Figure) Has() bool { return !math.IsNaN(f.Percent) }

func figureOf(c *Cube, unit int64, period string, in *Indicator, withSubmitted bool) Figure {
	n, nn := c.Cell(unit, period, in.NumeratorID).Sum(withSubmitted)
	d, dn := c.Cell(unit, period, in.DenominatorID).Sum(withSubmitted)
	f := Figure{Num: n, Den: d, Percent: math.NaN(), NotComparable: nn+dn > 0}
	if d > 0 && !f.NotComparable {
		f.Percent = n / d * in.Factor
	}
	return f
}

// Row is one indicator on a dashboard: its latest figure, the target for
// that year and the figures month by month.
type Row struct {
	Indicator Indicator
	Latest    Figure
	Target    *Target
	Met       bool
	Trend     []Figure // one per month of the dashboard
}

// ChildRow is a unit below the dashboard's unit with the focused
// indicator's latest figure and its reporting completeness.
type ChildRow struct {
	Unit         Unit
	Figure       Figure
	Completeness Completeness
	Reporting    bool // the unit reports itself (a commune); no page below it
}

// Dashboard is everything a dashboard page shows.
type Dashboard struct {
	Query     Query
	Unit      *Unit // nil for the whole country
	Ancestors []Unit
	Months    []Period
	// Latest is the latest month in which at least the complete share
	// (CompleteShare) of the expected units have counted figures; when no
	// month reaches it, the latest with any, and Incomplete is set. Zero
	// when nothing is counted.
	Latest     Period
	Incomplete bool
	// CompleteShare is the share a month had to reach.
	CompleteShare float64
	Rows          []Row
	Focus         *Row
	Children      []ChildRow
	Completeness  []Completeness // one per month
	Indicators    []Indicator
	Elements      []Element
}

// UnitID is the dashboard unit's id, NationID for the whole country.
func (d *Dashboard) UnitID() int64 {
	if d.Unit == nil {
		return NationID
	}
	return d.Unit.ID
}

// ErrBadQuery means a dashboard query names something that does not exist
// or a range that is not allowed.
var ErrBadQuery = errors.New("bad dashboard query")

// DefaultRange is the twelve months up to last month (the current month is
// still being reported).
func DefaultRange(now time.Time) (Period, Period) {
	to := MonthOf(now).Prev()
	return to.add(-11), to
}

// BuildDashboard gathers a dashboard from the roll-ups.
func BuildDashboard(ctx context.Context, db bun.IDB, q Query, now time.Time) (*Dashboard, error) {
	if q.Day == "" {
		q.Day = Today(now)
	}
	if q.From.IsZero() || q.To.IsZero() {
		q.From, q.To = DefaultRangeOn(now, q.Day)
	}
	if q.From.Kind != Monthly || q.To.Kind != Monthly || q.To.Compare(q.From) < 0 {
		return nil, fmt.Errorf("%w: months %s…%s", ErrBadQuery, q.From, q.To)
	}
	d := &Dashboard{Query: q, Months: MonthRange(q.From, q.To, MaxMonths)}
	fromHome := false
	if q.Unit == "" {
		home, err := HomeUnit(ctx, db)
		if err != nil {
			return nil, err
		}
		q.Unit, fromHome = home, true
	}
	parentCode := ""
	if q.Unit != "" {
		u, err := UnitByCode(ctx, db, q.Unit, q.Day)
		switch {
		case fromHome && errors.Is(err, database.ErrNotFound):
			// The province did not exist on the day asked about (a day before
			// the 2025 reorganisation): start at the whole country instead.
			q.Unit = ""
		case err != nil:
			return nil, err
		default:
			d.Unit, parentCode = u, u.Code
			if d.Ancestors, err = Ancestors(ctx, db, u, q.Day); err != nil {
				return nil, err
			}
		}
	}
	d.Query.Unit = q.Unit
	kids, err := Children(ctx, db, parentCode, q.Day)
	if err != nil {
		return nil, err
	}
	inds, err := Indicators(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, in := range inds {
		if in.Active {
			d.Indicators = append(d.Indicators, in)
		}
	}
	if d.Elements, err = Elements(ctx, db); err != nil {
		return nil, err
	}
	targets, err := Targets(ctx, db)
	if err != nil {
		return nil, err
	}
	periods := make([]string, len(d.Months))
	for i, m := range d.Months {
		periods[i] = m.String()
	}
	// The unit's own roll-ups for every month; the units below it only for
	// the latest month, which is all the comparison shows.
	cube, err := Rollup(ctx, db, q.Day, []int64{d.UnitID()}, periods)
	if err != nil {
		return nil, err
	}
	if d.CompleteShare, err = CompleteShare(ctx, db); err != nil {
		return nil, err
	}
	var anyCounted Period
	for _, m := range d.Months {
		comp := cube.Completeness(d.UnitID(), m.String())
		d.Completeness = append(d.Completeness, comp)
		counted := comp.Approved
		if q.WithSubmitted {
			counted = comp.Reported
		}
		if counted == 0 {
			continue
		}
		anyCounted = m
		if comp.Expected > 0 && float64(counted) >= d.CompleteShare*float64(comp.Expected)-1e-9 {
			d.Latest = m
		}
	}
	if d.Latest.IsZero() && !anyCounted.IsZero() {
		d.Latest, d.Incomplete = anyCounted, true
	}
	codes := unitCodes(d.Ancestors, d.Unit)
	for _, in := range d.Indicators {
		r := Row{Indicator: in, Latest: Figure{Percent: math.NaN()}}
		for _, m := range d.Months {
			r.Trend = append(r.Trend, figureOf(cube, d.UnitID(), m.String(), &in, q.WithSubmitted))
		}
		if !d.Latest.IsZero() {
			r.Latest = figureOf(cube, d.UnitID(), d.Latest.String(), &in, q.WithSubmitted)
			r.Target = TargetFor(targets, in.ID, d.Latest.Year, codes)
			if r.Target == nil {
				r.Target = standingTarget(targets, in.ID, d.Latest.Year, codes)
			}
			r.Met = r.Target != nil && r.Latest.Has() && r.Target.Met(r.Latest.Percent)
		}
		d.Rows = append(d.Rows, r)
	}
	if len(d.Rows) > 0 {
		d.Focus = &d.Rows[0]
		for i := range d.Rows {
			if d.Rows[i].Indicator.Code == q.Indicator {
				d.Focus = &d.Rows[i]
			}
		}
		if q.Indicator != "" && d.Focus.Indicator.Code != q.Indicator {
			return nil, fmt.Errorf("indicators.BuildDashboard: indicator %q: %w", q.Indicator, database.ErrNotFound)
		}
	}
	kidCube := newCube(nil, nil, nil)
	if !d.Latest.IsZero() && len(kids) > 0 {
		ids := make([]int64, len(kids))
		for i, k := range kids {
			ids[i] = k.ID
		}
		if kidCube, err = Rollup(ctx, db, q.Day, ids, []string{d.Latest.String()}); err != nil {
			return nil, err
		}
	}
	for _, k := range kids {
		cr := ChildRow{Unit: k, Figure: Figure{Percent: math.NaN()}}
		if !d.Latest.IsZero() {
			cr.Completeness = kidCube.Completeness(k.ID, d.Latest.String())
			if d.Focus != nil {
				cr.Figure = figureOf(kidCube, k.ID, d.Latest.String(), &d.Focus.Indicator, q.WithSubmitted)
			}
		}
		cr.Reporting = k.Level == 3
		d.Children = append(d.Children, cr)
	}
	sortChildren(d.Children)
	return d, nil
}

// sortChildren puts the highest figure first; units without a figure last,
// by name.
func sortChildren(cs []ChildRow) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i].Figure, cs[j].Figure
		switch {
		case a.Has() && b.Has():
			return a.Percent > b.Percent
		case a.Has() != b.Has():
			return a.Has()
		}
		return cs[i].Unit.Name < cs[j].Unit.Name
	})
}

// standingTarget is, for a year without a target of its own, the latest
// earlier one (a 2025 target still stands in 2026), else the next one.
func standingTarget(ts []Target, indicatorID int64, year int, codes []string) *Target {
	for y := year - 1; y >= year-10; y-- {
		if t := TargetFor(ts, indicatorID, y, codes); t != nil {
			return t
		}
	}
	for y := year + 1; y <= year+10; y++ {
		if t := TargetFor(ts, indicatorID, y, codes); t != nil {
			return t
		}
	}
	return nil
}

func unitCodes(anc []Unit, u *Unit) []string {
	var out []string
	for _, a := range anc {
		out = append(out, a.Code)
	}
	if u != nil {
		out = append(out, u.Code)
	}
	return out
}

// ParseMonthOr reads a month from a query parameter, def when empty.
func ParseMonthOr(s string, def Period) (Period, error) {
	if strings.TrimSpace(s) == "" {
		return def, nil
	}
	p, err := ParsePeriod(s)
	if err != nil || p.Kind != Monthly {
		return Period{}, fmt.Errorf("%w: month %q", ErrBadQuery, s)
	}
	return p, nil
}
