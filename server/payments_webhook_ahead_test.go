package server

import (
	"net/http"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/payments"
	"digiportal/payments/stripemock"
)

// TestWebhookDatedAhead: a correctly signed event dated ten minutes ahead
// is refused (400) and changes nothing; the same event dated one minute
// ahead, as a clock a little fast would date it, is applied.
func TestWebhookDatedAhead(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := paymentsServer(t, db)
	ref := startPayment(t, ts, "en")
	ts.post("/en/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	body := completedFor(payment(t, db, ref), "evt_ahead")

	ts.postWebhook(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Now().Add(10*time.Minute))).
		mustStatus(t, http.StatusBadRequest)
	if got := payment(t, db, ref).Status; got != payments.StatusOpen {
		t.Fatalf("an event dated +10 min moved the payment to %s, want it still open", got)
	}
	ts.postWebhook(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Now().Add(time.Minute))).
		mustStatus(t, http.StatusOK)
	if got := payment(t, db, ref).Status; got != payments.StatusPaid {
		t.Fatalf("an event dated +1 min left the payment %s, want paid", got)
	}
}
