package payments

import (
	"context"
	"errors"
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
		if err != nil || n != 4 || len(all) != 4 {
			t.Fatalf("all: %d of %d, %v; want 4", len(all), n, err)
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
			{"from", Filter{From: now.Add(-36 * time.Hour)}, []string{DemoRefCreated, DemoRefExpired}},
			{"to", Filter{To: now.Add(-60 * time.Hour)}, []string{DemoRefPaid}},
			{"page", Filter{Limit: 2, Offset: 2}, []string{DemoRefPartial, DemoRefPaid}},
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
		if err != nil || n != 4 {
			t.Errorf("after two seeds: %d payments, %v; want 4", n, err)
		}
		p := mustRef(t, db, DemoRefPartial)
		if p.Status != StatusPartiallyRefunded || p.RefundedAmount != 40_000 || p.Net() != 60_000 || !p.Demo {
			t.Errorf("demo partial refund: %+v", p)
		}
	})
}

func TestReconciliationRows(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	ctx := context.Background()
	if err := SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	cat := mustCatalogue(t)
	header := make([]string, len(ReconciliationColumns))
	for i := range header {
		header[i] = "col" + string(rune('A'+i))
	}
	var rows [][]string
	collect := func(r []string) error { rows = append(rows, r); return nil }
	if err := ReconciliationRows(ctx, db, Filter{Status: StatusPartiallyRefunded}, cat, i18n.VI, collect); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	row := rows[0]
	if len(row) != len(ReconciliationColumns) {
		t.Fatalf("%d cells, want one per column (%d)", len(row), len(ReconciliationColumns))
	}
	p := mustRef(t, db, DemoRefPartial)
	want := []string{DemoRefPartial, "dang-ky-doanh-nghiep", "Đăng ký thành lập doanh nghiệp – phí công bố nội dung đăng ký",
		"100000", "VND", "partially_refunded", p.CreatedAt.In(hcm(t)).Format(time.RFC3339), p.PaidAt.In(hcm(t)).Format(time.RFC3339),
		"40000", "60000", "cs_test_demo_partial", "pi_demo_partial", "true"}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Errorf("row\n%v\nwant\n%v", row, want)
	}
	if !strings.HasSuffix(row[6], "+07:00") {
		t.Errorf("created %q not in Asia/Ho_Chi_Minh", row[6])
	}
	stop := errors.New("stop")
	if err := ReconciliationRows(ctx, db, Filter{}, cat, i18n.VI, func([]string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("an error of the caller came back as %v", err)
	}
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
