package stripemock

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

func post(t *testing.T, c *http.Client, u, key string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(url.Values{"payment_intent": {"pi_123"}, "amount": {"1000"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(TestKey, "")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", u, res.StatusCode, b)
	}
	return string(b)
}

// TestRecorderReplays: stripe-mock answers every request anew; the
// recorder, like Stripe, answers a repeated idempotency key with the
// first answer and records every request.
func TestRecorderReplays(t *testing.T) {
	base := URL(t)
	rec := NewRecorder()
	c := rec.Client()
	first := post(t, c, base+"/v1/refunds", "k1")
	if again := post(t, c, base+"/v1/refunds", "k1"); again != first {
		t.Errorf("same key answered differently:\n%s\n%s", first, again)
	}
	post(t, c, base+"/v1/refunds", "k2")
	reqs := rec.Requests()
	if len(reqs) != 3 || reqs[0].Form.Get("amount") != "1000" || reqs[2].IdempotencyKey != "k2" || reqs[0].Path != "/v1/refunds" {
		t.Errorf("recorded %+v", reqs)
	}
}

func TestSignVerifies(t *testing.T) {
	body := Event("evt_1", "checkout.session.completed", time.Now(), Session("cs_1", "REF", "complete", "paid", 50000, "pi_1"))
	ev, err := webhook.ConstructEvent(body, Sign(body, WebhookSecret, time.Time{}), WebhookSecret)
	if err != nil || ev.ID != "evt_1" {
		t.Errorf("ConstructEvent = %v, %v", ev.ID, err)
	}
}
