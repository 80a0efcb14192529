package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"digiportal/assessments"
)

type assessmentStatsView struct {
	Page
	Filter   assessments.Filter
	Versions []string
	Sectors  []assessments.Sector
	Areas    []assessments.Area
	Sizes    []assessments.SizeClass
	Stats    *assessments.Stats
	Levels   []string // level names 0–5, for column heads
	ByArea   []assessmentStatsRow
	BySector []assessmentStatsRow
	Tables   []assessmentLevelTable // the two above, as the page shows them
	Pillars  []assessmentPillarStat
	Barriers []assessmentOptionStat
	Needs    []assessmentOptionStat
	// OptionTables are the barriers and needs as the page shows them.
	OptionTables []assessmentOptionTable
	Months       []assessmentMonthStat
	N            int // businesses counted
	MinGroup     int
	MaxSmall     int // the largest count hidden for being small
	// Sources are the days on which results came from one place.
	Sources    []assessmentSourceDay
	SourceDays int
}

type assessmentSourceDay struct {
	Label string
	assessments.SourceDay
}

// assessmentLevelTable is a level distribution as the page shows it.
type assessmentLevelTable struct {
	Caption string
	Head    string
	Rows    []assessmentStatsRow
	Total   []assessments.Cell
	Key     string // the table's name in the CSV link
}

type assessmentStatsRow struct {
	Label string
	Cells []assessments.Cell // levels 0–5, then the total
}

type assessmentPillarStat struct {
	Name string
	assessments.PillarStat
}

type assessmentOptionTable struct {
	Caption string
	Head    string
	Rows    []assessmentOptionStat
	Key     string
}

type assessmentOptionStat struct {
	Label string
	assessments.OptionCount
}

type assessmentMonthStat struct {
	Label string
	assessments.MonthCount
}

// assessmentStats shows province officials the self-assessments as
// aggregates only: how many businesses, their levels by area and by sector,
// the average of each pillar, barriers and needs, and completions per month,
// with every count under five withheld. Only results whose business agreed
// are counted. With format=csv it downloads one table of the same view.
func (s *assessmentsPart) assessmentStats(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "assessment.stats.title")
	cat := s.cat
	q := r.URL.Query()
	f := assessments.Filter{Model: q.Get("model"), Area: q.Get("area"), Sector: q.Get("sector"), Size: q.Get("size")}
	if f.Model == "" {
		f.Model = assessments.CurrentModel
	}
	areas, err := s.assessmentAreas().Areas(r.Context())
	if err != nil {
		return err
	}
	_, okModel := cat.Model(f.Model)
	okArea := slices.ContainsFunc(areas, func(a assessments.Area) bool { return a.Code == f.Area })
	_, okSector := cat.Profile.Sector(f.Sector)
	_, okSize := cat.Profile.SizeClassByID(f.Size)
	if !okModel || (f.Area != "" && !okArea) || (f.Sector != "" && !okSector) || (f.Size != "" && !okSize) {
		return errBadRequest
	}
	st, err := assessments.ComputeStats(r.Context(), s.db, cat, s.assessmentAreas(), f, s.now())
	if err != nil {
		return err
	}
	v := s.assessmentStatsViewFor(p, f, st, areas)
	switch format := q.Get("format"); format {
	case "csv", "xlsx":
		return s.assessmentStatsExport(w, v, q.Get("table"), format)
	case "":
	default:
		return errBadRequest
	}
	days, err := assessments.SourceDays(r.Context(), s.db, f.Model, s.now())
	if err != nil {
		return err
	}
	v.SourceDays = assessments.SourceWindowDays
	for _, d := range days {
		label := d.Day
		if t, err := time.ParseInLocation(time.DateOnly, d.Day, assessments.Zone()); err == nil {
			label = p.L.Date(t)
		}
		v.Sources = append(v.Sources, assessmentSourceDay{Label: label, SourceDay: d})
	}
	return s.render(w, r, "assessment-stats", v)
}

