package payments

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/payments/stripemock"
)

// paidPayment opens a payment and marks it paid by a completion event.
func paidPayment(t testing.TB, db *bun.DB, s *Service) *Payment {
	t.Helper()
	p := openPayment(t, db, s)
	if got := deliver(t, s, db, sessionEvent("evt_paid_"+p.Ref, EventSessionCompleted, p, "complete", "paid")); got != OutcomeApplied {
		t.Fatalf("completion: %s", got)
	}
	return mustRef(t, db, p.Ref)
}

func refundReq(p *Payment, amount int64) RefundRequest {
	return RefundRequest{
		Ref: p.Ref, Amount: amount, Reason: ReasonRequested, Key: NewRefundKey(),
		Who: accounts.Actor{UserID: 7, Email: "official@example.test", IP: "192.0.2.1"},
	}
}

func TestRefund(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, rec := testService(t, base)
		p := paidPayment(t, db, s)

		req := refundReq(p, 50_000)
		rf, err := s.Refund(ctx, db, req)
		if err != nil {
			t.Fatal(err)
		}
		if rf.Status != RefundSucceeded || rf.StripeRefundID == "" {
			t.Errorf("refund %+v, want succeeded with Stripe's ID", rf)
		}
		last := rec.Requests()[len(rec.Requests())-1]
		if last.Path != "/v1/refunds" || last.Form.Get("amount") != "50000" || last.Form.Get("payment_intent") != p.PaymentIntentID ||
			last.Form.Get("reason") != "requested_by_customer" || last.IdempotencyKey != "digiportal-refund-"+req.Key {
			t.Errorf("refund request %+v", last)
		}
		got := mustRef(t, db, p.Ref)
		if got.Status != StatusPartiallyRefunded || got.RefundedAmount != 50_000 || got.RefundHeld != 0 || got.Refundable() != 150_000 {
			t.Errorf("after a partial refund: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeld)
		}

		// The same form sent again makes no second refund.
		again, err := s.Refund(ctx, db, req)
		if err != nil || again.ID != rf.ID {
			t.Errorf("resent form: %+v, %v; want refund %d again", again, err, rf.ID)
		}
		if got := mustRef(t, db, p.Ref); got.RefundedAmount != 50_000 {
			t.Errorf("resent form refunded %d in all, want 50000", got.RefundedAmount)
		}

		if _, err := s.Refund(ctx, db, refundReq(p, 150_001)); !errors.Is(err, ErrRefundTooLarge) {
			t.Errorf("refund over the rest: %v, want ErrRefundTooLarge", err)
		}
		if _, err := s.Refund(ctx, db, refundReq(p, 150_000)); err != nil {
			t.Fatal(err)
		}
		got = mustRef(t, db, p.Ref)
		if got.Status != StatusRefunded || got.RefundedAmount != 200_000 || got.Net() != 0 {
			t.Errorf("after the rest: %s refunded %d", got.Status, got.RefundedAmount)
		}
		if _, err := s.Refund(ctx, db, refundReq(p, 1)); !errors.Is(err, ErrNotRefundable) && !errors.Is(err, ErrRefundTooLarge) {
			t.Errorf("refund of a refunded payment: %v", err)
		}

		// charge.refunded for the same refunds changes nothing more.
		if out := deliver(t, s, db, refundEvent("evt_refund_all", p, 200_000)); out != OutcomeAlready {
			t.Errorf("charge.refunded after the portal's refunds: %s, want already", out)
		}

		entries, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Object: p.Ref})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
			if e.ActorID != 7 || e.IP != "192.0.2.1" || e.ObjectType != "payment" {
				t.Errorf("audit entry %+v lacks the actor, address or object", e)
			}
		}
		if count[AuditRefundRequested] != 2 || count[AuditRefunded] != 2 {
			t.Errorf("audit actions %v, want 2 requested and 2 refunded", count)
		}
		refunds, err := RefundsOf(ctx, db, p.ID)
		if err != nil || len(refunds) != 2 {
			t.Errorf("RefundsOf = %d refunds, %v; want 2", len(refunds), err)
		}
	})
}

