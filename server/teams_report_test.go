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

// reportClock is the report tests' now: 20 December 2026, 10:00 in
// Vietnam.
func reportClock() time.Time { return time.Date(2026, 12, 20, 3, 0, 0, 0, time.UTC) }

// reportTeams sets up a commune's teams as the report reads them: Đông
// with a member and two December entries (one naming a service), Tây
// whose only member left after an entry exactly 60 days before today,
// Bắc with a member whose newest entry is 61 days old, and Nam with no
// member and no entry. The other commune's team has a December entry.
func reportTeams(t *testing.T, db bun.IDB, cat *helpCatalogue, commune, other string) map[string]*teams.Team {
	t.Helper()
	ctx := context.Background()
	sys := accounts.Actor{System: "test"}
	out := map[string]*teams.Team{}
	for _, x := range []struct{ unit, name, hh string }{
		{commune, "Tổ thôn Đông", "200"}, {commune, "Tổ thôn Tây", "0"}, {commune, "Tổ thôn Bắc", "40"},
		{commune, "Tổ thôn Nam", "50"}, {other, "Tổ xã bên", "10"},
	} {
		tm, err := teams.Create(ctx, db, sys, x.unit, teams.Input{Name: x.name, Households: x.hh})
		if err != nil {
			t.Fatal(err)
		}
		out[x.name] = tm
	}
	n := 0
	record := func(team string, in teams.VisitInput) accounts.Actor {
		t.Helper()
		n++
		email := fmt.Sprintf("report-%d@example.test", n)
		if _, err := teams.Invite(ctx, db, sys, out[team], email, ""); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.NewRaw("SELECT id FROM users WHERE email = ?", email).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		who := accounts.Actor{UserID: id}
		in.Known = &cat.known
		d, _ := time.Parse("2006-01-02", in.Day)
		if _, err := teams.RecordVisit(ctx, db, who, in, d.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		return who
	}
	east := record("Tổ thôn Đông", teams.VisitInput{Day: "2026-12-18", Kind: teams.KindVisit, Households: "50", People1559: "30", People60: "12", VNeID: true, Services: []string{"ho-chieu"}})
	d, _ := time.Parse("2006-01-02", "2026-12-02")
	if _, err := teams.RecordVisit(ctx, db, east, teams.VisitInput{Day: "2026-12-02", Kind: teams.KindDesk, Households: "10", People60: "4", Scam: true}, d.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	west := record("Tổ thôn Tây", teams.VisitInput{Day: "2026-10-21", Kind: teams.KindVisit, Households: "5"})
	if err := teams.Leave(ctx, db, west); err != nil {
		t.Fatal(err)
	}
	record("Tổ thôn Bắc", teams.VisitInput{Day: "2026-10-20", Kind: teams.KindVisit, Households: "6"})
	record("Tổ xã bên", teams.VisitInput{Day: "2026-12-10", Kind: teams.KindVisit, Households: "9", People1559: "777"})
	return out
}

// TestTeamsReport: a commune official sees the month by hamlet (households
// reached against the count, people by age band and kind of help), the
// teams with no member and those idle more than 60 days, in both
// languages, and downloads the table; a province official chooses the
// commune and sees the communes with no team. Another commune's or
// province's units are not found, a month outside the list or an unknown
// format is a bad request, and neither a helper nor a resident gets in.
func TestTeamsReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		ts.srv.indicators.now = reportClock
		a, b := twoCommunes(t, db)
		list := reportTeams(t, db, ts.srv.indicators.help, a, b)

		// Đông held two classes in December and one in November; a third
		// December class was cancelled and a fourth never recorded.
		sys, known := accounts.Actor{System: "test"}, func(string) bool { return true }
		lesson := ts.srv.lessons.lib.Lessons[0].Slug
		class := func(day string, young, old string, cancel bool) {
			t.Helper()
			before := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
			c, err := teams.ScheduleClass(ctx, db, sys, list["Tổ thôn Đông"].ID, teams.ClassInput{Place: "Nhà văn hóa thôn Đông", Day: day,
				Start: "08:00", End: "10:00", Capacity: "40", Lessons: []string{lesson}}, known, before)
			if err != nil {
				t.Fatal(err)
			}
			if cancel {
				if err := teams.CancelClass(ctx, db, sys, c.TeamID, c.ID, before); err != nil {
					t.Fatal(err)
				}
				return
			}
			if young != "" {
				if err := teams.RecordAttendance(ctx, db, sys, c.TeamID, c.ID, teams.AttendanceInput{People1559: young, People60: old, Covered: []string{lesson}}, known, c.EndsAt.Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		class("2026-12-02", "11", "7", false)
		class("2026-12-09", "4", "9", false)
		class("2026-11-25", "30", "30", false)
		class("2026-12-05", "", "", true)
		class("2026-12-12", "", "", false)

		off := ts.newVisitor()
		off.signInAs(accounts.RoleCommuneOfficial, a)
		vi := off.get("/vi/reports/teams").mustStatus(t, http.StatusOK)
		classes := vi.Body[strings.Index(vi.Body, `id="classes-caption"`):]
		if !strings.Contains(classes, `<th scope="row">Tổ thôn Đông</th><td class="num">2</td><td class="num">15</td><td class="num">16</td>`) {
			t.Errorf("Đông's December classes (2 held, 15 + 16 attended) are not in the classes table")
		}
		vi.mustContain(t, "Kết quả hỗ trợ của các tổ công nghệ số", "Tổ thôn Đông", "Chưa rõ", "Nơi cần hỗ trợ tiếp",
			"ghi chép gần nhất ngày", "chưa có ghi chép nào", `href="/vi/reports/teams?format=csv&amp;month=2026-12"`).mustNotContain(t, "Tổ xã bên", "777")
		body := vi.Body
		coverage := body[strings.Index(body, `id="coverage-caption"`):strings.Index(body, `id="kinds-caption"`)]
		for _, want := range []string{">60<", ">30%<", ">30<", ">16<", ">290<", ">20%<"} {
			if !strings.Contains(coverage, want) {
				t.Errorf("the coverage table lacks %q", want)
			}
		}
		if i := strings.Index(body, `id="services-caption"`); i < 0 || !strings.Contains(body[i:], "<th scope=\"row\">Cấp hộ chiếu phổ thông lần đầu</th><td class=\"num\">1</td>") {
			t.Errorf("the month's services filed: the passport named once is not shown")
		}
		if strings.Contains(body, `id="lessons-caption"`) {
			t.Errorf("a lessons table for a month whose entries name none")
		}
		places := body[strings.Index(body, "Nơi cần hỗ trợ tiếp"):]
		noMember := places[:strings.Index(places, "không có ghi chép nào trong 60 ngày")]
		idle := places[strings.Index(places, "không có ghi chép nào trong 60 ngày"):]
		if !strings.Contains(noMember, "Tổ thôn Tây") || !strings.Contains(noMember, "Tổ thôn Nam") || strings.Contains(noMember, "Tổ thôn Đông") || strings.Contains(noMember, "Tổ thôn Bắc") {
			t.Errorf("teams with no member: %s", noMember)
		}
		if !strings.Contains(idle, "Tổ thôn Bắc") || !strings.Contains(idle, "Tổ thôn Nam") || strings.Contains(idle, "Tổ thôn Tây") || strings.Contains(idle, "Tổ thôn Đông") {
			t.Errorf("idle teams (Bắc 61 days, Nam never; Tây exactly 60 days is not): %s", idle)
		}
		off.get("/en/reports/teams?month=2026-11").mustStatus(t, http.StatusOK).
			mustContain(t, "What the digital technology teams achieved", "Households helped against", "Teams with no entry in the last 60 days", "Not known").
			mustNotContain(t, ">30%<")
		off.get("/vi/reports/teams?month=2019-01").mustStatus(t, http.StatusBadRequest).mustContain(t, `<html lang="vi"`)
		off.get("/en/reports/teams?month=2019-01").mustStatus(t, http.StatusBadRequest).mustContain(t, `<html lang="en"`)
		off.get("/en/reports/teams?unit="+b).mustStatus(t, http.StatusNotFound).mustContain(t, `<html lang="en"`)
		off.get("/vi/reports/teams?format=xlsx").mustStatus(t, http.StatusBadRequest)
		off.get("/vi/reports/teams?unit="+b).mustStatus(t, http.StatusNotFound)
		off.get("/vi/reports/teams?unit=99999").mustStatus(t, http.StatusNotFound)

		// The commune's CSV: the page's rows and total, a name that looks
		// like a formula kept as text.
		if _, err := db.NewUpdate().Model((*teams.Team)(nil)).Set("name = ?", "=HYPERLINK(\"x\")").Where("id = ?", list["Tổ thôn Nam"].ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		csv := off.get("/vi/reports/teams?format=csv&month=2026-12").mustStatus(t, http.StatusOK)
		if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV content type %q", ct)
		}
		if cd := csv.Header.Get("Content-Disposition"); !strings.Contains(cd, "teams-2026-12.csv") {
			t.Errorf("CSV file name: %q", cd)
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.Body, "\ufeff")), "\r\n")
		if len(lines) != 6 {
			t.Fatalf("CSV lines: %d, want a header, 4 hamlets and the total:\n%s", len(lines), csv.Body)
		}
		if !strings.Contains(lines[0], "Số người: Cài VNeID, hướng dẫn định danh điện tử mức độ 2") || !strings.Contains(lines[0], "Hộ đã hỗ trợ") {
			t.Errorf("CSV header: %s", lines[0])
		}
		var east, total string
		for _, l := range lines {
			switch {
			case strings.Contains(l, "Tổ thôn Đông"):
				east = l
			case strings.Contains(l, "Tổng cộng"):
				total = l
			}
		}
		if !strings.HasSuffix(east, ",200,1,2,60,30,30,16,2,15,16,42,0,42,0,4,0") {
			t.Errorf("Đông's CSV row: %s", east)
		}
		if !strings.HasSuffix(total, ",290,2,2,60,20,30,16,2,15,16,42,0,42,0,4,0") {
			t.Errorf("the total's CSV row: %s", total)
		}
		if !strings.Contains(csv.Body, `"'=HYPERLINK(""x"")"`) {
			t.Errorf("a name shaped like a formula is not neutralised:\n%s", csv.Body)
		}

		// The province official chooses the commune; the communes without
		// a team are listed.
		home, err := indicators.HomeUnit(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		prov := ts.newVisitor()
		prov.signInAs(accounts.RoleProvinceOfficial, home)
		start := prov.get("/en/reports/teams").mustStatus(t, http.StatusOK).mustContain(t, "Choose a commune or ward and a month", `<select id="unit" name="unit">`,
			"Communes and wards with no digital technology team").mustNotContain(t, "Tổ thôn Đông")
		unitA, err := indicators.LatestUnit(ctx, db, a, indicators.Today(reportClock()))
		if err != nil {
			t.Fatal(err)
		}
		noTeam := start.Body[strings.Index(start.Body, "Communes and wards with no digital technology team"):]
		if strings.Contains(noTeam, ">"+unitA.DisplayName(true)+"<") {
			t.Errorf("a commune with teams is listed as having none")
		}
		prov.get("/vi/reports/teams?unit="+a).mustStatus(t, http.StatusOK).mustContain(t, "Tổ thôn Đông", "Tổ thôn Bắc", `value="`+a+`" selected`)
		prov.get("/vi/reports/teams?format=csv").mustStatus(t, http.StatusBadRequest)
		prov.get("/vi/reports/teams?format=csv&unit="+a).mustStatus(t, http.StatusOK).mustContain(t, "Tổ thôn Đông")
		prov.get("/vi/reports/teams?unit="+home).mustStatus(t, http.StatusNotFound)
		prov.get("/vi/reports/teams?unit=98").mustStatus(t, http.StatusNotFound)

		// Neither a helper nor a resident reaches the report.
		for _, role := range []accounts.Role{accounts.RoleHelper, accounts.RoleResident} {
			v := ts.newVisitor()
			unit := ""
			if role == accounts.RoleHelper {
				unit = a
			}
			v.signInAs(role, unit)
			v.get("/vi/reports/teams").mustStatus(t, http.StatusForbidden)
		}
	})
}

// teamsReportStates is the report's view for
// TestTemplatesRenderEveryState: a province's, with a commune chosen.
func teamsReportStates() any {
	return &teamsReportView{Province: true, UnitCode: "x", KindMsgIDs: []string{"teams.log.done_vneid"},
		Rows: []teamsReportRow{{Known: true, Coverage: "1"}, {}}, Idle: []teamsReportIdle{{Name: "x", LastDay: "x"}, {Name: "y"}}}
}

// TestTeamsLogPicks: the helper names the service filed and the lesson
// taken from the catalogues, shown always on the form; naming one without
// ticking its box ticks it; a code outside the catalogues is refused in
// both languages with nothing saved; the entries list names them, and a
// correction within 7 days changes them.
func TestTeamsLogPicks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, _ := twoCommunes(t, db)
		team := newTeam(t, db, a, "Tổ thôn Đông", "200")
		hv := ts.newVisitor()
		joinTeam(t, db, team.ID, hv.signInAs(accounts.RoleHelper, a).ID)
		today := teams.Today(time.Now())
		hv.get("/vi/teams/log").mustStatus(t, http.StatusOK).mustContain(t, `name="service" value="ho-chieu"`, `name="lesson" value="tai-khoan-dinh-danh-vneid"`,
			"Nếu bạn đã đánh dấu", "Cấp hộ chiếu")
		form := url.Values{"day": {today}, "kind": {"visit"}, "households": {"4"}, "service": {"khong-co-thu-tuc"}, "lesson": {"tai-khoan-dinh-danh-vneid"}}
		hv.post("/vi/teams/log", form).mustStatus(t, http.StatusBadRequest).mustContain(t, "Chọn thủ tục trong danh sách dịch vụ công của Cổng", `href="#services"`,
			`value="tai-khoan-dinh-danh-vneid" checked`)
		form.Set("lesson", "khong-co-bai")
		form.Del("service")
		hv.post("/en/teams/log", form).mustStatus(t, http.StatusBadRequest).mustContain(t, "Choose a lesson from the portal&#39;s list of lessons", `href="#lessons"`)
		hv.post("/vi/teams/log", form).mustStatus(t, http.StatusBadRequest).mustContain(t, "Chọn bài học trong danh sách bài học của Cổng")
		form.Set("service", "ho-chieu\u202e")
		hv.post("/en/teams/log", form).mustStatus(t, http.StatusBadRequest).mustContain(t, "Choose a procedure from the portal&#39;s list of public services")
		if n := countRows(t, db, "team_visits", "1 = 1"); n != 0 {
			t.Fatalf("refused entries saved %d rows", n)
		}
		form.Set("service", "ho-chieu")
		form.Set("lesson", "tai-khoan-dinh-danh-vneid")
		form.Del("done_service")
		form.Del("done_lesson")
		hv.post("/vi/teams/log", form).mustStatus(t, http.StatusSeeOther)
		var x teams.Visit
		if err := db.NewSelect().Model(&x).Where("team_id = ?", team.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if !x.Service || !x.Lesson {
			t.Errorf("a service and a lesson named without ticking their boxes: service %v lesson %v, want both ticked", x.Service, x.Lesson)
		}
		hv.get("/en/teams/log").mustStatus(t, http.StatusOK).mustContain(t, "Services filed:", "Lessons taken:")
		hv.get(fmt.Sprintf("/vi/teams/log?edit=%d", x.ID)).mustStatus(t, http.StatusOK).mustContain(t, `value="ho-chieu" checked`, `value="tai-khoan-dinh-danh-vneid" checked`)
		form.Set("service", "ly-lich-tu-phap")
		form.Del("lesson")
		hv.post(fmt.Sprintf("/vi/teams/log/entries/%d", x.ID), form).mustStatus(t, http.StatusSeeOther)
		off := ts.newVisitor()
		off.signInAs(accounts.RoleCommuneOfficial, a)
		off.get(fmt.Sprintf("/vi/teams/%d", team.ID)).mustStatus(t, http.StatusOK).mustContain(t, "Dịch vụ công đã nộp:", "Cấp Phiếu lý lịch tư pháp").
			mustNotContain(t, "Bài học đã cùng học:")
		if n := countRows(t, db, "team_visit_picks", "visit_id = ?", x.ID); n != 1 {
			t.Errorf("picks after the correction: %d, want 1", n)
		}
		if n := countRows(t, db, "audit_log", "action = ? AND new_value LIKE ?", teams.AuditVisitCorrected, "%services=ly-lich-tu-phap%"); n != 1 {
			t.Errorf("the correction's audit with its picks: %d", n)
		}
	})
}
