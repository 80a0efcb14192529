package server

import (
	"context"
	"regexp"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/indicators"
)

// The public dashboards kept per data version (publicDashboard): an
// instance that kept one shows a change made elsewhere (here straight in
// the shared database, as another instance's admin would) on its next
// page, the same page an instance that kept nothing shows; an official's
// dashboard is never kept. On both databases.
func TestDashboardMemoFollowsDataVersion(t *testing.T) {
	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	page := func(ts *testServer, path string) string {
		return nonce.ReplaceAllString(ts.newVisitor().get(path).mustStatus(t, 200).Body, "")
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		// A database whose data never changed has version "": the
		// first dashboard is kept under it too.
		page(newTestServer(t, db), "/en/indicators")
		seedIndicators(t, db)
		a := newTestServer(t, db)
		for _, p := range []string{"/en/indicators", "/vi/indicators?unit=26506"} {
			first := page(a, p)
			kept := len(a.srv.indicators.dashboards.boards)
			if again := page(a, p); again != first {
				t.Errorf("%s twice on one instance: two pages", p)
			}
			if kept == 0 || len(a.srv.indicators.dashboards.boards) != kept {
				t.Errorf("%s: %d dashboards kept, then %d", p, kept, len(a.srv.indicators.dashboards.boards))
			}
		}
		before := page(a, "/en/indicators")
		err := indicators.SaveTarget(ctx, db, accounts.SystemActor("test"), indicators.TargetInput{
			Indicator: "SMARTPHONE", Year: 2026, Value: 12.5, SourceVI: "Thử nghiệm", SourceEN: "Test"})
		if err != nil {
			t.Fatal(err)
		}
		after := page(a, "/en/indicators")
		// The same address, so that the links in the two pages are alike.
		fresh := page(newTestServer(t, db, func(d *Deps) { d.Config.BaseURL = a.srv.cfg.BaseURL }), "/en/indicators")
		if after != fresh {
			t.Error("after a change elsewhere, the instance that kept the dashboard shows another page than one that kept nothing")
		}
		if after == before {
			t.Error("the overview did not change with a new target")
		}
		v, _ := indicators.DataVersion(ctx, db)
		if a.srv.indicators.dashboards.version != v {
			t.Errorf("dashboards kept under version %q, the data is at %q", a.srv.indicators.dashboards.version, v)
		}
		n := len(a.srv.indicators.dashboards.boards)
		if _, err := a.srv.indicators.publicDashboard(ctx, indicators.Query{WithSubmitted: true}, a.srv.indicators.now()); err != nil {
			t.Fatal(err)
		}
		if len(a.srv.indicators.dashboards.boards) != n {
			t.Error("a dashboard with submitted figures was kept")
		}
	})
}
