package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
)

// indicatorsView is what the dashboard pages show: the public ones
// (approved figures only) and the officials' one (submitted figures too,
// marked as such).
type indicatorsView struct {
	Page
	Official   bool   // the officials' view, submitted figures included
	ShowPage   bool   // one indicator's page rather than the overview
	Base       string // the dashboards' path, for links
	FormAction string // where the filter form goes: the page itself
	UnitName   string
	UnitVI     bool // the unit's name stays Vietnamese on an English page
	Crumbs     []indCrumb
	Latest     string
	HasData    bool
	Rows       []indRow
	Focus      *indRow
	Trend      []indTrendRow
	TrendChart any
	Children   []indChildRow
	ChildChart any
	ChildLevel string
	Pager      indPager
	Complete   []indCompRow
	Portal     []indPortalRow
	Teams      *indTeamsView // figures from team records, apart from the reported ones
	PortalHead []string
	Months     []indOption
	From, To   string
	Indicators []indOption
	Indicator  string
	Unit       string
	ExportCSV  string
	ExportXLSX string
	Reorg      bool // the range crosses the 2025 reorganisation
	LatestComp string
	Date       string // the day whose hierarchy applies
}

type indCrumb struct {
	Name, URL string
	VI        bool // a Vietnamese name on an English page
}

type indRow struct {
	Code, Name, Value, Num, Den, Target, Source, Link string
	State                                             string // "ok", "bad" or "" (no target or no value)
	NotComparable, Provisional                        bool
}

type indTrendRow struct {
	Month, Value, Num, Den string
	NotComparable          bool
}

type indChildRow struct {
	Name, Code, Link, Value, Num, Den, Reported string
	State                                       string
	NotComparable                               bool
	VI                                          bool // a Vietnamese name on an English page
}

type indCompRow struct {
	Month                        string
	Expected, Reported, Approved int64
	Share                        string
}

type indPortalRow struct {
	Name      string
	Available bool
	Counts    []int64
	Total     int64
}

type indPager struct {
	Prev, Next string
	Page       int
}

// filterMonths is how far back the month pickers reach; older months are
// still one edit of the URL (or the API) away.
const filterMonths = 48

// childrenPerPage bounds the comparison so a city of 168 wards stays within
// the page-weight budget.
const childrenPerPage = 30

// dashboardView builds a dashboard page for the request.
// unitOnOtherDays is the 404 of a dashboard asked for a unit that was not
// valid on the day: when the code named units on other days, the page says
// so and links to each, on the last day it was valid (a province merged in
// 2025 is found on 30 June 2025, not today).
func (s *indicatorsPart) unitOnOtherDays(r *http.Request, base string, q indicators.Query) error {
	versions, err := indicators.UnitVersions(r.Context(), s.db, q.Unit)
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		return errNotFound
	}
	return &statusError{status: http.StatusNotFound, msgID: "indicators.error.unit_other_days",
		data: []any{"Code", q.Unit},
		links: func(l *i18n.Localizer) []indOption {
			var out []indOption
			for _, u := range versions {
				last := u.ValidTo
				if last == indicators.OpenEnd {
					last = indicators.Today(s.now())
				} else {
					last = indicators.DayBefore(last)
				}
				qq := q
				qq.Day = last
				to := l.T("indicators.error.unit_still_valid")
				if u.ValidTo != indicators.OpenEnd {
					to = indDayLabel(l, last)
					// The twelve months up to its last one.
					if end, err := time.Parse(time.DateOnly, u.ValidTo); err == nil {
						qq.From, qq.To = indicators.DefaultRange(end)
					}
				}
				out = append(out, indOption{Value: dashboardLink(base, qq), Label: l.T("indicators.error.unit_version",
					"Name", u.DisplayName(l.Lang == i18n.EN), "From", indDayLabel(l, u.ValidFrom), "To", to)})
			}
			return out
		}}
}

