package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

func TestPaymentStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := NewService(nil, "", mustCatalogue(t))
		p := newPayment(t, db, s)
		got, err := PaymentByRef(ctx, db, p.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.Amount != 200_000 || got.Currency != "vnd" || got.Status != StatusCreated || got.Attempt != 1 || got.Lang != i18n.VI {
			t.Errorf("stored %+v", got)
		}
		if _, err := PaymentByRef(ctx, db, NewRef()); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("unknown ref: %v, want ErrNotFound", err)
		}
		// advance refuses a write from a stale read, and a status the
		// state machine has no way to.
		stale := *got
		if err := advance(ctx, db, got, StatusOpen, time.Now(), time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := advance(ctx, db, &stale, StatusCanceled, time.Now(), time.Now()); !errors.Is(err, ErrConflict) {
			t.Errorf("write from a stale read: %v, want ErrConflict", err)
		}
		if err := advance(ctx, db, got, StatusCreated, time.Now(), time.Now()); !errors.Is(err, ErrIllegalTransition) {
			t.Errorf("open → created: %v, want ErrIllegalTransition", err)
		}
		if got := mustRef(t, db, p.Ref); got.Status != StatusOpen {
			t.Errorf("status %s, want open", got.Status)
		}
	})
}

func mustCatalogue(t testing.TB) *Catalogue {
	t.Helper()
	c, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListPayments(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDemo(ctx, db); err != nil {
			t.Fatal(err)
		}
		all, n, err := ListPayments(ctx, db, Filter{})
		if err != nil || n != 5 || len(all) != 5 {
			t.Fatalf("all: %d of %d, %v; want 5", len(all), n, err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].CreatedAt.After(all[i-1].CreatedAt) {
				t.Errorf("not newest first at %d", i)
			}
		}
		now := time.Now()
		for _, tc := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"status", Filter{Status: StatusPaid}, []string{DemoRefPaid}},
			{"fee", Filter{FeeCode: "ho-chieu"}, []string{DemoRefExpired}},
			{"from", Filter{From: now.Add(-36 * time.Hour)}, []string{DemoRefPractice, DemoRefCreated, DemoRefExpired}},
			{"paid", Filter{By: ByPaid, From: now.Add(-60 * time.Hour)}, []string{DemoRefPartial}},
			{"refund", Filter{By: ByRefund, From: now.Add(-36 * time.Hour)}, []string{DemoRefPartial}},
			{"no refund", Filter{By: ByRefund, To: now.Add(-36 * time.Hour)}, nil},
			{"to", Filter{To: now.Add(-60 * time.Hour)}, []string{DemoRefPaid}},
			{"page", Filter{Limit: 2, Offset: 3}, []string{DemoRefPartial, DemoRefPaid}},
		} {
			got, _, err := ListPayments(ctx, db, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, p := range got {
				refs = append(refs, p.Ref)
			}
			if strings.Join(refs, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%s: %v, want %v", tc.name, refs, tc.want)
			}
		}
	})
}

func TestSeedDemoIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		for range 2 {
			if err := SeedDemo(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		_, n, err := ListPayments(ctx, db, Filter{})
		if err != nil || n != 5 {
			t.Errorf("after two seeds: %d payments, %v; want 5", n, err)
		}
		p := mustRef(t, db, DemoRefPartial)
		if p.Status != StatusPartiallyRefunded || p.RefundedAmount != 40_000 || p.Net() != 60_000 || !p.Demo {
			t.Errorf("demo partial refund: %+v", p)
		}
	})
}

