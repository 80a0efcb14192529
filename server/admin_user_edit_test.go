package server

import (
	"context"
	"net/url"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestAdminEditsUser: the admin page turns each change into its use case
// and each refusal into its page: another admin's own role or access is a
// plain 400, a role without its unit re-renders the form with the message.
func TestAdminEditsUser(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	me := admin.signInAs(accounts.RoleAdmin, "")
	target := ts.newVisitor().signInAs(accounts.RoleResident, "")
	ctx := context.Background()
	path := "/vi/admin/users/" + itoa64(target.ID)

	cases := []struct {
		path string
		form url.Values
		want int
	}{
		{"/vi/admin/users/" + itoa64(me.ID), url.Values{"op": {"role"}, "role": {"resident"}}, 400},
		{"/vi/admin/users/" + itoa64(me.ID), url.Values{"op": {"disable"}}, 400},
		{path, url.Values{"op": {"frobnicate"}}, 400},
		{path, url.Values{"op": {"role"}, "role": {"commune_official"}}, 400},
		{path, url.Values{"op": {"role"}, "role": {"commune_official"}, "unit": {"26506"}}, 303},
		{path, url.Values{"op": {"reset-2fa"}}, 303},
	}
	for _, c := range cases {
		res := admin.post(c.path, c.form)
		if res.StatusCode != c.want {
			t.Errorf("POST %s %v: got %d, want %d", c.path, c.form, res.StatusCode, c.want)
		}
	}
	admin.post(path, url.Values{"op": {"role"}, "role": {"commune_official"}}).mustStatus(t, 400).mustContain(t, "cần có mã đơn vị")
	got, _ := accounts.UserByID(ctx, db, target.ID)
	if got.Role != accounts.RoleCommuneOfficial || got.UnitCode != "26506" {
		t.Errorf("target is %s %s, want commune_official 26506", got.Role, got.UnitCode)
	}
	if got, _ := accounts.UserByID(ctx, db, me.ID); got.Role != accounts.RoleAdmin || got.Disabled {
		t.Error("the admin changed their own role or access")
	}
	for action, want := range map[string]int{accounts.AuditRoleChanged: 1, accounts.AuditTOTPReset: 1, accounts.AuditDisabled: 0} {
		entries, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: action})
		if err != nil || len(entries) != want {
			t.Errorf("%d %s entries (%v), want %d", len(entries), action, err, want)
			continue
		}
		for _, e := range entries {
			if e.ActorID != me.ID || e.ObjectID != itoa64(target.ID) {
				t.Errorf("%s by %d on %s, want by %d on %d", action, e.ActorID, e.ObjectID, me.ID, target.ID)
			}
		}
	}
}
