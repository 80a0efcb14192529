package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/teams"
)

// TestBrowserTeamsJourney is issue 21's whole journey, in each language,
// on a 360 px phone with JavaScript off, every step through the pages'
// own forms: a commune official adds a team and invites a helper; the
// helper sets a password from the one-time link, is refused a note
// holding a phone number, records a visit and schedules a class; a
// resident with no account finds the class by typing the commune's name
// without accents on /help; the official sees the month's coverage on the
// teams' report and the households reached among the figures from team
// records on the dashboard. Each page passes axe-core and fits the phone.
func TestBrowserTeamsJourney(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	commune := units[accounts.RoleCommuneOfficial]
	ts := newTestServer(t, db)
	ctx := context.Background()
	unit, err := indicators.LatestUnit(ctx, db, commune, indicators.Today(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	official := ts.newVisitor()
	official.signInAs(accounts.RoleCommuneOfficial, commune)
	lesson := ts.srv.lessons.lib.Lessons[0]
	this := indicators.MonthOf(time.Now())

	for i, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			l := ts.srv.bundle.Localizer(lang)
			official.t = t
			step := func(tb *tab, what string) {
				t.Helper()
				if width, culprits := tb.overflow(); width > phoneWidth {
					t.Errorf("%s: %d px wide: %s", what, width, strings.Join(culprits, "; "))
				}
				tb.mustPassAxe()
			}
			name := fmt.Sprintf("Tổ công nghệ số thôn Phú Hòa %d", i+1)
			households := 200 + 100*i // 200, then 300

			// The official adds the team.
			off := newTab(t, official, atPhoneWidth, withoutScripts)
			off.open("/"+string(lang)+"/teams").mustStatus(t, http.StatusOK)
			off.fill("#name", name)
			off.fill("#households", fmt.Sprint(households))
			off.submit(formWithAction(t, off, "/"+string(lang)+"/teams")).mustStatus(t, http.StatusOK)
			mustSee(t, off, l.T("teams.done.created"), name)
			step(off, "the team list")
			var team teams.Team
			if err := db.NewSelect().Model(&team).Where("name = ?", name).Scan(ctx); err != nil {
				t.Fatal(err)
			}

			// … and invites a helper, whose one-time link shows on the page.
			teamPage := fmt.Sprintf("/%s/teams/%d", lang, team.ID)
			off.open(teamPage).mustStatus(t, http.StatusOK)
			off.fill("#email", fmt.Sprintf("helper-%s@example.test", lang))
			off.fill("#member_name", "Thành viên "+string(lang))
			off.submit(formWithAction(t, off, teamPage+"/invite")).mustStatus(t, http.StatusOK)
			step(off, "the invitation")
			link := setPasswordLinkRe.FindStringSubmatch(pageHTML(t, off))
			if link == nil {
				t.Fatal("no one-time link on the page after inviting")
			}

			// The helper, on their own phone, sets a password and lands on
			// the help log.
			helperVisitor := ts.newVisitor()
			helperVisitor.t = t
			hp := newTab(t, helperVisitor, atPhoneWidth, withoutScripts)
			hp.open("/"+string(lang)+"/set-password/"+link[2]).mustStatus(t, http.StatusOK)
			hp.fill("#password", "bốn từ chẳng liên quan "+string(lang))
			logPage := "/" + string(lang) + "/teams/log"
			if got := hp.submit(formWithAction(t, hp, "/"+string(lang)+"/set-password/"+link[2])).mustStatus(t, http.StatusOK); !strings.HasSuffix(got.URL, logPage) {
				t.Fatalf("after setting a password the helper is at %s, want the help log", got.URL)
			}
			mustSee(t, hp, name)
			step(hp, "the help log")

			// A note with a phone number is refused, and nothing is saved.
			hp.fill("#households", "12")
			hp.fill("#people_15_59", "9")
			hp.fill("#people_60", "14")
			hp.click("#done_vneid")
			hp.click("#done_scam")
			hp.fill("#note", "Bà cụ nhờ gọi lại số 0912 345 678")
			hp.submit(formWithAction(t, hp, logPage)).mustStatus(t, http.StatusBadRequest)
			mustSee(t, hp, l.T("teams.log.error.personal"))
			step(hp, "the refused entry")
			if n := countRows(t, db, "team_visits", "team_id = ?", team.ID); n != 0 {
				t.Fatalf("a refused entry saved %d", n)
			}
			// What was typed is kept; the note is put right and sent.
			setValue(t, hp, "#note", "Hướng dẫn cài VNeID, cảnh giác cuộc gọi giả danh công an")
			hp.submit(formWithAction(t, hp, logPage)).mustStatus(t, http.StatusOK)
			mustSee(t, hp, "Hướng dẫn cài VNeID")
			if n := countRows(t, db, "team_visits", "team_id = ? AND households = 12 AND people_60 = 14 AND done_vneid = ? AND done_scam = ?", team.ID, true, true); n != 1 {
				t.Fatalf("entries saved from the form: %d, want 1", n)
			}

			// The helper schedules a class for two days ahead.
			classes := "/" + string(lang) + "/teams/classes"
			hp.open(classes).mustStatus(t, http.StatusOK)
			place := fmt.Sprintf("Nhà văn hóa thôn Phú Hòa %d", i+1)
			hp.fill("#place", place)
			setValue(t, hp, "#day", teams.Today(time.Now().Add(48*time.Hour)))
			setValue(t, hp, "#start", "08:00")
			setValue(t, hp, "#end", "10:30")
			setValue(t, hp, "#capacity", "30")
			hp.click("#lesson-" + lesson.Slug)
			if got := hp.submit(formWithAction(t, hp, classes)); got.Status != http.StatusOK {
				txt, _ := evaluate[string](hp, `document.querySelector(".error-summary, [role=alert]") ? document.querySelector(".error-summary, [role=alert]").innerText : document.body.innerText`)
				t.Fatalf("the class form answered %d: %s", got.Status, txt)
			}
			mustSee(t, hp, place)
			step(hp, "the class")

			// A resident with no account finds it, typing without accents.
			anon := ts.newVisitor()
			anon.t = t
			res := newTab(t, anon, atPhoneWidth, withoutScripts)
			res.open("/"+string(lang)+"/").mustStatus(t, http.StatusOK)
			res.follow(`a[href="/`+string(lang)+`/help"]`).mustStatus(t, http.StatusOK)
			res.fill("#q", foldForSearch(unit.Name))
			res.submit(formWithAction(t, res, "/"+string(lang)+"/help")).mustStatus(t, http.StatusOK)
			step(res, "the search")
			res.follow(`a[href="/`+string(lang)+`/help/`+commune+`"]`).mustStatus(t, http.StatusOK)
			mustSee(t, res, l.T("help.unit.classes"), place, name, lesson.In(lang).Title)
			step(res, "the commune's help page")

			// The official sees the month's coverage …
			off.open("/"+string(lang)+"/reports/teams").mustStatus(t, http.StatusOK)
			mustSee(t, off, name, l.T("teams.coverage", "Percent", l.Int(int64(12*100/households))))
			step(off, "the teams' report")
			// … and, on the dashboard, the households reached from team
			// records, beside (never in) the reported figures.
			off.open(fmt.Sprintf("/%s/reports/dashboard?from=%s&to=%s", lang, this, this)).mustStatus(t, http.StatusOK)
			mustSee(t, off, l.T("teamind.heading"))
			records := pageHTML(t, off)
			records = records[strings.Index(records, `class="team-records"`):]
			if want := fmt.Sprintf(`<td class="num">%s</td>`, l.Int(int64(12*(i+1)))); !strings.Contains(records, want) {
				t.Errorf("the figures from team records lack the households reached so far (%s)", want)
			}
			step(off, "the dashboard")
		})
	}
}

