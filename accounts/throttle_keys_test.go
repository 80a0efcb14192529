package accounts

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestThrottleKeysKeyedAndExpired: the throttle table names nobody (its
// keys are an HMAC under the portal's secret, the same on every instance),
// still counts per key, and forgets old counts.
func TestThrottleKeysKeyedAndExpired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		th := AccountThrottle()
		for range 6 {
			if _, _, err := th.Attempt(ctx, db, "acct:ai.do@example.test"); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := AddressThrottle().Attempt(ctx, db, "addr:192.0.2.44"); err != nil {
			t.Fatal(err)
		}
		var keys []string
		if err := db.NewSelect().Model((*throttleRow)(nil)).Column("key").Scan(ctx, &keys); err != nil {
			t.Fatal(err)
		}
		if len(keys) != 2 {
			t.Fatalf("keys %v, want 2", keys)
		}
		for _, k := range keys {
			if !strings.HasPrefix(k, "h:") || strings.Contains(k, "example") || strings.Contains(k, "192.0.2") {
				t.Errorf("stored key %q names someone", k)
			}
		}
		if wait, err := th.Wait(ctx, db, "acct:ai.do@example.test"); err != nil || wait == 0 {
			t.Errorf("the keyed count lost its wait: %v, %v", wait, err)
		}
		if wait, _ := th.Wait(ctx, db, "acct:khac@example.test"); wait != 0 {
			t.Error("another key shares the wait")
		}
		// An old count, its wait over, goes; a fresh one stays.
		if _, err := db.NewUpdate().Model((*throttleRow)(nil)).
			Set("window_start = ?", time.Now().UTC().Add(-48*time.Hour)).Set("blocked_until = NULL").
			Where("failures = 1").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := DeleteExpiredThrottles(ctx, db); err != nil || n != 1 {
			t.Errorf("DeleteExpiredThrottles = %d, %v; want 1", n, err)
		}
		if n, _ := db.NewSelect().Model((*throttleRow)(nil)).Count(ctx); n != 1 {
			t.Errorf("%d rows left, want the fresh one", n)
		}
	})
}
