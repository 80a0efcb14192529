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
	"digiportal/findhelp"
	"digiportal/i18n"
	"digiportal/teams"
)

// TestHelpPages: the public "find help near you" pages in every state, in
// both languages, with no sign-in: the form alone (kept rendered), a name
// found however it is typed, nothing found with what to try, too many with
// a request to refine, a refused query, a unit unknown or merged away, a
// unit with no team, and one whose teams show their help desk and no
// member; then an official edits the help desk, refused a phone number,
// and the public page follows at once.
func TestHelpPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)

		ts.get("/vi/").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/help"`, "Tìm người hỗ trợ gần bạn")
		ts.get("/en/").mustStatus(t, http.StatusOK).mustContain(t, `href="/en/help"`, "Find help near you")

		// The form alone: the same for everyone, kept rendered.
		for lang, label := range map[string]string{"vi": "Tên xã, phường hoặc đặc khu", "en": "Name of the commune, ward or special zone"} {
			ts.get("/"+lang+"/help").mustStatus(t, http.StatusOK).mustContain(t, label, `action="/`+lang+`/help"`, `method="get"`)
			ts.get("/"+lang+"/help").mustStatus(t, http.StatusOK).mustKept(t)
			ts.get("/"+lang+"/help?q=").mustStatus(t, http.StatusOK).mustContain(t, label).mustNotContain(t, "Không tìm thấy", "No commune")
		}

		// Found however it is typed, with its province.
		for _, q := range []string{"Xa Dat Do", "xã đất đỏ", "dat do", "ĐẤT ĐỎ", "Đất-Đỏ,"} {
			res := ts.get("/vi/help?q="+url.QueryEscape(q)).mustStatus(t, http.StatusOK)
			res.mustContain(t, `href="/vi/help/26674"`, "Xã Đất Đỏ", "Thành phố Hồ Chí Minh", "Có 1 xã, phường khớp")
			if cc := res.Header.Get("Cache-Control"); cc != helpSearchCache {
				t.Errorf("a search: Cache-Control %q, want %q", cc, helpSearchCache)
			}
		}
		ts.get("/en/help?q=dat+do").mustStatus(t, http.StatusOK).mustContain(t, `href="/en/help/26674"`, "1 commune or ward matches", "Ho Chi Minh City")
		// A ward that ended on 1 July 2025 is not found.
		ts.get("/vi/help?q="+url.QueryEscape("Phường 2")).mustStatus(t, http.StatusOK).mustContain(t, "Không tìm thấy xã, phường nào")

		// Nothing found: what to try.
		ts.get("/vi/help?q=khong+co+noi+nay").mustStatus(t, http.StatusOK).
			mustContain(t, "Không tìm thấy xã, phường nào có tên “khong co noi nay”", "gõ không dấu", "dùng tên mới")
		ts.get("/en/help?q=nowhere").mustStatus(t, http.StatusOK).mustContain(t, "No commune or ward found for “nowhere”", "use the new name")

		// Too many: the best shown, and a request to refine.
		for lang, want := range map[string]string{"vi": "Hãy gõ thêm tên để thu hẹp", "en": "Type more of the name to narrow"} {
			res := ts.get("/"+lang+"/help?q=xa").mustStatus(t, http.StatusOK).mustContain(t, want)
			if n := strings.Count(res.Body, `href="/`+lang+`/help/`); n != findhelp.MaxResults {
				t.Errorf("%s: %d results shown for xa, want %d", lang, n, findhelp.MaxResults)
			}
		}

		// Refused queries: hidden characters, too long.
		for lang, want := range map[string][2]string{"vi": {"ký tự ẩn hoặc ký tự điều khiển", "tối đa 80 ký tự"}, "en": {"hidden or control characters", "at most 80 characters"}} {
			ts.get("/"+lang+"/help?q="+url.QueryEscape("Đất\u200bĐỏ")).mustStatus(t, http.StatusBadRequest).mustContain(t, want[0], `aria-invalid="true"`, `href="#q"`)
			ts.get("/"+lang+"/help?q="+url.QueryEscape("Đất\nĐỏ")).mustStatus(t, http.StatusBadRequest).mustContain(t, want[0])
			ts.get("/"+lang+"/help?q="+strings.Repeat("a", 81)).mustStatus(t, http.StatusBadRequest).mustContain(t, want[1])
		}

		// Unknown units, a province, a ward merged away (pointed to its
		// successor).
		for _, p := range []string{"/vi/help/99999", "/en/help/99999", "/vi/help/abc", "/en/help/79", "/vi/help/" + strings.Repeat("1", 11)} {
			ts.get(p).mustStatus(t, http.StatusNotFound)
		}
		ts.get("/vi/help/26509").mustStatus(t, http.StatusNotFound).mustContain(t, "Phường 2 (mã 26509) nay không còn là xã, phường riêng", `href="/vi/help/26506"`, "Phường Vũng Tàu, Thành phố Hồ Chí Minh")
		ts.get("/en/help/26509").mustStatus(t, http.StatusNotFound).mustContain(t, "Phường 2 (code 26509) is no longer", `href="/en/help/26506"`)

		// A unit with no team.
		ts.get("/vi/help/26674").mustStatus(t, http.StatusOK).mustContain(t, "Xã Đất Đỏ chưa có tổ công nghệ số cộng đồng nào", "mật khẩu hay mã OTP")
		ts.get("/en/help/26674").mustStatus(t, http.StatusOK).mustContain(t, "has no community digital technology team on this portal yet", "Ho Chi Minh City")

		// A unit with teams: names and help desks, no member.
		sys := accounts.Actor{System: "test"}
		east, err := teams.Create(ctx, db, sys, "26506", teams.Input{Name: "Tổ công nghệ số khu phố 1", Households: "300",
			DeskPlace: "Nhà văn hóa khu phố 1", DeskHours: "Sáng thứ Bảy, 7:30–11:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := teams.Create(ctx, db, sys, "26506", teams.Input{Name: "Tổ công nghệ số khu phố 2", Households: "200"}); err != nil {
			t.Fatal(err)
		}
		if _, err := teams.Invite(ctx, db, sys, east, "thanh-vien@example.test", "Nguyễn Thị Thành Viên"); err != nil {
			t.Fatal(err)
		}
		vi := ts.get("/vi/help/26506").mustStatus(t, http.StatusOK)
		vi.mustContain(t, "Hỗ trợ chuyển đổi số tại Phường Vũng Tàu", "Tổ công nghệ số khu phố 1", "Nơi hỗ trợ: Nhà văn hóa khu phố 1",
			"Thời gian: Sáng thứ Bảy, 7:30–11:00", "Tổ công nghệ số khu phố 2", "Tổ chưa công bố nơi và giờ hỗ trợ").
			mustNotContain(t, "Nguyễn Thị Thành Viên", "thanh-vien@example.test", "chưa có tổ công nghệ số cộng đồng nào")
		if cc := vi.Header.Get("Cache-Control"); cc != helpUnitCache {
			t.Errorf("a unit page: Cache-Control %q, want %q", cc, helpUnitCache)
		}
		ts.get("/en/help/26506").mustStatus(t, http.StatusOK).mustContain(t, "Digital help in", "Where: Nhà văn hóa khu phố 1", "When: Sáng thứ Bảy").
			mustNotContain(t, "Nguyễn Thị Thành Viên", "thanh-vien@example.test")

		// Classes to come show, soonest first, with their lessons linked;
		// a cancelled one does not, and no class's note is shown.
		ts.get("/vi/help/26506").mustStatus(t, http.StatusOK).mustContain(t, "Lớp học sắp tới", "Chưa có lớp học nào được lên lịch")
		lesson := ts.srv.lessons.lib.Lessons[0]
		known := func(string) bool { return true }
		class := func(day time.Duration, place string) *teams.Class {
			c, err := teams.ScheduleClass(ctx, db, sys, east.ID, teams.ClassInput{Place: place, Day: teams.Today(time.Now().Add(day)),
				Start: "08:00", End: "10:00", Capacity: "25", Lessons: []string{lesson.Slug}, Note: "Ghi chú riêng của tổ"}, known, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		later, sooner := class(96*time.Hour, "Hội trường khu phố 1"), class(48*time.Hour, "Nhà văn hóa khu phố 1, phòng 2")
		gone := class(72*time.Hour, "Sân đình đã hủy")
		if err := teams.CancelClass(ctx, db, sys, east.ID, gone.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, lang := range i18n.Langs() {
			l := ts.srv.bundle.Localizer(lang)
			res := ts.get("/"+string(lang)+"/help/26506").mustStatus(t, http.StatusOK)
			res.mustContain(t, l.T("help.unit.classes"), htmlText(classWhen(l, *sooner)), htmlText(classWhen(l, *later)),
				`href="/`+string(lang)+`/lessons/`+lesson.Slug+`"`, htmlText(lesson.In(lang).Title), l.T("help.unit.class_seats", "Capacity", l.Int(25))).
				mustNotContain(t, "Sân đình đã hủy", "Ghi chú riêng của tổ", l.T("help.unit.no_class"))
			if i, j := strings.Index(res.Body, "phòng 2"), strings.Index(res.Body, "Hội trường khu phố 1"); i < 0 || j < i {
				t.Errorf("%s: the sooner class is not listed first", lang)
			}
		}

		// The official edits the help desk: a phone number, a hidden
		// character or too long a text is refused and changes nothing.
		off := ts.newVisitor()
		off.signInAs(accounts.RoleCommuneOfficial, "26506")
		page := fmt.Sprintf("/vi/teams/%d", east.ID)
		off.get(page).mustStatus(t, http.StatusOK).mustContain(t, `name="desk_place"`, `value="Nhà văn hóa khu phố 1"`, `href="/vi/help/26506"`)
		form := func(place, hours string) url.Values {
			return url.Values{"name": {east.Name}, "households": {"300"}, "desk_place": {place}, "desk_hours": {hours}}
		}
		off.post(page, form("Nhà văn hóa", "Gọi 0912 345 678 trước khi đến")).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Không ghi số điện thoại hay số giấy tờ ở đây", `href="#desk_hours"`)
		off.post("/en"+page[3:], form("Hall\u200b", strings.Repeat("x", teams.MaxDesk+1))).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "hidden characters or line breaks", "at most 120 characters", `href="#desk_place"`, `href="#desk_hours"`)
		if got, _ := teams.ByID(ctx, db, east.ID); got.DeskHours != "Sáng thứ Bảy, 7:30–11:00" {
			t.Errorf("a refused help desk changed it: %+v", got)
		}
		audits := func() int64 { return countRows(t, db, "audit_log", "action = ?", teams.AuditDeskUpdated) }
		before := audits()
		off.post(page, form(" Nhà văn hóa khu phố 1 ", "Chiều thứ Tư, 14:00–17:00")).mustStatus(t, http.StatusSeeOther)
		if n := audits(); n != before+1 {
			t.Errorf("help desk audit entries: %d, want %d", n, before+1)
		}
		if n := countRows(t, db, "audit_log", "action = ? AND object_id = ?", teams.AuditTeamUpdated, fmt.Sprint(east.ID)); n != 0 {
			t.Errorf("a help desk change audited as a rename too: %d", n)
		}
		ts.get("/vi/help/26506").mustStatus(t, http.StatusOK).mustContain(t, "Thời gian: Chiều thứ Tư, 14:00–17:00").mustNotContain(t, "Sáng thứ Bảy")
		// Signed in, the public page is not kept by the browser.
		if cc := off.get("/vi/help/26506").mustStatus(t, http.StatusOK).Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("a unit page for a signed-in visitor: Cache-Control %q", cc)
		}
	})
}

// helpUnitStates is the unit page's view for TestTemplatesRenderEveryState:
// a team with a help desk and one without.
func helpUnitStates() any {
	return &helpUnitView{Teams: []teams.PublicTeam{{Name: "x", DeskPlace: "y", DeskHours: "z"}, {Name: "w"}},
		Classes: []helpClass{{When: "a", Place: "b", Team: "c", Capacity: 30, Lessons: []lessonChoice{{Slug: "d", Title: "e"}}}}}
}
