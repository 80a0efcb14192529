package indicators

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// Two officials asking about the same value at once, the first question
// of it: both are recorded one after the other, one follow-up stays (the
// later question), and neither fails on the one-per-value constraint.
func TestFollowupAskedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		m := MonthOf(time.Now()).Prev().Prev()
		u, err := UnitByCode(ctx, db, "26536", m.Day())
		if err != nil {
			t.Fatal(err)
		}
		rep, _, err := ReportFor(ctx, db, u.ID, m)
		if err != nil || rep.ID == 0 {
			t.Fatalf("no demo report of %s: %v", m, err)
		}
		const n = 6
		for round, el := range []string{ElemHouseholds, ElemFibreHouseholds} {
			var wg sync.WaitGroup
			errs := make([]error, n)
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					who := accounts.Actor{UserID: int64(10 + i), Email: fmt.Sprintf("p%d@example.org", i), IP: "192.0.2.8"}
					_, errs[i] = AskFollowup(ctx, db, who, rep.ID, ids[el], fmt.Sprintf("Câu hỏi %d-%d?", round, i))
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("%s: ask %d at once: %v", el, i, err)
				}
			}
			fs, err := ListFollowups(ctx, db, FollowupFilter{ReportID: rep.ID})
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, f := range fs {
				if f.ElementID == ids[el] {
					got++
				}
			}
			if got != 1 {
				t.Errorf("%s: %d follow-ups after %d asks at once, want 1", el, got, n)
			}
		}
	})
}
