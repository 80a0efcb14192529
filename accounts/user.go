package accounts

import "time"

// User is a person with an account. Officials carry the code of the unit
// whose subtree they work in.
type User struct {
	ID        int64     `bun:"id,pk,autoincrement"`
	Email     string    `bun:"email,notnull"`
	Name      string    `bun:"name,notnull"`
	Role      Role      `bun:"role,notnull"`
	UnitCode  string    `bun:"unit_code,notnull"`
	Disabled  bool      `bun:"disabled,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	// SessionsValidAfter ends every session that began before it: set when
	// the password changes or the user is disabled.
	SessionsValidAfter time.Time `bun:"sessions_valid_after,notnull"`
}
