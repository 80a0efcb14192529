package server

import (
	"context"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// TestSessionsOnlyWhereUsed: a signed-in visitor's requests for assets,
// health checks and metrics neither read nor write the session (no
// Set-Cookie, which every request with a loaded session gets as its idle
// expiry moves on) and assets never vary by cookie, while a page does both.
func TestSessionsOnlyWhereUsed(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.signInAs(accounts.RoleResident, "")
	page := ts.get("/vi/lessons").mustStatus(t, 200)
	if len(page.Header.Values("Set-Cookie")) == 0 || !strings.Contains(strings.Join(page.Header.Values("Vary"), ","), "Cookie") {
		t.Fatalf("a signed-in page: Set-Cookie %q, Vary %q; want the session's cookie and Vary: Cookie",
			page.Header.Values("Set-Cookie"), page.Header.Values("Vary"))
	}
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(page.Body)
	if css == nil {
		t.Fatal("no stylesheet on the page")
	}
	for _, path := range []string{css[1], "/livez", "/readyz", "/metrics", "/static/app.00000000.css"} {
		res := ts.get(path)
		if res.StatusCode >= 500 {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		if c := res.Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s: Set-Cookie %q: the session was loaded and saved", path, c)
		}
		if v := strings.Join(res.Header.Values("Vary"), ","); strings.Contains(v, "Cookie") {
			t.Errorf("%s: Vary %q", path, v)
		}
	}
}

// TestLessonViewsCountedOffTheRequest: a lesson view writes nothing while
// it is answered (the counts wait in memory), and the usage page, which
// writes what its instance has counted first, shows every view at once.
func TestLessonViewsCountedOffTheRequest(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	lesson := ts.srv.lessons.lib.Lessons[0]
	for range 3 {
		ts.get("/vi/lessons/"+lesson.Slug).mustStatus(t, 200)
	}
	var rows int
	if err := ts.db.NewRaw("SELECT COUNT(*) FROM lesson_usage").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || ts.srv.lessons.views.Pending() != 3 {
		t.Fatalf("after 3 views: %d rows written, %d views pending; want 0 and 3", rows, ts.srv.lessons.views.Pending())
	}
	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "79")
	official.get("/vi/reports/lessons").mustStatus(t, 200).
		mustContain(t, `<th scope="row">`+template.HTMLEscapeString(lesson.In(i18n.VI).Title)+`</th><td class="num">3</td>`)
}
