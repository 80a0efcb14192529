package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/database/dbtest"
)

// middleForm answers a question page "in the middle", as the domain's
// TestScoreRealModel does: gates yes with the third rung, partly, scales 3,
// the first box of each checklist, percentages 20. Its result is known:
// level 3 (Hình thành), 43.2%.
func middleForm(items []assessments.Item) url.Values {
	f := url.Values{}
	for _, it := range items {
		switch it.Type {
		case assessments.GateLadder:
			f.Set(it.ID, "yes")
			f.Set(assessments.RungField(it.ID), "3")
		case assessments.YesPartialNo:
			f.Set(it.ID, "partial")
		case assessments.Scale:
			f.Set(it.ID, "3")
		case assessments.Checklist:
			if !it.Optional {
				f.Set(it.ID, it.Options[0].ID)
			}
		case assessments.Ratio:
			f.Set(it.ID, "20")
		}
	}
	return f
}

var assessmentPath = regexp.MustCompile(`^/(vi|en)/assessment/([0-9a-z]{26})/(.+)$`)

// location returns the redirect target of res, failing unless it is a 303.
func location(t *testing.T, res *response) string {
	t.Helper()
	res.mustStatus(t, http.StatusSeeOther)
	return res.Header.Get("Location")
}

// startAssessment starts one and returns its ID and resume code.
func startAssessment(t *testing.T, ts *testServer, lang string) (id, code string) {
	t.Helper()
	to := location(t, ts.post("/"+lang+"/assessment", nil))
	m := assessmentPath.FindStringSubmatch(to)
	if m == nil || m[3] != "profile" {
		t.Fatalf("start went to %q, want the profile page", to)
	}
	page := ts.get(to).mustStatus(t, http.StatusOK)
	code = regexp.MustCompile(`class="code">([2-9A-Z-]{17})<`).FindStringSubmatch(page.Body)[1]
	return m[2], code
}

// shopProfile is a small shop's profile, in Phường Vũng Tàu when the
// portal's units offer it; a portal without units asks for no area.
func shopProfile(t *testing.T, ts *testServer) url.Values {
	t.Helper()
	p := url.Values{"sector": {"G"}, "employees": {"25"}, "revenue": {"r3"}, "capital": {"unknown"}, "action": {"next"}}
	areas, err := ts.srv.assessments.assessmentAreas().Areas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range areas {
		if a.Code == "26506" || p.Get("area") == "" {
			p.Set("area", a.Code)
		}
	}
	return p
}

// completeAssessment answers every page the middle way and sends it.
func completeAssessment(t *testing.T, ts *testServer, lang, id string, consent bool) {
	t.Helper()
	base := "/" + lang + "/assessment/" + id + "/"
	m := ts.srv.assessments.cat.Current()
	if to := location(t, ts.post(base+"profile", shopProfile(t, ts))); to != base+"questions/customer" {
		t.Fatalf("profile went to %q", to)
	}
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		f := middleForm(items)
		f.Set("action", "next")
		location(t, ts.post(base+"questions/"+page, f))
	}
	form := url.Values{}
	if consent {
		form.Set("consent", assessments.ConsentVersion)
	}
	if to := location(t, ts.post(base+"review", form)); to != base+"result" {
		t.Fatalf("submit went to %q", to)
	}
}

func TestAssessmentFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db) // the units the profile's areas come from
		ts := newTestServer(t, db)
		ctx := context.Background()
		ts.get("/vi/assessment").mustStatus(t, http.StatusOK).
			mustContain(t, `action="/vi/assessment"`, "37 câu hỏi", "Không cần tên hay số điện thoại")
		id, code := startAssessment(t, ts, "vi")
		base := "/vi/assessment/" + id + "/"

		// The profile: all fields required; the size class follows Decree 80.
		res := ts.post(base+"profile", url.Values{"employees": {"abc"}, "capital": {"unknown"}}).mustStatus(t, http.StatusBadRequest)
		res.mustContain(t, "<title>Lỗi: ", `href="#sector"`, `href="#employees"`, `href="#area"`)
		ts.post(base+"profile", url.Values{"sector": {"O"}, "employees": {"3"}, "revenue": {"r1"}, "capital": {"unknown"}, "area": {"26506"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#sector"`)
		if to := location(t, ts.post(base+"profile", shopProfile(t, ts))); to != base+"questions/customer" {
			t.Fatalf("profile went to %q", to)
		}
		r, _ := assessments.Get(ctx, db, id)
		if r.SizeClass != "small" || r.Sector != "G" || r.Area != "26506" {
			t.Errorf("stored profile %+v", r)
		}

		// A page with a number that is not one saves nothing and says why.
		m := ts.srv.assessments.cat.Current()
		items, _ := m.PageItems("customer")
		bad := middleForm(items)
		bad.Set("cx-online-revenue", "khoảng hai mươi")
		bad.Set("action", "next")
		ts.post(base+"questions/customer", bad).mustStatus(t, http.StatusBadRequest).
			mustContain(t, `href="#cx-online-revenue"`, "khoảng hai mươi", `value="partial" checked`)
		if r, _ := assessments.Get(ctx, db, id); len(r.Answers) != 0 {
			t.Errorf("answers saved from a page with an error: %v", r.Answers)
		}
		// Moving on with questions unanswered saves what was answered.
		half := url.Values{"cx-presence": {"yes"}, "cx-feedback": {"yes"}, "action": {"next"}}
		ts.post(base+"questions/customer", half).mustStatus(t, http.StatusBadRequest).
			mustContain(t, `href="#cx-presence.rung"`, `href="#cx-channels"`)
		if r, _ := assessments.Get(ctx, db, id); r.Answers["cx-feedback"].Choice != "yes" {
			t.Errorf("partial answers not saved: %v", r.Answers)
		}
		// Going back or stopping needs no complete page.
		if to := location(t, ts.post(base+"questions/customer", url.Values{"action": {"prev"}, "cx-care": {"2"}})); to != base+"profile" {
			t.Errorf("back went to %q", to)
		}
		if to := location(t, ts.post(base+"questions/strategy", url.Values{"action": {"later"}})); to != base+"saved" {
			t.Errorf("later went to %q", to)
		}
		ts.get(base+"saved").mustStatus(t, http.StatusOK).mustContain(t, code, "/vi/assessment/resume?code="+url.QueryEscape(code))

		// Sending before everything is answered lists the unfinished parts.
		ts.post(base+"review", url.Values{}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, `href="#step-customer"`, `href="#step-data"`)

		completeAssessment(t, ts, "vi", id, false)
		ts.get(base+"result").mustStatus(t, http.StatusOK).
			mustContain(t, "Mức 3: Hình thành", "43,2%", "Trung bình (26–50)", "Ba điểm cần cải thiện nhất",
				"Phần mềm quản lý", `<svg viewBox="0 0 400 300"`, `/vi/lessons/`, "Chưa đủ 5 doanh nghiệp")
		ts.get("/en/assessment/"+id+"/result").mustStatus(t, http.StatusOK).
			mustContain(t, "Level 3: Forming", "43.2%", "Average (26–50)", "Fewer than 5 businesses")
		ts.get(base+"report").mustStatus(t, http.StatusOK).
			mustContain(t, "Báo cáo tự đánh giá", "Bán buôn và bán lẻ", "Có – Có thông tin sản phẩm", "20%")

		// Sent means read-only: a late save changes nothing.
		late := middleForm(items)
		late.Set("cx-presence", "no")
		if to := location(t, ts.post(base+"questions/customer", late)); to != base+"questions/customer" {
			t.Errorf("save after sending went to %q", to)
		}
		if r, _ := assessments.Get(ctx, db, id); r.Answers["cx-presence"].Choice != "yes" || r.Consented() {
			t.Errorf("a sent response changed: %+v", r.Answers["cx-presence"])
		}
		ts.get(base+"questions/customer").mustStatus(t, http.StatusOK).mustContain(t, "không sửa được nữa").
			mustNotContain(t, `<form method="post" action="/vi/assessment/`+id)

		// Another browser cannot open it, until it types the code.
		other := ts.newVisitor()
		other.get(base+"result").mustStatus(t, http.StatusNotFound)
		other.post(base+"consent", url.Values{"consent": {assessments.ConsentVersion}}).mustStatus(t, http.StatusNotFound)
		if to := location(t, other.post("/vi/assessment/resume", url.Values{"code": {strings.ToLower(code)}})); to != base+"result" {
			t.Errorf("resume went to %q", to)
		}
		other.get(base+"result").mustStatus(t, http.StatusOK)

		// Consent after the fact, then a retake compared with this result.
		location(t, other.post(base+"consent", url.Values{"consent": {assessments.ConsentVersion}}))
		if r, _ := assessments.Get(ctx, db, id); r.ConsentVersion != assessments.ConsentVersion {
			t.Errorf("consent not saved: %q", r.ConsentVersion)
		}
		to := location(t, other.post(base+"retake", nil))
		mm := assessmentPath.FindStringSubmatch(to)
		if mm == nil || mm[2] == id {
			t.Fatalf("retake went to %q", to)
		}
		other.get(to).mustStatus(t, http.StatusOK).mustContain(t, `value="G" selected`, `value="25"`)
		completeAssessment(t, other, "vi", mm[2], true)
		other.get("/vi/assessment/"+mm[2]+"/result").mustStatus(t, http.StatusOK).
			mustContain(t, "Lần trước", "stroke-dasharray", "Thay đổi: 0 điểm phần trăm")
	})
}

