package server

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// TestBrowserAssessmentAccount: the account page of a business that keeps
// two self-assessments under its account (one sent and taken again, one
// started) passes the page checks on a 360-pixel phone with JavaScript
// off, in each language, and its links open the result and the one in
// progress on this device, which never had the resume codes.
func TestBrowserAssessmentAccount(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	for _, tc := range []struct {
		lang  i18n.Lang
		level string
	}{
		{i18n.VI, "Mức 3: Hình thành"},
		{i18n.EN, "Level 3: Forming"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			db := dbtest.SQLite(t)
			ts := newTestServer(t, db)
			lang := "/" + string(tc.lang)

			// Made on one device through the forms.
			phone := ts.newVisitor()
			u := phone.signInAs(accounts.RoleBusiness, "")
			consentToKeep(t, phone, true)
			sent, _ := startAssessment(t, phone, "vi")
			completeAssessment(t, phone, "vi", sent, false)
			location(t, phone.post("/vi/assessment/"+sent+"/retake", nil))
			started, _ := startAssessment(t, phone, "vi")

			// Seen on another, signed in.
			laptop := ts.newVisitor()
			laptop.signInAgain(t, u)
			tab := newTab(t, laptop, atPhoneWidth, withoutScripts)
			tab.open(lang+"/account").mustStatus(t, http.StatusOK)
			tab.mustPassAxe()
			if lang, _ := tab.attr("html", "lang"); lang != string(tc.lang) {
				t.Errorf(`<html lang=%q>`, lang)
			}
			if width, culprits := tab.overflow(); width > phoneWidth {
				t.Errorf("the account page is %d px wide at %d: %v", width, phoneWidth, culprits)
			}
			tab.screenshot(filepath.Join(screenshotDir, "assessment-account-"+string(tc.lang)+".png"))
			if n := tab.count(`#assessments ~ .table-wrap tbody tr`); n != 2 {
				t.Fatalf("the account page lists %d self-assessments, want 2", n)
			}
			// The one started last comes first.
			if got := text(t, tab, `#assessments ~ .table-wrap tbody tr:nth-child(2) td`); got != tc.level {
				t.Errorf("the latest result reads %q, want %q", got, tc.level)
			}
			tab.follow(`a[href="`+lang+`/assessment/`+sent+`/result"]`).mustStatus(t, http.StatusOK)
			if got := text(t, tab, ".level-name"); got != tc.level {
				t.Errorf("the result opened from the account page shows %q, want %q", got, tc.level)
			}
			tab.open(lang+"/account").mustStatus(t, http.StatusOK)
			l := tab.follow(`a[href^="`+lang+`/assessment/`+started+`/"]`).mustStatus(t, http.StatusOK)
			if !strings.HasSuffix(l.URL, "/"+started+"/profile") {
				t.Errorf("continuing opened %s, want the profile page", l.URL)
			}
			tab.mustPassAxe()
		})
	}
}
