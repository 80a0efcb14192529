package payments

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// References of the demo payments. They are fixed so that the browser
// checks can visit them; real payments get random ones (NewRef).
const (
	DemoRefPaid    = "DEM0PA1D000000000001"
	DemoRefPartial = "DEM0PART1A1000000002"
	DemoRefExpired = "DEM0EXP1RED000000003"
	DemoRefCreated = "DEM0CREATED000000004"
	// DemoRefPractice is open in the built-in practice checkout, for a
	// year, so that its pages can be visited.
	DemoRefPractice = "DEM0PRACT1CE00000005"
	demoIntentPaid  = "pi_demo_paid"
	demoIntentPart  = "pi_demo_partial"
	demoSessionPaid = "cs_test_demo_paid"
	demoSessionPart = "cs_test_demo_partial"
	demoSessionExp  = "cs_test_demo_expired"
)

// SeedDemo adds five demo payments (paid, partly refunded, expired, one
// not yet sent to Stripe, and one open in the built-in practice), marked demo so that they count nowhere. It
// is idempotent: a second run adds nothing.
func SeedDemo(ctx context.Context, db bun.IDB) error {
	cat, err := LoadCatalogue()
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Minute)
	day := 24 * time.Hour
	demo := []struct {
		ref, fee, session, intent string
		status                    Status
		lang                      i18n.Lang
		age                       time.Duration
		refunded                  int64
	}{
		{DemoRefPaid, "ly-lich-tu-phap", demoSessionPaid, demoIntentPaid, StatusPaid, i18n.VI, 3 * day, 0},
		{DemoRefPartial, "dang-ky-doanh-nghiep", demoSessionPart, demoIntentPart, StatusPartiallyRefunded, i18n.EN, 2 * day, 40_000},
		{DemoRefExpired, "ho-chieu", demoSessionExp, "", StatusExpired, i18n.VI, day, 0},
		{DemoRefCreated, "giay-phep-xay-dung", "", "", StatusCreated, i18n.VI, 0, 0},
		{DemoRefPractice, "ly-lich-tu-phap", "cs_practice_demo", "pi_practice_demo", StatusOpen, i18n.VI, 0, 0},
	}
	for _, d := range demo {
		fee, err := cat.Fee(d.fee)
		if err != nil {
			return fmt.Errorf("payments.SeedDemo: %w", err)
		}
		created := now.Add(-d.age)
		p := &Payment{
			Ref: d.ref, FeeCode: fee.Code, Amount: fee.Amount, Currency: Currency, Status: d.status,
			Lang: d.lang, Attempt: 1, SessionID: d.session, PaymentIntentID: d.intent,
			RefundedAmount: d.refunded, Demo: true, CreatedAt: created, UpdatedAt: created,
		}
		if d.session != "" {
			p.SessionURL = "https://checkout.stripe.com/c/pay/" + d.session
			p.SessionExpiresAt = created.Add(SessionLifetime)
		}
		if d.status == StatusOpen {
			p.SessionURL = "/vi/payments/" + d.ref + "/practice"
			p.SessionExpiresAt = created.Add(365 * day)
		}
		switch d.status {
		case StatusPaid, StatusPartiallyRefunded:
			p.PaidAt = created.Add(4 * time.Minute)
		case StatusExpired:
			p.ClosedAt = p.SessionExpiresAt
		}
		if d.refunded > 0 {
			p.RefundedAt = created.Add(day)
		}
		res, err := db.NewInsert().Model(p).On("CONFLICT (ref) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("payments.SeedDemo: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 || d.refunded == 0 {
			continue
		}
		// The refund itself, made in Stripe's Dashboard, so that the amounts
		// are counted from refunds as every payment's are.
		if p.ID == 0 {
			if p, err = PaymentByRef(ctx, db, d.ref); err != nil {
				return fmt.Errorf("payments.SeedDemo: %w", err)
			}
		}
		rf := &Refund{
			PaymentID: p.ID, Amount: d.refunded, Reason: ReasonRequested, IdempotencyKey: "stripe-re_demo_" + d.ref,
			StripeRefundID: "re_demo_" + d.ref, Status: RefundSucceeded, Source: SourceStripe,
			CreatedAt: p.RefundedAt, CompletedAt: p.RefundedAt,
		}
		if _, err := db.NewInsert().Model(rf).Exec(ctx); err != nil {
			return fmt.Errorf("payments.SeedDemo: refund: %w", err)
		}
	}
	return nil
}
