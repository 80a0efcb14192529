package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestReportsScopedByUnitVersion: who may see and act on a report is
// decided by the unit version it belongs to, the same way in the list,
// the page and the actions. Hồ Chí Minh City's official sees and approves
// the reports Bà Rịa – Vũng Tàu's communes sent before the reorganisation
// (their figures land in the city now); a report of an old unit whose code
// was later reused in the city, with no successor link, is nobody's in the
// city: the reused code grants nothing.
func TestReportsScopedByUnitVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		city := ts.newVisitor()
		city.signInAs(accounts.RoleProvinceOfficial, "79")

		// A submitted report of a commune of Bà Rịa – Vũng Tàu before July
		// 2025.
		var old struct {
			ID     int64  `bun:"id"`
			Period string `bun:"period"`
		}
		if err := db.NewRaw(`SELECT r.id, r.period FROM indicator_reports AS r JOIN org_units AS u ON u.id = r.unit_id
			WHERE u.path LIKE '/77/%' AND u.valid_to = '2025-07-01' ORDER BY r.period DESC, r.id LIMIT 1`).Scan(ctx, &old); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewUpdate().Model((*indicators.Report)(nil)).Set("status = ?", indicators.StatusSubmitted).Where("id = ?", old.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		link := fmt.Sprintf(`href="/vi/reports/review/%d"`, old.ID)
		city.get("/vi/reports/review?status=submitted&period="+old.Period).mustStatus(t, http.StatusOK).mustContain(t, link)
		city.get(fmt.Sprintf("/vi/reports/review/%d", old.ID)).mustStatus(t, http.StatusOK)
		city.post(fmt.Sprintf("/vi/reports/review/%d", old.ID), url.Values{"action": {"approve"}}).mustStatus(t, http.StatusSeeOther)
		if rep, _, err := indicators.ReportByID(ctx, db, old.ID); err != nil || rep.Status != indicators.StatusApproved {
			t.Errorf("the city's official approved a predecessor's report: %+v, %v", rep, err)
		}

		// An old unit of 77 whose code the city reuses, with no link.
		now := time.Now()
		gone := indicators.Unit{Code: "27999", Name: "Xã Đã Giải Thể", Kind: "xa", Level: 3, ParentCode: "747",
			ValidFrom: "2020-01-01", ValidTo: "2025-07-01", Path: "/77/747/27999/"}
		reused := indicators.Unit{Code: "27999", Name: "Phường Mới Mã Cũ", Kind: "phuong", Level: 2, ParentCode: "79",
			ValidFrom: "2025-07-01", ValidTo: indicators.OpenEnd, Path: "/79/27999/"}
		for _, u := range []*indicators.Unit{&gone, &reused} {
			if _, err := db.NewInsert().Model(u).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rep := indicators.Report{UnitID: gone.ID, Period: "2025-05", Status: indicators.StatusSubmitted, UpdatedAt: now, SubmittedAt: &now}
		if _, err := db.NewInsert().Model(&rep).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		res := city.get("/vi/reports/review?status=submitted&period=2025-05").mustStatus(t, http.StatusOK)
		if link := fmt.Sprintf(`href="/vi/reports/review/%d"`, rep.ID); strings.Contains(res.Body, link) {
			t.Error("the review list shows the report of an old unit whose code the city reuses")
		}
		city.get(fmt.Sprintf("/vi/reports/review/%d", rep.ID)).mustStatus(t, http.StatusNotFound)
		city.post(fmt.Sprintf("/vi/reports/review/%d", rep.ID), url.Values{"action": {"approve"}}).mustStatus(t, http.StatusNotFound)
		if got, _, err := indicators.ReportByID(ctx, db, rep.ID); err != nil || got.Status != indicators.StatusSubmitted {
			t.Errorf("a reused code let the city act on an old unit's report: %+v, %v", got, err)
		}
		// An admin still sees it.
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		admin.get(fmt.Sprintf("/vi/reports/review/%d", rep.ID)).mustStatus(t, http.StatusOK)
	})
}

// TestDashboardWordsMatchTheSums: the officials' dashboard sums submitted
// figures too, and says so with the count of units it sums; the public
// one says it counts approved units only.
func TestDashboardWordsMatchTheSums(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "79")
	for _, lang := range []string{"vi", "en"} {
		l := ts.srv.bundle.Localizer(i18n.Lang(lang))
		off := official.get("/"+lang+"/reports/dashboard").mustStatus(t, http.StatusOK)
		want := strings.SplitN(l.T("indicators.summary.completeness_official", "Reported", "§", "Approved", "§", "Expected", "§"), "§", 2)[0]
		off.mustContain(t, want)
		pub := ts.get("/"+lang+"/indicators").mustStatus(t, http.StatusOK)
		pub.mustContain(t, strings.SplitN(l.T("indicators.summary.completeness", "Approved", "§", "Expected", "§"), "§", 2)[0])
		if strings.Contains(off.Body, strings.SplitN(l.T("indicators.summary.completeness", "Approved", "§", "Expected", "§"), "§", 3)[2]) {
			t.Errorf("%s: the officials' dashboard says it counts approved units only", lang)
		}
	}
}

