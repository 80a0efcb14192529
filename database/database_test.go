package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestMigrateSameEffect checks that the migrations leave the same tables on
// both databases and that running them again applies nothing.
func TestMigrateSameEffect(t *testing.T) {
	tables := map[string][]string{}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		again, err := database.Migrate(ctx, db)
		if err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if len(again) != 0 {
			t.Errorf("second migrate applied %v, want nothing", again)
		}
		names, err := database.Tables(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		tables[t.Name()] = names
	})
	sq, pg := tables["TestMigrateSameEffect/sqlite"], tables["TestMigrateSameEffect/postgres"]
	if pg == nil {
		return // the PostgreSQL half was skipped and said why
	}
	if len(sq) == 0 || len(sq) != len(pg) {
		t.Fatalf("tables differ: sqlite %v, postgres %v", sq, pg)
	}
	for i := range sq {
		if sq[i] != pg[i] {
			t.Errorf("tables differ at %d: sqlite %q, postgres %q", i, sq[i], pg[i])
		}
	}
}

// TestTimesRoundTrip checks that an instant written in UTC comes back equal
// on both databases, which every expiry comparison relies on.
func TestTimesRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		want := time.Date(2026, 11, 26, 5, 4, 3, 0, time.UTC)
		if _, err := db.NewInsert().Model(&map[string]any{"token": "a", "data": []byte("x"), "expiry": want}).TableExpr("sessions").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.NewSelect().TableExpr("sessions").ColumnExpr("count(*)").Where("expiry > ?", want.Add(-time.Second)).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("rows with expiry after want-1s = %d, want 1", n)
		}
		var got time.Time
		if err := db.NewSelect().TableExpr("sessions").Column("expiry").Where("token = ?", "a").Scan(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("expiry = %v, want %v", got, want)
		}
	})
}

func TestOpenRejectsUnknownScheme(t *testing.T) {
	if _, err := database.Open(context.Background(), "mysql://x", t.TempDir()); err == nil {
		t.Error("Open(mysql://…) succeeded, want an error")
	}
}
