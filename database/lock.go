package database

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// ErrBusy is wrapped by the errors of work that could not take a lock in
// time because other work held it: an import while another one runs, on
// this instance or on another one sharing the database. Nothing was
// written; trying again later is the answer.
var ErrBusy = errors.New("the database is busy with other work")

// lockWait is how long LockTx waits for a lock another transaction holds.
const lockWait = 5 * time.Second

// LockTx takes the lock called name for the rest of tx, exclusively or
// shared, waiting at most a few seconds; when it cannot, the error wraps
// ErrBusy. Work that rewrites what other work adds to (a rebuild of the
// stored roll-ups against the reports that add to them) takes the lock
// exclusively, the adders share it: they wait for a rebuild, not for each
// other.
//
// On PostgreSQL it is an advisory lock held until tx ends, so instances
// sharing the database queue too. SQLite needs none: its transactions
// begin IMMEDIATE and so already hold the one write lock from the start
// (a writer that cannot get it within the busy timeout fails with an error
// that Busy recognises).
func LockTx(ctx context.Context, tx bun.IDB, name string, shared bool) error {
	if !IsPostgres(tx) {
		return nil
	}
	// The wait is bounded by the lock timeout, not the driver's read
	// timeout: PostgreSQL then says so with its own code (55P03).
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", lockWait.Milliseconds())); err != nil {
		return fmt.Errorf("database.LockTx: %w", err)
	}
	fn := "pg_advisory_xact_lock"
	if shared {
		fn = "pg_advisory_xact_lock_shared"
	}
	// Advisory locks belong to the database, not the schema: the key
	// holds the schema too, so that portals (or test runs) in other
	// schemas of one database do not wait for each other.
	if _, err := tx.ExecContext(ctx, "SELECT "+fn+"(hashtextextended(current_schema() || ':' || ?, 0))", name); err != nil {
		return fmt.Errorf("database.LockTx %s: %w", name, busy(err))
	}
	return nil
}

// Busy reports whether err says the database was busy: a lock not granted
// in time on PostgreSQL (55P03, or a deadlock broken, 40P01), or SQLite's
// write lock held by another connection past the busy timeout.
func Busy(err error) bool {
	if errors.Is(err, ErrBusy) {
		return true
	}
	var pe pgdriver.Error
	if errors.As(err, &pe) {
		switch pe.Field('C') {
		case "55P03", "40P01":
			return true
		}
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		// SQLITE_BUSY and SQLITE_LOCKED, with their extended codes.
		switch se.Code() & 0xff {
		case 5, 6:
			return true
		}
	}
	return false
}

// busy wraps err with ErrBusy when it says the database was busy.
func busy(err error) error {
	if err != nil && !errors.Is(err, ErrBusy) && Busy(err) {
		return fmt.Errorf("%w: %w", ErrBusy, err)
	}
	return err
}
