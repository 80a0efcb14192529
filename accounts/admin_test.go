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

func TestCreateUserWithLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		admin := mustUser(t, db, "admin@example.test", RoleAdmin, "")
		who := UserActor(admin, "192.0.2.10")

		refused := []struct {
			in     NewUser
			fields []string
		}{
			{NewUser{Email: "not an address", Role: RoleResident}, []string{"email"}},
			{NewUser{Email: "x@example.test", Role: "root"}, []string{"role"}},
			{NewUser{Email: "x@example.test", Role: RoleCommuneOfficial}, []string{"unit"}},
			{NewUser{Email: "x@example.test", Role: RoleProvinceOfficial, UnitCode: strings.Repeat("7", 21)}, []string{"unit"}},
			{NewUser{Email: "", Role: "", UnitCode: ""}, []string{"email", "role"}},
			{NewUser{Email: "Admin@Example.test", Role: RoleResident}, []string{"email"}}, // taken
		}
		for _, c := range refused {
			_, _, err := CreateUserWithLink(ctx, db, who, c.in)
			wantProblems(t, err, c.fields...)
		}
		if n := rows(t, db, (*User)(nil)); n != 1 {
			t.Errorf("%d users after refused inputs, want only the admin", n)
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d audit entries after refused inputs, want 0", n)
		}
		if _, _, err := CreateUserWithLink(ctx, db, who, NewUser{Email: "admin@example.test", Role: RoleResident}); !errors.Is(err, ErrEmailTaken) {
			t.Errorf("taken address: %v, want ErrEmailTaken through the ValidationError", err)
		}

		u, token, err := CreateUserWithLink(ctx, db, who, NewUser{Email: " Xa@Example.test ", Name: "Cán bộ xã", Role: RoleCommuneOfficial, UnitCode: "26506"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := UserByEmail(ctx, db, "xa@example.test")
		if err != nil || got.ID != u.ID || got.Role != RoleCommuneOfficial || got.UnitCode != "26506" || got.PasswordHash != "" {
			t.Errorf("stored %+v, %v; want the official of 26506 without a password", got, err)
		}
		if id, err := PasswordTokenUser(ctx, db, token); err != nil || id != u.ID {
			t.Errorf("the link opens user %d (%v), want %d", id, err, u.ID)
		}
		e := wantAudit(t, db, AuditUserCreated, who, "user", strconv.FormatInt(u.ID, 10))
		if e.New != "commune_official 26506" {
			t.Errorf("audited %q, want the role and unit", e.New)
		}
	})
}

// TestCreateUserWithLinkLeavesNothingOnFailure: when the link cannot be
// stored after the user row was written, the user row goes too, so the
// same command run again succeeds instead of finding the address taken.
func TestCreateUserWithLinkLeavesNothingOnFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		who := SystemActor("portal user create")
		in := NewUser{Email: "first-admin@example.test", Role: RoleAdmin}
		if _, err := db.ExecContext(ctx, "ALTER TABLE password_tokens RENAME TO password_tokens_away"); err != nil {
			t.Fatal(err)
		}
		_, _, err := CreateUserWithLink(ctx, db, who, in)
		var ve *ValidationError
		if err == nil || errors.As(err, &ve) {
			t.Fatalf("with no token table: %v, want a database error", err)
		}
		if n := rows(t, db, (*User)(nil)); n != 0 {
			t.Errorf("%d users left by the failed creation, want 0", n)
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d audit entries left by the failed creation, want 0", n)
		}
		if _, err := db.ExecContext(ctx, "ALTER TABLE password_tokens_away RENAME TO password_tokens"); err != nil {
			t.Fatal(err)
		}
		u, _, err := CreateUserWithLink(ctx, db, who, in)
		if err != nil {
			t.Fatalf("second try: %v, want the account created", err)
		}
		wantAudit(t, db, AuditUserCreated, who, "user", strconv.FormatInt(u.ID, 10))
	})
}
