package database_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// sessionQueries counts the statements that name the sessions table.
type sessionQueries struct{ n atomic.Int64 }

func (q *sessionQueries) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.Contains(e.Query, "sessions") {
		q.n.Add(1)
	}
	return ctx
}

func (q *sessionQueries) AfterQuery(context.Context, *bun.QueryEvent) {}

// TestSessionTouchReadsNothing: a request reads its session once; the
// touch at its end, for data the store just read and within a minute of
// the expiry it read, costs no statement at all. A change, a touch a
// minute on, and a touch after the session ended are still decided by the
// row, and an ended session stays ended.
func TestSessionTouchReadsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		q := &sessionQueries{}
		db = db.WithQueryHook(q)
		now := time.Now().Truncate(time.Second)
		data := []byte("the session")
		if err := database.NewSessionStore(db).CommitCtx(ctx, "tok", data, now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		store := database.NewSessionStore(db) // another instance, or a restart
		statements := func(what string, want int64, f func() error) {
			t.Helper()
			before := q.n.Load()
			if err := f(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if got := q.n.Load() - before; got != want {
				t.Errorf("%s: %d statements on sessions, want %d", what, got, want)
			}
		}
		statements("find", 1, func() error { _, _, err := store.FindCtx(ctx, "tok"); return err })
		statements("touch 10 s on", 0, func() error { return store.CommitCtx(ctx, "tok", data, now.Add(30*time.Minute+10*time.Second)) })
		statements("touch 2 minutes on", 2, func() error { return store.CommitCtx(ctx, "tok", data, now.Add(32*time.Minute)) })
		statements("touch after that write", 0, func() error { return store.CommitCtx(ctx, "tok", data, now.Add(32*time.Minute+20*time.Second)) })
		statements("a change", 2, func() error {
			return store.CommitCtx(ctx, "tok", []byte("signed in"), now.Add(32*time.Minute+20*time.Second))
		})
		var expiry time.Time
		if err := db.NewRaw("SELECT expiry FROM sessions WHERE token = 'tok'").Scan(ctx, &expiry); err != nil {
			t.Fatal(err)
		}
		if !expiry.Equal(now.Add(32*time.Minute + 20*time.Second)) {
			t.Errorf("expiry %v after the change", expiry)
		}
		// Ended elsewhere: this store's memory does not bring it back.
		if err := database.NewSessionStore(db).DeleteCtx(ctx, "tok"); err != nil {
			t.Fatal(err)
		}
		statements("a change after the end", 1, func() error { return store.CommitCtx(ctx, "tok", []byte("again"), now.Add(40*time.Minute)) })
		if _, found, err := store.FindCtx(ctx, "tok"); err != nil || found {
			t.Errorf("ended session found again: %v %v", found, err)
		}
		// Ended here: forgotten, and still ended.
		if err := store.CommitCtx(ctx, "tok2", data, now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := store.DeleteCtx(ctx, "tok2"); err != nil {
			t.Fatal(err)
		}
		statements("a touch after sign-out", 1, func() error { return store.CommitCtx(ctx, "tok2", data, now.Add(30*time.Minute)) })
		if _, found, _ := store.FindCtx(ctx, "tok2"); found {
			t.Error("a signed-out session came back")
		}
	})
}
