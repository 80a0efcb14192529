package server

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Session lifetimes (OWASP ASVS 5, level 2): ended after 30 idle minutes
// and, whatever happens, 12 hours after it began.
const (
	sessionIdle     = 30 * time.Minute
	sessionLifetime = 12 * time.Hour
)

// newSessions configures scs over the database store. Over HTTPS the cookie
// takes the __Host- prefix, which browsers accept only when Secure, without
// Domain and with Path=/.
func newSessions(store scs.CtxStore, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = sessionIdle
	sm.Lifetime = sessionLifetime
	sm.Cookie.Name = "session"
	if secure {
		sm.Cookie.Name = "__Host-session"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	return sm
}
