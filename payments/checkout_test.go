package payments

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
	"digiportal/payments/stripemock"
)

// TestStartCheckoutRequest checks every parameter of the Checkout Session
// request, which stripe-mock also validates against Stripe's API.
func TestStartCheckoutRequest(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, rec := testService(t, base)
		p := newPayment(t, db, s)
		before := time.Now()
		url, err := s.StartCheckout(ctx, db, checkoutRequest(p.Ref))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(url, "https://checkout.stripe.com/") {
			t.Errorf("URL = %q, want Stripe's hosted checkout", url)
		}
		reqs := rec.Requests()
		if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Path != "/v1/checkout/sessions" {
			t.Fatalf("requests = %+v, want one POST /v1/checkout/sessions", reqs)
		}
		f := reqs[0].Form
		for field, want := range map[string]string{
			// VND is zero-decimal: 200.000 đồng is sent as 200000, not × 100.
			"line_items[0][price_data][unit_amount]":        "200000",
			"line_items[0][price_data][currency]":           "vnd",
			"line_items[0][quantity]":                       "1",
			"line_items[0][price_data][product_data][name]": "Cấp Phiếu lý lịch tư pháp (luyện tập)",
			"mode":                  "payment",
			"locale":                "vi",
			"client_reference_id":   p.Ref,
			"metadata[payment_ref]": p.Ref,
			"payment_intent_data[metadata][payment_ref]": p.Ref,
			"success_url": "http://portal.test/vi/payments/" + p.Ref + "?session_id={CHECKOUT_SESSION_ID}",
			"cancel_url":  "http://portal.test/vi/payments/" + p.Ref + "?canceled=1",
		} {
			if got := f.Get(field); got != want {
				t.Errorf("%s = %q, want %q", field, got, want)
			}
		}
		exp, _ := strconv.ParseInt(f.Get("expires_at"), 10, 64)
		if d := time.Unix(exp, 0).Sub(before); d < SessionLifetime || d > SessionLifetime+2*time.Minute {
			t.Errorf("expires_at is %v after the request, want just over %v", d, SessionLifetime)
		}
		if got, want := reqs[0].IdempotencyKey, "digiportal-checkout-"+p.Ref+"-1"; got != want {
			t.Errorf("Idempotency-Key = %q, want %q", got, want)
		}
		if got := reqs[0].StripeVersion; got != stripe.APIVersion {
			t.Errorf("Stripe-Version = %q, want %q", got, stripe.APIVersion)
		}
		got := mustRef(t, db, p.Ref)
		if got.Status != StatusOpen || got.SessionID == "" || got.SessionURL != url || got.SessionExpiresAt.IsZero() {
			t.Errorf("after checkout: status %s session %q url %q expires %v, want open with the session", got.Status, got.SessionID, got.SessionURL, got.SessionExpiresAt)
		}

		// Asking again (a reload, a second click) returns the same page
		// without a second session.
		again, err := s.StartCheckout(ctx, db, checkoutRequest(p.Ref))
		if err != nil || again != url {
			t.Errorf("second StartCheckout = %q, %v; want %q", again, err, url)
		}
		if n := len(rec.Requests()); n != 1 {
			t.Errorf("%d requests after the second StartCheckout, want still 1", n)
		}
	})
}

// TestStartCheckoutDoubleClick: two requests at once for one payment send
// the same idempotency key and both land on the one session.
func TestStartCheckoutDoubleClick(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		s, rec := testService(t, base)
		p := newPayment(t, db, s)
		var wg sync.WaitGroup
		urls := make([]string, 4)
		errs := make([]error, 4)
		for i := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				urls[i], errs[i] = s.StartCheckout(context.Background(), db, checkoutRequest(p.Ref))
			}()
		}
		wg.Wait()
		for i := range urls {
			if errs[i] != nil || urls[i] != urls[0] {
				t.Errorf("click %d: %q, %v; want %q", i, urls[i], errs[i], urls[0])
			}
		}
		keys := map[string]bool{}
		for _, r := range rec.Requests() {
			keys[r.IdempotencyKey] = true
		}
		if len(keys) != 1 {
			t.Errorf("idempotency keys sent = %v, want one", keys)
		}
	})
}

func TestStartCheckoutRefusals(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	db := dbtest.SQLite(t)
	ctx := context.Background()
	s, _ := testService(t, base)
	p := newPayment(t, db, s)
	req := checkoutRequest(p.Ref)
	req.SuccessURL = "http://portal.test/vi/payments/" + p.Ref
	if _, err := s.StartCheckout(ctx, db, req); err == nil {
		t.Error("StartCheckout without {CHECKOUT_SESSION_ID} succeeded")
	}
	if _, err := NewService(nil, "", s.Catalogue()).StartCheckout(ctx, db, checkoutRequest(p.Ref)); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("unconfigured StartCheckout error = %v, want ErrNotConfigured", err)
	}
	if err := s.Cancel(ctx, db, p.Ref); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartCheckout(ctx, db, checkoutRequest(p.Ref)); !errors.Is(err, ErrNotPayable) {
		t.Errorf("StartCheckout of a canceled payment: %v, want ErrNotPayable", err)
	}
}

