package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestBrowserQualityStates opens the data-quality pages in the states the
// route list's visits do not reach (a follow-up asked and waiting for an
// answer, its forms with an error, a rule broken, an outlier flagged) in
// both languages on a phone, and holds each to the checks every page
// passes: axe-core, the width of a 360 px phone and its tap targets.
func TestBrowserQualityStates(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	lengthenNames(t, db, units[accounts.RoleCommuneOfficial])
	ts := newTestServer(t, db)
	ctx := context.Background()
	commune := units[accounts.RoleCommuneOfficial]
	m := indicators.MonthOf(time.Now()).Prev().Prev()
	rep := reportOf(t, db, commune, m)
	els, err := indicators.EnteredElements(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	prov := accounts.Actor{UserID: 1, Email: "tinh@example.test"}
	if _, err := indicators.AskFollowup(ctx, db, prov, rep.ID, els[0].ID, strings.Repeat("Số hộ giảm nhiều so với tháng trước. ", 8)); err != nil {
		t.Fatal(err)
	}
	if _, err := indicators.AddRule(ctx, db, prov, indicators.NewRule{NameVI: "Tập huấn không vượt cáp quang", NameEN: "Trained within fibre",
		MessageVI: "Kiểm tra lại số người được tập huấn.", MessageEN: "Check the number trained.", Left: "WORKING_TRAINED", Op: "<=", Right: "HH_FIBRE"}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs() {
		for _, c := range []struct {
			role accounts.Role
			path string
			form bool // send the page's last form empty, to see its errors
			want int
		}{
			{accounts.RoleProvinceOfficial, fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID), false, http.StatusOK},
			{accounts.RoleProvinceOfficial, fmt.Sprintf("/%s/reports/review/%d", lang, rep.ID), true, http.StatusBadRequest},
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/reports/followups", lang), false, http.StatusOK},
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/reports/followups", lang), true, http.StatusBadRequest},
			{accounts.RoleAdmin, fmt.Sprintf("/%s/admin/rules", lang), true, http.StatusBadRequest},
			{accounts.RoleProvinceOfficial, fmt.Sprintf("/%s/reports/timeliness", lang), false, http.StatusOK},
			{accounts.RoleProvinceOfficial, fmt.Sprintf("/%s/reports/timeliness?from=2026-10&to=2026-01", lang), false, http.StatusBadRequest},
		} {
			t.Run(fmt.Sprintf("%s/%s/form=%v", c.path[1:], c.role, c.form), func(t *testing.T) {
				v := ts.newVisitor()
				v.t = t
				v.signInAs(c.role, units[c.role])
				tab := newTab(t, v, atPhoneWidth)
				if c.form {
					// The page's last form, sent empty, is refused.
					tab.open(c.path).mustStatus(t, http.StatusOK)
					l, err := tab.submitForm(tab.count("form") - 1)
					if err != nil {
						t.Fatal(err)
					}
					if l.Status != c.want {
						t.Fatalf("the form answered %d, want %d", l.Status, c.want)
					}
				} else {
					tab.open(c.path).mustStatus(t, c.want)
				}
				if n := tab.count("h1"); n != 1 {
					t.Errorf("%d <h1>", n)
				}
				if width, culprits := tab.overflow(); width > phoneWidth {
					t.Errorf("%d px wide: %s", width, strings.Join(culprits, "; "))
				}
				checkPhoneFrame(t, tab)
				tab.mustPassAxe()
			})
		}
	}
}
