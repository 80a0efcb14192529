package payments

import (
	"errors"
	"strings"
	"testing"
	"time"

	"digiportal/payments/stripemock"
)

func verifier(t testing.TB) *Service {
	t.Helper()
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return NewService(nil, stripemock.WebhookSecret, cat)
}

func completedEvent(ref string) []byte {
	return stripemock.Event("evt_1completed", EventSessionCompleted, time.Now(),
		stripemock.Session("cs_test_1", ref, "complete", "paid", 200000, "pi_1"))
}

func TestVerifyEvent(t *testing.T) {
	t.Parallel()
	s := verifier(t)
	ref := NewRef()
	body := completedEvent(ref)
	good := stripemock.Sign(body, stripemock.WebhookSecret, time.Time{})
	altered := []byte(strings.Replace(string(body), "200000", "2000", 1))
	for _, tc := range []struct {
		name    string
		payload []byte
		header  string
		want    error
	}{
		{"signed now", body, good, nil},
		{"body altered after signing", altered, good, ErrBadSignature},
		{"stale timestamp", body, stripemock.Sign(body, stripemock.WebhookSecret, time.Now().Add(-WebhookTolerance-time.Minute)), ErrBadSignature},
		{"just inside the tolerance", body, stripemock.Sign(body, stripemock.WebhookSecret, time.Now().Add(-WebhookTolerance+30*time.Second)), nil},
		{"wrong secret", body, stripemock.Sign(body, "whsec_someone_else", time.Time{}), ErrBadSignature},
		{"no header", body, "", ErrBadSignature},
		{"garbage header", body, "t=abc,v1=zz", ErrBadSignature},
		{"signed but not JSON", []byte("not json"), stripemock.Sign([]byte("not json"), stripemock.WebhookSecret, time.Time{}), ErrBadEvent},
		{"session without status", signedOK(stripemock.Event("evt_2", EventSessionCompleted, time.Now(), map[string]any{"object": "checkout.session", "id": "cs_1"})), "", ErrBadEvent},
		{"charge posing as a session", signedOK(stripemock.Event("evt_3", EventSessionCompleted, time.Now(), stripemock.Charge("ch_1", ref, "pi_1", 200000, 0))), "", ErrBadEvent},
		{"bad event id", signedOK(stripemock.Event("x'; drop", EventSessionCompleted, time.Now(), stripemock.Session("cs_test_1", ref, "complete", "paid", 200000, "pi_1"))), "", ErrBadEvent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			payload, header := tc.payload, tc.header
			if header == "" && tc.name != "no header" {
				payload, header = splitSigned(tc.payload)
			}
			ev, err := s.VerifyEvent(payload, header)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("VerifyEvent error = %v, want %v", err, tc.want)
			}
			if err == nil && (ev.Session == nil || ev.Session.ref() != ref || ev.Session.AmountTotal != 200000 || ev.Session.PaymentIntentID != "pi_1") {
				t.Errorf("event read as %+v / %+v", ev, ev.Session)
			}
		})
	}
}

// signedOK packs a payload with a good signature for splitSigned.
func signedOK(payload []byte) []byte {
	return append([]byte(stripemock.Sign(payload, stripemock.WebhookSecret, time.Time{})+"\n"), payload...)
}

func splitSigned(b []byte) ([]byte, string) {
	header, payload, _ := strings.Cut(string(b), "\n")
	return []byte(payload), header
}

// TestVerifyEventAPIVersion: the deliberate decision documented on
// VerifyEvent. An event in another API version is accepted and read the
// same way, because only fields stable across versions are read.
func TestVerifyEventAPIVersion(t *testing.T) {
	t.Parallel()
	s := verifier(t)
	ref := NewRef()
	for _, v := range []string{"2023-10-16", "2020-08-27", "2025-03-31.basil"} {
		body := stripemock.EventVersion("evt_v", EventSessionCompleted, v, time.Now(),
			stripemock.Session("cs_test_1", ref, "complete", "paid", 200000, "pi_1"))
		ev, err := s.VerifyEvent(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}))
		if err != nil {
			t.Errorf("API version %s: %v, want accepted", v, err)
			continue
		}
		if ev.APIVersion != v || ev.Session.ref() != ref {
			t.Errorf("API version %s read as %q ref %q", v, ev.APIVersion, ev.Session.ref())
		}
	}
}

func TestVerifyEventUnconfigured(t *testing.T) {
	t.Parallel()
	s := NewService(nil, "", nil)
	body := completedEvent(NewRef())
	if _, err := s.VerifyEvent(body, stripemock.Sign(body, "", time.Time{})); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("VerifyEvent without a secret: %v, want ErrNotConfigured", err)
	}
}

func TestUnhandledTypeIsRead(t *testing.T) {
	t.Parallel()
	s := verifier(t)
	body := stripemock.Event("evt_customer", "customer.created", time.Now(), map[string]any{"object": "customer", "id": "cus_1"})
	ev, err := s.VerifyEvent(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}))
	if err != nil || ev.Session != nil || ev.Charge != nil {
		t.Errorf("customer.created: %+v, %v; want an event with nothing to act on", ev, err)
	}
}

// FuzzVerifyEvent feeds signed bodies of any shape through verification
// and reading: it must never panic, and what it accepts must be complete.
func FuzzVerifyEvent(f *testing.F) {
	ref := "DEM0PA1D000000000001"
	for _, b := range [][]byte{
		completedEvent(ref),
		stripemock.Event("evt_r", EventChargeRefunded, time.Now(), stripemock.Charge("ch_1", ref, "pi_1", 200000, 50000)),
		stripemock.Event("evt_e", EventSessionExpired, time.Now(), stripemock.Session("cs_1", ref, "expired", "unpaid", 200000, "")),
		[]byte(`{"id":"evt_1","type":"charge.refunded","created":1,"data":{"object":{"object":"charge","payment_intent":{"id":5}}}}`),
		[]byte(`{}`), []byte(`null`), []byte(``),
	} {
		f.Add(b, true)
	}
	s := verifier(f)
	f.Fuzz(func(t *testing.T, body []byte, sign bool) {
		header := "t=1,v1=00"
		if sign {
			header = stripemock.Sign(body, stripemock.WebhookSecret, time.Time{})
		}
		ev, err := s.VerifyEvent(body, header)
		if err != nil {
			if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrBadEvent) {
				t.Fatalf("error %v is neither ErrBadSignature nor ErrBadEvent", err)
			}
			return
		}
		if !sign {
			t.Fatal("an unsigned body was accepted")
		}
		if !validEventID(ev.ID) || ev.Type == "" || ev.Created.IsZero() {
			t.Fatalf("accepted an incomplete event %+v", ev)
		}
		if ev.Session != nil && (ev.Session.ID == "" || ev.Session.Status == "") {
			t.Fatalf("accepted an incomplete session %+v", ev.Session)
		}
		if ev.Charge != nil && (ev.Charge.Amount <= 0 || ev.Charge.AmountRefunded > ev.Charge.Amount) {
			t.Fatalf("accepted an inconsistent charge %+v", ev.Charge)
		}
	})
}
