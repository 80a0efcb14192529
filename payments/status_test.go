package payments

import (
	"errors"
	"slices"
	"testing"
)

func TestCheckTransition(t *testing.T) {
	t.Parallel()
	allowed := map[[2]Status]bool{
		{StatusCreated, StatusOpen}:                        true,
		{StatusCreated, StatusCanceled}:                    true,
		{StatusOpen, StatusPaid}:                           true,
		{StatusOpen, StatusExpired}:                        true,
		{StatusOpen, StatusCanceled}:                       true,
		{StatusOpen, StatusFailed}:                         true,
		{StatusPaid, StatusPartiallyRefunded}:              true,
		{StatusPaid, StatusRefunded}:                       true,
		{StatusPartiallyRefunded, StatusPartiallyRefunded}: true,
		{StatusPartiallyRefunded, StatusRefunded}:          true,
	}
	for _, from := range Statuses() {
		for _, to := range Statuses() {
			err := CheckTransition(from, to)
			want := allowed[[2]Status{from, to}]
			if got := err == nil; got != want {
				t.Errorf("CheckTransition(%s, %s) = %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && !errors.Is(err, ErrIllegalTransition) {
				t.Errorf("CheckTransition(%s, %s) error %v does not wrap ErrIllegalTransition", from, to, err)
			}
		}
	}
	if err := CheckTransition("bogus", StatusOpen); err == nil {
		t.Error("CheckTransition from an unknown status succeeded")
	}
}

// TestForwardOnly: no status can be reached again once left, except the
// partial refund that may follow another.
func TestForwardOnly(t *testing.T) {
	t.Parallel()
	for _, from := range Statuses() {
		for _, next := range transitions[from] {
			if next == from {
				continue
			}
			if path := PathTo(next, from); path != nil {
				t.Errorf("%s → %s, and back again by %v", from, next, path)
			}
		}
	}
}

func TestPathTo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, to Status
		want     []Status
	}{
		{StatusOpen, StatusPaid, []Status{StatusPaid}},
		{StatusCreated, StatusPaid, []Status{StatusOpen, StatusPaid}},
		{StatusOpen, StatusRefunded, []Status{StatusPaid, StatusRefunded}},
		{StatusCreated, StatusExpired, []Status{StatusOpen, StatusExpired}},
		{StatusPartiallyRefunded, StatusPartiallyRefunded, []Status{StatusPartiallyRefunded}},
		{StatusPaid, StatusExpired, nil},
		{StatusPaid, StatusPaid, nil},
		{StatusRefunded, StatusPaid, nil},
		{StatusExpired, StatusPaid, nil},
		{StatusCanceled, StatusRefunded, nil},
	} {
		if got := PathTo(tc.from, tc.to); !slices.Equal(got, tc.want) {
			t.Errorf("PathTo(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestStatusKinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s              Status
		final, settled bool
	}{
		{StatusCreated, false, false},
		{StatusOpen, false, false},
		{StatusPaid, false, true},
		{StatusPartiallyRefunded, false, true},
		{StatusRefunded, true, true},
		{StatusExpired, true, false},
		{StatusCanceled, true, false},
		{StatusFailed, true, false},
	} {
		if got := tc.s.Final(); got != tc.final {
			t.Errorf("%s.Final() = %v, want %v", tc.s, got, tc.final)
		}
		if got := tc.s.Settled(); got != tc.settled {
			t.Errorf("%s.Settled() = %v, want %v", tc.s, got, tc.settled)
		}
	}
	if Status("bogus").Valid() {
		t.Error(`Status("bogus").Valid() = true`)
	}
}
