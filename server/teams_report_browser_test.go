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

// TestBrowserTeamsReport opens the teams' report in both languages on a
// 360 px phone, as the commune official with hamlets whose long names
// and entries fill every column, and as the province official before and
// after choosing the commune (whose name has no space to break at): each
// page passes axe-core and fits the phone with JavaScript on, and with
// JavaScript off its month and commune form, sent by a mouse click,
// answers the report again.
func TestBrowserTeamsReport(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	commune := units[accounts.RoleCommuneOfficial]
	lengthenNames(t, db, commune)
	ts := newTestServer(t, db)
	ctx := context.Background()
	sys := accounts.Actor{System: "test"}
	busy := newTeam(t, db, commune, "Tổ công nghệ số tổ dân phố Đông Hưng Thuận số 12", "480")
	for _, name := range []string{"Tổ công nghệ số thôn Phước Long Thượng chưa có thành viên", "Tổ thôn Bình An"} {
		if _, err := teams.Create(ctx, db, sys, commune, teams.Input{Name: name, Households: "0"}); err != nil {
			t.Fatal(err)
		}
	}
	helper := ts.newVisitor()
	u := helper.signInAs(accounts.RoleHelper, commune)
	joinTeam(t, db, busy.ID, u.ID)
	cat := ts.srv.indicators.help
	if _, err := teams.RecordVisit(ctx, db, accounts.UserActor(u, ""), teams.VisitInput{Day: teams.Today(time.Now()), Kind: teams.KindVisit,
		Households: "123", People1559: "456", People60: "789", VNeID: true, Payment: true, Cashless: true, Scam: true,
		Services: []string{"ho-chieu"}, Lessons: []string{"tai-khoan-dinh-danh-vneid"}, Known: &cat.known}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs() {
		for _, c := range []struct {
			role   accounts.Role
			path   string
			want   string // a selector of what the page shows
			tables int
		}{
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/reports/teams", lang), "select#month", 5},
			{accounts.RoleProvinceOfficial, fmt.Sprintf("/%s/reports/teams", lang), "select#unit", 0},
			{accounts.RoleProvinceOfficial, fmt.Sprintf("/%s/reports/teams?unit=%s", lang, commune), "select#unit option[selected]", 5},
		} {
			t.Run(fmt.Sprintf("%s/%s", c.path[1:], c.role), func(t *testing.T) {
				v := ts.newVisitor()
				v.t = t
				v.signInAs(c.role, units[c.role])
				tab := newTab(t, v, atPhoneWidth)
				tab.open(c.path).mustStatus(t, http.StatusOK)
				if tab.count(c.want) == 0 || tab.count("table") != c.tables {
					t.Errorf("the page lacks %s or has %d tables, want %d", c.want, tab.count("table"), c.tables)
				}
				if n := tab.count("h1"); n != 1 {
					t.Errorf("%d <h1>", n)
				}
				if width, culprits := tab.overflow(); width > phoneWidth {
					t.Errorf("%d px wide: %s", width, strings.Join(culprits, "; "))
				}
				checkPhoneFrame(t, tab)
				tab.mustPassAxe()

				off := newTab(t, v, atPhoneWidth, withoutScripts)
				off.open(c.path).mustStatus(t, http.StatusOK)
				if width, culprits := off.overflow(); width > phoneWidth {
					t.Errorf("without scripts, %d px wide: %s", width, strings.Join(culprits, "; "))
				}
				l, err := off.submitForm(off.count("form") - 1)
				if err != nil {
					t.Fatal(err)
				}
				if l.Status != http.StatusOK || !strings.Contains(l.URL, "month=") {
					t.Errorf("the month form without scripts: %d %s", l.Status, l.URL)
				}
			})
		}
	}
}