// assessmentStatsViewFor lays out the aggregates; areas are today's, which
// the filter offers. The rows by area are today's units, then former units
// that answers named, marked as such.
func (s *assessmentsPart) assessmentStatsViewFor(p Page, f assessments.Filter, st *assessments.Stats, areas []assessments.Area) *assessmentStatsView {
	cat := s.cat
	m, _ := cat.Model(f.Model)
	v := &assessmentStatsView{
		Page: p, Filter: f, Versions: cat.Versions(), Stats: st, MinGroup: assessments.MinGroup, MaxSmall: assessments.MinGroup - 1,
		Sectors: cat.Profile.Sectors, Areas: areas, Sizes: cat.Profile.SizeClasses,
	}
	for l := 0; l <= 5; l++ {
		v.Levels = append(v.Levels, m.Level(l).Name.In(p.Lang))
	}
	for i, key := range st.ByArea.Keys {
		label := areaLabel(p.L, st.Areas[key])
		if key == "" {
			label = p.L.T("assessment.area.none")
		}
		v.ByArea = append(v.ByArea, assessmentStatsRow{Label: label, Cells: st.ByArea.Rows[i]})
	}
	for i, code := range st.BySector.Keys {
		label := code
		if sec, ok := cat.Profile.Sector(code); ok {
			label = code + " – " + sec.Name.In(p.Lang)
		}
		v.BySector = append(v.BySector, assessmentStatsRow{Label: label, Cells: st.BySector.Rows[i]})
	}
	v.Tables = []assessmentLevelTable{
		{Caption: p.L.T("assessment.stats.byarea"), Head: p.L.T("assessment.profile.area"), Rows: v.ByArea, Total: st.ByArea.Total, Key: "area"},
		{Caption: p.L.T("assessment.stats.bysector"), Head: p.L.T("assessment.profile.sector"), Rows: v.BySector, Total: st.BySector.Total, Key: "sector"},
	}
	for _, ps := range st.Pillars {
		pl, _ := m.Pillar(ps.Pillar)
		v.Pillars = append(v.Pillars, assessmentPillarStat{Name: pl.Name.In(p.Lang), PillarStat: ps})
	}
	options := func(itemID string, counts []assessments.OptionCount) []assessmentOptionStat {
		it, _ := m.Item(itemID)
		var out []assessmentOptionStat
		for _, c := range counts {
			label := c.Option
			if it != nil {
				if o, ok := it.Option(c.Option); ok {
					label = o.Text.In(p.Lang)
				}
			}
			out = append(out, assessmentOptionStat{Label: label, OptionCount: c})
		}
		return out
	}
	v.Barriers = options("ctx-barriers", st.Barriers)
	v.Needs = options("ctx-needs", st.Needs)
	v.OptionTables = []assessmentOptionTable{
		{Caption: p.L.T("assessment.stats.barriers.title"), Head: p.L.T("assessment.stats.barriers"), Rows: v.Barriers, Key: "barriers"},
		{Caption: p.L.T("assessment.stats.needs.title"), Head: p.L.T("assessment.stats.needs"), Rows: v.Needs, Key: "needs"},
	}
	v.N = int(st.N.N)
	for _, mc := range slices.Backward(st.Months) {
		v.Months = append(v.Months, assessmentMonthStat{Label: assessmentMonthLabel(p, mc.Month), MonthCount: mc})
	}
	return v
}

// Export is the address of one table of this view in format ("csv" or
// "xlsx"), with the view's filter, so that a download holds exactly the
// table on screen. It is built as url.Values: a query string put into the
// template would be escaped as one value and the filter lost.
func (v *assessmentStatsView) Export(table, format string) string {
	qs := url.Values{}
	for k, val := range map[string]string{"model": v.Filter.Model, "area": v.Filter.Area, "sector": v.Filter.Sector, "size": v.Filter.Size} {
		if val != "" {
			qs.Set(k, val)
		}
	}
	qs.Set("format", format)
	qs.Set("table", table)
	return "/" + string(v.Lang) + "/reports/assessments?" + qs.Encode()
}

// assessmentMonthLabel writes "2026-11" as "11/2026" or "Nov 2026".
func assessmentMonthLabel(p Page, month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return p.L.T("assessment.stats.month", "M", int(t.Month()), "Y", strconv.Itoa(t.Year()), "Name", t.Month().String()[:3])
}
