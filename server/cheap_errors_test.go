package server

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"digiportal/database/dbtest"
)

// TestCheapPathErrorsAreShed: assets, pictures and /metrics pass the limit
// on requests in flight, but their error pages are rendered like any page:
// with every place taken, an unknown asset or picture gets the fast 503
// with Retry-After rather than a rendered 404, while real assets and the
// health checks are still served; once a place is free, the 404 page
// again, and no place is left taken.
func TestCheapPathErrorsAreShed(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.MaxInFlight = 1 })
	ts.srv.load.all.wait = 10 * time.Millisecond
	m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(ts.get("/vi/lessons").mustStatus(t, http.StatusOK).Body)
	if m == nil {
		t.Fatal("no stylesheet on the lessons page")
	}
	asset := m[1]

	ts.srv.load.all.slots <- struct{}{} // a page being served holds the one place
	for _, path := range []string{"/static/nope.css", "/media/lessons/khong-co/anh.png"} {
		res := ts.get(path).mustStatus(t, http.StatusServiceUnavailable)
		if res.Header.Get("Retry-After") != shedRetryAfter {
			t.Errorf("%s while full: Retry-After %q", path, res.Header.Get("Retry-After"))
		}
	}
	ts.get(asset).mustStatus(t, http.StatusOK)
	ts.get("/livez").mustStatus(t, http.StatusOK)
	<-ts.srv.load.all.slots

	ts.get("/static/nope.css").mustStatus(t, http.StatusNotFound).mustContain(t, ts.srv.bundle.Localizer("vi").T("error.404.title"))
	ts.get("/media/lessons/khong-co/anh.png").mustStatus(t, http.StatusNotFound)
	if n := len(ts.srv.load.all.slots); n != 0 {
		t.Errorf("%d places left taken", n)
	}
}
