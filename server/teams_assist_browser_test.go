package server

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// TestBrowserTeamsAssist walks a helper's account help and the resident's
// side of it in both languages, JavaScript off, on a 360 px phone: the
// helper's page, each of its forms refused, a new account's code shown;
// then on another phone the code page, refused and then sent the code as
// typed from the screen, which leads to the set-password page, refused an
// empty password. Each page passes axe-core, fits the phone and keeps its
// tap targets.
func TestBrowserTeamsAssist(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	ts := newTestServer(t, db)
	check := func(t *testing.T, tab *tab) {
		t.Helper()
		if n := tab.count("h1"); n != 1 {
			t.Errorf("%d <h1>", n)
		}
		if width, culprits := tab.overflow(); width > phoneWidth {
			t.Errorf("%d px wide: %s", width, strings.Join(culprits, "; "))
		}
		checkPhoneFrame(t, tab)
		tab.mustPassAxe()
	}
	for i, lang := range i18n.Langs() {
		helper := ts.newVisitor()
		helper.signInAs(accounts.RoleHelper, units[accounts.RoleHelper])
		page := fmt.Sprintf("/%s/teams/assist", lang)
		var code string
		t.Run(string(lang)+"/helper", func(t *testing.T) {
			helper.t = t
			tab := newTab(t, helper, withoutScripts, atPhoneWidth)
			tab.open(page).mustStatus(t, http.StatusOK)
			check(t, tab)
			for _, form := range []int{2, 1} { // the account's form, then the reset's, counted from the last
				tab.open(page).mustStatus(t, http.StatusOK)
				tab.submit(tab.count("form")-form).mustStatus(t, http.StatusBadRequest)
				check(t, tab)
			}
			tab.open(page).mustStatus(t, http.StatusOK)
			tab.fill("#username", fmt.Sprintf("nguoi.dan.so%d.thon.dong.hung", i))
			tab.submit(tab.count("form")-2).mustStatus(t, http.StatusOK)
			check(t, tab)
			tab.screenshot(filepath.Join(screenshotDir, string(lang)+"_teams_assist_code.png"))
			shown, err := evaluate[string](tab, `document.querySelector("strong code").textContent`)
			if err != nil || len(shown) != accounts.AssistCodeLen+3 {
				t.Fatalf("the code shown: %q %v", shown, err)
			}
			code = shown
		})
		t.Run(string(lang)+"/resident", func(t *testing.T) {
			if code == "" {
				t.Skip("no code issued")
			}
			phone := ts.newVisitor()
			phone.t = t
			tab := newTab(t, phone, withoutScripts, atPhoneWidth)
			entry := fmt.Sprintf("/%s/set-password", lang)
			tab.open(entry).mustStatus(t, http.StatusOK)
			check(t, tab)
			tab.submit(tab.count("form")-1).mustStatus(t, http.StatusBadRequest)
			check(t, tab)
			tab.open(entry).mustStatus(t, http.StatusOK)
			tab.fill("#code", strings.ToUpper(code))
			l := tab.submit(tab.count("form")-1).mustStatus(t, http.StatusOK)
			if want := entry + "/" + strings.ReplaceAll(code, "-", ""); !strings.HasSuffix(l.URL, want) {
				t.Fatalf("the code led to %s, want %s", l.URL, want)
			}
			check(t, tab)
			tab.submit(tab.count("form")-1).mustStatus(t, http.StatusBadRequest)
			check(t, tab)
		})
	}
}
