package server

import (
	"net/http"
	"time"

	"digiportal/accounts"
)

type sessionsView struct {
	Page
	Sessions []sessionRow
	Ended    int64
	Done     bool // "end the others" just ran
}

// sessionRow is one of the user's sessions as the list shows it.
type sessionRow struct {
	Device   string
	Network  string
	LastSeen time.Time
	Current  bool
}

// accountSessions lists the signed-in user's sessions, this one first,
// with where and when each was last used, and a button that ends the
// others.
func (s *accountsPart) accountSessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.sessions.title")
	list, err := s.sessionStore.UserSessions(ctx, u.ID)
	if err != nil {
		return err
	}
	current := s.sessions.Token(ctx)
	v := &sessionsView{Page: p, Done: r.URL.Query().Get("ended") != ""}
	// This request's session may not be saved yet (its first request after
	// sign-in): it is listed all the same, from the request itself.
	v.Sessions = append(v.Sessions, sessionRow{Device: deviceOf(r.UserAgent()), Network: networkOf(clientIP(r)), LastSeen: time.Now(), Current: true})
	for _, us := range list {
		if us.Token == current {
			continue
		}
		v.Sessions = append(v.Sessions, sessionRow{Device: us.Device, Network: us.Address, LastSeen: us.LastSeen})
	}
	return s.render(w, r, "accounts-sessions", v)
}

// accountSessionsEndOthers ends every session of the user but this one.
func (s *accountsPart) accountSessionsEndOthers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if _, err := accounts.EndOtherSessions(ctx, s.db, s.actor(r), s.sessions.Token(ctx)); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/account/sessions?ended=1", http.StatusSeeOther)
	return nil
}
