package server

import (
	"context"
	encsv "encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

var (
	areaSelect = regexp.MustCompile(`(?s)<select id="area" name="area"[^>]*>(.*?)</select>`)
	areaOption = regexp.MustCompile(`<option value="(\d+)"[^>]*>([^<]+)</option>`)
)

// TestAssessmentAreas: the profile offers today's communes and wards of the
// portal's province, from the units table the indicators pages show, and
// no district abolished on 1 July 2025. An answer given before then still
// reads as the unit it named, marked as former, on the report and in the
// officials' figures, which count today's units first and each former unit
// under its own name, even where a new ward carries its code.
func TestAssessmentAreas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db)
		ts := newTestServer(t, db)

		id, _ := startAssessment(t, ts, "vi")
		m := areaSelect.FindStringSubmatch(ts.get("/vi/assessment/"+id+"/profile").mustStatus(t, http.StatusOK).Body)
		if m == nil {
			t.Fatal("the profile asks for no area")
		}
		offered := map[string]string{}
		for _, o := range areaOption.FindAllStringSubmatch(m[1], -1) {
			offered[o[1]] = o[2]
		}
		if len(offered) != 30 || offered["26506"] != "Phường Vũng Tàu" || offered["26734"] != "Đặc khu Côn Đảo" {
			t.Errorf("the profile offers %d areas %v, want the 30 communes and wards of Hồ Chí Minh City in the demo units", len(offered), offered)
		}
		for _, gone := range []string{"747", "750", "77", "79"} {
			if _, ok := offered[gone]; ok {
				t.Errorf("the profile offers %s, which is no commune of today", gone)
			}
		}
		form := shopProfile(t, ts)
		form.Set("area", "747")
		ts.post("/vi/assessment/"+id+"/profile", form).mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#area"`)

		// Five businesses of today, and two that answered before the
		// reorganisation: one in Thành phố Vũng Tàu (747, a district since
		// abolished) and one in Phường 1, whose code 26506 Phường Vũng Tàu
		// carries now.
		for i := range 7 {
			v := ts.newVisitor()
			id, _ := startAssessment(t, v, "vi")
			completeAssessment(t, v, "vi", id, true)
			if i == 5 {
				backdate(t, db, id, "747", time.Date(2025, 5, 20, 3, 0, 0, 0, time.UTC))
				v.get("/vi/assessment/"+id+"/report").mustStatus(t, http.StatusOK).
					mustContain(t, "Thành phố Vũng Tàu (đơn vị cũ, đến 30/06/2025)")
				v.get("/en/assessment/"+id+"/report").mustStatus(t, http.StatusOK).
					mustContain(t, "Vung Tau City (former unit, until 30 Jun 2025)")
			}
			if i == 6 {
				backdate(t, db, id, "26506", time.Date(2024, 9, 2, 3, 0, 0, 0, time.UTC))
				v.get("/vi/assessment/"+id+"/report").mustStatus(t, http.StatusOK).
					mustContain(t, "Phường 1 (đơn vị cũ, đến 30/06/2025)")
			}
		}

		official := ts.newVisitor()
		official.signInAs(accounts.RoleProvinceOfficial, "79")
		csv := official.get("/vi/reports/assessments?format=csv&table=area").mustStatus(t, http.StatusOK)
		table, err := encsv.NewReader(strings.NewReader(strings.TrimPrefix(csv.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, row := range table[1:] {
			rows = append(rows, row[0])
		}
		want := []string{"Phường Vũng Tàu", "Phường 1 (đơn vị cũ, đến 30/06/2025)", "Thành phố Vũng Tàu (đơn vị cũ, đến 30/06/2025)"}
		if len(rows) < len(want) || strings.Join(rows[:len(want)], "|") != strings.Join(want, "|") {
			t.Errorf("rows by area %q, want %q then the total", rows, want)
		}
		page := official.get("/en/reports/assessments").mustStatus(t, http.StatusOK)
		page.mustContain(t, "Vung Tau City (former unit, until 30 Jun 2025)")
		// The filter offers today's units only.
		official.get("/vi/reports/assessments?area=26506").mustStatus(t, http.StatusOK)
		official.get("/vi/reports/assessments?area=747").mustStatus(t, http.StatusBadRequest)
	})
}

// backdate makes a sent response look as if it had been sent at `at`,
// naming area, as an answer from before the 2025 reorganisation would.
func backdate(t *testing.T, db *bun.DB, id, area string, at time.Time) {
	t.Helper()
	_, err := db.NewUpdate().Table("assessment_responses").
		Set("area = ?", area).Set("created_at = ?", at).Set("updated_at = ?", at).Set("submitted_at = ?", at).Set("consent_at = ?", at).
		Where("id = ?", id).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}
