package server

import (
	"net/http"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
)

// deviceCookieAge is how long a browser stays a known device after its
// last sign-in: a year, as OWASP's device cookies suggest; browsers cap
// cookies at 400 days anyway.
const deviceCookieAge = 365 * 24 * time.Hour

// deviceCookieName is the device cookie's name; over HTTPS it carries the
// __Host- prefix, so that no other site on the domain can set it.
func (s *web) deviceCookieName() string {
	if s.secure() {
		return "__Host-device"
	}
	return "device"
}

// deviceCookie is the request's device cookie, empty when it has none or
// an oversized one.
func (s *web) deviceCookie(r *http.Request) string {
	c, err := r.Cookie(s.deviceCookieName())
	if err != nil || len(c.Value) > accounts.DeviceCookieMax {
		return ""
	}
	return c.Value
}

// rememberDevice makes the browser a known device of u after a successful
// sign-in: its sign-ins are then throttled on their own, so that guesses
// from elsewhere never refuse u here.
func (s *web) rememberDevice(w http.ResponseWriter, r *http.Request, u *accounts.User) error {
	v, err := accounts.IssueDevice(r.Context(), s.db, u.Login(), s.deviceCookie(r))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.deviceCookieName(), Value: v, Path: "/", MaxAge: int(deviceCookieAge / time.Second),
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
	return nil
}

// slowedMessage says in plain words why a sign-in was slowed and what the
// person can do: wait, or sign in on a device they used before.
func slowedMessage(l *i18n.Localizer, te *accounts.ThrottledError) string {
	minutes := max(1, int((te.Wait+time.Minute-1)/time.Minute))
	switch te.Scope {
	case accounts.ScopeDevice:
		return l.N("abuse.signin.slowed_device", minutes)
	case accounts.ScopeAddress:
		return l.N("abuse.signin.slowed_address", minutes)
	}
	return l.N("abuse.signin.slowed_account", minutes)
}
