package indicators

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
)

// Who acts in the use-case tests: an admin from an address, and the
// command line.
var (
	testAdmin  = accounts.Actor{UserID: 1, Email: "admin@example.test", Role: accounts.RoleAdmin, IP: "192.0.2.10"}
	testSystem = accounts.SystemActor("portal units import")
)

// audits returns the audit entries with action, newest first.
func audits(t *testing.T, db bun.IDB, action string) []accounts.AuditEntry {
	t.Helper()
	got, err := accounts.ListAudit(context.Background(), db, accounts.AuditFilter{Action: action, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// wantAudit checks that there are n entries with action, the newest done
// by who to the object, and returns that one for further checks.
func wantAudit(t *testing.T, db bun.IDB, action string, n int, who accounts.Actor, objectType, objectID string) accounts.AuditEntry {
	t.Helper()
	got := audits(t, db, action)
	if len(got) != n {
		t.Fatalf("%d %s entries, want %d", len(got), action, n)
	}
	if n == 0 {
		return accounts.AuditEntry{}
	}
	e := got[0]
	email := who.Email
	if who.System != "" {
		email = who.System
	}
	if e.ActorID != who.UserID || e.ActorEmail != email || e.IP != who.IP {
		t.Errorf("%s by %d %q from %q, want %d %q from %q", action, e.ActorID, e.ActorEmail, e.IP, who.UserID, email, who.IP)
	}
	if e.ObjectType != objectType || e.ObjectID != objectID {
		t.Errorf("%s on %s %s, want %s %s", action, e.ObjectType, e.ObjectID, objectType, objectID)
	}
	return e
}

// wantProblems checks that err is an *accounts.ValidationError naming
// exactly the fields given, in order, each with the sentinel given after
// it: wantProblems(t, err, "year", ErrTargetYear, "value", ErrTargetValue).
func wantProblems(t *testing.T, err error, want ...any) {
	t.Helper()
	var ve *accounts.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T), want an *accounts.ValidationError on %v", err, err, want)
	}
	if len(ve.Problems)*2 != len(want) {
		t.Fatalf("problems %v, want %v", ve.Problems, want)
	}
	for i, p := range ve.Problems {
		if p.Field != want[2*i] || !errors.Is(p.Err, want[2*i+1].(error)) {
			t.Errorf("problem %d = %s: %v, want %s: %v", i, p.Field, p.Err, want[2*i], want[2*i+1])
		}
	}
}