// TestRefundRace: officials refunding at once cannot return more than was
// paid. Each asks for 60%; exactly one may succeed.
func TestRefundRace(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		s, _ := testService(t, base)
		p := paidPayment(t, db, s)
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = s.Refund(context.Background(), db, refundReq(p, 120_000))
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, ErrRefundTooLarge):
				t.Errorf("refund %d: %v, want success or ErrRefundTooLarge", i, err)
			}
		}
		got := mustRef(t, db, p.Ref)
		if ok != 1 || got.RefundedAmount != 120_000 || got.RefundHeld != 0 {
			t.Errorf("%d refunds succeeded, refunded %d held %d; want 1, 120000, 0", ok, got.RefundedAmount, got.RefundHeld)
		}
	})
}

// TestRefundSameFormTwiceAtOnce: a double-submitted form makes one refund.
func TestRefundSameFormTwiceAtOnce(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		s, _ := testService(t, base)
		p := paidPayment(t, db, s)
		req := refundReq(p, 30_000)
		var wg sync.WaitGroup
		ids := make([]int64, 4)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rf, err := s.Refund(context.Background(), db, req)
				if err != nil {
					t.Errorf("submission %d: %v", i, err)
					return
				}
				ids[i] = rf.ID
			}()
		}
		wg.Wait()
		for i := range ids {
			if ids[i] != ids[0] {
				t.Errorf("submission %d made refund %d, first made %d", i, ids[i], ids[0])
			}
		}
		if got := mustRef(t, db, p.Ref); got.RefundedAmount != 30_000 {
			t.Errorf("refunded %d, want 30000", got.RefundedAmount)
		}
	})
}

func TestRefundRefusals(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	db := dbtest.SQLite(t)
	ctx := context.Background()
	s, _ := testService(t, base)
	open := openPayment(t, db, s)
	if _, err := s.Refund(ctx, db, refundReq(open, 1000)); !errors.Is(err, ErrNotRefundable) {
		t.Errorf("refund of an open payment: %v, want ErrNotRefundable", err)
	}
	paid := paidPayment(t, db, s)
	bad := refundReq(paid, 1000)
	bad.Key = "short"
	if _, err := s.Refund(ctx, db, bad); !errors.Is(err, ErrBadRefund) {
		t.Errorf("refund with a bad key: %v, want ErrBadRefund", err)
	}
	if _, err := s.Refund(ctx, db, refundReq(paid, 0)); !errors.Is(err, ErrBadRefund) {
		t.Errorf("refund of 0: %v, want ErrBadRefund", err)
	}
	if _, err := NewService(nil, "", s.Catalogue()).Refund(ctx, db, refundReq(paid, 1000)); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("refund without Stripe: %v, want ErrNotConfigured", err)
	}

	// Stripe refusing releases the hold and audits the failure.
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"no"}}`))
	}))
	defer refuse.Close()
	failing := testServiceWith(t, refuse.URL, nil)
	rf, err := failing.Refund(ctx, db, refundReq(paid, 1000))
	if !errors.Is(err, ErrRefundFailed) || rf == nil || rf.Status != RefundFailed {
		t.Errorf("refused refund: %+v, %v; want a failed refund and ErrRefundFailed", rf, err)
	}
	if got := mustRef(t, db, paid.Ref); got.RefundHeld != 0 || got.RefundedAmount != 0 || got.Status != StatusPaid {
		t.Errorf("after a refused refund: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeld)
	}
	entries, _ := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: AuditRefundFailed})
	if len(entries) != 1 {
		t.Errorf("%d refund_failed audit entries, want 1", len(entries))
	}

	// Stripe unreachable: the refund stays pending with its amount held,
	// and sending the same form again finishes it.
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	req := refundReq(paid, 2000)
	if _, err := testServiceWith(t, down.URL, nil).Refund(ctx, db, req); !errors.Is(err, ErrStripe) {
		t.Fatalf("refund with Stripe down: %v, want ErrStripe", err)
	}
	if got := mustRef(t, db, paid.Ref); got.RefundHeld != 2000 {
		t.Errorf("held %d while pending, want 2000", got.RefundHeld)
	}
	if rf, err := s.Refund(ctx, db, req); err != nil || rf.Status != RefundSucceeded {
		t.Fatalf("resent form: %+v, %v", rf, err)
	}
	if got := mustRef(t, db, paid.Ref); got.RefundHeld != 0 || got.RefundedAmount != 2000 || got.Status != StatusPartiallyRefunded {
		t.Errorf("after finishing: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeld)
	}
}
