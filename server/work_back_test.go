package server

import (
	"net/http"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// The report pages lead back to the workspace by its own name, in each
// language: "/reports" only redirects there, and the link said "reports"
// where the page it opened is what needs doing.
func TestReportPagesLeadBackToWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, "26536")
		for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
			l := ts.srv.bundle.Localizer(lang)
			back := `<a href="/` + string(lang) + `/work">` + l.T("workspace.back") + `</a>`
			for _, page := range []string{"/reports/entry", "/reports/import", "/reports/review", "/reports/timeliness", "/reports/followups"} {
				res := commune.get("/"+string(lang)+page).mustStatus(t, http.StatusOK).mustContain(t, back)
				res.mustNotContain(t, `href="/`+string(lang)+`/reports"`)
			}
		}
	})
}
