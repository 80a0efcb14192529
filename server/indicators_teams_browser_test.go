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
	"digiportal/teams"
)

// TestBrowserTeamRecordsDashboard opens the dashboards that show figures
// from team records (the official's with exact counts, the public one with
// a count under 5 withheld) in both languages on a 360 px phone, with
// JavaScript off, and holds each to the checks every page passes:
// axe-core, the phone's width and its tap targets.
func TestBrowserTeamRecordsDashboard(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	commune := units[accounts.RoleCommuneOfficial]
	lengthenNames(t, db, commune)
	ts := newTestServer(t, db)
	ctx := context.Background()
	team := newTeam(t, db, commune, "Tổ công nghệ số thôn Đông", "240")
	helper := ts.newVisitor()
	u := helper.signInAs(accounts.RoleHelper, commune)
	joinTeam(t, db, team.ID, u.ID)
	if _, err := teams.RecordVisit(ctx, db, accounts.UserActor(u, ""), teams.VisitInput{Day: teams.Today(time.Now()), Kind: teams.KindVisit,
		Households: "812", People1559: "640", People60: "3", VNeID: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	this := indicators.MonthOf(time.Now())
	from := this
	for range 11 {
		from = from.Prev()
	}
	rng := "from=" + from.String() + "&to=" + this.String()
	for _, lang := range i18n.Langs() {
		for _, c := range []struct {
			official bool
			path     string
			want     string
		}{
			{true, fmt.Sprintf("/%s/reports/dashboard?%s", lang, rng), "640"},
			{false, fmt.Sprintf("/%s/indicators?unit=%s&%s", lang, commune, rng), map[i18n.Lang]string{i18n.VI: "dưới 5", i18n.EN: "fewer than 5"}[lang]},
		} {
			t.Run(strings.ReplaceAll(c.path[1:], "/", "_"), func(t *testing.T) {
				v := ts.newVisitor()
				v.t = t
				if c.official {
					v.signInAs(accounts.RoleCommuneOfficial, commune)
				}
				tab := newTab(t, v, atPhoneWidth, withoutScripts)
				tab.open(c.path).mustStatus(t, http.StatusOK)
				if n := tab.count("#team-records"); n != 1 {
					t.Fatalf("%d sections of figures from team records", n)
				}
				text, err := evaluate[string](tab, `document.querySelector("section.team-records table tbody tr:last-child").innerText`)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(text, c.want) {
					t.Errorf("the month's row %q lacks %q", text, c.want)
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
