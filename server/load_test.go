package server

import (
	"regexp"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
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
