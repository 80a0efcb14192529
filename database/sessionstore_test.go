package database_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestSessionStoreDeletedStaysDeleted checks the store's own promise: once
// deleted, a token's session is gone, and saving it again (what a request
// in flight does at its end) does not bring it back, on both databases.
func TestSessionStoreDeletedStaysDeleted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := database.NewSessionStore(db)
		exp := time.Now().Add(time.Hour)
		if err := st.CommitCtx(ctx, "tok", []byte("one"), exp); err != nil {
			t.Fatal(err)
		}
		if err := st.CommitCtx(ctx, "tok", []byte("two"), exp); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := st.FindCtx(ctx, "tok"); err != nil || !ok || string(got) != "two" {
			t.Fatalf("find after update = %q %v %v, want two", got, ok, err)
		}
		if err := st.DeleteCtx(ctx, "tok"); err != nil {
			t.Fatal(err)
		}
		if err := st.CommitCtx(ctx, "tok", []byte("three"), exp); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := st.FindCtx(ctx, "tok"); err != nil || ok {
			t.Fatalf("find after delete and save = %q %v %v, want nothing", got, ok, err)
		}
		// A token never seen that is deleted (scs deletes before renewing)
		// cannot be saved afterwards either.
		if err := st.DeleteCtx(ctx, "never"); err != nil {
			t.Fatal(err)
		}
		if err := st.CommitCtx(ctx, "never", []byte("x"), exp); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := st.FindCtx(ctx, "never"); ok {
			t.Fatal("a deleted unknown token was saved afterwards")
		}
		var data []byte
		if err := db.NewSelect().TableExpr("sessions").Column("data").Where("token = ?", "tok").Scan(ctx, &data); err != nil {
			t.Fatal(err)
		}
		if len(data) != 0 {
			t.Errorf("tombstone keeps %d bytes of the session", len(data))
		}
	})
}

// TestSessionSignOutDuringSlowRequest is the reported failure: a slow
// request (an 11 s import) holds the session while the same browser signs
// out; when the slow request ends, scs saves the session it loaded. The old
// cookie must stay signed out. The slow request is held on a channel, not a
// sleep, and runs through scs over the store as the portal configures it.
func TestSessionSignOutDuringSlowRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		sm := scs.New()
		sm.Store = database.NewSessionStore(db)
		sm.IdleTimeout = 30 * time.Minute // saves at the end of every request
		started, release := make(chan struct{}), make(chan struct{})
		mux := http.NewServeMux()
		mux.HandleFunc("/in", func(w http.ResponseWriter, r *http.Request) { sm.Put(r.Context(), "uid", int64(7)) })
		mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
			_ = sm.GetInt64(r.Context(), "uid")
			close(started)
			<-release
		})
		mux.HandleFunc("/out", func(w http.ResponseWriter, r *http.Request) {
			if err := sm.Destroy(r.Context()); err != nil {
				t.Error(err)
			}
			if err := sm.RenewToken(r.Context()); err != nil {
				t.Error(err)
			}
		})
		mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
			if sm.GetInt64(r.Context(), "uid") != 0 {
				w.Write([]byte("signed-in"))
			}
		})
		h := sm.LoadAndSave(mux)
		get := func(path string, c *http.Cookie) (*http.Cookie, string) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", path, nil)
			if c != nil {
				req.AddCookie(c)
			}
			h.ServeHTTP(rec, req)
			for _, k := range rec.Result().Cookies() {
				if k.Name == sm.Cookie.Name {
					return k, rec.Body.String()
				}
			}
			return nil, rec.Body.String()
		}
		old, _ := get("/in", nil)
		if old == nil {
			t.Fatal("no session cookie after sign-in")
		}
		if _, body := get("/who", old); body != "signed-in" {
			t.Fatalf("before sign-out: %q", body)
		}
		done := make(chan struct{})
		go func() { defer close(done); get("/slow", old) }()
		<-started
		get("/out", old)
		close(release)
		<-done
		if _, body := get("/who", old); body != "" {
			t.Fatal("the old cookie is signed in again after a request in flight during sign-out ended")
		}
	})
}