// formWithAction is the index, in document order, of the page's form that
// sends to action: the one that posts, when a GET form (a filter) has the
// same action.
func formWithAction(t *testing.T, tb *tab, action string) int {
	t.Helper()
	i, err := evaluate[int](tb, fmt.Sprintf(`(() => {
		const all = Array.from(document.forms).filter(f => f.getAttribute("action") === %q);
		const f = all.find(f => f.method === "post") || all[0];
		return Array.from(document.forms).indexOf(f);
	})()`, action))
	if err != nil || i < 0 {
		t.Fatalf("no form posts to %s (%v)", action, err)
	}
	return i
}

// setValue sets a field's value as a date or time picker would, without
// the keyboard (whose typing into such fields depends on the locale).
func setValue(t *testing.T, tb *tab, selector, value string) {
	t.Helper()
	if _, err := evaluate[bool](tb, fmt.Sprintf(`(() => { document.querySelector(%q).value = %q; return true; })()`, selector, value)); err != nil {
		t.Fatalf("set %s: %v", selector, err)
	}
}

// pageHTML is the tab's document as it stands.
func pageHTML(t *testing.T, tb *tab) string {
	t.Helper()
	s, err := evaluate[string](tb, `document.documentElement.outerHTML`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustSee fails the test unless the page's visible text holds each of want.
func mustSee(t *testing.T, tb *tab, want ...string) {
	t.Helper()
	text, err := evaluate[string](tb, `document.body.innerText`)
	if err != nil {
		t.Fatal(err)
	}
	text = spaces.ReplaceAllString(text, " ")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the page does not show %q", w)
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// foldForSearch is a name as a resident without a Vietnamese keyboard types
// it: no accents, đ as d.
func foldForSearch(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		case r == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
