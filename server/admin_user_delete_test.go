package server

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/indicators"
)

// TestOfficialLeaves: an admin disables an official (sessions end, sign-in
// refused, history kept), then deletes the account: the official's report
// stays with an anonymous author, the audit log keeps the actions without
// the person, and their address and name are nowhere in the database.
func TestOfficialLeaves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		seedDemo(t, db)
		ts := newTestServer(t, db)
		ctx := context.Background()
		units := demoUnits(t, db)
		admin := ts.newVisitor()
		a := admin.signInAs(accounts.RoleAdmin, "")
		official := ts.newVisitor()
		o := official.signInAs(accounts.RoleCommuneOfficial, units[accounts.RoleCommuneOfficial])
		if _, err := db.NewUpdate().Model((*accounts.User)(nil)).Set("name = ?", "Cán Bộ Nghỉ Việc").Where("id = ?", o.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		var rep indicators.Report
		if err := db.NewSelect().Model(&rep).OrderExpr("id").Limit(1).Scan(ctx); err != nil {
			t.Fatalf("no demo report: %v", err)
		}
		if _, err := db.NewUpdate().Model((*indicators.Report)(nil)).Set("updated_by = ?", o.ID).Where("id = ?", rep.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		page := "/vi/admin/users/" + itoa64(o.ID)

		admin.post(page, url.Values{"op": {"disable"}}).mustStatus(t, http.StatusSeeOther)
		if official.signedIn() {
			t.Error("the disabled official is still signed in")
		}
		ts.newVisitor().post("/vi/login", url.Values{"email": {o.Email}, "password": {testPassword}}).mustStatus(t, http.StatusBadRequest)
		history, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{ActorID: o.ID})
		if err != nil || len(history) == 0 {
			t.Fatalf("the disabled official's history: %d entries, %v", len(history), err)
		}

		admin.get(page).mustStatus(t, http.StatusOK).mustContain(t, `name="confirm"`)
		admin.post(page, url.Values{"op": {"delete"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#confirm"`)
		admin.post("/vi/admin/users/"+itoa64(a.ID), url.Values{"op": {"delete"}, "confirm": {"yes"}}).mustStatus(t, http.StatusBadRequest)
		if to := location(t, admin.post(page, url.Values{"op": {"delete"}, "confirm": {"yes"}})); to != "/vi/admin/users?deleted=1" {
			t.Fatalf("deleted, then went to %q", to)
		}
		admin.get("/vi/admin/users?deleted=1").mustStatus(t, http.StatusOK).mustContain(t, "Đã xóa tài khoản")
		if _, err := accounts.UserByID(ctx, db, o.ID); err == nil {
			t.Error("the account still exists")
		}
		var kept indicators.Report
		if err := db.NewSelect().Model(&kept).Where("id = ?", rep.ID).Scan(ctx); err != nil || kept.UpdatedBy != 0 {
			t.Errorf("the report: %+v, %v; want it kept with an anonymous author", kept, err)
		}
		if left, _ := accounts.ListAudit(ctx, db, accounts.AuditFilter{ActorID: o.ID}); len(left) != 0 {
			t.Errorf("%d audit entries still name the official", len(left))
		}
		n, err := db.NewSelect().Model((*accounts.AuditEntry)(nil)).Where("action = ?", accounts.AuditSignIn).Where("actor_id IS NULL").Count(ctx)
		if err != nil || n == 0 {
			t.Errorf("the official's sign-ins are gone from the log (%d, %v), want them kept without the person", n, err)
		}
		deleted, _ := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditAccountDeleted})
		if len(deleted) != 1 || deleted[0].ActorID != a.ID || deleted[0].At.Before(time.Now().Add(-time.Minute)) {
			t.Errorf("deletion audited as %+v, want by the admin", deleted)
		}
		cols := textColumns(t, db)
		for _, needle := range []string{o.Email, "Cán Bộ Nghỉ Việc"} {
			if hits := scanFor(t, db, cols, needle); len(hits) > 0 {
				t.Errorf("after deletion %q is still in %v", needle, hits)
			}
		}
	})
}
