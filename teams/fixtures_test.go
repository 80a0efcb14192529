package teams

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
)

// testActor is the system actor the store tests make their fixtures as.
var testActor = accounts.Actor{System: "test"}

// mustTeam adds a team to unit, failing the test if it cannot.
func mustTeam(t *testing.T, db bun.IDB, unit, name, households string) *Team {
	t.Helper()
	team, err := Create(context.Background(), db, testActor, unit, Input{Name: name, Households: households})
	if err != nil {
		t.Fatal(err)
	}
	return team
}

// mustHelper invites a member to team by e-mail and returns them as the
// actor of their help-log entries.
func mustHelper(t *testing.T, db bun.IDB, team *Team, email string) accounts.Actor {
	t.Helper()
	ctx := context.Background()
	if _, err := Invite(ctx, db, testActor, team, email, ""); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.NewRaw("SELECT id FROM users WHERE email = ?", email).Scan(ctx, &id); err != nil {
		t.Fatal(err)
	}
	return accounts.Actor{UserID: id}
}
