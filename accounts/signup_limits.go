package accounts

import "time"

// Sign-ups are limited like guesses, except that every sign-up counts,
// not only failures: an address may open a few accounts an hour (a
// community digital technology team's helper signing residents up at the
// commune office), a network somewhat more, and beyond that each further
// sign-up waits longer. Without this one address opened 260 accounts in
// under a minute, and probed which addresses already had one.

// SignUpAddressThrottle is the limit per client address (its /64 for
// IPv6): 10 sign-ups an hour, then 1 min, 2 min… up to an hour.
func SignUpAddressThrottle() *Throttle {
	return &Throttle{Free: 10, Base: time.Minute, Max: time.Hour, Window: time.Hour, nowFunc: time.Now}
}

// SignUpNetworkThrottle is the limit per network (NetworkKey: an IPv4
// /24, an IPv6 /48): 30 sign-ups an hour, then the same waits.
func SignUpNetworkThrottle() *Throttle {
	return &Throttle{Free: 30, Base: time.Minute, Max: time.Hour, Window: time.Hour, nowFunc: time.Now}
}

// SignUpMailThrottle is the limit per e-mail address typed: 3 messages an
// hour, so that nobody can fill someone's mailbox through the sign-up form.
func SignUpMailThrottle() *Throttle {
	return &Throttle{Free: 3, Base: 10 * time.Minute, Max: time.Hour, Window: time.Hour, nowFunc: time.Now}
}
