package accounts

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

func mustUser(t *testing.T, db bun.IDB, email string, role Role, unit string) *User {
	t.Helper()
	u, err := CreateUser(context.Background(), db, NewUser{Email: email, Role: role, UnitCode: unit})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func TestUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, " Lan@Example.VN ", RoleResident, "ignored")
		if u.Email != "lan@example.vn" || u.UnitCode != "" || u.ID == 0 {
			t.Errorf("created %+v, want normalized e-mail, no unit, an id", u)
		}
		if _, err := CreateUser(ctx, db, NewUser{Email: "LAN@example.vn", Role: RoleBusiness}); !errors.Is(err, ErrEmailTaken) {
			t.Errorf("duplicate e-mail: %v, want ErrEmailTaken", err)
		}
		if _, err := CreateUser(ctx, db, NewUser{Email: "o@example.vn", Role: RoleCommuneOfficial}); !errors.Is(err, ErrUnitRequired) {
			t.Errorf("official without unit: %v, want ErrUnitRequired", err)
		}
		if _, err := CreateUser(ctx, db, NewUser{Email: "x@example.vn", Role: "root"}); !errors.Is(err, ErrInvalidRole) {
			t.Errorf("bad role: %v, want ErrInvalidRole", err)
		}
		if _, err := UserByEmail(ctx, db, "nobody@example.vn"); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("UserByEmail(unknown) = %v, want ErrNotFound", err)
		}
		got, err := UserByEmail(ctx, db, "LAN@EXAMPLE.VN")
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByEmail = %v, %v", got, err)
		}
		authAt := time.Now().UTC()
		if !got.SessionValid(authAt) {
			t.Error("a session begun now is not valid")
		}
		time.Sleep(2 * time.Millisecond) // the new password must postdate the session
		if err := setPasswordHash(ctx, db, u.ID, "$argon2id$x"); err != nil {
			t.Fatal(err)
		}
		got, _ = UserByID(ctx, db, u.ID)
		if got.SessionValid(authAt) {
			t.Error("a session begun before the password change is still valid")
		}
		if !got.SessionValid(time.Now().UTC()) {
			t.Error("a session begun after the password change is not valid")
		}
		if err := setDisabled(ctx, db, u.ID, true); err != nil {
			t.Fatal(err)
		}
		got, _ = UserByID(ctx, db, u.ID)
		if !got.Disabled || got.SessionValid(time.Now().UTC().Add(time.Hour)) {
			t.Error("a disabled user's session is valid")
		}
		if err := setRole(ctx, db, u.ID, RoleCommuneOfficial, "26734"); err != nil {
			t.Fatal(err)
		}
		got, _ = UserByID(ctx, db, u.ID)
		if got.Role != RoleCommuneOfficial || got.UnitCode != "26734" {
			t.Errorf("after setRole: %s %s", got.Role, got.UnitCode)
		}
		list, err := ListUsers(ctx, db, UserFilter{Query: "lan@"})
		if err != nil || len(list) != 1 {
			t.Errorf("ListUsers(lan@) = %d users, %v; want 1", len(list), err)
		}
		if err := setDisabled(ctx, db, 99999, true); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("setDisabled(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
		th := &Throttle{Free: 3, Base: 30 * time.Second, Max: 2 * time.Minute, Window: time.Hour, nowFunc: func() time.Time { return now }}
		wants := []time.Duration{0, 0, 0, 30 * time.Second, time.Minute, 2 * time.Minute, 2 * time.Minute}
		for i, want := range wants {
			got, err := th.Fail(ctx, db, "acct:a")
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("failure %d: wait %v, want %v", i+1, got, want)
			}
		}
		if w, _ := th.Wait(ctx, db, "acct:a"); w != 2*time.Minute {
			t.Errorf("Wait = %v, want 2m", w)
		}
		if w, _ := th.Wait(ctx, db, "acct:b"); w != 0 {
			t.Errorf("another key waits %v, want 0", w)
		}
		now = now.Add(3 * time.Minute)
		if w, _ := th.Wait(ctx, db, "acct:a"); w != 0 {
			t.Errorf("after the wait: %v, want 0 (no hard lockout)", w)
		}
		now = now.Add(2 * time.Hour)
		if w, _ := th.Fail(ctx, db, "acct:a"); w != 0 {
			t.Errorf("after the window the count restarts, got wait %v", w)
		}
		if err := th.Reset(ctx, db, "acct:a"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSignInThrottlesOneAccountOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(2))
		hash, _ := a.Passwords.Hash(ctx, "mật khẩu đúng rồi")
		for _, e := range []string{"a@example.vn", "b@example.vn"} {
			u := mustUser(t, db, e, RoleResident, "")
			if err := setPasswordHash(ctx, db, u.ID, hash); err != nil {
				t.Fatal(err)
			}
		}
		var throttled int
		for i := range 8 {
			_, err := a.SignIn(ctx, db, "a@example.vn", "sai mật khẩu "+strconv.Itoa(i), "198.51.100.7")
			var te *ThrottledError
			switch {
			case errors.As(err, &te):
				throttled++
			case !errors.Is(err, ErrBadCredentials):
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if throttled < 3 {
			t.Errorf("%d of 8 bad attempts throttled, want at least 3", throttled)
		}
		// The right password for the throttled account is refused too…
		if _, err := a.SignIn(ctx, db, "a@example.vn", "mật khẩu đúng rồi", "198.51.100.7"); err == nil {
			t.Error("throttled account signed in")
		}
		// …while another account from the same address still signs in.
		if u, err := a.SignIn(ctx, db, "b@example.vn", "mật khẩu đúng rồi", "198.51.100.7"); err != nil || u.Email != "b@example.vn" {
			t.Errorf("other account: %v, %v", u, err)
		}
		// An unknown e-mail gets the same answer as a wrong password.
		if _, err := a.SignIn(ctx, db, "nobody@example.vn", "whatever-long", "203.0.113.9"); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("unknown e-mail: %v, want ErrBadCredentials", err)
		}
		entries, _ := ListAudit(ctx, db, AuditFilter{Action: AuditSignInFailed})
		if len(entries) < 5 {
			t.Errorf("%d failed sign-ins audited, want at least 5", len(entries))
		}
	})
}

func TestTokensTOTPConsentDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "can-bo@example.vn", RoleProvinceOfficial, "77")

		tok, err := NewPasswordToken(ctx, db, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := UsePasswordToken(ctx, db, tok); err != nil || id != u.ID {
			t.Fatalf("UsePasswordToken = %d, %v", id, err)
		}
		if _, err := UsePasswordToken(ctx, db, tok); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("second use = %v, want ErrTokenInvalid", err)
		}

		enr, err := NewTOTP("digiportal", u.Email)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(enr.Secret, time.Now())
		if !ValidTOTP(enr.Secret, code, time.Now()) {
			t.Error("a fresh code is refused")
		}
		if ValidTOTP(enr.Secret, code, time.Now().Add(5*time.Minute)) {
			t.Error("a five-minute-old code is accepted")
		}
		codes, err := enableTOTP(ctx, db, u.ID, enr.Secret)
		if err != nil || len(codes) != RecoveryCodeCount {
			t.Fatalf("enableTOTP: %d codes, %v", len(codes), err)
		}
		if ok, _ := UseRecoveryCode(ctx, db, u.ID, codes[0]); !ok {
			t.Error("a recovery code is refused")
		}
		if ok, _ := UseRecoveryCode(ctx, db, u.ID, codes[0]); ok {
			t.Error("a recovery code worked twice")
		}
		if n, _ := RecoveryCodesLeft(ctx, db, u.ID); n != RecoveryCodeCount-1 {
			t.Errorf("codes left = %d", n)
		}

		if err := GrantConsent(ctx, db, u.ID, "progress"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := HasConsent(ctx, db, u.ID, "progress"); !ok {
			t.Error("consent not recorded")
		}
		if err := WithdrawConsent(ctx, db, u.ID, "progress"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := HasConsent(ctx, db, u.ID, "progress"); ok {
			t.Error("withdrawn consent still holds")
		}

		if err := RecordAudit(ctx, db, AuditEntry{ActorID: u.ID, ActorEmail: u.Email, Action: AuditSignIn, IP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
		x, err := ExportUser(ctx, db, UserActor(u, "192.0.2.1"), nil)
		if err != nil || x.Account.Email != u.Email || len(x.Consents) != 1 || len(x.Activity) != 1 {
			t.Fatalf("ExportUser = %+v, %v", x, err)
		}
		if err := DeleteUser(ctx, db, u.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := UserByID(ctx, db, u.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("deleted user still found: %v", err)
		}
		entries, _ := ListAudit(ctx, db, AuditFilter{ActorID: u.ID})
		for _, e := range entries {
			if e.ActorEmail == u.Email || e.IP != "" {
				t.Errorf("audit entry keeps personal data after deletion: %+v", e)
			}
		}
	})
}

type fakeUnits map[string]string // unit → parent

func (f fakeUnits) Within(_ context.Context, unit, scope string) (bool, error) {
	for u := unit; u != ""; u = f[u] {
		if u == scope {
			return true, nil
		}
	}
	return false, nil
}

// VersionWithin reads a version id as the code it has in the fake.
func (f fakeUnits) VersionWithin(ctx context.Context, version int64, scope string) (bool, error) {
	return f.Within(ctx, strconv.FormatInt(version, 10), scope)
}

// TestAllowMatrix checks every action × role × inside/outside scope.
func TestAllowMatrix(t *testing.T) {
	units := fakeUnits{"26734": "750", "26737": "750", "750": "77", "77": "", "79": ""}
	a := NewAccess(units)
	users := map[Role]*User{
		RoleResident:         {ID: 1, Role: RoleResident},
		RoleBusiness:         {ID: 2, Role: RoleBusiness},
		RoleCommuneOfficial:  {ID: 3, Role: RoleCommuneOfficial, UnitCode: "26734"},
		RoleProvinceOfficial: {ID: 4, Role: RoleProvinceOfficial, UnitCode: "77"},
		RoleAdmin:            {ID: 5, Role: RoleAdmin},
		RoleHelper:           {ID: 6, Role: RoleHelper, UnitCode: "26734"},
	}
	ctx := context.Background()
	for _, act := range Actions() {
		for _, role := range Roles() {
			allowed := false
			for _, r := range policy[act] {
				allowed = allowed || r == role
			}
			u := users[role]
			err := a.Allow(ctx, u, act, Object{})
			if (err == nil) != allowed {
				t.Errorf("%s %s without object: %v, want allowed=%v", role, act, err, allowed)
			}
			if !allowed {
				continue
			}
			inside := a.Allow(ctx, u, act, Object{Unit: "26734"})
			outside := a.Allow(ctx, u, act, Object{Unit: "79"})
			if inside != nil {
				t.Errorf("%s %s inside scope: %v", role, act, inside)
			}
			if role.Official() && !errors.Is(outside, ErrOutOfScope) {
				t.Errorf("%s %s outside scope: %v, want ErrOutOfScope", role, act, outside)
			}
		}
	}
	// A team member, and nobody else, helps residents into their
	// accounts in person: not even an official or an admin, who have
	// their own ways.
	for _, role := range Roles() {
		if err := a.Allow(ctx, users[role], ActTeamsAssist, Object{}); (err == nil) != (role == RoleHelper) {
			t.Errorf("%s helping a resident into an account: %v", role, err)
		}
	}
	if err := a.Allow(ctx, nil, ActAccountSelf, Object{}); !errors.Is(err, ErrSignInRequired) {
		t.Errorf("nobody: %v", err)
	}
	commune := users[RoleCommuneOfficial]
	if err := a.Allow(ctx, commune, ActIndicatorsEnter, Object{Unit: "26737"}); !errors.Is(err, ErrOutOfScope) {
		t.Errorf("commune official in a sibling commune: %v, want ErrOutOfScope", err)
	}
	if err := a.Allow(ctx, users[RoleResident], ActAccountSelf, Object{OwnerID: 2}); !errors.Is(err, ErrOutOfScope) {
		t.Errorf("resident acting on another's object: %v", err)
	}
	// The teams' report: commune and province officials, each inside their
	// own unit; a province official reads any commune of the province.
	for role, want := range map[Role]bool{RoleCommuneOfficial: true, RoleProvinceOfficial: true, RoleHelper: false, RoleResident: false, RoleBusiness: false, RoleAdmin: false} {
		if err := a.Allow(ctx, users[role], ActTeamsReport, Object{}); (err == nil) != want {
			t.Errorf("%s %s: %v, want allowed=%v", role, ActTeamsReport, err, want)
		}
	}
	if err := a.Allow(ctx, users[RoleProvinceOfficial], ActTeamsReport, Object{Unit: "26737"}); err != nil {
		t.Errorf("province official on a commune of the province's report: %v", err)
	}
	if err := a.Allow(ctx, commune, ActTeamsReport, Object{Unit: "26737"}); !errors.Is(err, ErrOutOfScope) {
		t.Errorf("commune official on a sibling commune's report: %v, want ErrOutOfScope", err)
	}
	if err := a.Allow(ctx, &User{Role: RoleAdmin, Disabled: true}, ActAdminUsers, Object{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("disabled admin: %v", err)
	}
}

// TestSimultaneousGuessesCounted: a burst of guesses sent at the same moment
// gets no more password checks than the free tries, because each try is
// counted under a lock before its password is looked at.
func TestSimultaneousGuessesCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(4))
		hash, _ := a.Passwords.Hash(ctx, "mật khẩu đúng rồi")
		u := mustUser(t, db, "burst@example.vn", RoleResident, "")
		if err := setPasswordHash(ctx, db, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		const n = 30
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, err := a.SignIn(ctx, db, "burst@example.vn", "đoán "+strconv.Itoa(i), "192.0.2."+strconv.Itoa(i))
				errs <- err
			}()
		}
		bad := 0
		for range n {
			err := <-errs
			var te *ThrottledError
			switch {
			case errors.Is(err, ErrBadCredentials):
				bad++
			case errors.As(err, &te):
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		if free := a.PerAccount.Free; bad > free {
			t.Errorf("%d of %d simultaneous guesses were answered as plain wrong passwords, want at most %d", bad, n, free)
		}
	})
}

