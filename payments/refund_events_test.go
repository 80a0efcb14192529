package payments

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/payments/stripemock"
)

func mustAmounts(t testing.TB, db bun.IDB, ref string, status Status, refunded, held int64) *Payment {
	t.Helper()
	got := mustRef(t, db, ref)
	if got.Status != status || got.RefundedAmount != refunded || got.RefundHeld != held {
		t.Fatalf("payment %s refunded %d held %d; want %s refunded %d held %d",
			got.Status, got.RefundedAmount, got.RefundHeld, status, refunded, held)
	}
	return got
}

// stripeDown is a Stripe that answers every request with the given status,
// or, with status 0, cannot be reached at all.
func stripeDown(t testing.TB, status int) *Service {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(`{"error":{"type":"api_error","message":"something went wrong"}}`))
	}))
	if status == 0 {
		srv.Close()
	} else {
		t.Cleanup(srv.Close)
	}
	return testServiceWith(t, srv.URL, nil)
}

// TestChargeRefundedSettlesPending: charge.refunded listing a refund the
// portal left pending (Stripe made it, the answer was lost) settles that
// refund by its refund_key and releases its hold: counted once.
func TestChargeRefundedSettlesPending(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, _ := testService(t, base)
		p := paidPayment(t, db, s)
		req := refundReq(p, 20_000)
		if _, err := stripeDown(t, 0).Refund(ctx, db, req); !errors.Is(err, ErrStripe) {
			t.Fatalf("refund with Stripe unreachable: %v", err)
		}
		mustAmounts(t, db, p.Ref, StatusPaid, 0, 20_000)
		body := stripemock.Event("evt_ch_refunded_1", EventChargeRefunded, time.Now(),
			stripemock.ChargeWithRefunds("ch_"+p.Ref, p.Ref, intentOf(p), p.Amount, 20_000,
				stripemock.Refund("re_lost_answer", p.Ref, intentOf(p), req.Key, "succeeded", 20_000)))
		if out := deliver(t, s, db, body); out != OutcomeApplied {
			t.Errorf("charge.refunded: %s, want applied", out)
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 20_000, 0)
		// The official's resend now finds the refund done: no second one.
		rf, err := s.Refund(ctx, db, req)
		if err != nil || rf.Status != RefundSucceeded || rf.StripeRefundID != "re_lost_answer" {
			t.Errorf("resend after the event: %+v, %v", rf, err)
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 20_000, 0)
		// The retry loop has nothing to do.
		if n, err := s.RetryPendingRefunds(ctx, db, time.Now().Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("RetryPendingRefunds = %d, %v; want 0", n, err)
		}
	})
}

// TestRefundUnknownOutcomeStaysPending is item 2: a Stripe 500 (or no
// answer) on a refund leaves its outcome unknown, so the refund stays
// pending with its hold, and a retry with the same key settles it. A 4xx
// is a refusal and releases the hold.
func TestRefundUnknownOutcomeStaysPending(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, rec := testService(t, base)
		p := paidPayment(t, db, s)
		for i, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusConflict, http.StatusTooManyRequests} {
			req := refundReq(p, 10_000)
			rf, err := stripeDown(t, status).Refund(ctx, db, req)
			if !errors.Is(err, ErrStripe) || rf == nil || rf.Status != RefundPending {
				t.Fatalf("Stripe %d: %+v, %v; want pending and ErrStripe", status, rf, err)
			}
			if got := mustRef(t, db, p.Ref); got.RefundHeld != 10_000 || got.RefundedAmount != int64(i)*10_000 {
				t.Fatalf("Stripe %d: refunded %d held %d", status, got.RefundedAmount, got.RefundHeld)
			}
			n, err := s.RetryPendingRefunds(ctx, db, time.Now().Add(time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("RetryPendingRefunds = %d, %v", n, err)
			}
			last := rec.Requests()[len(rec.Requests())-1]
			if last.IdempotencyKey != "digiportal-refund-"+req.Key || last.Form.Get("metadata[refund_key]") != req.Key {
				t.Errorf("retry sent key %q metadata %q, want the stored key", last.IdempotencyKey, last.Form.Get("metadata[refund_key]"))
			}
			p = mustRef(t, db, p.Ref)
			if p.RefundHeld != 0 {
				t.Fatalf("held %d after the retry", p.RefundHeld)
			}
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 40_000, 0)
		if _, err := stripeDown(t, http.StatusBadRequest).Refund(ctx, db, refundReq(p, 10_000)); !errors.Is(err, ErrRefundFailed) {
			t.Errorf("Stripe 400: %v, want ErrRefundFailed", err)
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 40_000, 0)
	})
}

