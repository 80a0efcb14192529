package server

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/teams"
)

// Two lessons of the catalogue the class tests choose.
const (
	classLessonA = "tai-khoan-dinh-danh-vneid"
	classLessonB = "nhan-dien-lua-dao-truc-tuyen"
)

// classForm is a good class form for tomorrow in Vietnam.
func classForm() url.Values {
	return url.Values{"place": {"Nhà văn hoá thôn Đông"}, "day": {teams.Today(time.Now().Add(24 * time.Hour))},
		"start": {"08:00"}, "end": {"10:30"}, "capacity": {"25"}, "lessons": {classLessonA, classLessonB}, "note": {"Mang theo điện thoại đã sạc pin"}}
}

// withValues is v with the pairs kv set.
func withValues(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// moveClass moves a class's start and end to now plus the offsets.
func moveClass(t *testing.T, db bun.IDB, id int64, start, end time.Duration) {
	t.Helper()
	now := time.Now().UTC()
	_, err := db.NewUpdate().Model((*teams.Class)(nil)).Set("starts_at = ?", now.Add(start)).Set("ends_at = ?", now.Add(end)).
		Set("day = ?", teams.Today(now.Add(start))).Where("id = ?", id).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}

var (
	sheetRow   = regexp.MustCompile(`<tr><td>\d+</td><td></td><td></td></tr>`)
	sheetTable = regexp.MustCompile(`(?s)<table class="sheet">.*?</table>`)
)

// TestTeamClassesJourney: a helper schedules a class for their team and is
// refused bad input (a phone number in the place, a start gone by, an end
// before the start, a lesson not in the catalogue) with each problem at
// its field in both languages and nothing saved; prints the attendance
// sheet (numbered rows, no name or phone column) and the class plan (the
// lessons' steps); edits it; may not record attendance before it begins;
// records it after, corrects it within 7 days, and not after; may no
// longer edit or cancel it once begun. A commune official schedules for a
// team of the commune and cancels. Every change is audited.
func TestTeamClassesJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, _ := twoCommunes(t, db)
		east := newTeam(t, db, a, "Tổ thôn Đông", "200")
		west := newTeam(t, db, a, "Tổ thôn Tây", "90")
		hv := ts.newVisitor()
		joinTeam(t, db, east.ID, hv.signInAs(accounts.RoleHelper, a).ID)
		lessonA, _ := ts.srv.lessons.lib.Lesson(classLessonA)

		hv.get("/vi/teams/log").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/teams/classes"`)
		hv.get("/vi/teams/classes").mustStatus(t, http.StatusOK).
			mustContain(t, "Lên lịch một lớp học", `name="lessons" value="`+classLessonA+`"`, "Chưa có lớp nào sắp diễn ra.").
			mustNotContain(t, `name="team"`)
		hv.post("/vi/teams/classes", url.Values{}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Nhập địa điểm học", "Nhập ngày học dạng năm-tháng-ngày", "Nhập giờ bắt đầu", "Nhập giờ kết thúc", "Nhập số chỗ bằng số nguyên, từ 1 đến 500", "Chọn ít nhất một bài")
		hv.post("/en/teams/classes", url.Values{}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Enter the place of the class", "Enter the day as year-month-day", "Choose at least one lesson", "Seats must be a whole number from 1 to 500")
		for _, place := range []string{"Nhà anh Ba, 0912 345 678", "CCCD 001 203 004 567"} {
			hv.post("/vi/teams/classes", withValues(classForm(), "place", place)).mustStatus(t, http.StatusBadRequest).
				mustContain(t, "có vẻ chứa số căn cước", `value="`+classLessonB+`" checked`)
			hv.post("/en/teams/classes", withValues(classForm(), "place", place)).mustStatus(t, http.StatusBadRequest).
				mustContain(t, "seems to hold an ID card number or a phone number")
		}
		hv.post("/vi/teams/classes", withValues(classForm(), "note", "gọi 0912.345.678")).mustStatus(t, http.StatusBadRequest).mustContain(t, "có vẻ chứa số căn cước")
		yesterday := teams.Today(time.Now().Add(-24 * time.Hour))
		hv.post("/vi/teams/classes", withValues(classForm(), "day", yesterday)).mustStatus(t, http.StatusBadRequest).mustContain(t, "Giờ bắt đầu phải sau thời điểm hiện tại")
		hv.post("/en/teams/classes", withValues(classForm(), "day", yesterday)).mustStatus(t, http.StatusBadRequest).mustContain(t, "The start must be later than now")
		hv.post("/vi/teams/classes", withValues(classForm(), "end", "07:00")).mustStatus(t, http.StatusBadRequest).mustContain(t, "sau giờ bắt đầu")
		hv.post("/en/teams/classes", withValues(classForm(), "end", "17:00")).mustStatus(t, http.StatusBadRequest).mustContain(t, "A class lasts 8 hours at most")
		hv.post("/vi/teams/classes", withValues(classForm(), "lessons", "nau-an")).mustStatus(t, http.StatusBadRequest).mustContain(t, "không thuộc danh mục bài học")
		hv.post("/en/teams/classes", withValues(classForm(), "capacity", "nhiều")).mustStatus(t, http.StatusBadRequest).mustContain(t, "Seats must be a whole number")
		if n := countRows(t, db, "team_classes", "1 = 1"); n != 0 {
			t.Fatalf("refused forms saved %d classes", n)
		}

		res := hv.post("/vi/teams/classes", classForm()).mustStatus(t, http.StatusSeeOther)
		var c teams.Class
		if err := db.NewSelect().Model(&c).Where("team_id = ?", east.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/vi/teams/classes/%d", c.ID)
		if to := location(t, res); to != page+"?done=scheduled" {
			t.Errorf("after scheduling, went to %q", to)
		}
		if c.Capacity != 25 || c.Lessons != classLessonA+" "+classLessonB || c.Place != "Nhà văn hoá thôn Đông" {
			t.Errorf("the class stored: %+v", c)
		}
		hv.get(page+"?done=scheduled").mustStatus(t, http.StatusOK).
			mustContain(t, "Đã lên lịch lớp học.", "Nhà văn hoá thôn Đông", lessonA.In("vi").Title, "08:00–10:30", page+"/sheet", page+"/plan", "Hủy lớp học này").
			mustNotContain(t, `action="`+page+`/attendance"`)
		hv.get("/en/teams/classes").mustStatus(t, http.StatusOK).mustContain(t, "08:00–10:30", "To come", "Seats: 25 · Lessons: 2")

		// The sheet: a numbered row per seat, a column per age band, and
		// nothing to write a name or a phone number in.
		for _, lang := range []string{"vi", "en"} {
			sheet := hv.get(fmt.Sprintf("/%s/teams/classes/%d/sheet", lang, c.ID)).mustStatus(t, http.StatusOK)
			if n := len(sheetRow.FindAllString(sheet.Body, -1)); n != 25 {
				t.Errorf("%s sheet: %d numbered rows, want 25 (one per seat)", lang, n)
			}
			table := strings.ToLower(sheetTable.FindString(sheet.Body))
			if n := strings.Count(table, "<th scope=\"col\">"); n != 3 {
				t.Errorf("%s sheet: %d columns, want 3 (number and two age bands)", lang, n)
			}
			for _, banned := range []string{"tên", "điện thoại", "name", "phone", "chữ ký", "signature", "<input"} {
				if strings.Contains(table, banned) {
					t.Errorf("%s sheet's table asks for %q", lang, banned)
				}
			}
		}
		hv.get(fmt.Sprintf("/vi/teams/classes/%d/sheet", c.ID)).mustContain(t, "<th scope=\"col\">15–59 tuổi</th>", "Từ 60 tuổi", "Không ghi họ tên")
		hv.get(fmt.Sprintf("/en/teams/classes/%d/sheet", c.ID)).mustContain(t, "<th scope=\"col\">Aged 15–59</th>", "60 and over", "Write no names")
		// The plan: each lesson's steps, its headings one level down.
		plan := hv.get(fmt.Sprintf("/vi/teams/classes/%d/plan", c.ID)).mustStatus(t, http.StatusOK).
			mustContain(t, lessonA.In("vi").Title, lessonA.In("vi").Summary, "<ol>", "không đưa mật khẩu")
		if strings.Count(plan.Body, "<h1") != 1 || strings.Count(plan.Body, "<h2 id=\"handout-") != 2 || !strings.Contains(plan.Body, "<h3>") {
			t.Errorf("the plan's headings: one h1, an h2 per lesson, the lessons' own below: %d h1, %d handout h2", strings.Count(plan.Body, "<h1"), strings.Count(plan.Body, "<h2 id=\"handout-"))
		}
		hv.get(fmt.Sprintf("/en/teams/classes/%d/plan", c.ID)).mustStatus(t, http.StatusOK).mustContain(t, lessonA.In("en").Title, "never give your password")

		// Edit before it begins; attendance waits.
		hv.post(page+"/edit", withValues(classForm(), "capacity", "0")).mustStatus(t, http.StatusBadRequest).mustContain(t, "Nhập số chỗ bằng số nguyên")
		hv.post(page+"/edit", withValues(classForm(), "capacity", "30")).mustStatus(t, http.StatusSeeOther)
		hv.post(page+"/attendance", url.Values{"attended_15_59": {"5"}, "covered": {classLessonA}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Lớp học chưa diễn ra nên chưa ghi kết quả được")
		hv.post("/en"+page[3:]+"/attendance", url.Values{"attended_15_59": {"5"}, "covered": {classLessonA}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "has not taken place yet")

		// It began an hour ago and ended now: no more edits, attendance open.
		moveClass(t, db, c.ID, -time.Hour, -time.Minute)
		hv.post(page+"/edit", classForm()).mustStatus(t, http.StatusBadRequest).mustContain(t, "Lớp học đã bắt đầu nên không sửa hay hủy được nữa")
		hv.post(page+"/cancel", url.Values{}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Lớp học đã bắt đầu")
		hv.get(page).mustStatus(t, http.StatusOK).mustContain(t, `action="`+page+`/attendance"`, `value="`+classLessonA+`" checked`, "Chờ ghi kết quả").
			mustNotContain(t, "Hủy lớp học này", `action="`+page+`/edit"`)
		hv.post(page+"/attendance", url.Values{"attended_15_59": {"501"}, "attended_60": {"x"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Nhập số nguyên từ 0 đến 500", "Chọn ít nhất một bài")
		hv.post("/en"+page[3:]+"/attendance", url.Values{"attended_15_59": {"0"}, "covered": {classLessonA}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Enter how many people attended")
		hv.post(page+"/attendance", url.Values{"attended_15_59": {"14"}, "attended_60": {"9"}, "covered": {classLessonA}}).mustStatus(t, http.StatusSeeOther)
		hv.get(page+"?done=recorded").mustStatus(t, http.StatusOK).mustContain(t, "Đã ghi kết quả buổi học.", "14 người 15–59 tuổi, 9 người từ 60 tuổi")
		hv.post(page+"/attendance", url.Values{"attended_15_59": {"15"}, "attended_60": {"9"}, "covered": {classLessonA, classLessonB}}).mustStatus(t, http.StatusSeeOther)
		if err := db.NewSelect().Model(&c).WherePK().Scan(ctx); err != nil || c.Attended1559 != 15 || c.Attended60 != 9 || c.Covered != classLessonA+" "+classLessonB {
			t.Errorf("the class after its correction: %+v %v", c, err)
		}
		month := teams.Today(time.Now())[:7]
		held, young, old, err := teams.ClassTotalsSum(ctx, db, []int64{east.ID, west.ID}, month+"-01", month+"-31")
		if err != nil || held != 1 || young != 15 || old != 9 {
			t.Errorf("the month's class totals: %d %d %d %v", held, young, old, err)
		}
		// Eight days on, the record locks.
		moveClass(t, db, c.ID, -8*24*time.Hour-time.Hour, -8*24*time.Hour)
		hv.post(page+"/attendance", url.Values{"attended_15_59": {"16"}, "covered": {classLessonA}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "đã qua 7 ngày")
		hv.get(page).mustStatus(t, http.StatusOK).mustContain(t, "đã qua 7 ngày").mustNotContain(t, `action="`+page+`/attendance"`)

		// The official schedules for a team of the commune, and cancels.
		off := ts.newVisitor()
		off.signInAs(accounts.RoleCommuneOfficial, a)
		off.get(fmt.Sprintf("/vi/teams/%d", east.ID)).mustStatus(t, http.StatusOK).mustContain(t, fmt.Sprintf(`href="/vi/teams/classes?team=%d"`, east.ID))
		off.get("/vi/teams/classes").mustStatus(t, http.StatusOK).mustContain(t, "Tổ thôn Đông", `name="team"`, "Đã ghi kết quả")
		off.post("/vi/teams/classes", classForm()).mustStatus(t, http.StatusBadRequest).mustContain(t, "Chọn tổ tổ chức lớp học")
		off.post("/en/teams/classes", classForm()).mustStatus(t, http.StatusBadRequest).mustContain(t, "Choose the team that holds the class")
		off.post("/vi/teams/classes", withValues(classForm(), "team", fmt.Sprint(west.ID), "place", "Hội trường thôn Tây")).mustStatus(t, http.StatusSeeOther)
		var wc teams.Class
		if err := db.NewSelect().Model(&wc).Where("team_id = ?", west.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		up, err := teams.UpcomingClasses(ctx, db, a, time.Now(), 10)
		if err != nil || len(up) != 1 || up[0].ID != wc.ID || up[0].TeamName != "Tổ thôn Tây" {
			t.Errorf("the commune's classes to come: %+v %v", up, err)
		}
		off.get(fmt.Sprintf("/vi/teams/classes?team=%d", east.ID)).mustStatus(t, http.StatusOK).mustNotContain(t, "Hội trường thôn Tây")
		off.get(fmt.Sprintf("/vi/teams/classes?team=%d", west.ID)).mustStatus(t, http.StatusOK).mustContain(t, "Hội trường thôn Tây")
		// The helper of the east team cannot touch the west team's class.
		westPage := fmt.Sprintf("/vi/teams/classes/%d", wc.ID)
		hv.get(westPage).mustStatus(t, http.StatusNotFound)
		hv.post(westPage+"/cancel", url.Values{}).mustStatus(t, http.StatusNotFound)
		hv.get("/vi/teams/classes").mustStatus(t, http.StatusOK).mustNotContain(t, "Hội trường thôn Tây")
		off.post(westPage+"/cancel", url.Values{}).mustStatus(t, http.StatusSeeOther)
		off.get("/vi/teams/classes?done=cancelled").mustStatus(t, http.StatusOK).mustContain(t, "Đã hủy lớp học.", "Đã hủy")
		off.post(westPage+"/cancel", url.Values{}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Lớp học đã bị hủy")
		if up, _ := teams.UpcomingClasses(ctx, db, a, time.Now(), 10); len(up) != 0 {
			t.Errorf("a cancelled class is still to come: %+v", up)
		}
		for act, want := range map[string]int64{teams.AuditClassScheduled: 2, teams.AuditClassUpdated: 1, teams.AuditClassAttendance: 2, teams.AuditClassCancelled: 1} {
			if n := countRows(t, db, "audit_log", "action = ?", act); n != want {
				t.Errorf("audit %s: %d entries, want %d", act, n, want)
			}
		}
	})
}

// TestTeamClassesScoped: another commune's official and another team's
// helper find none of a team's classes, to see, print or change; a
// helper in no team is told so; a resident is refused.
func TestTeamClassesScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, b := twoCommunes(t, db)
		sys := accounts.Actor{System: "test"}
		east := newTeam(t, db, a, "Tổ thôn Đông", "200")
		far := newTeam(t, db, b, "Tổ thôn Xa", "20")
		in := teams.ClassInput{Place: "Nhà văn hoá thôn Đông", Day: teams.Today(time.Now().Add(48 * time.Hour)), Start: "08:00", End: "09:00", Capacity: "20", Lessons: []string{classLessonA}}
		c, err := teams.ScheduleClass(ctx, db, sys, east.ID, in, func(string) bool { return true }, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/en/teams/classes/%d", c.ID)
		try := func(v *testServer, want int) {
			t.Helper()
			for _, p := range []string{page, page + "/sheet", page + "/plan"} {
				v.get(p).mustStatus(t, want).mustNotContain(t, "Nhà văn hoá thôn Đông")
			}
			v.post(page+"/edit", withValues(classForm(), "place", "Đổi chỗ")).mustStatus(t, want)
			v.post(page+"/cancel", url.Values{}).mustStatus(t, want)
			v.post(page+"/attendance", url.Values{"attended_15_59": {"3"}, "covered": {classLessonA}}).mustStatus(t, want)
			v.get("/en/teams/classes").mustNotContain(t, "Nhà văn hoá thôn Đông")
		}
		other := ts.newVisitor()
		other.signInAs(accounts.RoleCommuneOfficial, b)
		try(other, http.StatusNotFound)
		other.get(fmt.Sprintf("/en/teams/classes?team=%d", east.ID)).mustStatus(t, http.StatusNotFound)
		other.post("/en/teams/classes", withValues(classForm(), "team", fmt.Sprint(east.ID))).mustStatus(t, http.StatusNotFound)
		farHelper := ts.newVisitor()
		joinTeam(t, db, far.ID, farHelper.signInAs(accounts.RoleHelper, b).ID)
		try(farHelper, http.StatusNotFound)
		farHelper.post("/en/teams/classes", withValues(classForm(), "team", fmt.Sprint(east.ID))).mustStatus(t, http.StatusSeeOther)
		if n := countRows(t, db, "team_classes", "team_id = ?", east.ID); n != 1 {
			t.Errorf("a helper of another team scheduled for this one: %d classes", n)
		}
		if n := countRows(t, db, "team_classes", "team_id = ?", far.ID); n != 1 {
			t.Errorf("a helper's form with a team field tampered in: %d classes of their own team, want 1", n)
		}
		alone := ts.newVisitor()
		alone.signInAs(accounts.RoleHelper, a)
		alone.get("/vi/teams/classes").mustStatus(t, http.StatusOK).mustContain(t, "chưa thuộc tổ công nghệ số nào")
		alone.get(page).mustStatus(t, http.StatusOK).mustContain(t, "not in a community digital technology team").mustNotContain(t, "Nhà văn hoá thôn Đông")
		alone.post(page+"/cancel", url.Values{}).mustStatus(t, http.StatusNotFound)
		res := ts.newVisitor()
		res.signInAs(accounts.RoleResident, "")
		res.get("/en/teams/classes").mustStatus(t, http.StatusForbidden)
		res.get(page).mustStatus(t, http.StatusForbidden)
		if got, _ := teams.TeamClass(ctx, db, []int64{east.ID}, c.ID); got.Place != "Nhà văn hoá thôn Đông" || got.Cancelled() || got.Held() {
			t.Errorf("someone out of scope changed the class: %+v", got)
		}
	})
}

// classHelpers is a formCases setup: every helper account not in a team
// joins a new team of the demo commune (as helpersInTeam does); with a
// suffix, the team gets a class to post it to: one to come for "/edit",
// one just ended for "/attendance".
func classHelpers(suffix string) func(*testing.T, *formFixture, *testServer) (string, []formSend) {
	return func(t *testing.T, f *formFixture, v *testServer) (string, []formSend) {
		helpersInTeam(false)(t, f, v)
		if suffix == "" {
			return "/{lang}/teams/classes", nil
		}
		ctx := context.Background()
		var teamID int64
		if err := f.db.NewRaw("SELECT MAX(id) FROM teams").Scan(ctx, &teamID); err != nil {
			t.Fatal(err)
		}
		in := teams.ClassInput{Place: "Hội trường", Day: teams.Today(time.Now().Add(48 * time.Hour)), Start: "08:00", End: "09:00", Capacity: "20", Lessons: []string{classLessonA}}
		c, err := teams.ScheduleClass(ctx, f.db, accounts.Actor{System: "test"}, teamID, in, func(string) bool { return true }, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if suffix == "/attendance" {
			moveClass(t, f.db, c.ID, -2*time.Hour, -time.Hour)
		}
		return fmt.Sprintf("/{lang}/teams/classes/%d%s", c.ID, suffix), nil
	}
}

// TestTeamClassesEveryRefusal sends a class's forms with each problem alone,
// in both languages, and finds the problem's own message linked to its
// field in the error summary (or, for the class's state, in the summary
// without a field), with status 400 and nothing saved.
func TestTeamClassesEveryRefusal(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ctx := context.Background()
	a, _ := twoCommunes(t, db)
	sys := accounts.Actor{System: "test"}
	team := newTeam(t, db, a, "Tổ thôn Đông", "200")
	hv := ts.newVisitor()
	joinTeam(t, db, team.ID, hv.signInAs(accounts.RoleHelper, a).ID)
	bundle, err := i18n.NewBundle()
	if err != nil {
		t.Fatal(err)
	}
	nine := []string{}
	for _, l := range ts.srv.lessons.lib.Lessons[:teams.MaxClassLessons+1] {
		nine = append(nine, l.Slug)
	}
	schedule := func(kv ...string) url.Values { return withValues(classForm(), kv...) }
	tooMany := schedule()
	tooMany["lessons"] = nine
	for _, c := range []struct {
		name   string
		values url.Values
		field  string
		err    error
	}{
		{"no place", schedule("place", " "), "place", teams.ErrPlaceMissing},
		{"long place", schedule("place", strings.Repeat("a", teams.MaxPlace+1)), "place", teams.ErrPlaceLong},
		{"phone in place", schedule("place", "Nhà 0912 345 678"), "place", teams.ErrPersonal},
		{"hidden in place", schedule("place", "Hội\u200btrường"), "place", teams.ErrInvisible},
		{"no day", schedule("day", "thứ hai"), "day", teams.ErrClassDay},
		{"past", schedule("day", "2020-01-01"), "day", teams.ErrClassPast},
		{"far", schedule("day", teams.Today(time.Now().AddDate(1, 0, 2))), "day", teams.ErrClassFar},
		{"no start", schedule("start", "8 giờ"), "start", teams.ErrClassStart},
		{"end first", schedule("end", "07:59"), "end", teams.ErrClassEnd},
		{"long", schedule("end", "16:01"), "end", teams.ErrClassLong},
		{"capacity", schedule("capacity", "0"), "capacity", teams.ErrCapacity},
		{"no lesson", schedule("lessons", ""), "lessons", teams.ErrLessonsNone},
		{"unknown lesson", schedule("lessons", "nau-an"), "lessons", teams.ErrLessonUnknown},
		{"nine lessons", tooMany, "lessons", teams.ErrLessonsMany},
		{"long note", schedule("note", strings.Repeat("a", teams.MaxNote+1)), "note", teams.ErrNoteLong},
		{"ID in note", schedule("note", "CCCD 001203004567"), "note", teams.ErrPersonal},
	} {
		for _, lang := range i18n.Langs() {
			res := hv.post("/"+string(lang)+"/teams/classes", c.values).mustStatus(t, http.StatusBadRequest)
			want := `<a href="#` + c.field + `">` + template.HTMLEscapeString(classMessage(bundle.Localizer(lang), c.err)) + `</a>`
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s (%s): the summary lacks %s", c.name, lang, want)
			}
		}
	}
	if n := countRows(t, db, "team_classes", "1 = 1"); n != 0 {
		t.Fatalf("refused forms saved %d classes", n)
	}
	// The class's states: too many to come, begun, cancelled, not begun,
	// locked.
	in := teams.ClassInput{Place: "Hội trường", Day: teams.Today(time.Now().Add(48 * time.Hour)), Start: "08:00", End: "09:00", Capacity: "20", Lessons: []string{classLessonA}}
	var ids []int64
	for range teams.MaxUpcomingClasses {
		c, err := teams.ScheduleClass(ctx, db, sys, team.ID, in, func(string) bool { return true }, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	attend := url.Values{"attended_15_59": {"3"}, "covered": {classLessonA}}
	path := func(lang i18n.Lang, id int64, suffix string) string {
		return fmt.Sprintf("/%s/teams/classes/%d%s", lang, id, suffix)
	}
	for _, lang := range i18n.Langs() {
		msg := classStateMessage(bundle.Localizer(lang), teams.ErrTooManyClasses)
		hv.post("/"+string(lang)+"/teams/classes", classForm()).mustStatus(t, http.StatusBadRequest).mustContain(t, "<li>"+template.HTMLEscapeString(msg)+"</li>")
	}
	for _, lang := range i18n.Langs() {
		l := bundle.Localizer(lang)
		check := func(res *response, err error) {
			t.Helper()
			res.mustStatus(t, http.StatusBadRequest).mustContain(t, "<li>"+template.HTMLEscapeString(classStateMessage(l, err))+"</li>")
		}
		check(hv.post(path(lang, ids[0], "/attendance"), attend), teams.ErrClassFuture)
		moveClass(t, db, ids[1], -time.Hour, time.Hour)
		check(hv.post(path(lang, ids[1], "/edit"), classForm()), teams.ErrClassStarted)
		check(hv.post(path(lang, ids[1], "/cancel"), url.Values{}), teams.ErrClassStarted)
		moveClass(t, db, ids[2], -9*24*time.Hour, -8*24*time.Hour)
		check(hv.post(path(lang, ids[2], "/attendance"), attend), teams.ErrClassLocked)
	}
	hv.post(path(i18n.VI, ids[3], "/cancel"), url.Values{}).mustStatus(t, http.StatusSeeOther)
	for _, lang := range i18n.Langs() {
		l := bundle.Localizer(lang)
		for _, p := range []string{"/edit", "/cancel", "/attendance"} {
			hv.post(path(lang, ids[3], p), withValues(attend, "place", "x")).mustStatus(t, http.StatusBadRequest).
				mustContain(t, "<li>"+template.HTMLEscapeString(classStateMessage(l, teams.ErrClassCancelled))+"</li>")
		}
	}
	if n := countRows(t, db, "team_classes", "held_at IS NOT NULL OR place <> ?", "Hội trường"); n != 0 {
		t.Errorf("refused changes changed %d classes", n)
	}
}
