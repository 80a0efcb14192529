package stripemock

import (
	"encoding/json"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// stripe-mock sends no webhooks, so tests make the events Stripe would
// send and sign them with webhook.GenerateTestSignedPayload.

// WebhookSecret is a signing secret for tests.
const WebhookSecret = "whsec_digiportal_test_secret"

// Event returns the JSON of a Stripe event of type typ carrying object,
// written in stripe-go's API version and created at created.
func Event(id, typ string, created time.Time, object map[string]any) []byte {
	return EventVersion(id, typ, stripe.APIVersion, created, object)
}

// EventVersion is Event in another API version.
func EventVersion(id, typ, apiVersion string, created time.Time, object map[string]any) []byte {
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": apiVersion, "created": created.Unix(),
		"livemode": false, "pending_webhooks": 1, "type": typ,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data":    map[string]any{"object": object},
	})
	if err != nil {
		panic(err) // only maps of plain values are marshalled
	}
	return b
}

// Sign returns the Stripe-Signature header for payload signed with secret
// at the given time (now when zero).
func Sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at,
	}).Header
}

// Session returns a checkout.session object as Stripe sends it in events.
func Session(id, ref, status, paymentStatus string, amount int64, paymentIntent string) map[string]any {
	var pi any
	if paymentIntent != "" {
		pi = paymentIntent
	}
	return map[string]any{
		"id": id, "object": "checkout.session", "client_reference_id": ref,
		"status": status, "payment_status": paymentStatus, "mode": "payment",
		"amount_total": amount, "amount_subtotal": amount, "currency": "vnd",
		"payment_intent": pi, "livemode": false,
		"metadata": map[string]any{"payment_ref": ref, "practice": "true"},
	}
}

// Charge returns a charge object as Stripe sends it in charge.refunded.
func Charge(id, ref, paymentIntent string, amount, refunded int64) map[string]any {
	return map[string]any{
		"id": id, "object": "charge", "amount": amount, "amount_captured": amount,
		"amount_refunded": refunded, "currency": "vnd", "paid": true,
		"refunded": refunded == amount, "payment_intent": paymentIntent, "livemode": false,
		"metadata": map[string]any{"payment_ref": ref},
	}
}
