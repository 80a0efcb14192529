package server

import (
	"net/http"
	"time"

	"digiportal/accounts"
)

// signupLimits are the sign-up form's limits: per client address, per
// network and per e-mail address typed.
type signupLimits struct {
	perAddress, perNetwork, perEmail *accounts.Throttle
}

func newSignupLimits() *signupLimits {
	return &signupLimits{perAddress: accounts.SignUpAddressThrottle(), perNetwork: accounts.SignUpNetworkThrottle(),
		perEmail: accounts.SignUpMailThrottle()}
}

// signupAdmit counts a sign-up from r's client on its address and its
// network. Every sign-up counts, and the first one past a limit's free
// ones is refused already (a throttle lets the try that starts a wait
// through, as a guess must be checked to be counted; a sign-up need not
// be). A refusal returns how long to wait, and counts nothing on the
// network when the address alone refused it.
func (s *accountsPart) signupAdmit(r *http.Request) (time.Duration, error) {
	ctx, ip := r.Context(), clientIP(r)
	for _, l := range []struct {
		t   *accounts.Throttle
		key string
	}{{s.signups.perAddress, "signup-addr:" + accounts.AddressKey(ip)}, {s.signups.perNetwork, "signup-net:" + accounts.NetworkKey(ip)}} {
		refused, penalty, err := l.t.Attempt(ctx, s.db, l.key)
		if err != nil {
			return 0, err
		}
		if wait := max(refused, penalty); wait > 0 {
			return wait, nil
		}
	}
	return 0, nil
}
