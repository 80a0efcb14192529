package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/teams"
)

// TestBrowserTeamClassesStates opens the class pages in the states the
// route list's visits do not reach (a helper's list with a class to come
// and one past, the class to edit, the class to record, the printable
// sheet and plan, the official's list), each form refused, in both
// languages, with JavaScript off, on a 360 px phone, and holds each to
// axe-core, the phone's width and its tap targets. Printed, the sheet and
// the plan drop the portal's frame and keep the class's details.
func TestBrowserTeamClassesStates(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	commune := units[accounts.RoleCommuneOfficial]
	lengthenNames(t, db, commune)
	ts := newTestServer(t, db)
	ctx := context.Background()
	team := newTeam(t, db, commune, "Tổ công nghệ số tổ dân phố Đông Hưng Thuận số 12", "480")
	helper := ts.newVisitor()
	u := helper.signInAs(accounts.RoleHelper, commune)
	joinTeam(t, db, team.ID, u.ID)
	who := accounts.UserActor(u, "")
	var slugs []string
	for _, l := range ts.srv.lessons.lib.Lessons[:teams.MaxClassLessons] {
		slugs = append(slugs, l.Slug)
	}
	place := []rune(strings.Repeat("Nhà văn hoá tổ dân phố Đông Hưng Thuận ", 4))[:teams.MaxPlace]
	in := teams.ClassInput{Place: string(place), Day: teams.Today(time.Now().Add(48 * time.Hour)),
		Start: "08:00", End: "11:30", Capacity: "30", Lessons: slugs, Note: "Mang theo điện thoại đã sạc pin và căn cước để cài VNeID."}
	known := func(string) bool { return true }
	soon, err := teams.ScheduleClass(ctx, db, who, team.ID, in, known, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	in.Lessons = slugs[:2]
	done, err := teams.ScheduleClass(ctx, db, who, team.ID, in, known, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	moveClass(t, db, done.ID, -3*time.Hour, -time.Hour)
	for _, lang := range i18n.Langs() {
		for _, c := range []struct {
			role  accounts.Role
			path  string
			form  int // the form to send empty, counted from the last (1), 0 for none
			want  int
			print bool
			spoil string // a field whose value gets an "x" more before the form is sent
		}{
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/classes", lang), 0, http.StatusOK, false, ""},
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/classes", lang), 1, http.StatusBadRequest, false, ""},
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/classes/%d", lang, soon.ID), 2, http.StatusBadRequest, false, "#capacity"},
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/classes/%d", lang, done.ID), 1, http.StatusBadRequest, false, ""},
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/classes/%d/sheet", lang, soon.ID), 0, http.StatusOK, true, ""},
			{accounts.RoleHelper, fmt.Sprintf("/%s/teams/classes/%d/plan", lang, done.ID), 0, http.StatusOK, true, ""},
			{accounts.RoleCommuneOfficial, fmt.Sprintf("/%s/teams/classes", lang), 1, http.StatusBadRequest, false, ""},
		} {
			t.Run(fmt.Sprintf("%s/%s/form=%d", c.path[1:], c.role, c.form), func(t *testing.T) {
				v := helper
				if c.role != accounts.RoleHelper {
					v = ts.newVisitor()
					v.signInAs(c.role, units[c.role])
				}
				v.t = t
				tab := newTab(t, v, atPhoneWidth, withoutScripts)
				if c.form > 0 {
					tab.open(c.path).mustStatus(t, http.StatusOK)
					if c.spoil != "" {
						tab.fill(c.spoil, "x")
					}
					l, err := tab.submitForm(tab.count("form") - c.form)
					if err != nil {
						t.Fatal(err)
					}
					if l.Status != c.want {
						t.Fatalf("the form answered %d, want %d", l.Status, c.want)
					}
					if tab.count(".error-summary") != 1 {
						t.Error("a refused form without its error summary")
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
				if !c.print {
					return
				}
				if err := tab.run(command(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})); err != nil {
					t.Fatal(err)
				}
				got, err := evaluate[struct {
					Frame   []string `json:"frame"`
					Details bool     `json:"details"`
				}](tab, `(() => {
					const seen = el => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
					return {frame: [".site-header", ".site-footer", ".no-print"].filter(s => seen(document.querySelector(s))),
						details: seen(document.querySelector("dl.summary"))};
				})()`)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Frame) > 0 || !got.Details {
					t.Errorf("printed, the frame shows %v and the class's details %v", got.Frame, got.Details)
				}
				n := printedPages(t, tab)
				if strings.Contains(c.path, "/sheet") && (n < 1 || n > 3) {
					t.Errorf("the sheet of 30 seats prints on %d A4 pages, want 1 to 3", n)
				}
				if strings.Contains(c.path, "/plan") && n < 3 {
					t.Errorf("the plan of two lessons prints on %d A4 pages, want each lesson from a page of its own", n)
				}
			})
		}
	}
}
