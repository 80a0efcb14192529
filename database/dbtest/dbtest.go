// Package dbtest runs store tests on both databases the portal supports:
// an SQLite file in a temporary directory and a fresh schema on PostgreSQL.
//
// PostgreSQL comes from PORTAL_TEST_DATABASE_URL, by default the local
// server. When it cannot be reached the PostgreSQL half fails under CI=true
// and is skipped, loudly, elsewhere.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"digiportal/database"
)

// DefaultPostgresURL is the local server the machines of this project run.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the server the PostgreSQL half of the tests use.
func PostgresURL() string {
	if u := os.Getenv("PORTAL_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Each runs fn as two subtests, "sqlite" and "postgres", each on a freshly
// migrated, empty database.
func Each(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated database in a temporary file, closed at cleanup.
func SQLite(t testing.TB) *bun.DB {
	t.Helper()
	db, err := database.OpenSQLite(filepath.Join(t.TempDir(), database.SQLiteFile))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

var reach struct {
	once sync.Once
	err  error
}

// Postgres returns a migrated database in a new schema of the test server;
// the schema is dropped at cleanup.
func Postgres(t testing.TB) *bun.DB {
	t.Helper()
	url := PostgresURL()
	reach.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		db := database.OpenPostgres(url)
		defer db.Close()
		reach.err = db.PingContext(ctx)
	})
	if reach.err != nil {
		msg := fmt.Sprintf("PostgreSQL at %s is unreachable: %v", url, reach.err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: a missing database is a failure)", msg)
		}
		t.Skipf("\n\n*** SKIPPING POSTGRESQL HALF: %s ***\n*** start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ***\n", msg)
	}
	schema := "t_" + randomHex(8)
	admin := database.OpenPostgres(url)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	db := database.OpenPostgres(url, pgdriver.WithConnParams(map[string]any{"search_path": schema}))
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	migrate(t, db)
	return db
}

func migrate(t testing.TB, db *bun.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := database.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
