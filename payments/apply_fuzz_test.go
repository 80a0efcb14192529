package payments

import (
	"context"
	"fmt"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/payments/stripemock"
)

// FuzzApplyEvent applies signed events of every kind the practice acts on,
// with fuzzed amounts, statuses and identifiers, to one paid payment and
// its refunds, and checks after each that the books still hold: nothing
// negative, refunded and held within the amount, the status saying what
// the amounts say. A database error fails it too.
func FuzzApplyEvent(f *testing.F) {
	for _, seed := range []struct {
		kind             uint8
		amount, refunded int64
		status, id       string
		ours             bool
	}{
		{0, 200_000, 50_000, "succeeded", "re_1", true},
		{1, 50_000, 0, "failed", "re_1", true},
		{2, 10_000, 10_000, "succeeded", "re_dash", false},
		{3, 200_000, 200_000, "pending", "dp_1", false},
		{4, 200_000, 0, "complete", "cs_x", true},
		{0, 200_000, 300_000, "canceled", "re_2", false},
	} {
		f.Add(seed.kind, seed.amount, seed.refunded, seed.status, seed.id, seed.ours)
	}
	base := stripemock.URL(f)
	db := dbtest.SQLite(f)
	s, _ := testService(f, base)
	p := paidPayment(f, db, s)
	// A refund of the portal's, so that events may name it by its key.
	ours, err := s.Refund(context.Background(), db, refundReq(p, 20_000))
	if err != nil {
		f.Fatal(err)
	}
	pi := intentOf(p)
	n := 0
	f.Fuzz(func(t *testing.T, kind uint8, amount, refunded int64, status, id string, keyed bool) {
		n++
		key := ""
		if keyed {
			key = ours.IdempotencyKey
		}
		var obj map[string]any
		typ := ""
		switch kind % 6 {
		case 0:
			typ, obj = EventChargeRefunded, stripemock.ChargeWithRefunds("ch_"+p.Ref, p.Ref, pi, amount, refunded,
				stripemock.Refund(id, p.Ref, pi, key, status, refunded))
		case 1:
			typ, obj = EventRefundUpdated, stripemock.Refund(id, p.Ref, pi, key, status, amount)
		case 2:
			typ, obj = EventRefundFailed, stripemock.Refund(id, "", pi, "", status, amount)
		case 3:
			typ, obj = EventDisputeCreated, stripemock.Dispute(id, pi, amount)
		case 4:
			typ, obj = EventSessionCompleted, stripemock.Session(p.SessionID, p.Ref, status, "paid", amount, pi)
		case 5:
			typ, obj = EventChargeRefunded, stripemock.Charge("ch_"+p.Ref, p.Ref, pi, amount, refunded)
		}
		body := stripemock.Event(fmt.Sprintf("evt_fuzz_%d", n), typ, time.Now(), obj)
		ev, err := s.VerifyEvent(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}))
		if err != nil {
			return // unreadable: refused before anything is applied
		}
		if _, err := s.ApplyEvent(context.Background(), db, ev); err != nil {
			t.Fatalf("ApplyEvent: %v", err)
		}
		got := mustRef(t, db, p.Ref)
		if got.RefundedAmount < 0 || got.RefundHeld < 0 || got.RefundUnmatched < 0 || got.RefundedAmount+got.RefundHeld > got.Amount {
			t.Fatalf("books broken: refunded %d held %d unmatched %d of %d", got.RefundedAmount, got.RefundHeld, got.RefundUnmatched, got.Amount)
		}
		want := StatusPaid
		switch {
		case got.RefundedAmount == got.Amount:
			want = StatusRefunded
		case got.RefundedAmount > 0:
			want = StatusPartiallyRefunded
		}
		if got.Status != want {
			t.Fatalf("status %s with %d of %d refunded, want %s", got.Status, got.RefundedAmount, got.Amount, want)
		}
	})
}
