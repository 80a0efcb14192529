package accounts

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestSignUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pw := NewPasswords(2)
		visitor := Actor{IP: "198.51.100.4"}
		mustUser(t, db, "taken@example.test", RoleResident, "")
		good := Registration{Email: "Hoa@Example.test", Name: "Hoa", Role: RoleResident, Password: "bốn từ không liên quan", Consents: []string{"progress"}}

		refused := []struct {
			name   string
			change func(g *Registration)
			fields []string
		}{
			{"bad address", func(g *Registration) { g.Email = "hoa" }, []string{"email"}},
			{"admin by oneself", func(g *Registration) { g.Role = RoleAdmin }, []string{"role"}},
			{"official by oneself", func(g *Registration) { g.Role = RoleCommuneOfficial }, []string{"role"}},
			{"common password", func(g *Registration) { g.Password = "password" }, []string{"password"}},
			{"unknown purpose", func(g *Registration) { g.Consents = []string{"marketing"} }, []string{"consents"}},
			{"everything", func(g *Registration) { g.Email, g.Role, g.Password = "", "", "" }, []string{"email", "role", "password"}},
			{"taken address", func(g *Registration) { g.Email = "TAKEN@example.test" }, []string{"email"}},
		}
		for _, c := range refused {
			g := good
			c.change(&g)
			_, _, err := SignUp(ctx, db, pw, visitor, g)
			t.Run(c.name, func(t *testing.T) { wantProblems(t, err, c.fields...) })
		}
		if n := rows(t, db, (*User)(nil)); n != 1 {
			t.Errorf("%d users after refused sign-ups, want 1", n)
		}
		if n := rows(t, db, (*AuditEntry)(nil)) + rows(t, db, (*Consent)(nil)); n != 0 {
			t.Errorf("%d audit entries and consents after refused sign-ups, want 0", n)
		}

		u, _, err := SignUp(ctx, db, pw, visitor, good)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UserByEmail(ctx, db, "hoa@example.test")
		if err != nil || got.ID != u.ID || got.Role != RoleResident || !strings.HasPrefix(got.PasswordHash, "$argon2id$") {
			t.Fatalf("stored %+v, %v; want a resident with an argon2id hash", got, err)
		}
		if ok, err := pw.Verify(ctx, good.Password, got.PasswordHash); err != nil || !ok {
			t.Errorf("the password does not verify against the stored hash: %v %v", ok, err)
		}
		for purpose, want := range map[string]bool{"progress": true, "assessments": false} {
			if has, err := HasConsent(ctx, db, u.ID, purpose); err != nil || has != want {
				t.Errorf("consent %s = %v (%v), want %v", purpose, has, err, want)
			}
		}
		e := wantAudit(t, db, AuditSignUp, Actor{UserID: u.ID, Email: "hoa@example.test", IP: visitor.IP}, "user", strconv.FormatInt(u.ID, 10))
		if e.New != "resident" {
			t.Errorf("audited %q, want the role", e.New)
		}
	})
}

func TestRecordSignInAndOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "lan@example.test", RoleBusiness, "")
		who := UserActor(u, "192.0.2.8")
		var carried []int64
		carry := func(ctx context.Context, tx bun.IDB, userID int64) error {
			carried = append(carried, userID)
			return GrantConsent(ctx, tx, userID, "progress") // a write the transaction must undo on failure
		}
		broken := func(context.Context, bun.IDB, int64) error { return errors.New("the lesson store is down") }

		if err := RecordSignIn(ctx, db, Actor{IP: who.IP}, carry); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("nobody signing in: %v, want ErrSignInRequired", err)
		}
		if err := RecordSignIn(ctx, db, who, carry, broken); err == nil {
			t.Error("a failing hook did not fail the sign-in")
		}
		if n := rows(t, db, (*AuditEntry)(nil)) + rows(t, db, (*Consent)(nil)); n != 0 {
			t.Errorf("%d audit entries and consents after refused sign-ins, want 0", n)
		}
		carried = nil
		if err := RecordSignIn(ctx, db, who, carry); err != nil {
			t.Fatal(err)
		}
		if len(carried) != 1 || carried[0] != u.ID {
			t.Errorf("hook ran for %v, want once for %d", carried, u.ID)
		}
		if ok, _ := HasConsent(ctx, db, u.ID, "progress"); !ok {
			t.Error("the hook's write did not commit with the sign-in")
		}
		wantAudit(t, db, AuditSignIn, who, "user", strconv.FormatInt(u.ID, 10))

		if err := SignOut(ctx, db, Actor{IP: who.IP}); err != nil {
			t.Fatal(err)
		}
		if got := audits(t, db, AuditSignOut); len(got) != 0 {
			t.Errorf("nobody signing out wrote %d entries, want 0", len(got))
		}
		if err := SignOut(ctx, db, who); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, db, AuditSignOut, who, "user", strconv.FormatInt(u.ID, 10))
	})
}
