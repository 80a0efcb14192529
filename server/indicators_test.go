package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// postFile submits a multipart form with one file, as a same-origin
// browser would.
func (ts *testServer) postFile(path string, fields url.Values, field, name string, data []byte) *response {
	ts.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		ts.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.http.URL+path, &body)
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", ts.http.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return ts.do(req)
}

func seedIndicators(t testing.TB, db bun.IDB) {
	t.Helper()
	if err := indicators.SeedDemo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

func TestIndicatorsPublicPages(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ts.srv.indicators.counters = indicators.Counters{indicators.SourceLessons: indicators.FixedCounter{indicators.MonthOf(time.Now()).Prev().String(): 1234}}
	vi := ts.get("/vi/indicators").mustStatus(t, 200)
	vi.mustContain(t, "Thành phố Hồ Chí Minh", "Tỷ lệ người trưởng thành có điện thoại thông minh", "Phường Vũng Tàu", "Tình hình báo cáo", "1.234")
	en := ts.get("/en/indicators").mustStatus(t, 200)
	en.mustContain(t, "Adults with a smartphone", "1,234", "Not available yet")
	// The same figure, formatted the other way.
	pct := regexp.MustCompile(`<td class="num">(\d+),(\d)%`).FindStringSubmatch(vi.Body)
	if pct == nil || !strings.Contains(en.Body, pct[1]+"."+pct[2]+"%") {
		t.Errorf("a percentage of the Vietnamese page (%v) is not on the English page as %s.%s%%", pct, pct[1], pct[2])
	}
	for _, p := range []string{"/vi/indicators/SMARTPHONE", "/en/indicators/FIBRE_HH?unit=26506", "/vi/indicators/progress", "/en/indicators/progress", "/vi/api", "/en/indicators?from=2025-01&to=2025-12"} {
		res := ts.get(p).mustStatus(t, 200)
		if strings.Contains(res.Body, `style="`) {
			t.Errorf("%s has a style attribute, which the CSP refuses", p)
		}
		if len(res.Body) > 40_000 {
			t.Errorf("%s is %d bytes of HTML, too close to the 50 KB budget", p, len(res.Body))
		}
	}
	ts.get("/vi/indicators/SMARTPHONE").mustContain(t, "<svg", "<table", "Phường Tam Thắng")
	ts.get("/en/indicators/progress").mustContain(t, "Decision 411", "Adults with a smartphone")
	// The hierarchy of a day before the reorganisation: the old province.
	ts.get("/vi/indicators?date=2025-06-30&from=2025-01&to=2025-06").mustStatus(t, 200).mustContain(t, "Tỉnh Bà Rịa - Vũng Tàu")
	ts.get("/en/indicators/SMARTPHONE?date=2025-06-30&unit=77&from=2025-01&to=2025-06").mustStatus(t, 200).mustContain(t, "Vung Tau City", "Con Dao District")
	ts.get("/vi/indicators/NOPE").mustStatus(t, 404)
	ts.get("/vi/indicators?from=2025-13").mustStatus(t, 400)
	ts.get("/vi/indicators?unit=99999").mustStatus(t, 404)

	csv := ts.get("/export/vi/indicators?format=csv&table=completeness").mustStatus(t, 200)
	if !strings.HasPrefix(csv.Body, "\ufeff") || !strings.Contains(csv.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.Body, "Đã duyệt") {
		t.Errorf("CSV export: %q %.80q", csv.Header.Get("Content-Type"), csv.Body)
	}
	xlsx := ts.get("/export/en/indicators?format=xlsx&view=indicator&indicator=SMARTPHONE").mustStatus(t, 200)
	if !strings.HasPrefix(xlsx.Body, "PK") {
		t.Error("XLSX export is not a zip file")
	}

	api := ts.get("/api/v1/values?unit=79&indicator=SMARTPHONE&from=2025-05&to=2025-08").mustStatus(t, 200)
	api.mustContain(t, `"indicator":"SMARTPHONE"`, `"period":"2025-06"`, `"period":"2025-07"`, `"basis":"approved"`)
	etag := api.Header.Get("ETag")
	if etag == "" || api.Header.Get("Last-Modified") == "" {
		t.Fatalf("API answer without ETag or Last-Modified: %v", api.Header)
	}
	ts.get("/api/v1/values?unit=79&indicator=SMARTPHONE&from=2025-05&to=2025-08", "If-None-Match", etag).mustStatus(t, 304)
	ts.get("/api/v1/units?date=2025-06-30&parent=77").mustStatus(t, 200).mustContain(t, `"code":"747"`, `"name":"Thành phố Vũng Tàu"`)
	ts.get("/api/v1/units?q=vung+tau").mustStatus(t, 200).mustContain(t, `"Phường Vũng Tàu"`)
	ts.get("/api/v1/indicators").mustStatus(t, 200).mustContain(t, `"code":"SIGNATURE"`, `"value":50,"strict":true`)
	ts.get("/api/v1/values?color=red").mustStatus(t, 400).mustContain(t, `"parameter":"color"`)
	ts.get("/api/v1/values?unit=98765").mustStatus(t, 404)
}

// TestReviewMonthsReachTheFirstReport: the review list's month filter
// reaches back to the first report (the demo's January 2024, three years
// before the clock here), not only two years.
func TestReviewMonthsReachTheFirstReport(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ts.srv.indicators.now = func() time.Time { return time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC) }
	province := ts.newVisitor()
	province.signInAs(accounts.RoleProvinceOfficial, "79")
	province.get("/vi/reports/review").mustStatus(t, 200).mustContain(t, `<option value="2024-01">Tháng 1/2024</option>`, `<option value="2027-01">`)
	province.get("/en/reports/review?period=2024-01").mustStatus(t, 200).mustContain(t, `<option value="2024-01" selected>`)
}