// TestReconcile: a payment line, then its refunds (accepted, waiting,
// refused), then what Stripe reported beyond them; totals of collected,
// refunded, held and net; a period by paid date or by refund date.
func TestReconcile(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDemo(ctx, db); err != nil {
			t.Fatal(err)
		}
		p := mustRef(t, db, DemoRefPartial)
		now := time.Now().UTC()
		for i, rf := range []Refund{
			{Amount: 5_000, Status: RefundPending, CreatedAt: now},
			{Amount: 7_000, Status: RefundFailed, CreatedAt: now, CompletedAt: now},
		} {
			rf.PaymentID, rf.Reason, rf.IdempotencyKey, rf.Source = p.ID, ReasonDuplicate, fmt.Sprintf("k%031d", i), SourcePortal
			if _, err := db.NewInsert().Model(&rf).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.NewUpdate().Model((*Payment)(nil)).Set("refund_unmatched = 1000").Where("id = ?", p.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		tot, err := Reconcile(ctx, db, Filter{Status: StatusPartiallyRefunded}, func(l Line) error {
			kinds = append(kinds, fmt.Sprintf("%s:%d", l.Kind, l.Amount))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "payment:100000 refund:40000 refund_pending:5000 refund_failed:7000 refund_unmatched:1000"
		if got := strings.Join(kinds, " "); got != want {
			t.Errorf("lines %s\nwant  %s", got, want)
		}
		if tot != (Totals{Payments: 1, Collected: 100_000, Refunded: 41_000, Held: 5_000}) || tot.Net() != 59_000 {
			t.Errorf("totals %+v net %d", tot, tot.Net())
		}
		// By refund date: a period with no refund lists nothing.
		long := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		tot, err = Reconcile(ctx, db, Filter{By: ByRefund, From: long, To: long.AddDate(0, 1, 0)}, func(Line) error { return nil })
		if err != nil || tot.Payments != 0 {
			t.Errorf("refunds in 2000: %+v, %v", tot, err)
		}
		kinds = nil
		tot, err = Reconcile(ctx, db, Filter{By: ByRefund, From: now.Add(-time.Hour), To: now.Add(time.Hour)}, func(l Line) error {
			kinds = append(kinds, string(l.Kind))
			return nil
		})
		if err != nil || strings.Join(kinds, " ") != "payment refund_pending refund_failed" || tot.Held != 5_000 || tot.Refunded != 0 {
			t.Errorf("refunds this hour: %v %+v, %v", kinds, tot, err)
		}
		// By paid date: the demo payments were paid in the past.
		tot, err = Reconcile(ctx, db, Filter{By: ByPaid, From: p.PaidAt.Add(-time.Second), To: p.PaidAt.Add(time.Second)}, func(Line) error { return nil })
		if err != nil || tot.Payments < 1 || tot.Collected < 100_000 {
			t.Errorf("paid around the partial's payment: %+v, %v", tot, err)
		}
		stop := errors.New("stop")
		if _, err := Reconcile(ctx, db, Filter{}, func(Line) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("an error of the caller came back as %v", err)
		}
	})
}

func hcm(t testing.TB) *time.Location {
	z, err := time.LoadLocation(i18n.Zone)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestCountByMonth(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDemo(ctx, db); err != nil { // demo payments count nowhere
			t.Fatal(err)
		}
		z := hcm(t)
		s := NewService(nil, "", mustCatalogue(t))
		for _, at := range []time.Time{
			time.Date(2026, 10, 31, 23, 30, 0, 0, z), // late October in Hà Nội, still 31 Oct 16:30 UTC
			time.Date(2026, 11, 1, 0, 30, 0, 0, z),   // early November in Hà Nội, 31 Oct 17:30 UTC
			time.Date(2026, 11, 20, 9, 0, 0, 0, z),
			time.Date(2027, 1, 5, 9, 0, 0, 0, z), // outside the range
		} {
			p := newPayment(t, db, s)
			p.Status, p.PaidAt = StatusPaid, at.UTC()
			if _, err := db.NewUpdate().Model(p).Column("status", "paid_at").WherePK().Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		newPayment(t, db, s) // never paid
		got, err := NewPaidCounter(db).CountByMonth(ctx, time.Date(2026, 10, 15, 0, 0, 0, 0, z), time.Date(2026, 12, 1, 0, 0, 0, 0, z))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"2026-10": 1, "2026-11": 2, "2026-12": 0}
		if len(got) != len(want) {
			t.Errorf("CountByMonth = %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("CountByMonth[%s] = %d, want %d (all: %v)", k, got[k], v, got)
			}
		}
	})
}
