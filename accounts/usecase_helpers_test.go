package accounts

import (
	"context"
	"testing"

	"github.com/uptrace/bun"
)

// rows counts the rows of model's table, to show a refused input added
// nothing.
func rows(t *testing.T, db bun.IDB, model any) int {
	t.Helper()
	n, err := db.NewSelect().Model(model).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// audits returns the entries with action, newest first.
func audits(t *testing.T, db bun.IDB, action string) []AuditEntry {
	t.Helper()
	got, err := ListAudit(context.Background(), db, AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// wantAudit checks that exactly one entry with action exists, done by who
// to the object, and returns it for further checks.
func wantAudit(t *testing.T, db bun.IDB, action string, who Actor, objectType, objectID string) AuditEntry {
	t.Helper()
	got := audits(t, db, action)
	if len(got) != 1 {
		t.Fatalf("%d %s entries, want 1", len(got), action)
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

// wantProblems checks that err is a *ValidationError naming exactly the
// fields given, in order.
func wantProblems(t *testing.T, err error, fields ...string) {
	t.Helper()
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("error %v (%T), want a *ValidationError on %v", err, err, fields)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Field)
	}
	if len(got) != len(fields) {
		t.Fatalf("problems on %v, want %v", got, fields)
	}
	for i := range got {
		if got[i] != fields[i] {
			t.Errorf("problems on %v, want %v", got, fields)
		}
	}
}
