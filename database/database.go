package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// ErrNotFound is returned by store functions when the asked-for row does not
// exist. Stores never answer "nil, nil".
var ErrNotFound = errors.New("not found")

// SQLiteFile is the name of the embedded database inside the data directory.
const SQLiteFile = "portal.db"

// busyTimeout is how long an SQLite writer waits for the lock before failing.
const busyTimeout = 5 * time.Second

// Open connects to the database named by rawURL. An empty rawURL opens (and
// creates) the embedded SQLite file in dataDir. It pings before returning.
func Open(ctx context.Context, rawURL, dataDir string) (*bun.DB, error) {
	var db *bun.DB
	switch {
	case rawURL == "":
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("database.Open: data directory: %w", err)
		}
		var err error
		db, err = OpenSQLite(filepath.Join(dataDir, SQLiteFile))
		if err != nil {
			return nil, err
		}
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		db = OpenPostgres(rawURL)
	default:
		return nil, fmt.Errorf("database.Open: unsupported URL scheme (want postgres:// or unset)")
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database.Open: ping: %w", err)
	}
	return db, nil
}

// OpenPostgres returns a PostgreSQL handle for dsn. Extra connection
// parameters (such as search_path in tests) are passed through opts.
func OpenPostgres(dsn string, opts ...pgdriver.Option) *bun.DB {
	opts = append([]pgdriver.Option{pgdriver.WithDSN(dsn)}, opts...)
	sqldb := sql.OpenDB(pgdriver.NewConnector(opts...))
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New())
}

// OpenSQLite opens the SQLite file at path with write-ahead logging, foreign
// keys and a busy timeout. Transactions begin IMMEDIATE so that two writers
// queue on the lock instead of failing half-way through.
func OpenSQLite(path string) (*bun.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	sqldb, err := sql.Open(sqliteshim.ShimName, dsn)
	if err != nil {
		return nil, fmt.Errorf("database.OpenSQLite: %w", err)
	}
	sqldb.SetMaxOpenConns(8)
	sqldb.SetConnMaxIdleTime(0)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// IsPostgres reports whether db speaks PostgreSQL.
func IsPostgres(db bun.IDB) bool {
	return db.Dialect().Name() == dialect.PG
}

// Tables lists the portal's own tables, sorted, for checks that both
// databases hold the same schema.
func Tables(ctx context.Context, db bun.IDB) ([]string, error) {
	var names []string
	var q string
	if IsPostgres(db) {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	} else {
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	}
	if err := db.NewRaw(q).Scan(ctx, &names); err != nil {
		return nil, fmt.Errorf("database.Tables: %w", err)
	}
	return names, nil
}

// errNoRows is database/sql's "no rows" error, which bun passes through.
var errNoRows = sql.ErrNoRows

// IsNoRows reports whether err means a query found no row.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// InTx runs fn in a transaction on db, or inside the transaction db already
// is, so store functions compose whether or not the caller has one.
//
// A transaction that failed because the database was busy (see Busy)
// returns an error wrapping ErrBusy.
func InTx(ctx context.Context, db bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	if tx, ok := db.(bun.Tx); ok {
		return fn(ctx, tx)
	}
	return busy(db.RunInTx(ctx, nil, fn))
}

// ForUpdate locks the selected rows until the transaction ends. SQLite has
// no row locks and needs none here: its transactions begin IMMEDIATE and so
// hold the database's write lock from the start.
func ForUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if IsPostgres(q.DB()) {
		return q.For("UPDATE")
	}
	return q
}