// TestRefundsOutsideThePortal is item 3: refunds are counted one by one by
// Stripe's ID, wherever they were made; one that fails after acceptance
// gives its amount back; a dispute is recorded and audited.
func TestRefundsOutsideThePortal(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, _ := testService(t, base)
		p := paidPayment(t, db, s)
		pi := intentOf(p)
		// A Dashboard refund of 10,000: charge.refunded without its list.
		if out := deliver(t, s, db, stripemock.Event("evt_dash_1", EventChargeRefunded, time.Now(),
			stripemock.Charge("ch_"+p.Ref, p.Ref, pi, p.Amount, 10_000))); out != OutcomeApplied {
			t.Errorf("Dashboard charge.refunded: %s", out)
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 10_000, 0)
		// A portal refund of 20,000: 30,000 in all, not the larger of the two.
		portal, err := s.Refund(ctx, db, refundReq(p, 20_000))
		if err != nil {
			t.Fatal(err)
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 30_000, 0)
		// Stripe's total agrees: nothing changes.
		if out := deliver(t, s, db, stripemock.Event("evt_dash_2", EventChargeRefunded, time.Now(),
			stripemock.Charge("ch_"+p.Ref, p.Ref, pi, p.Amount, 30_000))); out != OutcomeAlready {
			t.Errorf("agreeing charge.refunded: %s, want already", out)
		}
		// The Dashboard refund's own event names it: still 30,000.
		if out := deliver(t, s, db, stripemock.Event("evt_dash_3", EventRefundUpdated, time.Now(),
			stripemock.Refund("re_dashboard", "", pi, "", "succeeded", 10_000))); out != OutcomeApplied {
			t.Errorf("refund.updated of the Dashboard refund: %s", out)
		}
		got := mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 30_000, 0)
		if got.RefundUnmatched != 0 {
			t.Errorf("unmatched %d once every refund is known", got.RefundUnmatched)
		}
		refunds, _ := RefundsOf(ctx, db, p.ID)
		if len(refunds) != 2 || refunds[1].Source != SourceStripe || refunds[1].StripeRefundID != "re_dashboard" {
			t.Errorf("refunds %+v, want the portal's and the Dashboard's", refunds)
		}
		// A repeated event changes nothing.
		if out := deliver(t, s, db, stripemock.Event("evt_dash_4", EventRefundUpdated, time.Now(),
			stripemock.Refund("re_dashboard", "", pi, "", "succeeded", 10_000))); out != OutcomeAlready {
			t.Errorf("same refund again: %s, want already", out)
		}
		// The portal's refund fails at the bank after Stripe accepted it:
		// its 20,000 count as the province's again.
		if out := deliver(t, s, db, stripemock.Event("evt_fail_1", EventRefundFailed, time.Now(),
			stripemock.Refund(portal.StripeRefundID, p.Ref, pi, portal.IdempotencyKey, "failed", 20_000))); out != OutcomeApplied {
			t.Errorf("refund.failed: %s", out)
		}
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 10_000, 0)
		// A full refund failing takes the payment back from refunded.
		rest, err := s.Refund(ctx, db, refundReq(p, 190_000))
		if err != nil {
			t.Fatal(err)
		}
		mustAmounts(t, db, p.Ref, StatusRefunded, 200_000, 0)
		deliver(t, s, db, stripemock.Event("evt_fail_2", EventRefundUpdated, time.Now(),
			stripemock.Refund(rest.StripeRefundID, p.Ref, pi, rest.IdempotencyKey, "failed", 190_000)))
		mustAmounts(t, db, p.Ref, StatusPartiallyRefunded, 10_000, 0)
		count := map[string]int{}
		entries, _ := accounts.ListAudit(ctx, db, accounts.AuditFilter{Object: p.Ref})
		for _, e := range entries {
			count[e.Action]++
		}
		if count[AuditRefundReversed] != 2 {
			t.Errorf("audit %v, want 2 reversed refunds", count)
		}

		// A dispute: recorded once, audited.
		for i := 0; i < 2; i++ {
			deliver(t, s, db, stripemock.Event("evt_dispute_"+string(rune('a'+i)), EventDisputeCreated, time.Now(),
				stripemock.Dispute("dp_1", pi, p.Amount)))
		}
		if got := mustRef(t, db, p.Ref); got.DisputeID != "dp_1" || got.DisputedAt.IsZero() {
			t.Errorf("dispute %q at %v", got.DisputeID, got.DisputedAt)
		}
		disputes, _ := accounts.ListAudit(ctx, db, accounts.AuditFilter{Object: p.Ref, Action: AuditDisputed})
		if len(disputes) != 1 {
			t.Errorf("%d dispute audit entries, want 1", len(disputes))
		}
		// Another payment's refund ID never moves to this payment.
		other := paidPayment(t, db, s)
		if out := deliver(t, s, db, stripemock.Event("evt_steal", EventRefundUpdated, time.Now(),
			stripemock.Refund("re_dashboard", "", intentOf(other), "", "succeeded", 10_000))); out == OutcomeApplied {
			t.Errorf("another payment's refund applied: %s", out)
		}
		mustAmounts(t, db, other.Ref, StatusPaid, 0, 0)
	})
}