func TestAssessmentResumeErrors(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.get("/vi/assessment/resume?code=ABCD").mustStatus(t, http.StatusOK).mustContain(t, `value="ABCD"`)
	tests := []struct{ code, want string }{
		{"", "Hãy nhập mã tiếp tục."},
		{"ABCD-EFGH", "Mã chưa đúng."},
		{assessments.NewResumeCode(), "Không tìm thấy bài tự đánh giá nào với mã này."},
	}
	for _, tt := range tests {
		ts.post("/vi/assessment/resume", url.Values{"code": {tt.code}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "<title>Lỗi: ", tt.want, `href="#code"`)
	}
}

func TestAssessmentDemoIsReadOnly(t *testing.T) {
	db := dbtest.SQLite(t)
	if err := assessments.SeedDemo(context.Background(), db, unitAreas{db: db, now: time.Now}); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db)
	for _, p := range ts.srv.Pages() {
		if !strings.Contains(p.Pattern, "/assessment") || p.Access != "" {
			continue
		}
		for _, path := range p.Paths {
			for _, lang := range []string{"vi", "en"} {
				res := ts.get(strings.ReplaceAll(path, "{lang}", lang)).mustStatus(t, http.StatusOK)
				if strings.Contains(path, assessments.DemoResponseID) && strings.Contains(res.Body, `method="post"`) &&
					!strings.Contains(path, "/saved") {
					if regexp.MustCompile(`action="/` + lang + `/assessment/` + assessments.DemoResponseID).MatchString(res.Body) {
						t.Errorf("%s offers a form that changes the demo", path)
					}
				}
			}
		}
	}
	demo := "/vi/assessment/" + assessments.DemoResponseID + "/"
	// The demo business's closest peers are enough to show.
	closest := regexp.MustCompile(`<li data-n="\d+">\s*<h3>Cùng ngành \(Bán buôn`)
	if res := ts.get(demo+"result").mustContain(t, "Lần trước"); !closest.MatchString(res.Body) {
		t.Error("the demo result withholds its closest peer group")
	}
	for _, p := range []string{"questions/customer", "profile", "review", "consent", "retake"} {
		ts.post(demo+p, url.Values{"action": {"next"}}).mustStatus(t, http.StatusNotFound)
	}
}

func TestAssessmentUnknownIDs(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	for _, path := range []string{
		"/vi/assessment/" + assessments.NewID() + "/result",
		"/vi/assessment/not-an-id/profile",
		"/vi/assessment/00000000000000000000000001/questions/customer",
	} {
		ts.get(path).mustStatus(t, http.StatusNotFound)
	}
	id, _ := startAssessment(t, ts, "vi")
	ts.get("/vi/assessment/"+id+"/questions/no-such-page").mustStatus(t, http.StatusNotFound)
	// A result not yet sent goes to the review.
	if to := location(t, ts.get("/vi/assessment/"+id+"/result")); to != "/vi/assessment/"+id+"/review" {
		t.Errorf("unsent result went to %q", to)
	}
}

func TestAssessmentStatsPage(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	// Six consenting shops and one that did not consent.
	for i := range 7 {
		v := ts.newVisitor()
		id, _ := startAssessment(t, v, "vi")
		completeAssessment(t, v, "vi", id, i < 6)
	}
	const page = "/vi/reports/assessments"
	if to := location(t, ts.newVisitor().get(page)); !strings.HasPrefix(to, "/vi/login") {
		t.Errorf("signed out: sent to %q, want the sign-in page", to)
	}
	resident := ts.newVisitor()
	resident.signInAs(accounts.RoleResident, "")
	resident.get(page).mustStatus(t, http.StatusForbidden)

	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "79")
	official.get(page).mustStatus(t, http.StatusOK).
		mustContain(t, "6 doanh nghiệp", "Phường Vũng Tàu", "Trung vị", "ẩn")
	official.get(page+"?sector=A").mustStatus(t, http.StatusOK).mustContain(t, "0 doanh nghiệp")
	official.get(page+"?sector=ZZ").mustStatus(t, http.StatusBadRequest)

	csv := official.get(page+"?format=csv&table=area").mustStatus(t, http.StatusOK)
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(csv.Body, "\ufeff") {
		t.Errorf("CSV: content type %q, BOM %v", ct, strings.HasPrefix(csv.Body, "\ufeff"))
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.Body, "\ufeff")), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], `"Phường Vũng Tàu",0,0,0,6,0,0,6`) {
		t.Errorf("CSV by area:\n%s", csv.Body)
	}
	en := official.get("/en/reports/assessments?format=csv&table=months").mustStatus(t, http.StatusOK)
	if !strings.Contains(en.Body, `"Month","Businesses"`) || !strings.Contains(en.Body, `"`+time.Now().Format("2006-01")+`",6`) {
		t.Errorf("CSV by month:\n%s", en.Body)
	}
	official.get(page+"?format=csv&table=nope").mustStatus(t, http.StatusBadRequest)
}

// mustNotContain fails the test if the body holds any of subs.
func (res *response) mustNotContain(t testing.TB, subs ...string) *response {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(res.Body, s) {
			t.Errorf("%s %s: body holds %q", res.Request.Method, res.Request.URL.Path, s)
		}
	}
	return res
}
