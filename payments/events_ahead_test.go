package payments

import (
	"errors"
	"testing"
	"time"

	"digiportal/payments/stripemock"
)

// TestVerifyEventFromTheFuture: stripe-go checks only that a signature is
// not too old; an event correctly signed for a time more than the
// tolerance ahead is refused too, and one a little ahead (a clock a minute
// fast) is accepted.
func TestVerifyEventFromTheFuture(t *testing.T) {
	t.Parallel()
	s := verifier(t)
	body := completedEvent(NewRef())
	for _, tc := range []struct {
		name  string
		ahead time.Duration
		want  error
	}{
		{"ten minutes ahead", 10 * time.Minute, ErrTooNew},
		{"just past the tolerance", WebhookTolerance + 30*time.Second, ErrTooNew},
		{"a day ahead", 24 * time.Hour, ErrTooNew},
		{"one minute ahead", time.Minute, nil},
		{"just inside the tolerance", WebhookTolerance - 30*time.Second, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.VerifyEvent(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Now().Add(tc.ahead)))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("VerifyEvent error = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrBadSignature) {
				t.Fatalf("VerifyEvent error = %v, want %v within ErrBadSignature", err, tc.want)
			}
		})
	}
}

// TestCheckNotAheadHeader: the timestamp is read as stripe-go reads it,
// the last t= of the header counting.
func TestCheckNotAheadHeader(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		header string
		ok     bool
	}{
		{"t=1800000000,v1=00", true},
		{"t=1800000600,v1=00", false},
		{"t=1800000000,v1=00,t=1800000600", false},
		{"t=1800000600,v1=00,t=1800000000", true},
		{"v1=00", false},
		{"t=x,v1=00", false},
	} {
		if err := checkNotAhead(tc.header, now); (err == nil) != tc.ok {
			t.Errorf("checkNotAhead(%q) = %v, want ok %v", tc.header, err, tc.ok)
		}
	}
}