func (s *indicatorsPart) dashboardView(w http.ResponseWriter, r *http.Request, titleID, base string, official bool) (*indicatorsView, *indicators.Dashboard, error) {
	p := s.page(w, r, titleID)
	q, err := s.indicatorsQuery(r)
	if err != nil {
		return nil, nil, err
	}
	if code := r.PathValue("code"); code != "" {
		q.Indicator = code
	}
	q.WithSubmitted = official
	ctx := r.Context()
	now := s.now()
	if official {
		if err := s.officialUnit(r, &q); err != nil {
			return nil, nil, err
		}
	}
	d, err := s.publicDashboard(ctx, q, now)
	if errors.Is(err, database.ErrNotFound) && q.Unit != "" {
		return nil, nil, s.unitOnOtherDays(r, base, q)
	}
	if err != nil {
		return nil, nil, dashboardErr(err)
	}
	n := indNumbers{p.L}
	en := p.Lang == "en"
	v := &indicatorsView{Page: p, Official: official, Base: base, HasData: !d.Latest.IsZero(),
		From: d.Query.From.String(), To: d.Query.To.String(), Unit: r.URL.Query().Get("unit"), Indicator: q.Indicator,
		FormAction: r.URL.Path, ShowPage: r.PathValue("code") != "", Date: d.Query.Day}
	link := func(unit string) string {
		qq := d.Query
		qq.Unit, qq.WithSubmitted = unit, false
		if r.PathValue("code") != "" {
			qq.Indicator = ""
		}
		return dashboardLink(base, qq)
	}
	home, err := indicators.HomeUnit(ctx, s.db)
	if err != nil {
		return nil, nil, err
	}
	if d.Unit == nil {
		v.UnitName = p.L.T("indicators.nation")
	} else {
		v.UnitName = d.Unit.DisplayName(en)
		v.UnitVI = en && d.Unit.VietnameseIn(en)
		if !official || s.currentUser(r).Role == accounts.RoleAdmin {
			if home == "" {
				v.Crumbs = append(v.Crumbs, indCrumb{Name: p.L.T("indicators.nation"), URL: link("")})
			}
		}
		for _, a := range d.Ancestors {
			// An official's crumbs start at their own unit: the units
			// above it are outside their scope and would answer 404.
			if official {
				if err := s.authorize(r, accounts.ActIndicatorsView, accounts.Object{Unit: a.Code}); errors.Is(err, accounts.ErrForbidden) {
					continue
				} else if err != nil {
					return nil, nil, err
				}
			}
			v.Crumbs = append(v.Crumbs, indCrumb{Name: a.DisplayName(en), URL: link(a.Code), VI: en && a.VietnameseIn(en)})
		}
	}
	if v.HasData {
		v.Latest = indPeriodLabel(p.L, d.Latest)
	}
	for _, row := range d.Rows {
		ir := indRow{Code: row.Indicator.Code, Name: row.Indicator.Name(en), Value: n.pct(row.Latest),
			Num: n.count(row.Latest.Num), Den: n.count(row.Latest.Den), Target: n.target(row.Target),
			NotComparable: row.Latest.NotComparable,
			Link:          dashboardLink(base+"/"+row.Indicator.Code, indicators.Query{Unit: v.Unit, From: d.Query.From, To: d.Query.To, Day: q.Day})}
		if official {
			ir.Link = dashboardLink(base, indicators.Query{Unit: v.Unit, From: d.Query.From, To: d.Query.To, Indicator: row.Indicator.Code, Day: q.Day})
		}
		if row.Target != nil {
			ir.Source = row.Target.Source(en)
			if row.Latest.Has() {
				ir.State = "bad"
				if row.Met {
					ir.State = "ok"
				}
			}
		}
		v.Rows = append(v.Rows, ir)
		v.Indicators = append(v.Indicators, indOption{row.Indicator.Code, row.Indicator.Name(en)})
	}
	for i, m := range d.Months {
		c := d.Completeness[i]
		cr := indCompRow{Month: indPeriodLabel(p.L, m), Expected: int64(c.Expected), Reported: int64(c.Reported), Approved: int64(c.Approved), Share: "–"}
		if c.Expected > 0 {
			cr.Share = p.L.Percent(100 * float64(c.Approved) / float64(c.Expected))
		}
		v.Complete = append(v.Complete, cr)
		if m.Compare(indMonth(indicators.ReorgDay[:7])) == 0 && i > 0 {
			v.Reorg = true
		}
	}
	if v.HasData {
		for i, m := range d.Months {
			if m == d.Latest {
				// The words say what the sums count: approved figures on
				// the public pages, submitted ones too for officials.
				c := d.Completeness[i]
				if official && c.Reported == c.Approved {
					// Nothing is pending: saying the totals include
					// figures awaiting approval would be untrue.
					v.LatestComp = p.L.T("indicators.summary.completeness", "Approved", p.L.Int(int64(c.Approved)), "Expected", p.L.Int(int64(c.Expected)))
				} else if official {
					v.LatestComp = p.L.T("indicators.summary.completeness_official", "Reported", p.L.Int(int64(c.Reported)),
						"Approved", p.L.Int(int64(c.Approved)), "Expected", p.L.Int(int64(c.Expected)))
				} else {
					v.LatestComp = p.L.T("indicators.summary.completeness", "Approved", p.L.Int(int64(c.Approved)), "Expected", p.L.Int(int64(c.Expected)))
				}
				if d.Incomplete {
					v.LatestComp += " " + p.L.T("indicators.summary.incomplete", "Share", p.L.Percent(100*d.CompleteShare))
				}
			}
		}
	}
	if official && v.HasData {
		c := d.Completeness[len(d.Completeness)-1]
		for i, m := range d.Months {
			if m == d.Latest {
				c = d.Completeness[i]
			}
		}
		for i := range v.Rows {
			v.Rows[i].Provisional = c.Reported > c.Approved
		}
	}
	if d.Focus != nil {
		focusView(r, v, d, n, d.Query)
	}
	v.Months = indMonthOptions(p.L, indMonth(indicators.MonthOf(now).String()), filterMonths)
	v.ExportCSV = dashboardLink("/export/"+string(p.Lang)+strings.TrimPrefix(base, "/"+string(p.Lang)), d.Query, "format", "csv", "view", indViewName(r), "indicator", q.Indicator)
	v.ExportXLSX = dashboardLink("/export/"+string(p.Lang)+strings.TrimPrefix(base, "/"+string(p.Lang)), d.Query, "format", "xlsx", "view", indViewName(r), "indicator", q.Indicator)
	return v, d, nil
}