// TestStartCheckoutAttempts: an answer from Stripe, even an error, is kept
// under its idempotency key, so the next try must use a new key; a request
// that never reached Stripe keeps the key so a retry can pick up the
// session it may have made.
func TestStartCheckoutAttempts(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	ctx := context.Background()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"type":"invalid_request_error","message":"no"}}`))
	}))
	defer refuse.Close()
	s := testServiceWith(t, refuse.URL, &http.Client{Timeout: 5 * time.Second})
	p := newPayment(t, db, s)
	if _, err := s.StartCheckout(ctx, db, checkoutRequest(p.Ref)); !errors.Is(err, ErrStripe) {
		t.Fatalf("StartCheckout against a refusing Stripe: %v, want ErrStripe", err)
	}
	if got := mustRef(t, db, p.Ref); got.Attempt != 2 || got.Status != StatusCreated {
		t.Errorf("after a refusal: attempt %d status %s, want 2 created", got.Attempt, got.Status)
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	s = testServiceWith(t, down.URL, &http.Client{Timeout: 5 * time.Second})
	if _, err := s.StartCheckout(ctx, db, checkoutRequest(p.Ref)); !errors.Is(err, ErrStripe) {
		t.Fatalf("StartCheckout against an unreachable Stripe: %v, want ErrStripe", err)
	}
	if got := mustRef(t, db, p.Ref); got.Attempt != 2 {
		t.Errorf("after a network failure: attempt %d, want 2 (key kept)", got.Attempt)
	}
}

// TestSync: the return page's check marks paid only a session that is
// complete AND paid, with our amount, and expires an expired one.
func TestSync(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		status, paymentStatus string
		amount                int64
		want                  Status
		wantErr               error
	}{
		{"complete and paid", "complete", "paid", 200000, StatusPaid, nil},
		{"complete, payment on its way", "complete", "unpaid", 200000, StatusOpen, nil},
		{"open", "open", "unpaid", 0, StatusOpen, nil},
		{"expired", "expired", "unpaid", 200000, StatusExpired, nil},
		{"paid a different amount", "complete", "paid", 2000, StatusOpen, ErrMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := dbtest.SQLite(t)
			s, _ := testService(t, stripemock.URL(t))
			p := openPayment(t, db, s)
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || r.URL.Path != "/v1/checkout/sessions/"+p.SessionID {
					http.Error(w, `{"error":{"type":"invalid_request_error"}}`, http.StatusNotFound)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"id":"` + p.SessionID + `","object":"checkout.session","status":"` + tc.status +
					`","payment_status":"` + tc.paymentStatus + `","amount_total":` + strconv.FormatInt(tc.amount, 10) +
					`,"currency":"vnd","payment_intent":"pi_sync"}`))
			}))
			defer fake.Close()
			s = testServiceWith(t, fake.URL, nil)
			_, err := s.Sync(context.Background(), db, p.Ref)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("Sync error = %v, want %v", err, tc.wantErr)
			}
			got := mustRef(t, db, p.Ref)
			if got.Status != tc.want {
				t.Errorf("status = %s, want %s", got.Status, tc.want)
			}
			if tc.want == StatusPaid && (got.PaidAt.IsZero() || got.PaymentIntentID != "pi_sync") {
				t.Errorf("paid at %v intent %q, want a time and pi_sync", got.PaidAt, got.PaymentIntentID)
			}
		})
	}
}

// TestSyncStripeMock: stripe-mock always says open/unpaid, so the page
// keeps waiting and nothing changes.
func TestSyncStripeMock(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	s, rec := testService(t, stripemock.URL(t))
	p := openPayment(t, db, s)
	got, err := s.Sync(context.Background(), db, p.Ref)
	if err != nil || got.Status != StatusOpen {
		t.Fatalf("Sync = %s, %v; want open", got.Status, err)
	}
	last := rec.Requests()[len(rec.Requests())-1]
	if last.Method != http.MethodGet || last.Path != "/v1/checkout/sessions/"+p.SessionID {
		t.Errorf("last request %s %s, want GET of the stored session %s", last.Method, last.Path, p.SessionID)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	base := stripemock.URL(t)
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, rec := testService(t, base)
		created := newPayment(t, db, s)
		if err := s.Cancel(ctx, db, created.Ref); err != nil {
			t.Fatal(err)
		}
		if got := mustRef(t, db, created.Ref); got.Status != StatusCanceled || got.ClosedAt.IsZero() {
			t.Errorf("canceled created payment: %s closed %v", got.Status, got.ClosedAt)
		}
		open := openPayment(t, db, s)
		if err := s.Cancel(ctx, db, open.Ref); err != nil {
			t.Fatal(err)
		}
		last := rec.Requests()[len(rec.Requests())-1]
		if last.Path != "/v1/checkout/sessions/"+open.SessionID+"/expire" {
			t.Errorf("cancel sent %s, want the session's expire", last.Path)
		}
		if got := mustRef(t, db, open.Ref); got.Status != StatusCanceled {
			t.Errorf("canceled open payment: %s", got.Status)
		}
		if err := s.Cancel(ctx, db, open.Ref); !errors.Is(err, ErrNotCancelable) {
			t.Errorf("second Cancel: %v, want ErrNotCancelable", err)
		}
	})
}
