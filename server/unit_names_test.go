package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/indicators"
)

// TestEnglishPagesNameUnitsInEnglish: English pages give units English
// names — the office's when the unit list had one, else derived from the
// official name — and a name with no standard form to derive from stays
// Vietnamese, marked lang="vi".
func TestEnglishPagesNameUnitsInEnglish(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ts.get("/en/indicators").mustStatus(t, http.StatusOK).mustContain(t, "Adoption indicators: Ho Chi Minh City")
	ts.get("/vi/indicators").mustStatus(t, http.StatusOK).mustContain(t, "Chỉ số chuyển đổi số: Thành phố Hồ Chí Minh")
	kids, err := indicators.Children(ctx, db, home, indicators.Today(time.Now()))
	if err != nil || len(kids) < 2 {
		t.Fatalf("%d communes, %v", len(kids), err)
	}
	// The first has an English name from the office, the second a name
	// with no standard form.
	const office, odd = "Office English Name Ward", "Khu thử nghiệm Vân Phong"
	for code, set := range map[string][2]string{kids[0].Code: {kids[0].Name, office}, kids[1].Code: {odd, ""}} {
		if _, err := db.NewUpdate().Table("org_units").Set("name = ?, name_en = ?", set[0], set[1]).Where("code = ?", code).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ts.get("/en/indicators?unit="+kids[0].Code).mustStatus(t, http.StatusOK).mustContain(t, "Adoption indicators: "+office)
	ts.get("/en/indicators?unit="+kids[1].Code).mustStatus(t, http.StatusOK).mustContain(t, `Adoption indicators: <span lang="vi">`+odd+`</span>`)
	ts.get("/en/indicators?unit="+home).mustStatus(t, http.StatusOK).mustContain(t, `lang="vi">`+odd+`</a>`, ">"+office+"</a>")
	if body := ts.get("/vi/indicators?unit=" + home).Body; strings.Contains(body, `lang="vi">`+odd) {
		t.Error("a Vietnamese page marks a name lang=\"vi\"")
	}
	province := ts.newVisitor()
	province.signInAs(accounts.RoleProvinceOfficial, home)
	list := province.get("/en/reports/review?status=approved").mustStatus(t, http.StatusOK)
	if strings.Contains(list.Body, ">Phường ") || strings.Contains(list.Body, ">Xã ") {
		t.Error("the English review list names a unit in Vietnamese")
	}
	list.mustContain(t, " Ward</a>")
}