func indViewName(r *http.Request) string {
	if r.PathValue("code") != "" {
		return "indicator"
	}
	return ""
}

func indMonth(s string) indicators.Period {
	p, _ := indicators.ParsePeriod(s)
	return p
}

// focusView fills the trend and the comparison of the indicator in focus.
func focusView(r *http.Request, v *indicatorsView, d *indicators.Dashboard, n indNumbers, q indicators.Query) {
	q.WithSubmitted = false
	if r.PathValue("code") != "" {
		q.Indicator = ""
	}
	en := v.Lang == "en"
	l := v.L
	f := d.Focus
	for i := range v.Rows {
		if v.Rows[i].Code == f.Indicator.Code {
			v.Focus = &v.Rows[i]
		}
	}
	target, targetText := math.NaN(), ""
	if f.Target != nil {
		target, targetText = f.Target.Value, l.T("indicators.chart.target", "Value", n.target(f.Target))
	}
	var pts []indPoint
	for i, m := range d.Months {
		fig := f.Trend[i]
		v.Trend = append(v.Trend, indTrendRow{Month: indPeriodLabel(l, m), Value: n.pct(fig), Num: n.count(fig.Num), Den: n.count(fig.Den), NotComparable: fig.NotComparable})
		pts = append(pts, indPoint{Label: chartMonth(l, m), Value: fig.Percent, Text: n.pct(fig)})
	}
	name := f.Indicator.Name(en)
	v.TrendChart = lineChart("trend", l.T("indicators.chart.trend_title", "Name", name, "Unit", v.UnitName),
		l.T("indicators.chart.trend_desc"), pts, target, targetText)
	kids := d.Children
	v.Pager.Page = indPageParam(r)
	start := (v.Pager.Page - 1) * childrenPerPage
	if start > len(kids) {
		start = len(kids)
	}
	end := min(start+childrenPerPage, len(kids))
	if start > 0 {
		v.Pager.Prev = dashboardLink(r.URL.Path, q, "page", strconv.Itoa(v.Pager.Page-1))
	}
	if end < len(kids) {
		v.Pager.Next = dashboardLink(r.URL.Path, q, "page", strconv.Itoa(v.Pager.Page+1))
	}
	var bars []indPoint
	for _, c := range kids[start:end] {
		cr := indChildRow{Name: c.Unit.DisplayName(en), VI: en && c.Unit.VietnameseIn(en), Code: c.Unit.Code, Value: n.pct(c.Figure), Num: n.count(c.Figure.Num), Den: n.count(c.Figure.Den),
			Reported:      l.T("indicators.children.reported", "Reported", l.Int(int64(c.Completeness.Reported)), "Approved", l.Int(int64(c.Completeness.Approved)), "Expected", l.Int(int64(c.Completeness.Expected))),
			NotComparable: c.Figure.NotComparable}
		qq := q
		qq.Unit = c.Unit.Code
		cr.Link = dashboardLink(r.URL.Path, qq)
		if f.Target != nil && c.Figure.Has() {
			cr.State = "bad"
			if f.Target.Met(c.Figure.Percent) {
				cr.State = "ok"
			}
		}
		v.Children = append(v.Children, cr)
		bars = append(bars, indPoint{Label: cr.Name, Value: c.Figure.Percent, Text: cr.Value})
	}
	if len(kids) > 0 {
		v.ChildLevel = l.T("indicators.children.title", "Unit", v.UnitName)
		v.ChildChart = barChart("compare", l.T("indicators.chart.compare_title", "Name", name, "Month", v.Latest),
			l.T("indicators.chart.compare_desc"), bars, target, targetText)
	}
}

// officialUnit puts the official's own unit in q when none is asked for, and
// checks that an asked-for unit lies in the official's scope. Admins see any
// unit, starting at the portal's province.
func (s *indicatorsPart) officialUnit(r *http.Request, q *indicators.Query) error {
	u := s.currentUser(r)
	if q.Unit == "" && u.Role != accounts.RoleAdmin {
		q.Unit = u.UnitCode
	}
	if q.Unit == "" {
		return nil
	}
	return s.authorize(r, accounts.ActIndicatorsView, accounts.Object{Unit: q.Unit})
}
