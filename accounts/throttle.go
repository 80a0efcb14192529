package accounts

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Throttle limits failed sign-ins without locking anyone out for good
// (OWASP ASVS 5 anti-automation): after a few failures on one key (an
// account or a client address) further tries wait, the wait doubling with
// each failure up to a ceiling, and the count forgets after a quiet window.
// State lives in the database so that the limit holds across instances.
type Throttle struct {
	Free    int           // failures allowed before any wait
	Base    time.Duration // the first wait
	Max     time.Duration // the longest wait
	Window  time.Duration // failures older than this are forgotten
	nowFunc func() time.Time
}

// AccountThrottle is the limit per account: 5 free failures, then 30 s,
// 1 min, 2 min… up to 15 min.
func AccountThrottle() *Throttle {
	return &Throttle{Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute, Window: time.Hour, nowFunc: time.Now}
}

// AddressThrottle is the limit per client address, looser because many
// people may share one address (a commune office, a mobile carrier's NAT).
func AddressThrottle() *Throttle {
	return &Throttle{Free: 30, Base: time.Minute, Max: 15 * time.Minute, Window: time.Hour, nowFunc: time.Now}
}

type throttleRow struct {
	bun.BaseModel `bun:"table:signin_throttle"`
	Key           string    `bun:"key,pk"`
	Failures      int       `bun:"failures,notnull"`
	WindowStart   time.Time `bun:"window_start,notnull"`
	BlockedUntil  time.Time `bun:"blocked_until,nullzero"`
}

func (t *Throttle) now() time.Time {
	if t.nowFunc == nil {
		return time.Now().UTC()
	}
	return t.nowFunc().UTC()
}

// Wait returns how long key must wait before its next try; zero means it
// may try now.
func (t *Throttle) Wait(ctx context.Context, db bun.IDB, key string) (time.Duration, error) {
	key, err := keyed(ctx, db, key)
	if err != nil {
		return 0, err
	}
	var row throttleRow
	err = db.NewSelect().Model(&row).Where("key = ?", key).Scan(ctx)
	if database.IsNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("Throttle.Wait: %w", err)
	}
	return t.waitOf(row), nil
}

func (t *Throttle) waitOf(row throttleRow) time.Duration {
	now := t.now()
	if row.BlockedUntil.IsZero() || !row.BlockedUntil.After(now) {
		return 0
	}
	return row.BlockedUntil.Sub(now)
}

// Attempt counts one try on key before its outcome is known, so that tries
// sent at the same moment cannot all pass under the limit: each is counted
// under a row lock before any password or code is checked. While key must
// wait, the try is refused and not counted (refused > 0). Otherwise penalty
// is the wait this try has set should it fail (zero while free tries
// remain); a right answer calls Reset or Succeeded.
func (t *Throttle) Attempt(ctx context.Context, db bun.IDB, key string) (refused, penalty time.Duration, err error) {
	return t.count(ctx, db, key, true)
}

// Fail counts a failure for key after the fact, whether or not it waits,
// and returns the wait it now has. Attempt is the race-free way for
// passwords and codes; Fail suits checks where a lost count costs little.
func (t *Throttle) Fail(ctx context.Context, db bun.IDB, key string) (time.Duration, error) {
	_, penalty, err := t.count(ctx, db, key, false)
	return penalty, err
}

func (t *Throttle) count(ctx context.Context, db bun.IDB, key string, refuseWhileWaiting bool) (refused, penalty time.Duration, err error) {
	if key, err = keyed(ctx, db, key); err != nil {
		return 0, 0, err
	}
	now := t.now()
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// Make sure the row exists first, so that the lock below always has
		// a row to hold even for the very first tries of a key.
		if _, err := tx.NewInsert().Model(&throttleRow{Key: key, WindowStart: now}).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		var row throttleRow
		if err := database.ForUpdate(tx.NewSelect().Model(&row).Where("key = ?", key)).Scan(ctx); err != nil {
			return err
		}
		if refused = t.waitOf(row); refused > 0 && refuseWhileWaiting {
			return nil
		}
		refused = 0
		if now.Sub(row.WindowStart) > t.Window {
			row.Failures, row.WindowStart, row.BlockedUntil = 0, now, time.Time{}
		}
		row.Failures++
		if over := row.Failures - t.Free; over > 0 {
			penalty = time.Duration(float64(t.Base) * math.Pow(2, float64(over-1)))
			if penalty > t.Max || penalty <= 0 {
				penalty = t.Max
			}
			row.BlockedUntil = now.Add(penalty)
		}
		_, err := tx.NewUpdate().Model(&row).Column("failures", "window_start", "blocked_until").WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("Throttle: %w", err)
	}
	return refused, penalty, nil
}

// Succeeded takes back the try Attempt counted when it turned out right,
// for keys whose count should survive a success (a shared address).
func (t *Throttle) Succeeded(ctx context.Context, db bun.IDB, key string) error {
	key, err := keyed(ctx, db, key)
	if err != nil {
		return err
	}
	_, err = db.NewUpdate().Model((*throttleRow)(nil)).
		Set("failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END").
		Set("blocked_until = CASE WHEN failures - 1 <= ? THEN NULL ELSE blocked_until END", t.Free).
		Where("key = ?", key).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("Throttle.Succeeded: %w", err)
	}
	return nil
}

// Reset forgets key's failures, after a successful sign-in.
func (t *Throttle) Reset(ctx context.Context, db bun.IDB, key string) error {
	key, err := keyed(ctx, db, key)
	if err != nil {
		return err
	}
	if _, err := db.NewDelete().Model((*throttleRow)(nil)).Where("key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("Throttle.Reset: %w", err)
	}
	return nil
}
