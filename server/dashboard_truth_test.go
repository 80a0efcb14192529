package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// rawSums adds up, from the reports themselves, an indicator's numerator
// and denominator over the reports of units under the unit at path for a
// month: approved ones only, and approved and submitted ones. It counts
// the units of each too.
type rawSums struct {
	num, den               [2]int64 // [approved only, approved and submitted]
	approved, reported     int
	numElement, denElement int64
}

func sumReports(t *testing.T, db bun.IDB, path string, ind *indicators.Indicator, period string) rawSums {
	t.Helper()
	var rows []struct {
		ReportID int64             `bun:"report_id"`
		Status   indicators.Status `bun:"status"`
		Element  int64             `bun:"element_id"`
		Value    int64             `bun:"value"`
	}
	err := db.NewSelect().TableExpr("indicator_reports AS r").
		ColumnExpr("r.id AS report_id, r.status, v.element_id, v.value").
		Join("JOIN indicator_values AS v ON v.report_id = r.id").
		Join("JOIN org_units AS u ON u.id = r.unit_id").
		Where("r.period = ?", period).Where("u.path LIKE ?", path+"%").
		Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	s := rawSums{numElement: ind.NumeratorID, denElement: ind.DenominatorID}
	seen := map[int64]bool{}
	for _, r := range rows {
		if r.Status != indicators.StatusApproved && r.Status != indicators.StatusSubmitted {
			continue
		}
		if !seen[r.ReportID] {
			seen[r.ReportID] = true
			s.reported++
			if r.Status == indicators.StatusApproved {
				s.approved++
			}
		}
		for i, counts := range []bool{r.Status == indicators.StatusApproved, true} {
			if !counts {
				continue
			}
			switch r.Element {
			case ind.NumeratorID:
				s.num[i] += r.Value
			case ind.DenominatorID:
				s.den[i] += r.Value
			}
		}
	}
	return s
}

// trendRow is the row of a month in a dashboard's trend table.
func trendRow(l *i18n.Localizer, month indicators.Period, num, den int64) string {
	return fmt.Sprintf(`<th scope="row">%s</th><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td></tr>`,
		indPeriodLabel(l, month), l.Percent(100*float64(num)/float64(den)), l.Int(num), l.Int(den))
}

// TestDashboardFiguresAreTheSums: the figures the dashboards show are the
// sums of the reports, recomputed here — approved reports only on the
// public page, approved and submitted ones on the officials' — and the
// sentence over the officials' summary says which units those are, in
// both languages, whether figures are pending or not.
func TestDashboardFiguresAreTheSums(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	today := indicators.Today(time.Now())
	root, err := indicators.UnitByCode(ctx, db, home, today)
	if err != nil {
		t.Fatal(err)
	}
	inds, err := indicators.Indicators(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ind := &inds[0]
	province := ts.newVisitor()
	province.signInAs(accounts.RoleProvinceOfficial, home)
	due := indicators.DueMonth(time.Now())
	pendingSeen := false
	for _, m := range []indicators.Period{due.Prev(), due} {
		s := sumReports(t, db, root.Path, ind, m.String())
		if s.den[0] == 0 || s.den[1] == 0 {
			t.Fatalf("%s: the demo has no approved figures to sum", m)
		}
		pendingSeen = pendingSeen || s.reported > s.approved
		q := "?unit=" + home + "&from=" + m.Prev().String() + "&to=" + m.String()
		for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
			l := ts.srv.bundle.Localizer(lang)
			public := ts.get("/"+string(lang)+"/indicators/"+ind.Code+q).mustStatus(t, http.StatusOK)
			public.mustContain(t, trendRow(l, m, s.num[0], s.den[0]))
			official := province.get("/"+string(lang)+"/reports/dashboard"+q+"&indicator="+ind.Code).mustStatus(t, http.StatusOK)
			official.mustContain(t, trendRow(l, m, s.num[1], s.den[1]))
			units, err := indicators.ReportingUnits(ctx, db, home, m, 10000)
			if err != nil {
				t.Fatal(err)
			}
			want := l.T("indicators.summary.completeness", "Approved", l.Int(int64(s.approved)), "Expected", l.Int(int64(len(units))))
			if s.reported > s.approved {
				want = l.T("indicators.summary.completeness_official", "Reported", l.Int(int64(s.reported)),
					"Approved", l.Int(int64(s.approved)), "Expected", l.Int(int64(len(units))))
			}
			official.mustContain(t, htmlText(want))
		}
	}
	if !pendingSeen {
		t.Error("the demo has no month with figures awaiting approval: the sums including them were not tested apart")
	}
}

// htmlText escapes a message as html/template writes text.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestOfficialCrumbsStayInScope: a commune official's dashboard names the
// province above but links no page outside the official's scope; a
// province official's crumbs link the province.
func TestOfficialCrumbsStayInScope(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	communes, err := indicators.Children(ctx, db, home, indicators.Today(time.Now()))
	if err != nil || len(communes) == 0 {
		t.Fatal(err)
	}
	c := communes[0].Code
	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, c)
	page := commune.get("/vi/reports/dashboard").mustStatus(t, http.StatusOK)
	if strings.Contains(page.Body, "unit="+home+`"`) || strings.Contains(page.Body, "unit="+home+"&") {
		t.Errorf("a commune official's dashboard links the province %s", home)
	}
	province := ts.newVisitor()
	province.signInAs(accounts.RoleProvinceOfficial, home)
	province.get("/vi/reports/dashboard?unit="+c).mustStatus(t, http.StatusOK).mustContain(t, "unit="+home)
}

