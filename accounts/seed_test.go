package accounts

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestSeedAndResetDemo: seeding twice creates the demo accounts once and
// shows no password the second time; a reset gives every account, old or
// new, a new password that verifies, keeps what an admin changed, and
// audits each change.
func TestSeedAndResetDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		p := NewPasswords(1)
		created, err := SeedDemo(ctx, db, p, "test")
		if err != nil || len(created) != len(demoAccounts()) {
			t.Fatalf("first SeedDemo = %d accounts, %v; want %d", len(created), err, len(demoAccounts()))
		}
		again, err := SeedDemo(ctx, db, p, "test")
		if err != nil || len(again) != 0 {
			t.Fatalf("second SeedDemo = %+v, %v; want nothing", again, err)
		}
		// An admin moves the commune official to another ward, and the
		// resident's account is deleted: the reset keeps the one, recreates
		// the other.
		xa, _ := UserByEmail(ctx, db, "xa@demo.digiportal.test")
		if err := setRole(ctx, db, xa.ID, RoleCommuneOfficial, "26507"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewDelete().Model((*User)(nil)).Where("email = ?", "nguoidan@demo.digiportal.test").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		reset, err := ResetDemo(ctx, db, p, "test reset")
		if err != nil || len(reset) != len(demoAccounts()) {
			t.Fatalf("ResetDemo = %d accounts, %v; want %d", len(reset), err, len(demoAccounts()))
		}
		for i, a := range reset {
			if a.Password == created[i].Password {
				t.Errorf("%s: password unchanged by the reset", a.Email)
			}
			if wantCreated := a.Email == "nguoidan@demo.digiportal.test"; a.Created != wantCreated {
				t.Errorf("%s: Created %v, want %v", a.Email, a.Created, wantCreated)
			}
			u, err := UserByEmail(ctx, db, a.Email)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := p.Verify(ctx, a.Password, u.PasswordHash); !ok || err != nil {
				t.Errorf("%s: the new password does not verify (%v)", a.Email, err)
			}
			// Admins and officials must use a second factor: theirs is
			// enrolled, with the secret shown, new at each reset.
			if a.Role.Privileged() != (a.TOTPSecret != "") || u.TOTPEnabled != a.Role.Privileged() || u.TOTPSecret != a.TOTPSecret {
				t.Errorf("%s: shown secret %q, stored on %v %q", a.Email, a.TOTPSecret, u.TOTPEnabled, u.TOTPSecret)
			}
			if a.TOTPSecret != "" && a.TOTPSecret == created[i].TOTPSecret {
				t.Errorf("%s: second-factor secret unchanged by the reset", a.Email)
			}
			if a.Role != u.Role || a.Unit != u.UnitCode {
				t.Errorf("%s: shown as %s %q, stored as %s %q", a.Email, a.Role, a.Unit, u.Role, u.UnitCode)
			}
		}
		if reset[2].Unit != "26507" {
			t.Errorf("the commune official is shown in %q, want the ward the admin chose, 26507", reset[2].Unit)
		}
		log, err := ListAudit(ctx, db, AuditFilter{Action: "account."})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range log {
			count[e.ActorEmail+" "+e.Action]++
		}
		want := map[string]int{"test " + AuditUserCreated: 5, "test reset " + AuditPasswordSet: 4, "test reset " + AuditUserCreated: 1}
		for k, n := range want {
			if count[k] != n {
				t.Errorf("audit log: %d × %q, want %d (all: %v)", count[k], k, n, count)
			}
		}
	})
}
