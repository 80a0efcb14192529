package payments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

// WebhookTolerance is how old a signed event may be: Stripe's default, five
// minutes, which bounds the window for replaying a captured request.
const WebhookTolerance = 300 * time.Second

// MaxEventBytes bounds the body of a webhook request. Stripe's largest
// event payloads of the types handled here are a few tens of kilobytes.
const MaxEventBytes = 256 << 10

// The event types the practice acts on.
const (
	EventSessionCompleted      = "checkout.session.completed"
	EventSessionAsyncSucceeded = "checkout.session.async_payment_succeeded"
	EventSessionAsyncFailed    = "checkout.session.async_payment_failed"
	EventSessionExpired        = "checkout.session.expired"
	EventChargeRefunded        = "charge.refunded"
	EventRefundCreated         = "refund.created"
	EventRefundUpdated         = "refund.updated"
	EventRefundFailed          = "refund.failed"
	EventChargeRefundUpdated   = "charge.refund.updated" // the older name of refund.updated
	EventDisputeCreated        = "charge.dispute.created"
)

// Errors of event verification.
var (
	// ErrBadSignature: missing or malformed signature header, no valid
	// signature for our secret, or a timestamp outside the tolerance.
	ErrBadSignature = errors.New("payments: webhook signature not valid")
	// ErrBadEvent: signed, but not an event the practice can read.
	ErrBadEvent = errors.New("payments: webhook event not readable")
)

// Event is a verified Stripe event, reduced to what the practice reads.
type Event struct {
	ID         string
	Type       string
	APIVersion string
	Created    time.Time
	Livemode   bool
	Session    *sessionObject // checkout.session.* events
	Charge     *chargeObject  // charge.refunded
	Refund     *refundObject  // refund.* and charge.refund.updated
	Dispute    *disputeObject // charge.dispute.created
}

// VerifyEvent checks the Stripe-Signature header of payload against the
// webhook secret and reads the event.
//
// API version: the event is accepted whatever API version Stripe wrote it
// in (IgnoreAPIVersionMismatch). stripe-go v76 speaks 2023-10-16, but
// Stripe writes events in the version of the webhook endpoint, or of the
// account when the endpoint has none, and a province's account may well be
// newer. Refusing those events would leave every payment unconfirmed while
// Stripe retried for days. That is safe here because nothing is decoded
// through stripe-go's typed objects: the few fields read below (id,
// status, payment_status, client_reference_id, amount_total, currency,
// payment_intent, metadata, amount, amount_refunded) are unchanged across
// API versions, and each is checked: a missing or mistyped one makes the
// event unreadable (400), never a guess. The version is stored with each
// event so an operator can see it.
func (s *Service) VerifyEvent(payload []byte, header string) (*Event, error) {
	if s.webhookSecret == "" {
		return nil, ErrNotConfigured
	}
	se, err := webhook.ConstructEventWithOptions(payload, header, s.webhookSecret, webhook.ConstructEventOptions{
		Tolerance:                WebhookTolerance,
		IgnoreAPIVersionMismatch: true,
	})
	if err != nil {
		switch {
		case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader),
			errors.Is(err, webhook.ErrNoValidSignature), errors.Is(err, webhook.ErrTooOld):
			return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrBadEvent, err)
	}
	if err := checkNotAhead(header, time.Now()); err != nil {
		return nil, err
	}
	ev := &Event{ID: se.ID, Type: string(se.Type), APIVersion: se.APIVersion, Created: time.Unix(se.Created, 0).UTC(), Livemode: se.Livemode}
	if !validEventID(ev.ID) || ev.Type == "" || se.Created <= 0 || se.Data == nil {
		return nil, fmt.Errorf("%w: id, type, created or data missing", ErrBadEvent)
	}
	switch ev.Type {
	case EventSessionCompleted, EventSessionAsyncSucceeded, EventSessionAsyncFailed, EventSessionExpired:
		ev.Session = new(sessionObject)
		err = decodeObject(se.Data.Raw, "checkout.session", ev.Session)
	case EventChargeRefunded:
		ev.Charge = new(chargeObject)
		err = decodeObject(se.Data.Raw, "charge", ev.Charge)
	case EventRefundCreated, EventRefundUpdated, EventRefundFailed, EventChargeRefundUpdated:
		ev.Refund = new(refundObject)
		err = decodeObject(se.Data.Raw, "refund", ev.Refund)
	case EventDisputeCreated:
		ev.Dispute = new(disputeObject)
		err = decodeObject(se.Data.Raw, "dispute", ev.Dispute)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadEvent, ev.Type, err)
	}
	return ev, nil
}

