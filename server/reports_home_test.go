package server

import (
	"context"
	"net/http"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestReportsHomeCountsWithinScope: the reports waiting for approval are
// counted within the official's unit; an official whose unit no unit has
// ever had sees none, not the country's.
func TestReportsHomeCountsWithinScope(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	l := ts.srv.bundle.Localizer(i18n.EN)
	_, all, err := indicators.ListReports(context.Background(), db, indicators.ReportFilter{Status: indicators.StatusSubmitted, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if all == 0 {
		t.Fatal("the demo data has no submitted report to count")
	}
	for _, c := range []struct {
		role accounts.Role
		unit string
		want int
	}{
		{accounts.RoleAdmin, "", all},
		{accounts.RoleProvinceOfficial, "79", all}, // every demo report lies in Hồ Chí Minh City now
		{accounts.RoleProvinceOfficial, "99", 0},   // no such province
	} {
		v := ts.newVisitor()
		v.signInAs(c.role, c.unit)
		v.get("/en/reports").mustStatus(t, http.StatusOK).mustContain(t, l.N("indicators.reports.waiting", c.want))
	}
}
