package server

import (
	"context"
	"testing"
	"time"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestMaintenanceRemovesExpired runs the periodic jobs once: an expired
// session goes, a live one stays, and no job fails on an empty portal.
func TestMaintenanceRemovesExpired(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	ctx := context.Background()
	store := database.NewSessionStore(db)
	now := time.Now()
	if err := store.CommitCtx(ctx, "old", []byte("x"), now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := store.CommitCtx(ctx, "live", []byte("x"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ts.srv.maintainOnce(ctx, now)
	var tokens []string
	if err := db.NewRaw("SELECT token FROM sessions ORDER BY token").Scan(ctx, &tokens); err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 1 || tokens[0] != "live" {
		t.Errorf("sessions after maintenance = %v, want [live]", tokens)
	}
}
