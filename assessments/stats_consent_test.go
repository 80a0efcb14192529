package assessments

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestStatsLatestConsented: a business counts once, with its latest
// result, and only when that result is consented. A retake sent without
// consent takes the business out of the figures: its older, consented
// result is no longer its level, and its consent did not cover the new one.
func TestStatsLatestConsented(t *testing.T) {
	c, _ := LoadCatalog()
	m := c.Current()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 5, 0, 0, 0, time.UTC)
		for range 6 {
			finished(t, db, c, shop, middleAnswers(m), true, now.AddDate(0, -1, 0))
		}
		count := func() int64 {
			t.Helper()
			st, err := ComputeStats(ctx, db, c, demoPlaces, Filter{Model: m.Version}, now)
			if err != nil {
				t.Fatal(err)
			}
			return st.N.N
		}
		if n := count(); n != 6 {
			t.Fatalf("N = %d, want 6", n)
		}
		// One retakes and shares again: still 6.
		first := finished(t, db, c, shop, middleAnswers(m), true, now.AddDate(0, -2, 0))
		again, err := Retake(ctx, db, c, first.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Submit(ctx, db, c, again.ID, true, now); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 7 {
			t.Errorf("after a consented retake N = %d, want 7 (the business once)", n)
		}
		// One retakes without sharing: it leaves the figures.
		second := finished(t, db, c, shop, middleAnswers(m), true, now.AddDate(0, -2, 0))
		if n := count(); n != 8 {
			t.Fatalf("N = %d, want 8", n)
		}
		later, err := Retake(ctx, db, c, second.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Submit(ctx, db, c, later.ID, false, now); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 7 {
			t.Errorf("after a retake without consent N = %d, want 7: the older consented result still counts", n)
		}
	})
}