// TestTOTPCodeWorksOnce: an accepted code cannot be used again, while the
// next step's code still works.
func TestTOTPCodeWorksOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "once@example.vn", RoleAdmin, "")
		enr, err := NewTOTP("digiportal", u.Email)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := enableTOTP(ctx, db, u.ID, enr.Secret); err != nil {
			t.Fatal(err)
		}
		u, _ = UserByID(ctx, db, u.ID)
		at := time.Now()
		code, _ := totp.GenerateCode(enr.Secret, at)
		if ok, err := UseTOTP(ctx, db, u, code, at); err != nil || !ok {
			t.Fatalf("first use = %v, %v", ok, err)
		}
		if ok, _ := UseTOTP(ctx, db, u, code, at); ok {
			t.Error("the same code worked twice")
		}
		next := at.Add(30 * time.Second)
		code2, _ := totp.GenerateCode(enr.Secret, next)
		if ok, _ := UseTOTP(ctx, db, u, code2, next); !ok {
			t.Error("the next step's code was refused")
		}
		if ok, _ := UseTOTP(ctx, db, u, "12345", at); ok {
			t.Error("a five-digit code was accepted")
		}
	})
}

// TestAddressHasOneSpelling: an address typed with decomposed accents (as
// some keyboards send Vietnamese) is the same account as the composed one,
// for sign-up, sign-in and the sign-in limit; lookalike and invisible
// characters are refused rather than making a second account that reads
// the same.
func TestAddressHasOneSpelling(t *testing.T) {
	const composed, decomposed = "l\u00e2n@example.vn", "la\u0302n@example.vn"
	for _, c := range []struct{ in, want string }{
		{decomposed, composed},
		{" L\u00c2N@EXAMPLE.VN ", composed},
		{"lan@example.vn\u200b", ""},          // zero-width space
		{"\uff4c\uff41\uff4e@example.vn", ""}, // full-width "lan"
		{"lan@exam\u00adple.vn", ""},          // soft hyphen
	} {
		got, err := NormalizeEmail(c.in)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("NormalizeEmail(%+q) = %+q, %v; want %+q", c.in, got, err, c.want)
		}
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(2))
		u := mustUser(t, db, composed, RoleResident, "")
		hash, _ := a.Passwords.Hash(ctx, "mật khẩu đúng rồi")
		if err := setPasswordHash(ctx, db, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		if _, err := CreateUser(ctx, db, NewUser{Email: decomposed, Role: RoleResident}); !errors.Is(err, ErrEmailTaken) {
			t.Errorf("a second account with the decomposed spelling: %v, want ErrEmailTaken", err)
		}
		if got, err := a.SignIn(ctx, db, decomposed, "mật khẩu đúng rồi", "198.51.100.8"); err != nil || got.ID != u.ID {
			t.Fatalf("sign-in with the decomposed spelling: %v, %v", got, err)
		}
		var throttled bool
		for i := range 8 {
			login := composed
			if i%2 == 1 {
				login = decomposed
			}
			_, err := a.SignIn(ctx, db, login, "sai mật khẩu "+strconv.Itoa(i), "198.51.100.8")
			var te *ThrottledError
			throttled = throttled || errors.As(err, &te)
		}
		if _, err := a.SignIn(ctx, db, decomposed, "mật khẩu đúng rồi", "198.51.100.8"); err == nil || !throttled {
			t.Error("guesses alternating two spellings of one address are not counted together")
		}
	})
}

// FuzzNormalizeEmail: whatever is typed, an accepted address is its own
// one spelling (normalising it again changes nothing) and holds nothing
// invisible.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"lân@example.vn", "la\u0302n@example.vn", " A@B.VN ", "a@[127.0.0.1]", "lan@example.vn\u200b", "\"a\"@b.vn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeEmail(in)
		if err != nil {
			return
		}
		if again, err := NormalizeEmail(out); err != nil || again != out {
			t.Errorf("NormalizeEmail(%+q) = %+q, then %+q, %v", in, out, again, err)
		}
		if strings.ContainsFunc(out, func(r rune) bool { return !unicode.IsGraphic(r) || unicode.IsSpace(r) }) {
			t.Errorf("NormalizeEmail(%+q) = %+q holds an invisible character", in, out)
		}
	})
}
