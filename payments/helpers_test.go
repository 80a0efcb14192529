package payments

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
	"digiportal/payments/stripemock"
)

// testService returns a service whose Stripe client talks to base through
// a recorder.
func testService(t testing.TB, base string) (*Service, *stripemock.Recorder) {
	t.Helper()
	rec := stripemock.NewRecorder()
	return testServiceWith(t, base, rec.Client()), rec
}

func testServiceWith(t testing.TB, base string, hc *http.Client) *Service {
	t.Helper()
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	api, err := NewClient(stripemock.TestKey, base, ClientOptions{HTTPClient: hc, NoRetries: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return NewService(api, stripemock.WebhookSecret, cat)
}

// newPayment creates a payment of the judicial-record fee (200.000 ₫).
func newPayment(t testing.TB, db bun.IDB, s *Service) *Payment {
	t.Helper()
	fee, err := s.Catalogue().Fee("ly-lich-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	p, err := CreatePayment(context.Background(), db, fee, i18n.VI, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func checkoutRequest(ref string) CheckoutRequest {
	return CheckoutRequest{
		Ref: ref, Lang: i18n.VI, ProductName: "Cấp Phiếu lý lịch tư pháp (luyện tập)",
		Description: "Luyện tập, không mất tiền thật",
		SuccessURL:  "http://portal.test/vi/payments/" + ref + "?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:   "http://portal.test/vi/payments/" + ref + "?canceled=1",
	}
}

// mustRef reads a payment again.
func mustRef(t testing.TB, db bun.IDB, ref string) *Payment {
	t.Helper()
	p, err := PaymentByRef(context.Background(), db, ref)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// openPayment creates a payment and opens its Checkout Session.
func openPayment(t testing.TB, db *bun.DB, s *Service) *Payment {
	t.Helper()
	p := newPayment(t, db, s)
	if _, err := s.StartCheckout(context.Background(), db, checkoutRequest(p.Ref)); err != nil {
		t.Fatal(err)
	}
	return mustRef(t, db, p.Ref)
}
