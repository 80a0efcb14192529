package server

import (
	"bytes"
	"net/http"
	"net/netip"
	"reflect"
	"strings"

	"github.com/alexedwards/scs/v2"

	"digiportal/database"
)

// Session keys of what a user sees of their session in the list of their
// sessions: the browser, the network it came from, when it was last used.
const (
	sessDevice  = "device"
	sessNetwork = "network"
)

// noteSession records, for a signed-in user, the browser and the network of
// the request, which the session store copies to its columns
// (describeSession) for the list of the user's sessions; the store stamps
// when it wrote. The time is not kept in the session itself: a value that
// changed every minute made every page view a change to write, which the
// store cannot drop while an import holds SQLite's write lock.
func (s *web) noteSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.currentUser(r) != nil {
			ctx := r.Context()
			s.sessions.Put(ctx, sessDevice, deviceOf(r.UserAgent()))
			s.sessions.Put(ctx, sessNetwork, networkOf(clientIP(r)))
		}
		next.ServeHTTP(w, r)
	})
}

// sameSession reports whether two stored sessions hold the same values
// and deadline: gob writes a map in no fixed order, so equal sessions are
// not always equal bytes.
func sameSession(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	da, va, err1 := scs.GobCodec{}.Decode(a)
	db, vb, err2 := scs.GobCodec{}.Decode(b)
	return err1 == nil && err2 == nil && da.Equal(db) && reflect.DeepEqual(va, vb)
}

// describeSession reads from a session's stored data whose it is and where
// it was last used. Data it cannot read describes a visitor's session.
func describeSession(data []byte) database.SessionMeta {
	_, values, err := scs.GobCodec{}.Decode(data)
	if err != nil {
		return database.SessionMeta{}
	}
	var m database.SessionMeta
	m.UserID, _ = values[sessUserID].(int64)
	if m.UserID == 0 {
		return database.SessionMeta{}
	}
	m.Device, _ = values[sessDevice].(string)
	m.Address, _ = values[sessNetwork].(string)
	return m
}

// networkOf is the network an address belongs to, as near as the portal
// says where a session is without asking anyone: the /24 of an IPv4
// address, the /48 of an IPv6 one. A house, a street or a provider, not a
// person.
func networkOf(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

// browsers and systems name the common browsers and systems by a word of
// their User-Agent, in the order to test them (Edge and Cốc Cốc say Chrome
// too; Chrome says Safari; Android says Linux).
var (
	browsers = []struct{ token, name string }{
		{"edg/", "Edge"}, {"coc_coc", "Cốc Cốc"}, {"opr/", "Opera"}, {"samsungbrowser", "Samsung Internet"},
		{"firefox/", "Firefox"}, {"fxios", "Firefox"}, {"crios", "Chrome"}, {"chrome/", "Chrome"}, {"safari/", "Safari"},
	}
	systems = []struct{ token, name string }{
		{"android", "Android"}, {"iphone", "iOS"}, {"ipad", "iPadOS"}, {"windows", "Windows"},
		{"mac os x", "macOS"}, {"cros", "ChromeOS"}, {"linux", "Linux"},
	}
)

// deviceOf names the browser and system of a User-Agent ("Chrome, Android"),
// and keeps nothing else of it: the full string says more about a person
// than a list of sessions needs. Empty when neither is known.
func deviceOf(ua string) string {
	if len(ua) > 512 {
		ua = ua[:512]
	}
	ua = strings.ToLower(ua)
	var parts []string
	for _, b := range browsers {
		if strings.Contains(ua, b.token) {
			parts = append(parts, b.name)
			break
		}
	}
	for _, o := range systems {
		if strings.Contains(ua, o.token) {
			parts = append(parts, o.name)
			break
		}
	}
	return strings.Join(parts, ", ")
}
