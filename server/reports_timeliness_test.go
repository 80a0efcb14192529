package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestReportsTimeliness: a province official sees each commune's report
// against its deadline and the month's reporting rate; a commune official
// sees their own only, and another unit answers 404 as elsewhere; wrong
// months are refused in words and change nothing.
func TestReportsTimeliness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		units := demoUnits(t, db)
		province, commune := units[accounts.RoleProvinceOfficial], units[accounts.RoleCommuneOfficial]
		ts := newTestServer(t, db)
		m := indicators.DueMonth(time.Now()).Prev() // reported by every demo commune
		u, err := indicators.UnitByCode(ctx, db, commune, m.Day())
		if err != nil {
			t.Fatal(err)
		}
		// The demo sends every report today, late for a month gone; this
		// commune sent the month's report in time.
		inTime := indicators.ReportDeadline(m).Add(-time.Hour)
		if _, err := db.NewUpdate().Table("indicator_reports").Set("status = ?, submitted_at = ?", indicators.StatusApproved, inTime).
			Where("unit_id = ? AND period = ?", u.ID, m.String()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		one := fmt.Sprintf("/vi/reports/timeliness?from=%s&to=%s", m, m)

		prov := ts.newVisitor()
		prov.signInAs(accounts.RoleProvinceOfficial, province)
		prov.get("/vi/work").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/reports/timeliness"`)
		res := prov.get(one).mustStatus(t, http.StatusOK).mustContain(t,
			"Tỷ lệ báo cáo theo tháng", "Hạn gửi (hết ngày)", "14/"+fmt.Sprintf("%02d/%d", m.Next().N, m.Next().Year),
			`<th scope="row" class="wrap">`+u.Name+`</th><td><span class="tag ok">Đúng hạn</span></td>`,
			`<span class="tag warn">Gửi muộn</span>`)
		communes, err := indicators.ReportingUnits(ctx, db, province, m, 1000)
		if err != nil {
			t.Fatal(err)
		}
		// The month's row: every commune due, all sent, one on time.
		rate := ts.srv.bundle.Localizer(i18n.VI)
		want := fmt.Sprintf(`<td class="num">%d</td><td class="num">%d (%s)</td><td class="num">1 (%s)</td>`, len(communes), len(communes),
			rate.Percent(100), rate.Percent(100/float64(len(communes))))
		if !strings.Contains(res.Body, want) {
			t.Errorf("the month's reporting rate is not %s", want)
		}
		prov.get(strings.Replace(one, "/vi/", "/en/", 1)).mustStatus(t, http.StatusOK).mustContain(t, "Reporting rate by month", `<span class="tag ok">On time</span>`)

		com := ts.newVisitor()
		com.signInAs(accounts.RoleCommuneOfficial, commune)
		res = com.get(one).mustStatus(t, http.StatusOK).mustContain(t, "1 đơn vị phải báo cáo", `<span class="tag ok">Đúng hạn</span>`)
		if strings.Contains(res.Body, "Gửi muộn</span></td></tr>") {
			t.Error("a commune official sees another commune's late report")
		}
		com.get(one+"&unit="+province).mustStatus(t, http.StatusNotFound)
		for _, c := range communes {
			if c.Code != commune {
				com.get(one+"&unit="+c.Code).mustStatus(t, http.StatusNotFound)
				break
			}
		}
		prov.get(one+"&unit="+commune).mustStatus(t, http.StatusOK).mustContain(t, "1 đơn vị phải báo cáo")
		prov.get(one+"&unit=01").mustStatus(t, http.StatusNotFound) // Hà Nội, another province

		// Wrong input: refused in words, and nothing of it shown as data.
		prov.get("/vi/reports/timeliness?from=2026-13").mustStatus(t, http.StatusBadRequest)
		prov.get("/vi/reports/timeliness?to=2026").mustStatus(t, http.StatusBadRequest)
		res = prov.get(fmt.Sprintf("/vi/reports/timeliness?from=%s&to=%s", m, m.Prev())).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Lỗi: ", `<a href="#from">Chọn tháng bắt đầu trước hoặc trùng tháng kết thúc</a>`)
		if strings.Contains(res.Body, "Tỷ lệ báo cáo theo tháng") {
			t.Error("a refused range still shows figures")
		}
		long := m
		for range indicators.MaxTimelinessMonths {
			long = long.Prev()
		}
		prov.get(fmt.Sprintf("/en/reports/timeliness?from=%s&to=%s", long, m)).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Choose at most 24 months")

		// Only officials and admins.
		biz := ts.newVisitor()
		biz.signInAs(accounts.RoleBusiness, "")
		biz.get(one).mustStatus(t, http.StatusForbidden)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		admin.get(one).mustStatus(t, http.StatusOK).mustContain(t, `<span class="tag ok">Đúng hạn</span>`)
	})
}
