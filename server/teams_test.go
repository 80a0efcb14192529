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
	"digiportal/indicators"
	"digiportal/teams"
)

// twoCommunes returns the codes of two units of today under the home
// province that have no units under them, as a commune official's are.
func twoCommunes(t *testing.T, db bun.IDB) (string, string) {
	t.Helper()
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	err = db.NewRaw(`SELECT u.code FROM org_units AS u WHERE u.valid_to = ? AND u.path LIKE ? AND u.code <> ?
		AND NOT EXISTS (SELECT 1 FROM org_units AS c WHERE c.parent_code = u.code AND c.valid_to = ?) ORDER BY u.code LIMIT 2`,
		indicators.OpenEnd, "/"+home+"/%", home, indicators.OpenEnd).Scan(ctx, &codes)
	if err != nil || len(codes) < 2 {
		t.Fatalf("two communes: %v %v", codes, err)
	}
	return codes[0], codes[1]
}

func countRows(t *testing.T, db bun.IDB, table, where string, args ...any) int64 {
	t.Helper()
	n, err := db.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTeamsJourney: a commune official adds a team, is refused bad input
// with each problem at its field and nothing saved, edits it, invites a
// helper whose one-time link sets a password and signs in as a helper,
// and takes the helper off the team, which keeps its place without a
// name; every change is audited.
func TestTeamsJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, _ := twoCommunes(t, db)
		off := ts.newVisitor()
		off.signInAs(accounts.RoleCommuneOfficial, a)

		off.get("/vi/teams").mustStatus(t, http.StatusOK).mustContain(t, "Xã chưa có tổ nào")
		off.post("/vi/teams", url.Values{"name": {"  "}, "households": {"nhiều"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Nhập tên tổ", "Nhập số hộ bằng số nguyên, từ 0 đến 100.000")
		off.post("/en/teams", url.Values{"name": {"Tổ\u202ething"}, "households": {"-3"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "hidden characters", "whole number from 0 to 100,000")
		if n := countRows(t, db, "teams", "1 = 1"); n != 0 {
			t.Fatalf("refused forms saved %d teams", n)
		}
		res := off.post("/vi/teams", url.Values{"name": {"Tổ công nghệ số thôn Đông"}, "households": {" 312 "}}).mustStatus(t, http.StatusSeeOther)
		if to := location(t, res); to != "/vi/teams?done=created" {
			t.Errorf("after adding, went to %q", to)
		}
		list, err := teams.List(ctx, db, a)
		if err != nil || len(list) != 1 || list[0].Households != 312 || list[0].UnitCode != a {
			t.Fatalf("teams of the commune: %+v %v", list, err)
		}
		id := list[0].ID
		page := fmt.Sprintf("/vi/teams/%d", id)
		off.get("/vi/teams?done=created").mustStatus(t, http.StatusOK).mustContain(t, "Đã thêm tổ.", `href="`+page+`?month=`, "312")

		off.post(page, url.Values{"name": {"Tổ thôn Đông"}, "households": {"100001"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Nhập số hộ bằng số nguyên")
		off.post(page, url.Values{"name": {"Tổ thôn Đông"}, "households": {"320"}}).mustStatus(t, http.StatusSeeOther)
		if got, _ := teams.ByID(ctx, db, id); got.Name != "Tổ thôn Đông" || got.Households != 320 {
			t.Errorf("after editing: %+v", got)
		}

		inv := off.post(page+"/invite", url.Values{"email": {"to-vien@example.test"}, "member_name": {"Tổ viên"}}).mustStatus(t, http.StatusOK)
		inv.mustContain(t, "Đã tạo tài khoản thành viên cho to-vien@example.test")
		m := setPasswordLinkRe.FindStringSubmatch(inv.Body)
		if m == nil {
			t.Fatal("no one-time link on the page after inviting")
		}
		if cc := inv.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page with the link: Cache-Control %q", cc)
		}
		off.post(page+"/invite", url.Values{"email": {"TO-VIEN@example.test"}}).mustStatus(t, http.StatusBadRequest)
		off.post(page+"/invite", url.Values{"email": {"không phải thư"}}).mustStatus(t, http.StatusBadRequest)
		if n := countRows(t, db, "team_members", "team_id = ?", id); n != 1 {
			t.Fatalf("members after one invitation and two refused: %d", n)
		}
		var helper accounts.User
		if err := db.NewSelect().Model(&helper).Where("email = ?", "to-vien@example.test").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if helper.Role != accounts.RoleHelper || helper.UnitCode != a {
			t.Errorf("the invited account: %s %q, want helper in %s", helper.Role, helper.UnitCode, a)
		}
		hv := ts.newVisitor()
		hv.get("/vi/set-password/"+m[2]).mustStatus(t, http.StatusOK).mustContain(t, `name="password"`)
		set := hv.post("/vi/set-password/"+m[2], url.Values{"password": {"bốn từ không liên quan"}}).mustStatus(t, http.StatusSeeOther)
		if to := location(t, set); to != "/vi/teams/log" {
			t.Errorf("after setting a password the helper went to %q, want signed in at the help log", to)
		}
		hv.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, "to-vien@example.test")
		hv.post("/vi/set-password/"+m[2], url.Values{"password": {"bốn từ không liên quan"}}).mustStatus(t, http.StatusBadRequest)
		// The helper may not manage teams.
		hv.get("/vi/teams").mustStatus(t, http.StatusForbidden)

		off.get(page).mustStatus(t, http.StatusOK).mustContain(t, "to-vien@example.test", "Tổ viên")
		var mid int64
		if err := db.NewRaw("SELECT id FROM team_members WHERE team_id = ?", id).Scan(ctx, &mid); err != nil {
			t.Fatal(err)
		}
		off.post(fmt.Sprintf("%s/members/%d/remove", page, mid), url.Values{}).mustStatus(t, http.StatusSeeOther)
		off.get(page+"?done=removed").mustStatus(t, http.StatusOK).mustContain(t, "Thành viên cũ").mustNotContain(t, "to-vien@example.test", "Tổ viên")
		members, err := teams.Members(ctx, db, id)
		if err != nil || len(members) != 1 || members[0].UserID != 0 || members[0].Name != "" || !members[0].Left() {
			t.Errorf("the place after leaving: %+v %v", members, err)
		}
		if u, _ := accounts.UserByID(ctx, db, helper.ID); u.Role != accounts.RoleResident || u.UnitCode != "" {
			t.Errorf("the account after leaving: %s %q", u.Role, u.UnitCode)
		}
		for _, act := range []string{teams.AuditTeamCreated, teams.AuditTeamUpdated, teams.AuditMemberInvited, teams.AuditMemberLeft} {
			if n := countRows(t, db, "audit_log", "action = ?", act); n != 1 {
				t.Errorf("audit %s: %d entries, want 1", act, n)
			}
		}
	})
}

// TestTeamsScoped: another commune's official finds none of a commune's
// teams, to see or change; a resident is refused the teams pages.
func TestTeamsScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, b := twoCommunes(t, db)
		team := newTeam(t, db, a, "Tổ thôn Tây", "80")
		other := ts.newVisitor()
		other.signInAs(accounts.RoleCommuneOfficial, b)
		page := fmt.Sprintf("/en/teams/%d", team.ID)
		other.get("/en/teams").mustStatus(t, http.StatusOK).mustNotContain(t, "Tổ thôn Tây")
		other.get(page).mustStatus(t, http.StatusNotFound)
		other.post(page, url.Values{"name": {"Đổi tên"}, "households": {"1"}}).mustStatus(t, http.StatusNotFound)
		other.post(page+"/invite", url.Values{"email": {"la@example.test"}}).mustStatus(t, http.StatusNotFound)
		other.post(page+"/members/1/remove", url.Values{}).mustStatus(t, http.StatusNotFound)
		if got, _ := teams.ByID(ctx, db, team.ID); got.Name != "Tổ thôn Tây" || got.Households != 80 {
			t.Errorf("another commune changed the team: %+v", got)
		}
		if n := countRows(t, db, "users", "email = ?", "la@example.test"); n != 0 {
			t.Error("another commune invited a member")
		}
		res := ts.newVisitor()
		res.signInAs(accounts.RoleResident, "")
		res.get("/en/teams").mustStatus(t, http.StatusForbidden)
		res.get(page).mustStatus(t, http.StatusForbidden)
	})
}

// teamAt is a formCases setup: a team of the commune official's unit, and
// the path of its page with suffix.
func teamAt(suffix string) func(*testing.T, *formFixture, *testServer) (string, []formSend) {
	return func(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
		team, err := teams.Create(context.Background(), f.db, accounts.Actor{System: "test"}, f.units[accounts.RoleCommuneOfficial], teams.Input{Name: "Tổ thôn Bắc", Households: "150"})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("/{lang}/teams/%d%s", team.ID, suffix), nil
	}
}

// teamStates is the team page's view for TestTemplatesRenderEveryState: a
// member now and one who left, and the link of an invitation.
func teamStates() any {
	return &teamView{Members: []teams.Member{{Name: "x"}, {LeftAt: time.Now()}}, Link: "x", Emailed: true}
}

// teamLogStates is the help log's view for TestTemplatesRenderEveryState:
// an entry open to correction, one locked, each with all done.
func teamLogStates() any {
	x := teams.Visit{Note: "x", Households: 1}
	e := teamLogEntry{Visit: x, CanEdit: true, WhatDone: []string{"teams.log.done_vneid", "teams.log.done_scam"}, KindMsgID: "teams.log.kind.visit"}
	locked := e
	locked.CanEdit = false
	return &teamLogView{EntriesEditable: true, EditID: 1, Locked: true, Entries: []teamLogEntry{e, locked}}
}

// helpersInTeam is a formCases setup: every helper account not in a team
// joins the demo team, and with entry, the help log gets an entry to
// correct.
func helpersInTeam(entry bool) func(*testing.T, *formFixture, *testServer) (string, []formSend) {
	return func(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
		ctx := context.Background()
		team, err := teams.Create(ctx, f.db, accounts.Actor{System: "test"}, f.units[accounts.RoleHelper], teams.Input{Name: "Tổ thôn Nam", Households: "90"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		if err := f.db.NewRaw("SELECT id FROM users WHERE role = ? AND id NOT IN (SELECT user_id FROM team_members WHERE user_id IS NOT NULL)", accounts.RoleHelper).Scan(ctx, &ids); err != nil {
			t.Fatal(err)
		}
		var who accounts.Actor
		for _, id := range ids {
			joinTeam(t, f.db, team.ID, id)
			who = accounts.Actor{UserID: id}
		}
		if !entry {
			return "/{lang}/teams/log", nil
		}
		x, err := teams.RecordVisit(ctx, f.db, who, teams.VisitInput{Day: teams.Today(time.Now()), Kind: teams.KindVisit, Households: "3"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("/{lang}/teams/log/entries/%d", x.ID), nil
	}
}

// newTeam adds a team to unit as the system, failing the test if it cannot.
func newTeam(t *testing.T, db bun.IDB, unit, name, households string) *teams.Team {
	t.Helper()
	team, err := teams.Create(context.Background(), db, accounts.Actor{System: "test"}, unit, teams.Input{Name: name, Households: households})
	if err != nil {
		t.Fatal(err)
	}
	return team
}

// joinTeam places an account in a team, as an accepted invitation does.
func joinTeam(t *testing.T, db bun.IDB, teamID, userID int64) {
	t.Helper()
	m := &teams.Member{TeamID: teamID, UserID: userID, JoinedAt: time.Now().UTC()}
	if _, err := db.NewInsert().Model(m).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestTeamsHelpLog: a helper records help given, in under a minute's
// typing, and is refused anything shaped like an ID or phone number in the
// note, with a clear message and nothing saved; corrects an entry within 7
// days and not after; another team's helper finds none of it; the commune
// official sees the month's entries and households reached against the
// team's household count. Every change is audited.
func TestTeamsHelpLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, b := twoCommunes(t, db)
		east := newTeam(t, db, a, "Tổ thôn Đông", "200")
		west := newTeam(t, db, b, "Tổ thôn Tây", "50")
		hv := ts.newVisitor()
		joinTeam(t, db, east.ID, hv.signInAs(accounts.RoleHelper, a).ID)
		other := ts.newVisitor()
		joinTeam(t, db, west.ID, other.signInAs(accounts.RoleHelper, b).ID)

		today := teams.Today(time.Now())
		hv.get("/vi/teams/log").mustStatus(t, http.StatusOK).mustContain(t, "Tổ thôn Đông", `value="`+today+`"`, `name="done_vneid"`)
		good := url.Values{"day": {today}, "kind": {"visit"}, "households": {"50"}, "people_15_59": {"30"}, "people_60": {"12"},
			"done_vneid": {"yes"}, "done_scam": {"yes"}, "note": {"Hướng dẫn tại nhà văn hoá, 8-10 giờ"}}
		for _, note := range []string{"CCCD 001 203 004 567", "cmnd 123.456.789", "gọi 0912-345-678", "+84 912 345 678"} {
			bad := url.Values{}
			for k, v := range good {
				bad[k] = v
			}
			bad.Set("note", note)
			hv.post("/vi/teams/log", bad).mustStatus(t, http.StatusBadRequest).mustContain(t, "có vẻ chứa số căn cước")
			hv.post("/en/teams/log", bad).mustStatus(t, http.StatusBadRequest).mustContain(t, "seems to hold an ID card number or a phone number")
		}
		// No field of the form can carry an ID or a phone number: each
		// refuses one with its own message, in both languages.
		for _, field := range []string{"day", "kind", "households", "people_15_59", "people_60", "note", "service", "lesson"} {
			for _, number := range []string{"001203004567", "0912345678", "+84912345678"} {
				bad := url.Values{}
				for k, v := range good {
					bad[k] = v
				}
				bad.Set(field, number)
				for _, lang := range []string{"vi", "en"} {
					if res := hv.post("/"+lang+"/teams/log", bad).mustStatus(t, http.StatusBadRequest); !strings.Contains(res.Body, `href="#`+field) {
						t.Errorf("%s = %s: refused, but not at its field", field, number)
					}
				}
			}
		}
		tomorrow := time.Now().AddDate(0, 0, 2).Format("2006-01-02")
		hv.post("/vi/teams/log", url.Values{"day": {tomorrow}, "kind": {"visit"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "không muộn hơn hôm nay", "Nhập số hộ hoặc số người đã được hỗ trợ")
		if n := countRows(t, db, "team_visits", "1 = 1"); n != 0 {
			t.Fatalf("refused entries saved %d rows", n)
		}
		hv.post("/vi/teams/log", good).mustStatus(t, http.StatusSeeOther)
		var x teams.Visit
		if err := db.NewSelect().Model(&x).Where("team_id = ?", east.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if x.Households != 50 || x.People1559 != 30 || x.People60 != 12 || !x.VNeID || !x.Scam || x.Payment || x.Day != today {
			t.Errorf("the entry saved: %+v", x)
		}
		entry := fmt.Sprintf("/vi/teams/log/entries/%d", x.ID)
		hv.get(fmt.Sprintf("/vi/teams/log?edit=%d", x.ID)).mustStatus(t, http.StatusOK).mustContain(t, `action="`+entry+`"`, `value="50"`)
		good.Set("households", "60")
		hv.post(entry, good).mustStatus(t, http.StatusSeeOther)
		other.post(entry, good).mustStatus(t, http.StatusNotFound)
		other.get(fmt.Sprintf("/vi/teams/log?edit=%d", x.ID)).mustStatus(t, http.StatusNotFound)
		other.get("/vi/teams/log").mustStatus(t, http.StatusOK).mustNotContain(t, "nhà văn hoá")

		// The official sees the month: 60 of 200 households, 30%.
		off := ts.newVisitor()
		off.signInAs(accounts.RoleCommuneOfficial, a)
		off.get("/vi/teams").mustStatus(t, http.StatusOK).mustContain(t, "60 (30%)", "30 / 12")
		this, err := indicators.ParsePeriod(teams.Today(time.Now())[:7])
		if err != nil {
			t.Fatal(err)
		}
		lastMonth := this.Prev().String()
		off.get("/vi/teams?month="+lastMonth).mustStatus(t, http.StatusOK).mustNotContain(t, "60 (30%)").mustContain(t, "0 (0%)")
		off.get(fmt.Sprintf("/vi/teams/%d?month=%s", east.ID, lastMonth)).mustStatus(t, http.StatusOK).mustNotContain(t, "nhà văn hoá")
		off.get("/vi/teams?month=2019-01").mustStatus(t, http.StatusBadRequest)
		off.get(fmt.Sprintf("/vi/teams/%d?month=x", east.ID)).mustStatus(t, http.StatusBadRequest)
		off.get(fmt.Sprintf("/en/teams/%d", east.ID)).mustStatus(t, http.StatusOK).
			mustContain(t, "Households reached: 60 of 200", "1 entry this month.", "Hướng dẫn tại nhà văn hoá", "VNeID installed")
		off.get("/vi/teams/log").mustStatus(t, http.StatusForbidden)

		// Eight days on, the entry is locked.
		if _, err := db.NewUpdate().Model((*teams.Visit)(nil)).Set("created_at = ?", time.Now().UTC().Add(-8*24*time.Hour)).Where("id = ?", x.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		good.Set("households", "70")
		hv.post(entry, good).mustStatus(t, http.StatusBadRequest).mustContain(t, "đã quá 7 ngày")
		hv.get("/vi/teams/log").mustStatus(t, http.StatusOK).mustContain(t, "Đã khóa (quá 7 ngày)")
		if err := db.NewSelect().Model(&x).WherePK().Scan(ctx); err != nil || x.Households != 60 {
			t.Errorf("a locked entry changed: %d %v", x.Households, err)
		}
		for act, want := range map[string]int64{teams.AuditVisitRecorded: 1, teams.AuditVisitCorrected: 1} {
			if n := countRows(t, db, "audit_log", "action = ?", act); n != want {
				t.Errorf("audit %s: %d entries, want %d", act, n, want)
			}
		}
		// The helper leaves: the entry stays, its place names no one, and
		// the account is a resident's.
		hv.get("/en/teams/log").mustStatus(t, http.StatusOK).mustContain(t, `action="/en/teams/leave"`)
		hv.post("/en/teams/leave", url.Values{}).mustStatus(t, http.StatusSeeOther)
		hv.get("/vi/teams/log").mustStatus(t, http.StatusForbidden)
		var place teams.Member
		if err := db.NewSelect().Model(&place).Where("id = ?", x.MemberID).Scan(ctx); err != nil || place.UserID != 0 || !place.Left() {
			t.Errorf("the helper's place after leaving: %+v %v", place, err)
		}
		if n := countRows(t, db, "team_visits", "member_id = ?", x.MemberID); n != 1 {
			t.Errorf("the team's entries after the helper left: %d, want 1", n)
		}
		if n := countRows(t, db, "users", "role = ?", accounts.RoleHelper); n != 1 {
			t.Errorf("helpers after one left: %d, want 1 (the other team's)", n)
		}
		res := ts.newVisitor()
		res.signInAs(accounts.RoleResident, "")
		res.get("/vi/teams/log").mustStatus(t, http.StatusForbidden)
		res.post("/vi/teams/log", good).mustStatus(t, http.StatusForbidden)
	})
}

// TestHelperFindsTheLogFromEveryPage: a helper's menu, on any page, leads
// to the help log (their own pages start there, as an official's start at
// the workspace); a resident's menu does not.
func TestHelperFindsTheLogFromEveryPage(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	a, _ := twoCommunes(t, db)
	helper := ts.newVisitor()
	helper.signInAs(accounts.RoleHelper, a)
	resident := ts.newVisitor()
	resident.signInAs(accounts.RoleResident, "")
	for _, lang := range []string{"vi", "en"} {
		link := `<a href="/` + lang + `/teams/log"`
		helper.get("/"+lang+"/lessons").mustStatus(t, http.StatusOK).mustContain(t, link).mustNotContain(t, `href="/`+lang+`/work"`)
		helper.get("/"+lang+"/teams/log").mustStatus(t, http.StatusOK).mustContain(t, link+` aria-current="page"`)
		resident.get("/"+lang+"/lessons").mustStatus(t, http.StatusOK).mustNotContain(t, link)
	}
}
