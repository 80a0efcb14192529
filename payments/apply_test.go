package payments

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
	"digiportal/payments/stripemock"
)

// deliver verifies and applies one signed event as the webhook does.
func deliver(t testing.TB, s *Service, db *bun.DB, body []byte) Outcome {
	t.Helper()
	ev, err := s.VerifyEvent(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}))
	if err != nil {
		t.Fatalf("VerifyEvent: %v", err)
	}
	out, err := s.ApplyEvent(context.Background(), db, ev)
	if err != nil {
		t.Fatalf("ApplyEvent: %v", err)
	}
	return out
}

// intentOf is the PaymentIntent Stripe would report for p: the one
// stripe-mock gave at checkout, else a made-up one.
func intentOf(p *Payment) string {
	if p.PaymentIntentID != "" {
		return p.PaymentIntentID
	}
	return "pi_" + p.Ref
}

func sessionEvent(id, typ string, p *Payment, status, paymentStatus string) []byte {
	return stripemock.Event(id, typ, time.Now(), stripemock.Session(p.SessionID, p.Ref, status, paymentStatus, p.Amount, intentOf(p)))
}

func refundEvent(id string, p *Payment, refunded int64) []byte {
	return stripemock.Event(id, EventChargeRefunded, time.Now(), stripemock.Charge("ch_"+p.Ref, p.Ref, intentOf(p), p.Amount, refunded))
}

func eventCount(t testing.TB, db bun.IDB, paymentID int64) int {
	t.Helper()
	evs, err := EventsOf(context.Background(), db, paymentID)
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// TestCompletedOnce: a completion event marks the payment paid once,
// however often it is delivered.
func TestCompletedOnce(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		s, _ := testService(t, base)
		p := openPayment(t, db, s)
		body := sessionEvent("evt_done", EventSessionCompleted, p, "complete", "paid")
		if got := deliver(t, s, db, body); got != OutcomeApplied {
			t.Fatalf("first delivery: %s, want applied", got)
		}
		paid := mustRef(t, db, p.Ref)
		if paid.Status != StatusPaid || paid.PaidAt.IsZero() || paid.PaymentIntentID != intentOf(p) {
			t.Fatalf("after completion: %s paid %v intent %q", paid.Status, paid.PaidAt, paid.PaymentIntentID)
		}
		for range 3 {
			if got := deliver(t, s, db, body); got != OutcomeDuplicate {
				t.Errorf("repeated delivery: %s, want duplicate", got)
			}
		}
		again := mustRef(t, db, p.Ref)
		if !again.UpdatedAt.Equal(paid.UpdatedAt) || !again.PaidAt.Equal(paid.PaidAt) {
			t.Errorf("repeats changed the payment: updated %v → %v", paid.UpdatedAt, again.UpdatedAt)
		}
		if n := eventCount(t, db, p.ID); n != 1 {
			t.Errorf("%d events stored, want 1", n)
		}
	})
}

// TestConcurrentDuplicates: copies of one event arriving at the same time
// change the payment once; every other copy finds the stored ID.
func TestConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		s, _ := testService(t, base)
		p := openPayment(t, db, s)
		body := sessionEvent("evt_race", EventSessionCompleted, p, "complete", "paid")
		ev, err := s.VerifyEvent(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}))
		if err != nil {
			t.Fatal(err)
		}
		const copies = 8
		outcomes := make([]Outcome, copies)
		errs := make([]error, copies)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				outcomes[i], errs[i] = s.ApplyEvent(context.Background(), db, ev)
			}()
		}
		close(start)
		wg.Wait()
		count := map[Outcome]int{}
		for i := range copies {
			if errs[i] != nil {
				t.Errorf("copy %d: %v", i, errs[i])
			}
			count[outcomes[i]]++
		}
		if count[OutcomeApplied] != 1 || count[OutcomeDuplicate] != copies-1 {
			t.Errorf("outcomes %v, want 1 applied and %d duplicates", count, copies-1)
		}
		if got := mustRef(t, db, p.Ref); got.Status != StatusPaid {
			t.Errorf("status %s, want paid", got.Status)
		}
		if n := eventCount(t, db, p.ID); n != 1 {
			t.Errorf("%d events stored, want 1", n)
		}
	})
}

