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
	"digiportal/teams"
)

// TestBrowserTeamsStates opens the team pages in the states the route
// list's visits do not reach (a helper in a team with an entry, a team with
// a member and a month's entries, each form refused) in both languages on
// a phone, and holds each to the checks every page passes: axe-core, the
// width of a 360 px phone and its tap targets.
func TestBrowserTeamsStates(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	lengthenNames(t, db, units[accounts.RoleCommuneOfficial])
	ts := newTestServer(t, db)
	ctx := context.Background()
	commune := units[accounts.RoleCommuneOfficial]
	team := newTeam(t, db, commune, "Tổ công nghệ số tổ dân phố Đông Hưng Thuận số 12", "480")
	helper := ts.newVisitor()
	u := helper.signInAs(accounts.RoleHelper, commune)
	joinTeam(t, db, team.ID, u.ID)
	note := strings.Repeat("Hướng dẫn cài VNeID và nhận biết lừa đảo. ", 7)
	if _, err := teams.RecordVisit(ctx, db, accounts.UserActor(u, ""), teams.VisitInput{Day: teams.Today(time.Now()), Kind: teams.KindDesk,
		Households: "12", People1559: "9", People60: "14", Note: note[:teams.MaxNote-10], VNeID: true, Payment: true, Service: true, Cashless: true, Scam: true, Lesson: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs() {
		for _, c := range []struct {
			role accounts.Role
			path string
			form int // the form to send empty, counted from the last (1), 0 for none
			want int
		}{
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/log", lang), 0, http.StatusOK},
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/log", lang), 2, http.StatusBadRequest},
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/teams", lang), 1, http.StatusBadRequest},
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/teams/%d", lang, team.ID), 0, http.StatusOK},
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/teams/%d", lang, team.ID), 2, http.StatusBadRequest},
		} {
			t.Run(fmt.Sprintf("%s/%s/form=%d", c.path[1:], c.role, c.form), func(t *testing.T) {
				v := helper
				if c.role != accounts.RoleHelper {
					v = ts.newVisitor()
					v.signInAs(c.role, units[c.role])
				}
				v.t = t
				tab := newTab(t, v, atPhoneWidth)
				if c.form > 0 {
					tab.open(c.path).mustStatus(t, http.StatusOK)
					l, err := tab.submitForm(tab.count("form") - c.form)
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
