package database_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestBusyIsWorded holds the write lock (SQLite) or an exclusive named
// lock (PostgreSQL) in one transaction while another asks for it: the
// second gives up after the wait with an error wrapping ErrBusy, which the
// server answers with a 503 in words rather than a 500. Shared holders of
// a PostgreSQL lock do not wait for each other.
func TestBusyIsWorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		held, release := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			first <- database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
				if err := database.LockTx(ctx, tx, "test.lock", false); err != nil {
					return err
				}
				// A write, so that SQLite's transaction holds its lock.
				if _, err := tx.NewRaw("UPDATE users SET name = name WHERE id = -1").Exec(ctx); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		select {
		case <-held:
		case err := <-first:
			t.Fatalf("first transaction: %v", err)
		}
		start := time.Now()
		err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
			if err := database.LockTx(ctx, tx, "test.lock", false); err != nil {
				return err
			}
			_, err := tx.NewRaw("UPDATE users SET name = name WHERE id = -2").Exec(ctx)
			return err
		})
		waited := time.Since(start)
		if !errors.Is(err, database.ErrBusy) || !database.Busy(err) {
			t.Errorf("second transaction while the lock is held: %v, want an error wrapping ErrBusy", err)
		}
		if waited < 4*time.Second {
			t.Errorf("gave up after %v, want a wait of about 5 s first", waited)
		}
		close(release)
		if err := <-first; err != nil {
			t.Fatalf("first transaction: %v", err)
		}
		if !database.IsPostgres(db) {
			return
		}
		// Two shared holders at once.
		err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
			if err := database.LockTx(ctx, tx, "test.lock", true); err != nil {
				return err
			}
			return database.InTx(ctx, db, func(ctx context.Context, tx2 bun.Tx) error {
				return database.LockTx(ctx, tx2, "test.lock", true)
			})
		})
		if err != nil {
			t.Errorf("two shared holders: %v", err)
		}
	})
}

// TestSessionTouchDoesNotWait: every request touches its session. On SQLite
// a write waits for the one write lock, which a unit import holds for many
// seconds; every signed-in page view, a GET included, then waited five
// seconds and failed with a 503. A touch is written at most once a minute,
// and one the database is too busy for is dropped; a change to the
// session's data is still written, or refused as busy.
func TestSessionTouchDoesNotWait(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		store := database.NewSessionStore(db)
		now := time.Now().Truncate(time.Second)
		data := []byte("the session")
		if err := store.CommitCtx(ctx, "tok", data, now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		expiry := func() time.Time {
			var e time.Time
			if err := db.NewRaw("SELECT expiry FROM sessions WHERE token = 'tok'").Scan(ctx, &e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		if err := store.CommitCtx(ctx, "tok", data, now.Add(30*time.Minute+10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := expiry(); !got.Equal(now.Add(30 * time.Minute)) {
			t.Errorf("a touch 10 s on was written: expiry %v", got)
		}
		if err := store.CommitCtx(ctx, "tok", data, now.Add(32*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := expiry(); !got.Equal(now.Add(32 * time.Minute)) {
			t.Errorf("a touch 2 minutes on was not written: expiry %v", got)
		}
		if database.IsPostgres(db) {
			return // rows, not the database, are locked there
		}
		held, release, first := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			first <- database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
				if _, err := tx.NewRaw("UPDATE users SET name = name WHERE id = -1").Exec(ctx); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		if err := store.CommitCtx(ctx, "tok", data, now.Add(32*time.Minute+30*time.Second)); err != nil {
			t.Errorf("a touch while an import writes: %v", err)
		}
		if err := store.CommitCtx(ctx, "tok", data, now.Add(40*time.Minute)); err != nil {
			t.Errorf("a touch the database is too busy for: %v, want it dropped", err)
		}
		if err := store.CommitCtx(ctx, "tok", []byte("signed in"), now.Add(40*time.Minute)); !errors.Is(err, database.ErrBusy) {
			t.Errorf("a change while the database is busy: %v, want ErrBusy", err)
		}
		close(release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
	})
}
