package assessments

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// inStats limits a query over assessment_responses (alias "response") to
// the results the province may count: submitted, consented, of one model
// version, and only the latest such result of each series, so a business
// that took the assessment three times counts once.
func inStats(q *bun.SelectQuery, model string) *bun.SelectQuery {
	return q.Where("response.submitted_at IS NOT NULL").
		Where("response.consent_version <> ''").
		Where("response.model_version = ?", model).
		Where(`NOT EXISTS (SELECT 1 FROM assessment_responses AS later
			WHERE later.series_id = response.series_id
			AND later.submitted_at IS NOT NULL AND later.consent_version <> ''
			AND later.model_version = response.model_version
			AND (later.submitted_at > response.submitted_at
				OR (later.submitted_at = response.submitted_at AND later.id > response.id)))`)
}

// Filter narrows the officials' aggregates; an empty field means all.
type Filter struct {
	Model  string
	Area   string
	Sector string
	Size   string
}

func (f Filter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if f.Area != "" {
		q = q.Where("response.area = ?", f.Area)
	}
	if f.Sector != "" {
		q = q.Where("response.sector = ?", f.Sector)
	}
	if f.Size != "" {
		q = q.Where("response.size_class = ?", f.Size)
	}
	return q
}

// Table is a level distribution: one row per area or sector, one column
// per level 0–5 and a total column, and a total row; small counts
// withheld by suppress.
type Table struct {
	Keys  []string // row keys (area codes or sector codes)
	Rows  [][]Cell // each row: levels 0–5, then the row total
	Total []Cell   // levels 0–5 over all rows, then the grand total
}

// PillarStat is the average and median of one pillar's percentage.
type PillarStat struct {
	Pillar string
	N      int
	Mean   float64
	Median float64
	Hidden bool // fewer than MinGroup results
}

// OptionCount is how many businesses ticked one barrier or need.
type OptionCount struct {
	Option string
	Cell
	Share float64 // of the businesses counted, in percent
}

// MonthCount is the number of consented results submitted in a month.
type MonthCount struct {
	Month string // YYYY-MM in Asia/Ho_Chi_Minh
	Cell
}

// Stats are the officials' aggregates: counts only, never a single
// response.
type Stats struct {
	Filter Filter
	N      Cell // businesses counted
	// ByArea counts by today's unit, and by the former unit an answer
	// named when that unit no longer exists; its keys are Area.Key, and
	// Areas names them ("" is a result that names no area).
	ByArea   Table
	Areas    map[string]Area
	BySector Table
	Pillars  []PillarStat
	Barriers []OptionCount
	Needs    []OptionCount
	Months   []MonthCount
}

// statsMonths is how many months of submissions the counts over time show.
const statsMonths = 12

// ComputeStats builds the aggregates for f as of now, with the areas of
// places. Responses without consent never reach it.
func ComputeStats(ctx context.Context, db bun.IDB, c *Catalog, places Places, f Filter, now time.Time) (*Stats, error) {
	m, ok := c.Model(f.Model)
	if !ok {
		return nil, fmt.Errorf("assessments.ComputeStats: unknown model %q", f.Model)
	}
	var rs []Response
	q := db.NewSelect().Model(&rs).Column("id", "area", "sector", "size_class", "level", "pillar_scores", "answers", "updated_at")
	if err := f.apply(inStats(q, m.Version)).OrderExpr("response.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assessments.ComputeStats: %w", err)
	}
	st := &Stats{Filter: f, N: Cell{N: int64(len(rs)), Hidden: small(int64(len(rs)))}}

	areaKeys, areaOf, err := areaGroups(ctx, places, rs)
	if err != nil {
		return nil, fmt.Errorf("assessments.ComputeStats: %w", err)
	}
	st.Areas = map[string]Area{}
	for _, a := range areaOf {
		st.Areas[a.Key()] = a
	}
	sectorKeys := make([]string, 0, len(c.Profile.Sectors))
	for _, s := range c.Profile.Sectors {
		sectorKeys = append(sectorKeys, s.Code)
	}
	st.ByArea = levelTable(rs, areaKeys, func(r *Response) string {
		if a, ok := areaOf[r.ID]; ok {
			return a.Key()
		}
		return ""
	})
	st.BySector = levelTable(rs, sectorKeys, func(r *Response) string { return r.Sector })

	for _, p := range m.Pillars {
		vals := make([]float64, 0, len(rs))
		for _, r := range rs {
			if v, ok := r.PillarScores[p.ID]; ok {
				vals = append(vals, v)
			}
		}
		ps := PillarStat{Pillar: p.ID, N: len(vals), Hidden: len(vals) < MinGroup}
		if !ps.Hidden {
			ps.Mean, ps.Median = mean(vals), quantile(vals, 0.5)
		}
		st.Pillars = append(st.Pillars, ps)
	}
	for _, it := range m.Context {
		counts := optionCounts(rs, &it)
		switch it.ID {
		case "ctx-barriers":
			st.Barriers = counts
		case "ctx-needs":
			st.Needs = counts
		}
	}
	months, err := monthCounts(ctx, db, m.Version, f, now)
	if err != nil {
		return nil, err
	}
	st.Months = months
	return st, nil
}

