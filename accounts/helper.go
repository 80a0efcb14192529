package accounts

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// EndHelperRole makes a helper who leaves their team an ordinary
// resident's account, with no unit, and audits the change. It is the one
// role change a user makes to their own account (ChangeRole refuses those):
// leaving a team must not wait for an official. Call it in the transaction
// that takes the member off the team. A user who is no helper is left as
// they are.
func EndHelperRole(ctx context.Context, db bun.IDB, who Actor, userID int64) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		u, err := UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Role != RoleHelper {
			return nil
		}
		if err := setRole(ctx, tx, userID, RoleResident, ""); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditRoleChanged, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
			Old: string(u.Role) + " " + u.UnitCode, New: string(RoleResident) + " "})
	})
}