func TestEventSequences(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	completed := step{typ: EventSessionCompleted, status: "complete", payst: "paid", want: OutcomeApplied, after: StatusPaid}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"paid then expired (out of order)", []step{
			completed,
			{typ: EventSessionExpired, status: "expired", payst: "unpaid", want: OutcomeStale, after: StatusPaid},
		}},
		{"expired", []step{
			{typ: EventSessionExpired, status: "expired", payst: "unpaid", want: OutcomeApplied, after: StatusExpired},
			completed.with(OutcomeStale, StatusExpired),
		}},
		{"refund before paid (out of order)", []step{
			{typ: EventChargeRefunded, refunded: 200000, want: OutcomeApplied, after: StatusRefunded},
			completed.with(OutcomeStale, StatusRefunded),
		}},
		{"partial refunds then full", []step{
			completed,
			{typ: EventChargeRefunded, refunded: 50000, want: OutcomeApplied, after: StatusPartiallyRefunded},
			{typ: EventChargeRefunded, refunded: 120000, want: OutcomeApplied, after: StatusPartiallyRefunded},
			{typ: EventChargeRefunded, refunded: 50000, want: OutcomeAlready, after: StatusPartiallyRefunded}, // late, smaller total
			{typ: EventChargeRefunded, refunded: 200000, want: OutcomeApplied, after: StatusRefunded},
		}},
		{"delayed payment succeeds", []step{
			{typ: EventSessionCompleted, status: "complete", payst: "unpaid", want: OutcomeAlready, after: StatusOpen},
			{typ: EventSessionAsyncSucceeded, status: "complete", payst: "paid", want: OutcomeApplied, after: StatusPaid},
		}},
		{"delayed payment fails", []step{
			{typ: EventSessionCompleted, status: "complete", payst: "unpaid", want: OutcomeAlready, after: StatusOpen},
			{typ: EventSessionAsyncFailed, status: "complete", payst: "unpaid", want: OutcomeApplied, after: StatusFailed},
			completed.with(OutcomeStale, StatusFailed),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *bun.DB) {
				s, _ := testService(t, base)
				p := openPayment(t, db, s)
				for i, st := range tc.steps {
					var body []byte
					id := fmt.Sprintf("evt_step%d", i)
					if st.typ == EventChargeRefunded {
						body = refundEvent(id, p, st.refunded)
					} else {
						body = sessionEvent(id, st.typ, p, st.status, st.payst)
					}
					if got := deliver(t, s, db, body); got != st.want {
						t.Errorf("step %d %s: outcome %s, want %s", i, st.typ, got, st.want)
					}
					got := mustRef(t, db, p.Ref)
					if got.Status != st.after {
						t.Errorf("step %d %s: status %s, want %s", i, st.typ, got.Status, st.after)
					}
					if st.typ == EventChargeRefunded && st.want == OutcomeApplied && got.RefundedAmount != st.refunded {
						t.Errorf("step %d: refunded %d, want %d", i, got.RefundedAmount, st.refunded)
					}
					if got.Status.Settled() && got.PaidAt.IsZero() {
						t.Errorf("step %d: settled without a paid time", i)
					}
				}
			})
		})
	}
}

// step is one delivery of an event sequence and what it should do.
type step struct {
	typ           string
	status, payst string // for session events
	refunded      int64  // for charge.refunded
	want          Outcome
	after         Status
}

func (s step) with(o Outcome, after Status) step { s.want, s.after = o, after; return s }

func TestEventsNotOurs(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	db := dbtest.SQLite(t)
	s, _ := testService(t, base)
	p := openPayment(t, db, s)
	wrongAmount := stripemock.Event("evt_amount", EventSessionCompleted, time.Now(), stripemock.Session(p.SessionID, p.Ref, "complete", "paid", 2000, "pi_x"))
	otherSession := stripemock.Event("evt_session", EventSessionCompleted, time.Now(), stripemock.Session("cs_test_other", p.Ref, "complete", "paid", p.Amount, "pi_x"))
	live := stripemock.Event("evt_live", EventSessionCompleted, time.Now(), stripemock.Session(p.SessionID, p.Ref, "complete", "paid", p.Amount, "pi_x"))
	live = []byte(string(live[:len(live)-1]) + `,"livemode":true}`)
	for _, tc := range []struct {
		name string
		body []byte
		want Outcome
	}{
		{"unknown reference", stripemock.Event("evt_unknown", EventSessionCompleted, time.Now(), stripemock.Session("cs_x", NewRef(), "complete", "paid", 200000, "pi_x")), OutcomeUnmatched},
		{"no reference", stripemock.Event("evt_noref", EventSessionCompleted, time.Now(), stripemock.Session("cs_x", "", "complete", "paid", 200000, "pi_x")), OutcomeUnmatched},
		{"charge of someone else", stripemock.Event("evt_charge", EventChargeRefunded, time.Now(), stripemock.Charge("ch_x", "", "pi_elsewhere", 5000, 5000)), OutcomeUnmatched},
		{"wrong amount", wrongAmount, OutcomeMismatch},
		{"another session", otherSession, OutcomeMismatch},
		{"live mode", live, OutcomeLivemode},
		{"unknown type", stripemock.Event("evt_cust", "customer.created", time.Now(), map[string]any{"object": "customer", "id": "cus_1"}), OutcomeUnhandled},
	} {
		if got := deliver(t, s, db, tc.body); got != tc.want {
			t.Errorf("%s: outcome %s, want %s", tc.name, got, tc.want)
		}
		if got := mustRef(t, db, p.Ref); got.Status != StatusOpen {
			t.Errorf("%s: status %s, want still open", tc.name, got.Status)
		}
	}
}

// TestReturnPageFirst: the return page confirmed the payment before the
// webhook arrived; the webhook then changes nothing.
func TestReturnPageFirst(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	db := dbtest.SQLite(t)
	s, _ := testService(t, base)
	p := openPayment(t, db, s)
	// What Sync does when Stripe says complete and paid.
	if err := db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		q, err := lockPayment(ctx, tx, "id = ?", p.ID)
		if err != nil {
			return err
		}
		return advance(ctx, tx, q, StatusPaid, time.Now(), time.Now())
	}); err != nil {
		t.Fatal(err)
	}
	paid := mustRef(t, db, p.Ref)
	if got := deliver(t, s, db, sessionEvent("evt_late", EventSessionCompleted, p, "complete", "paid")); got != OutcomeAlready {
		t.Errorf("webhook after the return page: %s, want already", got)
	}
	if got := mustRef(t, db, p.Ref); !got.PaidAt.Equal(paid.PaidAt) {
		t.Errorf("paid time moved from %v to %v", paid.PaidAt, got.PaidAt)
	}
}