// TestJumpWarningSaysDirection: a jump warning says which way a value went
// and both values, in both languages.
func TestJumpWarningSaysDirection(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ts.srv.indicators.now = workClock
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	due := indicators.DueMonth(workClock())
	units, err := indicators.ReportingUnits(ctx, db, home, due, 1)
	if err != nil || len(units) == 0 {
		t.Fatal(err)
	}
	u := units[0]
	els, err := indicators.EnteredElements(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]int64{indicators.ElemHouseholds: 1000, indicators.ElemFibreHouseholds: 800, indicators.ElemPop15: 2700,
		indicators.ElemSmartphone: 2200, indicators.ElemAccount: 2000, indicators.ElemSignature: 900,
		indicators.ElemVNeID: 1800, indicators.ElemWorkingAge: 2100, indicators.ElemTrained: 1300}
	prev := indicators.Values{}
	for _, e := range els {
		prev[e.ID] = base[e.Code]
	}
	if _, err := indicators.Submit(ctx, db, accounts.Actor{UserID: 1}, &u, due.Prev(), prev); err != nil {
		t.Fatal(err)
	}
	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, u.Code)
	form := url.Values{"unit": {u.Code}, "period": {due.String()}, "action": {"submit"}}
	for _, e := range els {
		v := base[e.Code]
		switch e.Code {
		case indicators.ElemHouseholds:
			v = 1924 // up 92.4%
		case indicators.ElemTrained:
			v = 500 // down 61.5%
		}
		form.Set(fmt.Sprintf("e%d", e.ID), fmt.Sprint(v))
	}
	for lang, want := range map[string][]string{
		"vi": {"tăng từ 1.000 lên 1.924 (tăng 92,4%)", "giảm từ 1.300 xuống 500 (giảm 61,5%)"},
		"en": {"went up from 1,000 to 1,924 (92.4% more)", "went down from 1,300 to 500 (61.5% less)"},
	} {
		commune.post("/"+lang+"/reports/entry", form).mustStatus(t, http.StatusOK).mustContain(t, want...)
	}
}

// crawlable are the pages whose links the crawl follows: the officials'.
var crawlable = regexp.MustCompile(`^/(vi|en)/(work|reports|admin|account)(/|\?|$)`)

// intentional lists the links of official pages that answer an error on
// purpose, with why; none today.
var intentional = map[string]string{}

var hrefs = regexp.MustCompile(`href="([^"]*)"`)

// TestOfficialLinksAnswer crawls, for a commune official, a province
// official and an admin, from the workspace in each language every same-site link of every
// official page up to three clicks deep, and wants each to answer without
// a client or server error (but those listed in intentional).
func TestOfficialLinksAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("the crawl fetches a few hundred pages; run it without -short")
	}
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	units := demoUnits(t, db)
	for _, c := range []struct {
		role accounts.Role
		unit string
	}{
		{accounts.RoleCommuneOfficial, units[accounts.RoleCommuneOfficial]},
		{accounts.RoleProvinceOfficial, home},
		{accounts.RoleAdmin, ""},
	} {
		t.Run(string(c.role), func(t *testing.T) {
			v := ts.newVisitor()
			v.t = t
			v.signInAs(c.role, c.unit)
			for _, lang := range []string{"vi", "en"} {
				crawl(t, v, "/"+lang+"/work", 3, 1500)
			}
		})
	}
}

// crawl visits start and the links found on official pages breadth first,
// up to depth clicks and at most limit pages, and reports every link that
// answers 4xx or 5xx with the page it was found on. Of the links to one
// path that differ only in their query (a dashboard's months and units),
// it follows the first perPath, so that every page is reached before the
// limit rather than every filter of a few.
func crawl(t *testing.T, v *testServer, start string, depth, limit int) {
	t.Helper()
	const perPath = 12
	from := map[string]string{start: "(start)"}
	variants := map[string]int{}
	level := []string{start}
	visited := 0
	for d := 0; d <= depth && len(level) > 0; d++ {
		var next []string
		sort.Strings(level)
		for _, path := range level {
			if visited == limit {
				t.Logf("stopped after %d pages", limit)
				return
			}
			visited++
			res := v.get(path)
			if res.StatusCode >= 400 {
				if why, ok := intentional[path]; ok {
					t.Logf("%s answers %d on purpose: %s", path, res.StatusCode, why)
				} else {
					t.Errorf("%s (linked from %s) answers %d", path, from[path], res.StatusCode)
				}
				continue
			}
			if res.StatusCode >= 300 || !crawlable.MatchString(path) || strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") == false {
				continue
			}
			for _, m := range hrefs.FindAllStringSubmatch(res.Body, -1) {
				link := htmlUnescape(m[1])
				u, err := url.Parse(link)
				if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(link, "//") {
					continue // another site, mail, telephone, or a fragment
				}
				u.Fragment = ""
				link = u.RequestURI()
				if _, seen := from[link]; seen || strings.HasPrefix(link, "/static/") || variants[u.Path] == perPath {
					continue
				}
				variants[u.Path]++
				from[link] = path
				next = append(next, link)
			}
		}
		level = next
	}
	t.Logf("%d pages and links answered", visited)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'").Replace(s)
}