// TestAPIValuesFilterAndChildren: indicator= keeps to the indicators asked
// for, whichever of them comes last in the list of all; parent= gives the
// figures of each unit under parent, the same as asking for each in turn,
// a page at a time.
func TestAPIValuesFilterAndChildren(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	type series struct {
		Indicator string            `json:"indicator"`
		Values    []json.RawMessage `json:"values"`
	}
	type unitValues struct {
		Unit *struct {
			Code string `json:"code"`
		} `json:"unit"`
		Series       []series          `json:"series"`
		Completeness []json.RawMessage `json:"completeness"`
	}
	var all unitValues
	if err := json.Unmarshal([]byte(ts.get("/api/v1/values?unit=79").mustStatus(t, 200).Body), &all); err != nil || len(all.Series) < 3 {
		t.Fatalf("all indicators: %v, %d series", err, len(all.Series))
	}
	// Each indicator alone, and the first with the last.
	for _, want := range [][]string{{all.Series[0].Indicator}, {all.Series[len(all.Series)-1].Indicator}, {all.Series[0].Indicator, all.Series[len(all.Series)-1].Indicator}} {
		var got unitValues
		json.Unmarshal([]byte(ts.get("/api/v1/values?unit=79&indicator="+strings.Join(want, ",")).mustStatus(t, 200).Body), &got)
		var codes []string
		for _, s := range got.Series {
			codes = append(codes, s.Indicator)
		}
		if strings.Join(codes, ",") != strings.Join(want, ",") {
			t.Errorf("indicator=%s gave %v", strings.Join(want, ","), codes)
		}
	}

	var page struct {
		Parent struct {
			Code string `json:"code"`
		} `json:"parent"`
		Total int          `json:"total"`
		Units []unitValues `json:"units"`
	}
	kids, err := indicators.Children(context.Background(), db, "79", indicators.Today(time.Now()))
	if err != nil || len(kids) < 3 {
		t.Fatalf("children of 79: %d, %v", len(kids), err)
	}
	seen := 0
	for offset := 0; offset < len(kids); offset += 2 {
		body := ts.get(fmt.Sprintf("/api/v1/values?parent=79&indicator=SMARTPHONE&from=2025-05&to=2025-08&limit=2&offset=%d", offset)).mustStatus(t, 200).Body
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		if page.Parent.Code != "79" || page.Total != len(kids) || len(page.Units) != min(2, len(kids)-offset) {
			t.Fatalf("parent=79 offset %d: parent %s, total %d, %d units; want 79, %d, %d", offset, page.Parent.Code, page.Total, len(page.Units), len(kids), min(2, len(kids)-offset))
		}
		for i, u := range page.Units {
			k := kids[offset+i]
			if u.Unit == nil || u.Unit.Code != k.Code {
				t.Fatalf("unit %d of the page at %d: %+v, want %s", i, offset, u.Unit, k.Code)
			}
			var alone unitValues
			json.Unmarshal([]byte(ts.get("/api/v1/values?unit="+k.Code+"&indicator=SMARTPHONE&from=2025-05&to=2025-08").mustStatus(t, 200).Body), &alone)
			a, _ := json.Marshal(alone)
			b, _ := json.Marshal(u)
			if string(a) != string(b) {
				t.Errorf("%s under parent=79:\n%s\nasked alone:\n%s", k.Code, b, a)
			}
			seen++
		}
	}
	if seen != len(kids) {
		t.Errorf("pages held %d units, want %d", seen, len(kids))
	}
}

