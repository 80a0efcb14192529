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

// Refund returns a refund object as Stripe sends it in refund.* events and
// in a charge's refunds list. key is the portal's refund_key metadata
// ("" for a refund made in Stripe's Dashboard).
func Refund(id, ref, paymentIntent, key, status string, amount int64) map[string]any {
	meta := map[string]any{}
	if key != "" {
		meta["payment_ref"], meta["refund_key"] = ref, key
	}
	return map[string]any{
		"id": id, "object": "refund", "amount": amount, "currency": "vnd", "status": status,
		"reason": "requested_by_customer", "payment_intent": paymentIntent, "metadata": meta,
	}
}

// ChargeWithRefunds is Charge with its refunds listed, as Stripe includes
// them when the list is expanded or the API version predates 2022-11-15.
func ChargeWithRefunds(id, ref, paymentIntent string, amount, refunded int64, refunds ...map[string]any) map[string]any {
	c := Charge(id, ref, paymentIntent, amount, refunded)
	data := make([]any, len(refunds))
	for i, r := range refunds {
		data[i] = r
	}
	c["refunds"] = map[string]any{"object": "list", "data": data}
	return c
}

// Dispute returns a dispute object as Stripe sends it in
// charge.dispute.created.
func Dispute(id, paymentIntent string, amount int64) map[string]any {
	return map[string]any{
		"id": id, "object": "dispute", "amount": amount, "currency": "vnd", "reason": "fraudulent",
		"status": "needs_response", "payment_intent": paymentIntent, "metadata": map[string]any{},
	}
}
