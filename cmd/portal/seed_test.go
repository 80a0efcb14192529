package main

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestSeedDemoTwice runs the README's `portal seed --demo` twice on each
// database: both runs succeed and print every demo account with a
// password; the second run's passwords are new, sign in, and end what the
// first run's passwords and sessions allowed.
func TestSeedDemoTwice(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		testSeedDemoTwice(t, map[string]string{"PORTAL_DATA_DIR": dir}, func(t *testing.T) *bun.DB {
			db, err := database.Open(context.Background(), "", dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		db := dbtest.Postgres(t)
		var schema string
		if err := db.NewRaw("SELECT current_schema()").Scan(context.Background(), &schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(dbtest.PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		testSeedDemoTwice(t, map[string]string{"DATABASE_URL": u.String(), "PORTAL_DATA_DIR": t.TempDir()},
			func(*testing.T) *bun.DB { return db })
	})
}

func testSeedDemoTwice(t *testing.T, vars map[string]string, open func(*testing.T) *bun.DB) {
	ctx := context.Background()
	lastSecrets := map[string]string{}
	seed := func(n int) map[string]string {
		var out, errOut bytes.Buffer
		if code := run(ctx, []string{"seed", "--demo"}, envOf(vars), &out, &errOut); code != 0 {
			t.Fatalf("run %d: exit %d, want 0\n%s", n, code, errOut.String())
		}
		passwords := printedPasswords(t, out.String())
		if len(passwords) != 5 {
			t.Fatalf("run %d printed %d demo accounts, want 5:\n%s", n, len(passwords), out.String())
		}
		if got := strings.Count(errOut.String(), `"password":`); got != 5 {
			t.Errorf("run %d logged %d passwords, want 5:\n%s", n, got, errOut.String())
		}
		// The admin and the two officials must use a second factor: their
		// secrets are logged and printed beside their passwords.
		if got := strings.Count(errOut.String(), `"totp_secret":`); got != 3 {
			t.Errorf("run %d logged %d second-factor secrets, want 3:\n%s", n, got, errOut.String())
		}
		for email, secret := range printedSecrets(t, out.String()) {
			code, err := totp.GenerateCode(secret, time.Now())
			if err != nil || !accounts.ValidTOTP(secret, code, time.Now()) {
				t.Errorf("run %d: %s's printed secret %q gives no valid code (%v)", n, email, secret, err)
			}
			lastSecrets[email] = secret
		}
		if len(lastSecrets) != 3 {
			t.Errorf("run %d printed %d second-factor secrets, want 3:\n%s", n, len(lastSecrets), out.String())
		}
		return passwords
	}
	first := seed(1)
	beforeReset := time.Now().UTC()
	second := seed(2)

	db := open(t)
	p := accounts.NewPasswords(1)
	for email, pw := range second {
		if pw == first[email] {
			t.Errorf("%s: the second run printed the first run's password again", email)
		}
		u, err := accounts.UserByEmail(ctx, db, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if ok, err := p.Verify(ctx, pw, u.PasswordHash); !ok || err != nil {
			t.Errorf("%s: the printed password does not sign in (%v)", email, err)
		}
		if ok, _ := p.Verify(ctx, first[email], u.PasswordHash); ok {
			t.Errorf("%s: the first run's password still signs in", email)
		}
		if want := lastSecrets[email]; u.Role.Privileged() != (want != "") || u.TOTPEnabled != u.Role.Privileged() || u.TOTPSecret != want {
			t.Errorf("%s (%s): second factor on %v with the printed secret %v", email, u.Role, u.TOTPEnabled, u.TOTPSecret == want)
		}
		if u.SessionValid(beforeReset) {
			t.Errorf("%s: a session begun before the reset is still valid", email)
		}
	}
	resets, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditPasswordSet})
	if err != nil {
		t.Fatal(err)
	}
	if len(resets) != 5 || resets[0].ActorEmail != "portal seed --demo" {
		t.Errorf("audit log holds %d password resets (%+v), want 5 by portal seed --demo", len(resets), resets)
	}
}

// printedPasswords reads the table `portal seed --demo` prints: e-mail →
// password, from the rows under the ROLE EMAIL UNIT PASSWORD TOTP heading.
func printedPasswords(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	rows := false
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 5 && f[0] == "ROLE":
			rows = true
		case rows && len(f) == 5:
			got[f[1]] = f[3]
		}
	}
	return got
}

// printedSecrets reads the second-factor secrets from the same table:
// e-mail → secret, for the accounts that have one.
func printedSecrets(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	rows := false
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 5 && f[0] == "ROLE":
			rows = true
		case rows && len(f) == 5 && f[4] != "-":
			got[f[1]] = f[4]
		}
	}
	return got
}

func TestSeedWithoutDemoIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"seed"}, {"seed", "--demo=false"}, {"seed", "--demo", "extra"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, envOf(map[string]string{"PORTAL_DATA_DIR": t.TempDir()}), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "usage: portal seed --demo") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the usage line", args, code, errOut.String())
		}
	}
}

// TestDemoFlag checks the one -demo flag that serve and seed share: alone
// it means true, as `portal seed --demo` writes it, and it overrides
// PORTAL_DEMO; unset, it leaves the choice to the kind of database.
func TestDemoFlag(t *testing.T) {
	tests := []struct {
		env  string
		args []string
		want string
	}{
		{"", nil, "unset"},
		{"", []string{"--demo"}, "true"},
		{"", []string{"-demo=false"}, "false"},
		{"false", []string{"--demo"}, "true"},
		{"true", nil, "true"},
		{"false", nil, "false"},
	}
	for _, tt := range tests {
		c, _, err := loadConfig(envOf(map[string]string{"PORTAL_DEMO": tt.env}), tt.args, nil)
		if err != nil {
			t.Fatalf("PORTAL_DEMO=%q %q: %v", tt.env, tt.args, err)
		}
		got := "unset"
		if c.Demo != nil {
			got = strconv.FormatBool(*c.Demo)
		}
		if got != tt.want {
			t.Errorf("PORTAL_DEMO=%q %q: demo %s, want %s", tt.env, tt.args, got, tt.want)
		}
	}
}
