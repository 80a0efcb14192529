package assessments

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// inStats limits a query over assessment_responses (alias "response") to
// the results the province may count: the latest submitted result of each
// series, when that result is consented and of the model version. A
// business that took the assessment three times counts once, and one whose
// latest result was sent without consent counts not at all: its earlier
// consent does not carry over to a result it chose not to share, and the
// earlier result is no longer its level.
func inStats(q *bun.SelectQuery, model string) *bun.SelectQuery {
	return q.Where("response.submitted_at IS NOT NULL").
		Where("response.consent_version <> ''").
		Where("response.model_version = ?", model).
		Where(`NOT EXISTS (SELECT 1 FROM assessment_responses AS later
			WHERE later.series_id = response.series_id
			AND later.submitted_at IS NOT NULL
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
	// OthersFiltered: the filter narrows the group, and pillars, barriers
	// and needs are all withheld (see statsOf).
	OthersFiltered bool
	Months         []MonthCount
}

// statsMonths is how many months of submissions the counts over time show.
const statsMonths = 12

// parents are the filters with one condition dropped: the wider groups
// whose published figures, less this group's, give the figures of the
// businesses this filter leaves out.
func (f Filter) parents() []Filter {
	var out []Filter
	if f.Area != "" {
		p := f
		p.Area = ""
		out = append(out, p)
	}
	if f.Sector != "" {
		p := f
		p.Sector = ""
		out = append(out, p)
	}
	if f.Size != "" {
		p := f
		p.Size = ""
		out = append(out, p)
	}
	return out
}

// keeps reports whether r is in the filter's group.
func (f Filter) keeps(area, sector, size string) bool {
	return (f.Area == "" || f.Area == area) && (f.Sector == "" || f.Sector == sector) && (f.Size == "" || f.Size == size)
}

func (f Filter) filter(rs []Response) []Response {
	var out []Response
	for _, r := range rs {
		if f.keeps(r.Area, r.Sector, r.SizeClass) {
			out = append(out, r)
		}
	}
	return out
}

// ComputeStats builds the aggregates for f as of now, with the areas of
// places. Responses without consent never reach it.
//
// Every figure is protected against the same figure of each wider group
// (the filter with one condition dropped, as that page publishes it), so
// that comparing two pages gives away no business either: see protect.
func ComputeStats(ctx context.Context, db bun.IDB, c *Catalog, places Places, f Filter, now time.Time) (*Stats, error) {
	m, ok := c.Model(f.Model)
	if !ok {
		return nil, fmt.Errorf("assessments.ComputeStats: unknown model %q", f.Model)
	}
	var all []Response
	q := db.NewSelect().Model(&all).Column("id", "area", "sector", "size_class", "level", "pillar_scores", "answers", "updated_at")
	if err := inStats(q, m.Version).OrderExpr("response.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assessments.ComputeStats: %w", err)
	}
	areaKeys, areaOf, err := areaGroups(ctx, places, all)
	if err != nil {
		return nil, fmt.Errorf("assessments.ComputeStats: %w", err)
	}
	subs, err := submissions(ctx, db, m.Version, now)
	if err != nil {
		return nil, err
	}
	sectorKeys := make([]string, 0, len(c.Profile.Sectors))
	for _, s := range c.Profile.Sectors {
		sectorKeys = append(sectorKeys, s.Code)
	}
	st, err := statsOf(m, all, f, areaKeys, func(r *Response) string {
		if a, ok := areaOf[r.ID]; ok {
			return a.Key()
		}
		return ""
	}, sectorKeys, subs, now)
	if err != nil {
		return nil, err
	}
	// Rows of areas no result names may show withheld zeros: they are
	// named too.
	today, err := places.Areas(ctx)
	if err != nil {
		return nil, fmt.Errorf("assessments.ComputeStats: %w", err)
	}
	st.Areas = map[string]Area{}
	for _, a := range today {
		st.Areas[a.Key()] = a
	}
	for _, a := range areaOf {
		st.Areas[a.Key()] = a
	}
	return st, nil
}

// statsOf computes the aggregates of f from all (every counted result of
// the model) and subs (every consented sitting).
func statsOf(m *Model, all []Response, f Filter, areaKeys []string, areaKey func(*Response) string, sectorKeys []string, subs []submission, now time.Time) (*Stats, error) {
	rs := f.filter(all)
	st := &Stats{Filter: f}
	areaKeys = allKeys(all, areaKeys, areaKey)
	sectorKey := func(r *Response) string { return r.Sector }
	sectorKeys = allKeys(all, sectorKeys, sectorKey)
	sizes := allKeys(all, nil, func(r *Response) string { return r.SizeClass })
	c := protectedCube(all, areaKeys, areaKey, sectorKeys, sizes)
	st.ByArea, st.BySector = c.pageTables(f, areaKeys, sectorKeys, sizes)

	// The group's size is each table's grand total: withheld where either
	// table withholds it, or where it would tell the size of a group left
	// out of a wider one.
	n := int64(len(rs))
	restSmall := false
	for _, p := range f.parents() {
		if small(int64(len(p.filter(all))) - n) {
			restSmall = true
		}
	}
	st.N = Cell{N: n, Hidden: small(n) || st.ByArea.Total[6].Hidden || st.BySector.Total[6].Hidden}
	// Averages, barriers and needs are shown for all businesses only. The
	// level tables are protected as one table over every filter (cube.go);
	// these are not, and the figures of every sector, say, add up to the
	// total, so one hidden sector's would follow from the others'.
	st.OthersFiltered = f.Area != "" || f.Sector != "" || f.Size != ""
	fewer := st.N.Hidden || restSmall || st.OthersFiltered

	for _, p := range m.Pillars {
		vals := make([]float64, 0, len(rs))
		for _, r := range rs {
			if v, ok := r.PillarScores[p.ID]; ok {
				vals = append(vals, v)
			}
		}
		ps := PillarStat{Pillar: p.ID, N: len(vals), Hidden: len(vals) < MinGroup || fewer}
		for _, pf := range f.parents() {
			if small(int64(pillarCount(pf.filter(all), p.ID) - len(vals))) {
				ps.Hidden = true
			}
		}
		if !ps.Hidden {
			ps.Mean, ps.Median = mean(vals), quantile(vals, 0.5)
		}
		st.Pillars = append(st.Pillars, ps)
	}
	for _, it := range m.Context {
		counts := optionCounts(rs, &it)
		for i := range counts {
			counts[i].Hidden = counts[i].Hidden || fewer
			for _, pf := range f.parents() {
				wider := optionCounts(pf.filter(all), &it)
				if small(wider[i].N - counts[i].N) {
					counts[i].Hidden = true
				}
			}
		}
		switch it.ID {
		case "ctx-barriers":
			st.Barriers = counts
		case "ctx-needs":
			st.Needs = counts
		}
	}
	st.Months = monthCounts(subs, f, now)
	return st, nil
}

func pillarCount(rs []Response, pillar string) int {
	n := 0
	for _, r := range rs {
		if _, ok := r.PillarScores[pillar]; ok {
			n++
		}
	}
	return n
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

// allKeys is keys and then any key of rs not in it (a list that changed).
func allKeys(rs []Response, keys []string, key func(*Response) string) []string {
	keys = slices.Clone(keys)
	for i := range rs {
		if k := key(&rs[i]); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// pageTables are the level tables of f's page, by area and by sector,
// as the protected cube c decides: rows with no result and nothing
// withheld are left out (their zeros are shown by absence), and so are
// rows the filter itself empties.
func (c *cube) pageTables(f Filter, areaKeys, sectors, sizes []string) (byArea, bySector Table) {
	const none = -2 // a value no result has: every figure 0
	areaSel, sectorSel, sizeSel := all, all, all
	if f.Area != "" {
		areaSel = none
		for i, k := range areaKeys {
			if code, _, _ := strings.Cut(k, "@"); k != "" && code == f.Area {
				areaSel = i
				if c.group[i] >= 0 {
					areaSel = c.n[dimArea] + c.group[i]
				}
			}
		}
	}
	if f.Sector != "" {
		sectorSel = slices.Index(sectors, f.Sector)
		if sectorSel < 0 {
			sectorSel = none
		}
	}
	if f.Size != "" {
		sizeSel = slices.Index(sizes, f.Size)
		if sizeSel < 0 {
			sizeSel = none
		}
	}
	line := func(fig figure) []Cell {
		out := make([]Cell, 7)
		for l := range 7 {
			g := fig
			g[dimLevel] = l
			if l == 6 {
				g[dimLevel] = all
			}
			out[l] = c.Figure(g)
		}
		return out
	}
	keep := func(cells []Cell) bool {
		return cells[6].N > 0 || slices.ContainsFunc(cells, func(x Cell) bool { return x.Hidden })
	}
	total := line(figure{areaSel, sectorSel, sizeSel, 0})
	byArea.Total, bySector.Total = total, total
	for i, k := range areaKeys {
		if code, _, _ := strings.Cut(k, "@"); f.Area != "" && (k == "" || code != f.Area) {
			continue
		}
		if cells := line(figure{i, sectorSel, sizeSel, 0}); keep(cells) {
			byArea.Keys = append(byArea.Keys, k)
			byArea.Rows = append(byArea.Rows, cells)
		}
	}
	for j, k := range sectors {
		if f.Sector != "" && k != f.Sector {
			continue
		}
		if cells := line(figure{areaSel, j, sizeSel, 0}); keep(cells) {
			bySector.Keys = append(bySector.Keys, k)
			bySector.Rows = append(bySector.Rows, cells)
		}
	}
	return byArea, bySector
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

// submission is one consented sitting: when it was sent and the group it
// was sent in.
type submission struct {
	SubmittedAt time.Time `bun:"submitted_at"`
	Area        string    `bun:"area"`
	Sector      string    `bun:"sector"`
	SizeClass   string    `bun:"size_class"`
}

// submissions are the consented sittings of model sent in the statsMonths
// months up to now.
func submissions(ctx context.Context, db bun.IDB, model string, now time.Time) ([]submission, error) {
	zone := Zone()
	end := now.In(zone)
	first := time.Date(end.Year(), end.Month()-statsMonths+1, 1, 0, 0, 0, 0, zone)
	var out []submission
	err := db.NewSelect().Model((*Response)(nil)).Column("submitted_at", "area", "sector", "size_class").
		Where("response.submitted_at >= ?", first.UTC()).
		Where("response.consent_version <> ''").
		Where("response.model_version = ?", model).
		Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("assessments.submissions: %w", err)
	}
	return out, nil
}

// monthCounts counts consented submissions (every sitting, not only the
// latest of a series) per month over the last statsMonths months; a month
// is withheld when its count, or what it leaves of a wider group's, is
// under MinGroup.
func monthCounts(subs []submission, f Filter, now time.Time) []MonthCount {
	zone := Zone()
	end := now.In(zone)
	first := time.Date(end.Year(), end.Month()-statsMonths+1, 1, 0, 0, 0, 0, zone)
	count := func(f Filter) map[string]int64 {
		var times []time.Time
		for _, s := range subs {
			if f.keeps(s.Area, s.Sector, s.SizeClass) {
				times = append(times, s.SubmittedAt)
			}
		}
		return bucketMonths(times, first, end)
	}
	byMonth := count(f)
	var wider []map[string]int64
	for _, p := range f.parents() {
		wider = append(wider, count(p))
	}
	out := make([]MonthCount, 0, statsMonths)
	for _, k := range monthKeys(first, end) {
		c := MonthCount{Month: k, Cell: Cell{N: byMonth[k], Hidden: small(byMonth[k])}}
		for _, w := range wider {
			if small(w[k] - byMonth[k]) {
				c.Hidden = true
			}
		}
		out = append(out, c)
	}
	return out
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
