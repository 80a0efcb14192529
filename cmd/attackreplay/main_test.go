package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/payments/stripemock"
	"digiportal/server"
)

// replayPassword is the password of the accounts the test makes.
const replayPassword = "một câu dài để thử lại các cuộc tấn công"

// replayUser makes an account with replayPassword and, for admins and
// officials, an enrolled second factor, and sets the replay's environment
// variables (prefix_EMAIL, _PASSWORD, _TOTP) to it.
func replayUser(t *testing.T, db *bun.DB, prefix, email string, role accounts.Role, unit string) {
	t.Helper()
	ctx := context.Background()
	hash, err := accounts.NewPasswords(1).Hash(ctx, replayPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: email, Role: role, UnitCode: unit, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := accounts.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	// Enrolled with the code of the step before, so that the replay's
	// sign-in, with this step's code, is not a replayed code.
	code, err := totp.GenerateCode(secret, time.Now().Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.EnableTOTP(ctx, db, accounts.UserActor(u, ""), secret, code); err != nil {
		t.Fatal(err)
	}
	t.Setenv(prefix+"_EMAIL", email)
	t.Setenv(prefix+"_PASSWORD", replayPassword)
	t.Setenv(prefix+"_TOTP", secret)
}

// replayPortal is the portal in this process, on 127.0.0.1, as cmd/portal
// starts it with STRIPE_SECRET_KEY, STRIPE_API_BASE (stripe-mock) and
// STRIPE_WEBHOOK_SECRET set, over the demo's units and figures.
func replayPortal(t *testing.T, db *bun.DB) string {
	t.Helper()
	ctx := context.Background()
	if err := indicators.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.NewBundle()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	hs.Start()
	t.Cleanup(hs.Close)
	base, _ := url.Parse(hs.URL)
	srv, err := server.New(server.Deps{
		Config: server.Config{BaseURL: base, StripeSecretKey: stripemock.TestKey, StripeAPIBase: stripemock.URL(t),
			StripeWebhookSecret: stripemock.WebhookSecret, Payments: "stripe"},
		DB: db, Bundle: bundle,
		Logger: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = srv
	return hs.URL
}

// TestReplayShowsTheFixes runs the replay of items 4–7 against the portal
// and checks that each attack reports the fixed behaviour: few checked
// files kept, the oldest dropped; one call to Stripe for a hundred views;
// a flood of payments refused with 429 past thirty; a webhook from the
// future refused and one a minute ahead accepted; formula cells
// neutralised in the CSV.
func TestReplayShowsTheFixes(t *testing.T) {
	db := dbtest.SQLite(t)
	base := replayPortal(t, db)
	replayUser(t, db, "ATTACKREPLAY_OFFICIAL", "replay.commune@example.test", accounts.RoleCommuneOfficial, "26536")
	replayUser(t, db, "ATTACKREPLAY_ADMIN", "replay.admin@example.test", accounts.RoleAdmin, "")

	var out, errOut bytes.Buffer
	code := run([]string{"-base", base, "-webhook-secret", stripemock.WebhookSecret, "-only", "uploads,stripe,webhook,csv"}, &out, &errOut)
	t.Logf("replay:\n%s%s", out.String(), errOut.String())
	if code != 0 {
		t.Fatalf("the replay exited %d", code)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if name, said, ok := strings.Cut(line, "|"); ok {
			rows[strings.TrimSpace(name)] = strings.TrimSpace(said)
		}
	}
	number := func(row, pattern string) int {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(rows[row])
		if m == nil {
			t.Fatalf("%s says %q, which lacks %s", row, rows[row], pattern)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if n := number("uploads", `keeps (\d+) checked files`); n != indicators.MaxPendingUploads {
		t.Errorf("uploads: the portal keeps %d checked files, want %d", n, indicators.MaxPendingUploads)
	}
	if !strings.Contains(rows["uploads"], "the first checked file was dropped") {
		t.Errorf("uploads: %q, want the first file dropped", rows["uploads"])
	}
	if ok, calls := number("stripe-views", `(\d+) answered 200`), number("stripe-views", `made (\d+) calls? to Stripe`); ok != stripeViews || calls > 1 {
		t.Errorf("stripe-views: %d answered, %d calls to Stripe; want %d answered and at most 1 call", ok, calls, stripeViews)
	}
	if created, refused := number("stripe-flood", `(\d+) created`), number("stripe-flood", `(\d+) refused with 429; checkout`); created > 30 || created+refused != stripeFlood {
		t.Errorf("stripe-flood: %d created, %d refused; want at most 30 created and the rest refused", created, refused)
	}
	if !strings.Contains(rows["webhook-future"], "+10 min: refused (400); dated +1 min: 200") {
		t.Errorf("webhook-future: %q, want +10 min refused and +1 min accepted", rows["webhook-future"])
	}
	if n := strings.Count(rows["csv-formula"], "neutralised"); n != 4 {
		t.Errorf("csv-formula: %q, want all four leads neutralised", rows["csv-formula"])
	}
}

// TestReplayRefusesOtherMachines: the attacks run only against this
// machine, and a filter that names no attack is an error.
func TestReplayRefusesOtherMachines(t *testing.T) {
	for _, base := range []string{"http://example.org", "http://10.0.0.1:8080", "ftp://127.0.0.1", "http://127.0.0.1:8080/vi/", "127.0.0.1:8080"} {
		var out, errOut bytes.Buffer
		if code := run([]string{"-base", base}, &out, &errOut); code != 2 || out.Len() != 0 {
			t.Errorf("-base %s: exit %d, output %q; want 2 and no attack run", base, code, out.String())
		}
	}
	for _, base := range []string{"http://127.0.0.1:8080", "http://localhost:8080/", "http://[::1]:8080"} {
		if _, err := checkBase(base); err != nil {
			t.Errorf("checkBase(%s): %v, want it accepted", base, err)
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-base", "http://127.0.0.1:1", "-only", "no-such-attack"}, &out, &errOut); code != 2 {
		t.Errorf("-only naming no attack: exit %d, want 2", code)
	}
}
