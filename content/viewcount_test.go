package content

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestViewCounterWritesBatches: views counted at once from many requests
// are written by a flush, in the month of Hà Nội; a flush that fails keeps
// its counts for the next, and a flush with nothing new adds nothing.
func TestViewCounterWritesBatches(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		c := NewViewCounter()
		lateOct := time.Date(2026, 10, 31, 16, 59, 0, 0, time.UTC)
		earlyNov := time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC) // 00:30 on 1 November in Hà Nội
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Go(func() {
				at := earlyNov
				if i%4 == 0 {
					at = lateOct
				}
				slug := "nop-ho-so"
				if i%2 == 1 {
					slug = "mat-khau-manh"
				}
				c.Add(slug, at)
			})
		}
		wg.Wait()
		if got := c.Pending(); got != 200 {
			t.Fatalf("Pending = %d, want 200", got)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := c.Flush(cancelled, db); err == nil {
			t.Fatal("a flush on a cancelled context reported no error")
		}
		if got := c.Pending(); got != 200 {
			t.Fatalf("after a failed flush Pending = %d, want the 200 kept", got)
		}
		if err := c.Flush(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := c.Flush(ctx, db); err != nil { // nothing new
			t.Fatal(err)
		}
		c.Add("nop-ho-so", earlyNov)
		if err := c.Flush(ctx, db); err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int64{
			"2026-10": {"nop-ho-so": 50},
			"2026-11": {"nop-ho-so": 51, "mat-khau-manh": 100},
		}
		for month, bySlug := range want {
			got, err := UsageOfMonth(ctx, db, month)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(bySlug) {
				t.Errorf("%s: %+v, want %v", month, got, bySlug)
			}
			for _, u := range got {
				if u.Views != bySlug[u.Key] {
					t.Errorf("%s %s: %d views, want %d", month, u.Key, u.Views, bySlug[u.Key])
				}
			}
		}
		if got := c.Pending(); got != 0 {
			t.Errorf("Pending after flushing = %d", got)
		}
	})
}
