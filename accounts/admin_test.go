package accounts

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database"
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

func TestChangeRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		admin := mustUser(t, db, "admin@example.test", RoleAdmin, "")
		who := UserActor(admin, "192.0.2.11")
		u := mustUser(t, db, "lan@example.test", RoleResident, "")

		refused := []struct {
			name   string
			id     int64
			role   Role
			unit   string
			want   error
			fields []string
		}{
			{"own role", admin.ID, RoleResident, "", ErrOwnAccount, nil},
			{"unknown role", u.ID, "root", "", ErrInvalidRole, []string{"role"}},
			{"official without unit", u.ID, RoleCommuneOfficial, "", ErrUnitRequired, []string{"unit"}},
			{"unit too long", u.ID, RoleCommuneOfficial, strings.Repeat("2", 21), ErrInvalidUnit, []string{"unit"}},
			{"nobody", 99999, RoleBusiness, "", database.ErrNotFound, nil},
		}
		for _, c := range refused {
			err := ChangeRole(ctx, db, who, c.id, c.role, c.unit)
			if !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
			if c.fields != nil {
				wantProblems(t, err, c.fields...)
			}
		}
		if got, _ := UserByID(ctx, db, u.ID); got.Role != RoleResident {
			t.Errorf("refused changes left the role %s", got.Role)
		}
		if got, _ := UserByID(ctx, db, admin.ID); got.Role != RoleAdmin {
			t.Error("the admin changed their own role")
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d audit entries after refused changes, want 0", n)
		}

		if err := ChangeRole(ctx, db, who, u.ID, RoleCommuneOfficial, "26506"); err != nil {
			t.Fatal(err)
		}
		if got, _ := UserByID(ctx, db, u.ID); got.Role != RoleCommuneOfficial || got.UnitCode != "26506" {
			t.Errorf("after the change: %s %s, want commune_official 26506", got.Role, got.UnitCode)
		}
		e := wantAudit(t, db, AuditRoleChanged, who, "user", strconv.FormatInt(u.ID, 10))
		if e.Old != "resident " || e.New != "commune_official 26506" {
			t.Errorf("audited %q → %q, want the role and unit before and after", e.Old, e.New)
		}
	})
}

func TestSetDisabledAndResetTOTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		admin := mustUser(t, db, "admin@example.test", RoleAdmin, "")
		who := UserActor(admin, "192.0.2.12")
		u := mustUser(t, db, "xa@example.test", RoleCommuneOfficial, "26506")
		id := strconv.FormatInt(u.ID, 10)

		if err := SetDisabled(ctx, db, who, admin.ID, true); !errors.Is(err, ErrOwnAccount) {
			t.Errorf("disabling oneself: %v, want ErrOwnAccount", err)
		}
		if err := SetDisabled(ctx, db, who, 99999, true); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("disabling nobody: %v, want ErrNotFound", err)
		}
		if err := ResetTOTP(ctx, db, who, 99999); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("resetting nobody: %v, want ErrNotFound", err)
		}
		if got, _ := UserByID(ctx, db, admin.ID); got.Disabled {
			t.Error("the admin disabled themselves")
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d audit entries after refused changes, want 0", n)
		}

		if err := SetDisabled(ctx, db, who, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := UserByID(ctx, db, u.ID); !got.Disabled {
			t.Error("the user is not disabled")
		}
		wantAudit(t, db, AuditDisabled, who, "user", id)
		if err := SetDisabled(ctx, db, who, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := UserByID(ctx, db, u.ID); got.Disabled {
			t.Error("the user is still disabled")
		}
		wantAudit(t, db, AuditEnabled, who, "user", id)

		if _, err := enableTOTP(ctx, db, u.ID, "JBSWY3DPEHPK3PXP"); err != nil {
			t.Fatal(err)
		}
		if err := ResetTOTP(ctx, db, who, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := UserByID(ctx, db, u.ID); got.TOTPEnabled || got.TOTPSecret != "" {
			t.Error("the second factor is still on")
		}
		if n, _ := RecoveryCodesLeft(ctx, db, u.ID); n != 0 {
			t.Errorf("%d recovery codes left after the reset, want 0", n)
		}
		wantAudit(t, db, AuditTOTPReset, who, "user", id)
	})
}

func TestSetTOTPRequired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		admin := mustUser(t, db, "admin@example.test", RoleAdmin, "")
		who := UserActor(admin, "192.0.2.13")
		for _, roles := range [][]Role{{RoleResident}, {RoleAdmin, "root"}} {
			wantProblems(t, SetTOTPRequired(ctx, db, who, roles), "roles")
		}
		// A new portal asks a second factor of every admin and official.
		req, err := TOTPRequired(ctx, db)
		if err != nil || !req[RoleAdmin] || !req[RoleCommuneOfficial] || !req[RoleProvinceOfficial] || req[RoleResident] || req[RoleBusiness] {
			t.Errorf("after refused settings: %v, %v; want admins and officials required", req, err)
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d audit entries after refused settings, want 0", n)
		}
		if err := SetTOTPRequired(ctx, db, who, []Role{RoleAdmin, RoleCommuneOfficial}); err != nil {
			t.Fatal(err)
		}
		req, err = TOTPRequired(ctx, db)
		if err != nil || !req[RoleAdmin] || !req[RoleCommuneOfficial] || req[RoleProvinceOfficial] {
			t.Errorf("required roles %v, %v; want admin and commune official", req, err)
		}
		e := wantAudit(t, db, AuditSettingChanged, who, "setting", "totp_required_roles")
		if e.New != "commune_official,admin" {
			t.Errorf("audited %q, want the roles in their usual order", e.New)
		}
		// Relaxed to none, it stays none (an empty setting is not the
		// default), and that is audited too.
		if err := SetTOTPRequired(ctx, db, who, nil); err != nil {
			t.Fatal(err)
		}
		if req, err := TOTPRequired(ctx, db); err != nil || len(req) != 0 {
			t.Errorf("relaxed to none: %v, %v", req, err)
		}
		if n := rows(t, db, (*AuditEntry)(nil)); n != 2 {
			t.Errorf("%d audit entries after two changes, want 2", n)
		}
	})
}