// validEventID accepts Stripe's event IDs (evt_…) of a sane length.
func validEventID(id string) bool {
	if len(id) < 5 || len(id) > 255 || id[:4] != "evt_" {
		return false
	}
	for _, r := range id {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// validStripeID accepts Stripe's object IDs (re_…, dp_…, pi_…, cs_…):
// letters, digits and underscores, of a sane length. Nothing else is
// stored or looked up.
func validStripeID(id string) bool {
	if id == "" || len(id) > 255 {
		return false
	}
	for _, r := range id {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// decodeObject reads an event's data.object into dst, checking its kind.
func decodeObject(raw []byte, kind string, dst interface{ check() error }) error {
	var head struct {
		Object string `json:"object"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return err
	}
	if head.Object != kind {
		return fmt.Errorf("object is %q, want %q", head.Object, kind)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return err
	}
	return dst.check()
}

// expandable reads a Stripe field that is either an ID or, when expanded,
// an object with an id; null gives "".
type expandable string

func (e *expandable) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*e = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*e = expandable(s)
		return nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*e = expandable(obj.ID)
	return nil
}

// sessionObject is what the practice reads of a Checkout Session.
type sessionObject struct {
	ID                string            `json:"id"`
	ClientReferenceID string            `json:"client_reference_id"`
	Status            string            `json:"status"`
	PaymentStatus     string            `json:"payment_status"`
	AmountTotal       int64             `json:"amount_total"`
	Currency          string            `json:"currency"`
	PaymentIntent     expandable        `json:"payment_intent"`
	Metadata          map[string]string `json:"metadata"`
	PaymentIntentID   string            `json:"-"`
}

func (o *sessionObject) check() error {
	o.PaymentIntentID = string(o.PaymentIntent)
	if o.ID == "" || o.Status == "" || o.PaymentStatus == "" {
		return errors.New("session id, status or payment_status missing")
	}
	if !validStripeID(o.ID) || (o.PaymentIntentID != "" && !validStripeID(o.PaymentIntentID)) {
		return errors.New("session or payment intent id malformed")
	}
	return nil
}

// ref is the payment reference the session carries, from
// client_reference_id or else from its metadata.
func (o *sessionObject) ref() string {
	if o.ClientReferenceID != "" {
		return o.ClientReferenceID
	}
	return o.Metadata[MetadataRef]
}

// target is the status the session's state (and, for events, the event
// type) asks for. ok is false when it asks for nothing we act on. A
// payment is paid only when the session is complete AND paid.
func (o *sessionObject) target(eventType string) (Status, bool) {
	paid := o.Status == "complete" && o.PaymentStatus == "paid"
	switch eventType {
	case EventSessionCompleted, EventSessionAsyncSucceeded:
		if paid {
			return StatusPaid, true
		}
		if eventType == EventSessionCompleted && o.PaymentStatus == "unpaid" {
			return StatusOpen, true // a delayed method: the money is still on its way
		}
		return "", false
	case EventSessionAsyncFailed:
		return StatusFailed, true
	case EventSessionExpired:
		return StatusExpired, true
	case "": // a session fetched from Stripe
		switch {
		case paid:
			return StatusPaid, true
		case o.Status == "expired":
			return StatusExpired, true
		case o.Status == "open" || o.Status == "complete":
			return StatusOpen, true
		}
	}
	return "", false
}

// matches checks that the session is the payment's and, for a payment,
// that the amount and currency are the ones we asked for.
func (o *sessionObject) matches(p *Payment, target Status) error {
	if p.SessionID != "" && o.ID != p.SessionID {
		return fmt.Errorf("%w: session %s, payment has %s", ErrMismatch, o.ID, p.SessionID)
	}
	if target == StatusPaid && (o.AmountTotal != p.Amount || o.Currency != p.Currency) {
		return fmt.Errorf("%w: paid %d %s, payment is %d %s", ErrMismatch, o.AmountTotal, o.Currency, p.Amount, p.Currency)
	}
	return nil
}

// chargeObject is what the practice reads of a Charge.
type chargeObject struct {
	ID              string            `json:"id"`
	Amount          int64             `json:"amount"`
	AmountRefunded  int64             `json:"amount_refunded"`
	Currency        string            `json:"currency"`
	PaymentIntent   expandable        `json:"payment_intent"`
	Metadata        map[string]string `json:"metadata"`
	PaymentIntentID string            `json:"-"`
	// Refunds is the charge's refunds when Stripe includes them (API
	// versions before 2022-11-15, or expanded); absent otherwise.
	Refunds *struct {
		Data []refundObject `json:"data"`
	} `json:"refunds"`
}

// maxListedRefunds bounds the refunds read from one charge.
const maxListedRefunds = 100

func (o *chargeObject) check() error {
	o.PaymentIntentID = string(o.PaymentIntent)
	if o.ID == "" || o.Amount <= 0 || o.AmountRefunded < 0 || o.AmountRefunded > o.Amount {
		return errors.New("charge id or amounts missing or inconsistent")
	}
	if o.PaymentIntentID != "" && !validStripeID(o.PaymentIntentID) {
		return errors.New("payment intent id malformed")
	}
	if o.Refunds != nil {
		if len(o.Refunds.Data) > maxListedRefunds {
			return errors.New("too many refunds listed")
		}
		for i := range o.Refunds.Data {
			if err := o.Refunds.Data[i].check(); err != nil {
				return err
			}
			if o.Refunds.Data[i].Currency != o.Currency {
				return errors.New("refund currency differs from the charge's")
			}
		}
	}
	return nil
}

// refundObject is what the practice reads of a Refund.
type refundObject struct {
	ID              string            `json:"id"`
	Amount          int64             `json:"amount"`
	Currency        string            `json:"currency"`
	Status          string            `json:"status"`
	Reason          string            `json:"reason"`
	PaymentIntent   expandable        `json:"payment_intent"`
	Metadata        map[string]string `json:"metadata"`
	PaymentIntentID string            `json:"-"`
}

func (o *refundObject) check() error {
	o.PaymentIntentID = string(o.PaymentIntent)
	if !validStripeID(o.ID) || o.Amount <= 0 || o.Status == "" || (o.PaymentIntentID != "" && !validStripeID(o.PaymentIntentID)) {
		return errors.New("refund id, amount or status missing or malformed")
	}
	return nil
}

// disputeObject is what the practice reads of a Dispute.
type disputeObject struct {
	ID              string            `json:"id"`
	Amount          int64             `json:"amount"`
	Currency        string            `json:"currency"`
	Reason          string            `json:"reason"`
	PaymentIntent   expandable        `json:"payment_intent"`
	Metadata        map[string]string `json:"metadata"`
	PaymentIntentID string            `json:"-"`
}

func (o *disputeObject) check() error {
	o.PaymentIntentID = string(o.PaymentIntent)
	if !validStripeID(o.ID) || o.Amount <= 0 || (o.PaymentIntentID != "" && !validStripeID(o.PaymentIntentID)) {
		return errors.New("dispute id or amount missing or malformed")
	}
	return nil
}

// matches checks the charge is for the payment's amount, currency and
// PaymentIntent.
func (o *chargeObject) matches(p *Payment) error {
	if o.Amount != p.Amount || o.Currency != p.Currency {
		return fmt.Errorf("%w: charge %d %s, payment is %d %s", ErrMismatch, o.Amount, o.Currency, p.Amount, p.Currency)
	}
	if p.PaymentIntentID != "" && o.PaymentIntentID != "" && o.PaymentIntentID != p.PaymentIntentID {
		return fmt.Errorf("%w: charge of %s, payment has %s", ErrMismatch, o.PaymentIntentID, p.PaymentIntentID)
	}
	return nil
}
