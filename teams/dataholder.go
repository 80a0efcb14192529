package teams

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// DataHolder lets account export and deletion reach what the teams part
// keeps under an account (it satisfies accounts.DataHolder): the places
// in teams the account held. The help log names no one and stays.
type DataHolder struct{}

// ExportMembership is one place in a team as an account's export shows it.
type ExportMembership struct {
	Team     string    `json:"team"`
	Name     string    `json:"name"`
	JoinedAt time.Time `json:"joined_at"`
}

// ExportUser returns the teams the user is a member of.
func (DataHolder) ExportUser(ctx context.Context, db bun.IDB, userID int64) (any, error) {
	var rows []struct {
		Team     string    `bun:"team"`
		Name     string    `bun:"name"`
		JoinedAt time.Time `bun:"joined_at"`
	}
	err := db.NewSelect().TableExpr("team_members AS m").Join("JOIN teams AS t ON t.id = m.team_id").
		ColumnExpr("t.name AS team, m.name, m.joined_at").Where("m.user_id = ?", userID).OrderExpr("m.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teams.ExportUser: %w", err)
	}
	out := make([]ExportMembership, len(rows))
	for i, r := range rows {
		out[i] = ExportMembership{Team: r.Team, Name: r.Name, JoinedAt: r.JoinedAt}
	}
	return out, nil
}

// ForgetUser cuts the user's places in teams loose from the account, as
// leaving does: the team's history stays and names no one.
func (DataHolder) ForgetUser(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := db.NewUpdate().Model((*Member)(nil)).Set("user_id = NULL").Set("name = ''").
		Set("left_at = COALESCE(left_at, ?)", time.Now().UTC()).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("teams.ForgetUser: %w", err)
	}
	return nil
}
