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
	var row throttleRow
	err := db.NewSelect().Model(&row).Where("key = ?", key).Scan(ctx)
	if database.IsNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("Throttle.Wait: %w", err)
	}
	now := t.now()
	if row.BlockedUntil.IsZero() || !row.BlockedUntil.After(now) {
		return 0, nil
	}
	return row.BlockedUntil.Sub(now), nil
}

// Fail records a failure for key and returns the wait it now has.
func (t *Throttle) Fail(ctx context.Context, db bun.IDB, key string) (time.Duration, error) {
	now := t.now()
	var wait time.Duration
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var row throttleRow
		err := database.ForUpdate(tx.NewSelect().Model(&row).Where("key = ?", key)).Scan(ctx)
		switch {
		case database.IsNoRows(err):
			row = throttleRow{Key: key, WindowStart: now}
		case err != nil:
			return err
		}
		if now.Sub(row.WindowStart) > t.Window {
			row.Failures, row.WindowStart, row.BlockedUntil = 0, now, time.Time{}
		}
		row.Failures++
		if over := row.Failures - t.Free; over > 0 {
			wait = time.Duration(float64(t.Base) * math.Pow(2, float64(over-1)))
			if wait > t.Max || wait <= 0 {
				wait = t.Max
			}
			row.BlockedUntil = now.Add(wait)
		}
		_, err = tx.NewInsert().Model(&row).
			On("CONFLICT (key) DO UPDATE").
			Set("failures = EXCLUDED.failures").
			Set("window_start = EXCLUDED.window_start").
			Set("blocked_until = EXCLUDED.blocked_until").
			Exec(ctx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("Throttle.Fail: %w", err)
	}
	return wait, nil
}

// Reset forgets key's failures, after a successful sign-in.
func (t *Throttle) Reset(ctx context.Context, db bun.IDB, key string) error {
	if _, err := db.NewDelete().Model((*throttleRow)(nil)).Where("key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("Throttle.Reset: %w", err)
	}
	return nil
}