func FuzzParseAPIQuery(f *testing.F) {
	for _, s := range []string{"unit=79&from=2025-01&to=2025-12", "indicator=SMARTPHONE,FIBRE_HH", "limit=5000", "date=2025-02-30", "from=2026-01&to=2025-01", "q=%C4%91"} {
		f.Add(s)
	}
	from, to := indicators.Month(2025, 1), indicators.Month(2025, 12)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseAPIQuery(v, from, to)
		if err != nil {
			return
		}
		if q.Limit < 1 || q.Limit > 1000 || q.To.Compare(q.From) < 0 || len(q.Indicators) > 20 {
			t.Fatalf("accepted %q as %+v", raw, q)
		}
	})
}

// TestIndicatorsWorkflowPages walks the whole of issue 7's story through
// the router, in each language: an admin imports a unit list and a successor
// mapping; a commune official enters a month, is warned about a jump and
// submits; a province official returns it; the commune fixes and
// resubmits; the province approves and the values are locked; an admin
// unlocks them with a reason.
func TestIndicatorsWorkflowPages(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *bun.DB) {
				workflowPages(t, db, lang)
			})
		})
	}
}

func workflowPages(t *testing.T, db *bun.DB, lang string) {
	ctx := context.Background()
	if err := indicators.SeedDefinitions(ctx, db); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db)
	l := ts.srv.bundle.Localizer(i18n.Lang(lang))
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	before, _ := indicators.DemoFile("ba-ria-vung-tau-2020.csv")
	after, _ := indicators.DemoFile("ho-chi-minh-2025-07-01.csv")
	mapping, _ := indicators.DemoFile("successors-2025-07-01.csv")
	// Each import is queued by the page and run by the worker.
	imported := func(fields url.Values, name string, data []byte) *response {
		page := queueImport(t, admin, lang, fields, name, data)
		if !ts.srv.indicators.runUnitJobOnce(ctx) {
			t.Fatal("no job for the worker")
		}
		return admin.get(page).mustStatus(t, 200).mustContain(t, l.T("indicators.admin.units.job.status.done"))
	}
	imported(url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "list.csv", before).
		mustContain(t, l.T("indicators.admin.units.result", "Created", 91, "Changed", 0, "Unchanged", 0, "Closed", 0))
	imported(url.Values{"kind": {"units"}, "day": {"2025-07-01"}, "complete": {"yes"}}, "new.csv", after)
	imported(url.Values{"kind": {"mapping"}, "day": {"2025-07-01"}}, "map.csv", mapping)
	// The same list again changes nothing.
	imported(url.Values{"kind": {"units"}, "day": {"2025-07-01"}, "complete": {"yes"}}, "new.csv", after).
		mustContain(t, l.T("indicators.admin.units.result", "Created", 0, "Changed", 0, "Unchanged", 31, "Closed", 0))
	admin.get("/"+lang+"/admin/units?q=vung+tau").mustStatus(t, 200).mustContain(t, map[string]string{"vi": "Phường Vũng Tàu", "en": "Vung Tau Ward"}[lang])

	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, "26536")
	province := ts.newVisitor()
	province.signInAs(accounts.RoleProvinceOfficial, "79")
	els, _ := indicators.EnteredElements(ctx, db)
	period := indicators.DueMonth(time.Now())
	prev := period.Prev()
	form := func(k int64, p indicators.Period, action string) url.Values {
		v := url.Values{"unit": {"26536"}, "period": {p.String()}, "action": {action}}
		base := []int64{1000, 800, 2700, 2200, 2000, 900, 1800, 2100, 1300}
		for i, e := range els {
			v.Set(fmt.Sprintf("e%d", e.ID), fmt.Sprint(base[i]*k/10))
		}
		return v
	}
	// Last month, as a base to compare with.
	commune.post("/"+lang+"/reports/entry", form(10, prev, "submit")).mustStatus(t, 303)
	// A value that is not a whole number is refused, field by field.
	bad := form(10, period, "save")
	bad.Set(fmt.Sprintf("e%d", els[0].ID), "12,5")
	commune.post("/"+lang+"/reports/entry", bad).mustStatus(t, 400).mustContain(t, l.T("error.title_prefix"), fmt.Sprintf(`href="#e%d"`, els[0].ID))
	// Doubling every figure warns, and submitting needs a confirmation.
	res := commune.post("/"+lang+"/reports/entry", form(20, period, "submit")).mustStatus(t, 200)
	res.mustContain(t, l.T("indicators.entry.warnings"), `name="confirm"`)
	sub := form(20, period, "submit")
	sub.Set("confirm", "yes")
	commune.post("/"+lang+"/reports/entry", sub).mustStatus(t, 303)
	rep := reportOf(t, db, "26536", period)
	if rep.Status != indicators.StatusSubmitted {
		t.Fatalf("status after submit = %s", rep.Status)
	}
	// The commune cannot approve; the province returns with a comment.
	commune.post(fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID), url.Values{"action": {"approve"}}).mustStatus(t, 403)
	province.get("/"+lang+"/reports/review").mustStatus(t, 200).mustContain(t, map[string]string{"vi": "Xã Long Sơn", "en": "Long Son Commune"}[lang])
	province.post(fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID), url.Values{"action": {"return"}}).mustStatus(t, 400)
	province.post(fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID), url.Values{"action": {"return"}, "comment": {"Số hộ tăng gấp đôi, cần kiểm tra"}}).mustStatus(t, 303)
	commune.get("/"+lang+"/reports/entry?unit=26536&period="+period.String()).mustStatus(t, 200).mustContain(t, "Số hộ tăng gấp đôi, cần kiểm tra")
	// The commune fixes and resubmits; the province approves.
	commune.post("/"+lang+"/reports/entry", form(11, period, "submit")).mustStatus(t, 303)
	province.post(fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID), url.Values{"action": {"approve"}}).mustStatus(t, 303)
	if rep = reportOf(t, db, "26536", period); rep.Status != indicators.StatusApproved {
		t.Fatalf("status after approval = %s", rep.Status)
	}
	// Approved values are locked.
	commune.get("/"+lang+"/reports/entry?unit=26536&period="+period.String()).mustStatus(t, 200).mustContain(t, l.T("indicators.entry.locked_caption"))
	commune.post("/"+lang+"/reports/entry", form(12, period, "save")).mustStatus(t, 409)
	// A province official outside the unit's province does not see it.
	other := ts.newVisitor()
	other.signInAs(accounts.RoleProvinceOfficial, "77")
	other.get(fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID)).mustStatus(t, 404)
	// Only an admin unlocks, and only with a reason.
	province.post(fmt.Sprintf("/%s/reports/review/%d/unlock", lang, rep.ID), url.Values{"comment": {"x"}}).mustStatus(t, 403)
	admin.post(fmt.Sprintf("/%s/reports/review/%d/unlock", lang, rep.ID), url.Values{"comment": {""}}).mustStatus(t, 400)
	admin.post(fmt.Sprintf("/%s/reports/review/%d/unlock", lang, rep.ID), url.Values{"comment": {"Sai số dân"}}).mustStatus(t, 303)
	if rep = reportOf(t, db, "26536", period); rep.Status != indicators.StatusDraft {
		t.Fatalf("status after unlock = %s", rep.Status)
	}
	var n int
	if err := db.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)").Where("action = 'indicators.status'").Where("object_id = ?", "26536/"+period.String()).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 6 { // draft, submitted, returned, submitted, approved, draft again
		t.Errorf("audited state changes = %d, want 6", n)
	}
	// The officials' dashboard counts submitted figures and says so.
	province.get("/"+lang+"/reports/dashboard").mustStatus(t, 200).mustContain(t, l.T("indicators.official.notice"))
	commune.get("/"+lang+"/reports/dashboard?unit=79").mustStatus(t, 404)
}

