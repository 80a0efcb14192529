package teams

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// Members returns a team's members, current ones first, with the account's
// address of each current one.
func Members(ctx context.Context, db bun.IDB, teamID int64) ([]Member, error) {
	var out []Member
	err := db.NewSelect().Model(&out).Where("team_id = ?", teamID).
		OrderExpr("CASE WHEN left_at IS NULL THEN 0 ELSE 1 END, joined_at, id").Limit(MaxMembers * 4).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("teams.Members: %w", err)
	}
	for i, m := range out {
		if m.UserID == 0 {
			continue
		}
		u, err := accounts.UserByID(ctx, db, m.UserID)
		if errors.Is(err, database.ErrNotFound) {
			continue // an account deleted by a path that did not reach DataHolder
		}
		if err != nil {
			return nil, fmt.Errorf("teams.Members: %w", err)
		}
		out[i].Email = u.Email
	}
	return out, nil
}

// Invite creates a helper's account in the team's commune, without a
// password, places it in the team, and returns the one-time link token
// with which the helper sets a password; all in one transaction, audited.
// An address already taken is a *ValidationError on "email".
func Invite(ctx context.Context, db bun.IDB, who accounts.Actor, t *Team, email, name string) (string, error) {
	var token string
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Member)(nil)).Where("team_id = ?", t.ID).Where("left_at IS NULL").Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxMembers {
			return ErrTooMany
		}
		u, tok, err := accounts.CreateUserWithLink(ctx, tx, who, accounts.NewUser{Email: email, Name: name, Role: accounts.RoleHelper, UnitCode: t.UnitCode})
		if err != nil {
			return err
		}
		m := &Member{TeamID: t.ID, UserID: u.ID, Name: u.Name, JoinedAt: time.Now().UTC()}
		if _, err := tx.NewInsert().Model(m).Returning("id").Exec(ctx); err != nil {
			return err
		}
		token = tok
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditMemberInvited, ObjectType: "team",
			ObjectID: strconv.FormatInt(t.ID, 10), New: "member " + strconv.FormatInt(m.ID, 10)})
	})
	if err != nil {
		return "", fmt.Errorf("teams.Invite: %w", err)
	}
	return token, nil
}

// Remove takes a member off a team: the place keeps its history but no
// longer names anyone (account and name dropped), and the account stops
// being a helper (it becomes a resident's, with no unit, its sessions
// ended), all in one transaction, audited.
func Remove(ctx context.Context, db bun.IDB, who accounts.Actor, teamID, memberID int64) error {
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		m := new(Member)
		err := database.ForUpdate(tx.NewSelect().Model(m).Where("id = ?", memberID).Where("team_id = ?", teamID)).Scan(ctx)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if m.Left() {
			return nil // left already: nothing more to do
		}
		_, err = tx.NewUpdate().Model((*Member)(nil)).Set("user_id = NULL").Set("name = ''").Set("left_at = ?", time.Now().UTC()).
			Where("id = ?", memberID).Exec(ctx)
		if err != nil {
			return err
		}
		if m.UserID != 0 {
			if err := accounts.ChangeRole(ctx, tx, who, m.UserID, accounts.RoleResident, ""); err != nil {
				return err
			}
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditMemberLeft, ObjectType: "team",
			ObjectID: strconv.FormatInt(teamID, 10), Old: "member " + strconv.FormatInt(memberID, 10)})
	})
	if err != nil {
		return fmt.Errorf("teams.Remove: %w", err)
	}
	return nil
}

// MemberOf returns the team a helper belongs to now; database.ErrNotFound
// when none.
func MemberOf(ctx context.Context, db bun.IDB, userID int64) (*Team, error) {
	m := new(Member)
	err := db.NewSelect().Model(m).Where("user_id = ?", userID).Where("left_at IS NULL").Limit(1).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("teams.MemberOf: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("teams.MemberOf: %w", err)
	}
	return ByID(ctx, db, m.TeamID)
}

// Leave takes the signed-in helper off their team, as Remove does for an
// official, the place kept without a name; the account becomes a
// resident's and its other sessions stay as they are (the helper is
// signed in and stays so). ErrNoTeam when the helper is in none.
func Leave(ctx context.Context, db bun.IDB, who accounts.Actor) error {
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		m, err := member(ctx, tx, who.UserID)
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*Member)(nil)).Set("user_id = NULL").Set("name = ''").Set("left_at = ?", time.Now().UTC()).
			Where("id = ?", m.ID).Exec(ctx)
		if err != nil {
			return err
		}
		if err := accounts.EndHelperRole(ctx, tx, who, who.UserID); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditMemberLeft, ObjectType: "team",
			ObjectID: strconv.FormatInt(m.TeamID, 10), Old: "member " + strconv.FormatInt(m.ID, 10)})
	})
	if err != nil {
		return fmt.Errorf("teams.Leave: %w", err)
	}
	return nil
}
