package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/teams"
)

// TestBrowserHelpStates opens the public "find help near you" pages in
// every state, in both languages, on a 360 px phone with JavaScript off,
// and holds each to the checks every page passes (axe-core, the width of
// the phone, the header's height and tap targets); then walks the way a
// resident does: from the home page's link, through the search form, to
// the commune's page.
func TestBrowserHelpStates(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	commune := units[accounts.RoleCommuneOfficial]
	lengthenNames(t, db, commune)
	desk := strings.Repeat("Nhà văn hóa khu phố, cạnh chợ và trạm y tế. ", 3)[:teams.MaxDesk-2]
	if _, err := teams.Create(context.Background(), db, accounts.Actor{System: "test"}, commune, teams.Input{
		Name: "Tổ công nghệ số tổ dân phố Đông Hưng Thuận số 12", Households: "480", DeskPlace: desk, DeskHours: "Sáng thứ Bảy và Chủ nhật, 7:30–11:00"}); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db)
	for _, lang := range i18n.Langs() {
		for _, c := range []struct {
			path string
			want int
		}{
			{"/help", http.StatusOK},
			{"/help?q=" + url.QueryEscape("đất đỏ"), http.StatusOK},
			{"/help?q=xa", http.StatusOK},
			{"/help?q=khong+co+noi+nay", http.StatusOK},
			{"/help?q=" + url.QueryEscape("Đất\u200bĐỏ"), http.StatusBadRequest},
			{"/help/" + commune, http.StatusOK},
			{"/help/26674", http.StatusOK},
			{"/help/26509", http.StatusNotFound},
		} {
			path := "/" + string(lang) + c.path
			t.Run(path, func(t *testing.T) {
				v := ts.newVisitor()
				v.t = t
				tab := newTab(t, v, atPhoneWidth, withoutScripts)
				tab.open(path).mustStatus(t, c.want)
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
		t.Run(string(lang)+"/journey", func(t *testing.T) {
			v := ts.newVisitor()
			v.t = t
			tab := newTab(t, v, atPhoneWidth, withoutScripts)
			tab.open("/"+string(lang)+"/").mustStatus(t, http.StatusOK)
			tab.follow(fmt.Sprintf(`main a[href="/%s/help"]`, lang)).mustStatus(t, http.StatusOK)
			tab.fill("#q", "dat do")
			form := -1
			forms, err := tab.nodes("form")
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range forms {
				if f.AttributeValue("action") == "/"+string(lang)+"/help" {
					form = i
				}
			}
			if form < 0 {
				t.Fatal("no search form on the help page")
			}
			tab.submit(form).mustStatus(t, http.StatusOK)
			if n := tab.count(fmt.Sprintf(`a[href="/%s/help/26674"]`, lang)); n != 1 {
				t.Fatalf("Xã Đất Đỏ linked %d times after searching dat do", n)
			}
			tab.follow(fmt.Sprintf(`a[href="/%s/help/26674"]`, lang)).mustStatus(t, http.StatusOK)
			if n := tab.count("main h2"); n == 0 {
				t.Error("the commune's page has no section")
			}
		})
	}
}
