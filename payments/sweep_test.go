package payments

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
	"digiportal/payments/stripemock"
)

func TestSweep(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, _ := testService(t, base)
		fresh := newPayment(t, db, s)
		old := newPayment(t, db, s)
		if _, err := db.NewUpdate().Model((*Payment)(nil)).Set("created_at = ?", time.Now().Add(-25*time.Hour).UTC()).
			Where("id = ?", old.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		open := openPayment(t, db, s)
		recent := openPayment(t, db, s)
		// Stripe says the open one expired; the sweep only asks about
		// payments whose page closed more than the grace ago.
		fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":"` + r.URL.Path[len("/v1/checkout/sessions/"):] + `","object":"checkout.session","status":"expired","payment_status":"unpaid","amount_total":200000,"currency":"vnd"}`))
		}))
		defer fake.Close()
		s = testServiceWith(t, fake.URL, nil)
		if _, err := db.NewUpdate().Model((*Payment)(nil)).Set("session_expires_at = ?", time.Now().Add(-time.Hour).UTC()).
			Where("id = ?", open.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := s.Sweep(ctx, db, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("Sweep changed %d payments, want 2", n)
		}
		for _, tc := range []struct {
			p    *Payment
			want Status
		}{{fresh, StatusCreated}, {old, StatusCanceled}, {open, StatusExpired}, {recent, StatusOpen}} {
			if got := mustRef(t, db, tc.p.Ref).Status; got != tc.want {
				t.Errorf("%s: %s, want %s", tc.p.Ref, got, tc.want)
			}
		}
		if n, err := s.Sweep(ctx, db, time.Now()); err != nil || n != 0 {
			t.Errorf("second Sweep = %d, %v; want nothing to do", n, err)
		}
	})
}