// TestApproveAll: a province official approves a month's submitted reports
// in one action after a page that lists them; each is audited as if
// approved alone and the roll-ups count them; a list that changed in
// between approves nothing; one former district can be approved alone.
func TestApproveAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		const month = "2025-05" // before the reorganisation: Bà Rịa – Vũng Tàu's communes
		if _, err := db.NewRaw("UPDATE indicator_reports SET status = 'submitted', approved_at = NULL WHERE period = ?", month).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := indicators.RebuildRollups(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		var total int
		if err := db.NewRaw("SELECT count(*) FROM indicator_reports WHERE period = ? AND status = 'submitted'", month).Scan(ctx, &total); err != nil || total < 10 {
			t.Fatalf("%d submitted reports (%v)", total, err)
		}
		ts := newTestServer(t, db)
		city := ts.newVisitor()
		city.signInAs(accounts.RoleProvinceOfficial, "79")
		l := ts.srv.bundle.Localizer(i18n.EN)
		var auditsBefore int
		db.NewRaw("SELECT count(*) FROM audit_log WHERE action = 'indicators.status'").Scan(ctx, &auditsBefore)

		city.get("/en/reports/review?status=submitted&period="+month).mustStatus(t, 200).
			mustContain(t, `href="/en/reports/review/approve-all?period=`+month+`"`)
		// One former district first.
		page := city.get("/en/reports/review/approve-all?period="+month+"&area=747").mustStatus(t, 200)
		ids := hiddenValue(t, page.Body, "ids")
		n := len(strings.Fields(ids))
		if n == 0 || n >= total {
			t.Fatalf("district 747 lists %d of %d reports", n, total)
		}
		page.mustContain(t, l.N("indicators.review.all.submit", n))
		// A list that changed: one more id than shown.
		var other int64
		db.NewRaw("SELECT MIN(r.id) FROM indicator_reports AS r JOIN org_units AS u ON u.id = r.unit_id WHERE r.period = ? AND u.path NOT LIKE '%/747/%'", month).Scan(ctx, &other)
		city.post("/en/reports/review/approve-all", url.Values{"period": {month}, "area": {"747"}, "ids": {ids + " " + fmt.Sprint(other)}}).
			mustStatus(t, http.StatusConflict).mustContain(t, l.T("indicators.review.all.changed"))
		var approved int
		db.NewRaw("SELECT count(*) FROM indicator_reports WHERE period = ? AND status = 'approved'", month).Scan(ctx, &approved)
		if approved != 0 {
			t.Fatalf("a changed list approved %d reports", approved)
		}
		city.post("/en/reports/review/approve-all", url.Values{"period": {month}, "area": {"747"}, "ids": {ids}}).mustStatus(t, http.StatusSeeOther)
		city.get("/en/reports/review?status=approved&period="+month+"&done="+fmt.Sprint(n)).mustStatus(t, 200).
			mustContain(t, l.N("indicators.review.done.approved_all", n))
		// Then the rest.
		rest := hiddenValue(t, city.get("/vi/reports/review/approve-all?period="+month).mustStatus(t, 200).Body, "ids")
		if len(strings.Fields(rest)) != total-n {
			t.Fatalf("the rest lists %d, want %d", len(strings.Fields(rest)), total-n)
		}
		city.post("/vi/reports/review/approve-all", url.Values{"period": {month}, "ids": {rest}}).mustStatus(t, http.StatusSeeOther)
		db.NewRaw("SELECT count(*) FROM indicator_reports WHERE period = ? AND status = 'approved'", month).Scan(ctx, &approved)
		if approved != total {
			t.Errorf("%d of %d approved", approved, total)
		}
		var audits int
		db.NewRaw("SELECT count(*) FROM audit_log WHERE action = 'indicators.status'").Scan(ctx, &audits)
		if audits-auditsBefore != total {
			t.Errorf("%d approvals audited, want %d", audits-auditsBefore, total)
		}
		city.get("/vi/reports/review/approve-all?period="+month).mustStatus(t, 200).mustContain(t, ts.srv.bundle.Localizer(i18n.VI).T("indicators.review.all.none"))
		// The roll-ups kept count: the month is complete on the public page.
		comp, err := indicators.Rollup(ctx, db, "2025-06-30", []int64{indicators.NationID}, []string{month})
		if err != nil {
			t.Fatal(err)
		}
		if c := comp.Completeness(indicators.NationID, month); c.Approved != total {
			t.Errorf("completeness after approving all = %+v, want %d approved", c, total)
		}
		// Wrong input.
		city.get("/en/reports/review/approve-all?period=2025-13").mustStatus(t, http.StatusBadRequest)
		city.post("/en/reports/review/approve-all", url.Values{"period": {month}, "ids": {"1 x"}}).mustStatus(t, http.StatusBadRequest)
		city.post("/en/reports/review/approve-all", url.Values{"period": {month}}).mustStatus(t, http.StatusBadRequest)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, "26536")
		commune.get("/en/reports/review/approve-all?period="+month).mustStatus(t, http.StatusForbidden)
	})
}

// hiddenValue returns the value of the hidden input called name.
func hiddenValue(t *testing.T, body, name string) string {
	t.Helper()
	marker := `name="` + name + `" value="`
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no hidden %s in the page", name)
	}
	rest := body[i+len(marker):]
	return rest[:strings.Index(rest, `"`)]
}