// areaGroups says which area each response counts under (by response ID;
// none for a response that names no area) and the order of the areas:
// today's as the form offers them, then former units and codes no unit
// carried, by name.
func areaGroups(ctx context.Context, places Places, rs []Response) ([]string, map[string]Area, error) {
	today, err := places.Areas(ctx)
	if err != nil {
		return nil, nil, err
	}
	var refs []AreaRef
	seen := map[AreaRef]bool{}
	for i := range rs {
		if ref := RefOf(&rs[i]); ref.Code != "" && !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	named, err := places.Resolve(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	areaOf := map[string]Area{}
	var others []Area
	for i := range rs {
		ref := RefOf(&rs[i])
		if ref.Code == "" {
			continue
		}
		a, ok := named[ref]
		if !ok {
			a = Area{Code: ref.Code}
		}
		areaOf[rs[i].ID] = a
		if !slices.ContainsFunc(today, func(t Area) bool { return t.Key() == a.Key() }) &&
			!slices.ContainsFunc(others, func(o Area) bool { return o.Key() == a.Key() }) {
			others = append(others, a)
		}
	}
	slices.SortFunc(others, func(a, b Area) int {
		return cmp.Or(cmp.Compare(a.Name.VI, b.Name.VI), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Until, b.Until))
	})
	keys := make([]string, 0, len(today)+len(others)+1)
	for _, a := range append(today, others...) {
		keys = append(keys, a.Key())
	}
	return append(keys, ""), areaOf, nil
}

// levelTable counts results by key and level; rows with no result are left
// out, keys not in the list (a list that changed) are added at the end.
func levelTable(rs []Response, keys []string, key func(*Response) string) Table {
	counts := map[string][]int64{}
	for i := range rs {
		k := key(&rs[i])
		if counts[k] == nil {
			counts[k] = make([]int64, 6)
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		if l := rs[i].Level; l >= 0 && l <= 5 {
			counts[k][l]++
		}
	}
	var t Table
	var grid [][]int64
	total := make([]int64, 7)
	for _, k := range keys {
		row := counts[k]
		if row == nil {
			continue
		}
		line := make([]int64, 7)
		for l, n := range row {
			line[l] = n
			line[6] += n
			total[l] += n
		}
		total[6] += line[6]
		t.Keys = append(t.Keys, k)
		grid = append(grid, line)
	}
	grid = append(grid, total)
	hidden := suppress(grid)
	toCells := func(i int) []Cell {
		out := make([]Cell, len(grid[i]))
		for j, n := range grid[i] {
			out[j] = Cell{N: n, Hidden: hidden[i][j]}
		}
		return out
	}
	for i := range t.Keys {
		t.Rows = append(t.Rows, toCells(i))
	}
	t.Total = toCells(len(grid) - 1)
	return t
}

func optionCounts(rs []Response, it *Item) []OptionCount {
	out := make([]OptionCount, 0, len(it.Options))
	for _, o := range it.Options {
		var n int64
		for _, r := range rs {
			if slices.Contains(r.Answers[it.ID].Checked, o.ID) {
				n++
			}
		}
		oc := OptionCount{Option: o.ID, Cell: Cell{N: n, Hidden: small(n) || small(int64(len(rs)))}}
		if len(rs) > 0 {
			oc.Share = 100 * float64(n) / float64(len(rs))
		}
		out = append(out, oc)
	}
	return out
}

// monthCounts counts consented submissions (every sitting, not only the
// latest of a series) per month over the last statsMonths months.
func monthCounts(ctx context.Context, db bun.IDB, model string, f Filter, now time.Time) ([]MonthCount, error) {
	zone := Zone()
	end := now.In(zone)
	first := time.Date(end.Year(), end.Month()-statsMonths+1, 1, 0, 0, 0, 0, zone)
	var times []time.Time
	q := db.NewSelect().Model((*Response)(nil)).Column("submitted_at").
		Where("response.submitted_at >= ?", first.UTC()).
		Where("response.consent_version <> ''").
		Where("response.model_version = ?", model)
	if err := f.apply(q).Scan(ctx, &times); err != nil {
		return nil, fmt.Errorf("assessments.monthCounts: %w", err)
	}
	byMonth := bucketMonths(times, first, end)
	out := make([]MonthCount, 0, statsMonths)
	for _, k := range monthKeys(first, end) {
		out = append(out, MonthCount{Month: k, Cell: Cell{N: byMonth[k], Hidden: small(byMonth[k])}})
	}
	return out, nil
}

// Zone is the time zone months are counted in.
func Zone() *time.Location { return i18n.Location() }

// monthKeys lists "YYYY-MM" from the month of from to the month of to.
func monthKeys(from, to time.Time) []string {
	zone := Zone()
	from, to = from.In(zone), to.In(zone)
	var out []string
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, zone); !m.After(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// bucketMonths counts times per "YYYY-MM" in Asia/Ho_Chi_Minh, every
// month from from to to present (zero when empty).
func bucketMonths(times []time.Time, from, to time.Time) map[string]int64 {
	out := map[string]int64{}
	for _, k := range monthKeys(from, to) {
		out[k] = 0
	}
	zone := Zone()
	for _, t := range times {
		k := t.In(zone).Format("2006-01")
		if _, ok := out[k]; ok {
			out[k]++
		}
	}
	return out
}

func mean(vals []float64) float64 {
	s := 0.0
	for _, v := range vals {
		s += v
	}
	return s / float64(len(vals))
}

// quantile returns the q-quantile of vals by linear interpolation between
// closest ranks (the usual spreadsheet method).
func quantile(vals []float64, q float64) float64 {
	s := slices.Clone(vals)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	pos := q * float64(len(s)-1)
	lo := int(pos)
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
}