func reportOf(t *testing.T, db bun.IDB, code string, p indicators.Period) *indicators.Report {
	t.Helper()
	u, err := indicators.UnitByCode(context.Background(), db, code, p.Day())
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := indicators.ReportFor(context.Background(), db, u.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestDashboardUnitOfOtherDays: a dashboard asked for a code that named no
// unit on the day (a province merged in 2025, asked about today) is a 404
// that says so and links to the unit on the last day it was valid, with
// the twelve months up to then; a code that never named a unit is a plain
// 404.
func TestDashboardUnitOfOtherDays(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		res := ts.get("/"+string(lang)+"/indicators?unit=77").mustStatus(t, http.StatusNotFound)
		res.mustContain(t, l.T("indicators.error.unit_other_days", "Code", "77"),
			`href="/`+string(lang)+`/indicators?date=2025-06-30&amp;from=2024-07&amp;to=2025-06&amp;unit=77"`,
			l.T("indicators.error.unit_version", "Name", map[i18n.Lang]string{i18n.VI: "Tỉnh Bà Rịa - Vũng Tàu", i18n.EN: "Ba Ria - Vung Tau Province"}[lang], "From", indDayLabel(l, "2020-01-01"), "To", indDayLabel(l, "2025-06-30")))
		ts.get("/"+string(lang)+"/indicators?date=2025-06-30&from=2024-07&to=2025-06&unit=77").mustStatus(t, http.StatusOK)
		ts.get("/"+string(lang)+"/indicators?unit=98").mustStatus(t, http.StatusNotFound).mustContain(t, l.T("error.404.body"))
	}
}
