package accounts

import (
	"context"

	"github.com/uptrace/bun"
)

// Actor is who makes a state change, as every use case of every part takes
// it: a signed-in user with the role and unit that decide what they may
// do, and the address the request came from; or, for the command line and
// the maintenance loop, a named process with no user.
type Actor struct {
	UserID int64
	Email  string
	Role   Role
	Unit   string // the unit code an official is scoped to
	IP     string
	// System names a process acting on its own ("portal units import");
	// it stands where an e-mail address would in the audit log.
	System string
}

// UserActor is u acting from the address ip.
func UserActor(u *User, ip string) Actor {
	if u == nil {
		return Actor{IP: ip}
	}
	return Actor{UserID: u.ID, Email: u.Email, Role: u.Role, Unit: u.UnitCode, IP: ip}
}

// SystemActor is a process of the portal acting on its own, such as a
// command run on the server.
func SystemActor(name string) Actor { return Actor{System: name} }

// Record writes e to the audit log as done by a, with db the transaction
// that makes the change it records.
func (a Actor) Record(ctx context.Context, db bun.IDB, e AuditEntry) error {
	e.ActorID, e.ActorEmail, e.IP = a.UserID, a.Email, a.IP
	if a.System != "" && e.ActorEmail == "" {
		e.ActorEmail = a.System
	}
	return RecordAudit(ctx, db, e)
}
