package server

import (
	"net/http"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/teams"
)

// TestBrowserPathForTeamMembers walks the team members' path as a phone
// user would, 360 pixels wide with JavaScript off, in each language: the
// helper follows the link on the help log to the path; then, not signed in,
// each lesson of the path is read within the page-weight budget, fits the
// screen, passes axe, and its quiz is passed by mouse.
func TestBrowserPathForTeamMembers(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	a, _ := twoCommunes(t, db)
	team, err := teams.Create(t.Context(), db, accounts.Actor{System: "test"}, a, teams.Input{Name: "Tổ thôn Bắc", Households: "80"})
	if err != nil {
		t.Fatal(err)
	}
	helper := ts.newVisitor()
	joinTeam(t, db, team.ID, helper.signInAs(accounts.RoleHelper, a).ID)
	path, ok := ts.srv.lessons.lib.Path(helperPathSlug)
	if !ok {
		t.Fatalf("no learning path %s", helperPathSlug)
	}
	check := func(t *testing.T, tb *tab, l *pageLoad) {
		t.Helper()
		if width, culprits := tb.overflow(); width > phoneWidth {
			t.Errorf("%s: %d px wide: %s", l.URL, width, strings.Join(culprits, "; "))
		}
		if l.Weight() > weightBudget {
			t.Errorf("%s: page weight %d bytes (HTML %d, CSS %d, images %d), budget %d", l.URL, l.Weight(), l.HTML, l.CSS, l.Image, weightBudget)
		}
		checkPhoneFrame(t, tb)
		tb.mustPassAxe()
	}
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			l := "/" + string(lang)
			helper.t = t
			tab := newTab(t, helper, atPhoneWidth, withoutScripts)
			tab.open(l+"/teams/log").mustStatus(t, http.StatusOK)
			p := tab.follow(`a[href="`+l+`/paths/`+helperPathSlug+`"]`).mustStatus(t, http.StatusOK)
			if got := text(t, tab, "h1"); got != path.Name[lang] {
				t.Errorf("the log's link leads to %q, want the path %q", got, path.Name[lang])
			}
			check(t, tab, p)

			for _, slug := range path.Lessons {
				anon := newTab(t, ts.newVisitor(), atPhoneWidth, withoutScripts)
				page := anon.open(l+"/lessons/"+slug).mustStatus(t, http.StatusOK)
				check(t, anon, page)
				answerQuiz(t, anon, ts, slug, lang, false)
				anon.submit(0).mustStatus(t, http.StatusOK)
				if anon.count(".quiz .notice.success") != 1 {
					t.Errorf("%s: passing the quiz shows no success notice", slug)
				}
				if width, culprits := anon.overflow(); width > phoneWidth {
					t.Errorf("%s quiz result: %d px wide: %s", slug, width, strings.Join(culprits, "; "))
				}
				anon.mustPassAxe()
			}
		})
	}
}
