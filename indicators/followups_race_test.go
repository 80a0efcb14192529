package indicators

import (
	"context"
	"fmt"
	"sync"
	"testing"

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
		ids, rep := seededReport(t, db)
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

// A question asked again while the commune answers the first one: both
// are recorded in some order, and the new question is never lost (an
// answer written over it would put the old question back).
func TestFollowupAnsweredWhileAskedAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ids, rep := seededReport(t, db)
		prov := accounts.Actor{UserID: 8, Email: "province@example.org", IP: "192.0.2.8"}
		commune := accounts.Actor{UserID: 7, Email: "commune@example.org", IP: "192.0.2.7"}
		for round := range 15 {
			f, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], fmt.Sprintf("Câu hỏi %d?", round))
			if err != nil {
				t.Fatal(err)
			}
			again := fmt.Sprintf("Câu hỏi %d, hỏi lại?", round)
			var wg sync.WaitGroup
			var askErr, answerErr error
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				_, askErr = AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], again)
			}()
			go func() {
				defer wg.Done()
				<-start
				_, answerErr = AnswerFollowup(ctx, db, commune, f.ID, "Trả lời.")
			}()
			close(start)
			wg.Wait()
			if askErr != nil || answerErr != nil {
				t.Fatalf("round %d: ask %v, answer %v", round, askErr, answerErr)
			}
			got, err := FollowupByID(ctx, db, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Question != again {
				t.Fatalf("round %d: question %q after asking %q while it was answered", round, got.Question, again)
			}
		}
	})
}
