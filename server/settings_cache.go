package server

import (
	"context"
	"sync"
	"time"

	"digiportal/accounts"
)

// settingsTTL is how long the portal's settings are kept in memory. Every
// guarded request of a user without a second factor asked the database
// which roles must have one; now it asks once per TTL. A save on this
// instance forgets the copy at once; other instances see it within the TTL.
const settingsTTL = 10 * time.Second

// settingsCache keeps the settings read on every guarded request.
type settingsCache struct {
	mu   sync.Mutex
	totp map[accounts.Role]bool
	at   time.Time
}

// totpRequired is accounts.TOTPRequired, read at most once per
// settingsTTL. The map is shared: callers only read it.
func (s *web) totpRequired(ctx context.Context) (map[accounts.Role]bool, error) {
	c := &s.settings
	c.mu.Lock()
	if c.totp != nil && time.Since(c.at) < settingsTTL {
		m := c.totp
		c.mu.Unlock()
		return m, nil
	}
	c.mu.Unlock()
	m, err := accounts.TOTPRequired(ctx, s.db)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.totp, c.at = m, time.Now()
	c.mu.Unlock()
	return m, nil
}

// forgetSettings drops the kept settings, after a save.
func (s *web) forgetSettings() {
	s.settings.mu.Lock()
	s.settings.totp = nil
	s.settings.mu.Unlock()
}
