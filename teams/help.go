package teams

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/internal/personal"
)

// MaxDesk bounds the help desk's place and its hours, in characters: a
// line such as "Nhà văn hóa thôn Đông, cạnh chợ" or "Sáng thứ Bảy,
// 8:00–11:00" fits with room to spare.
const MaxDesk = 120

// Refusals of the help desk's fields.
var (
	ErrDeskLong      = errors.New("teams: help desk text too long")
	ErrDeskInvisible = errors.New("teams: help desk text holds invisible characters")
	// ErrDeskPersonal: the text holds what looks like a phone or ID number.
	// The public page names no one and gives no one's number: residents
	// come in person, and the commune's own hotline is published by the
	// commune, not here.
	ErrDeskPersonal = errors.New("teams: help desk text holds a phone or ID number")
	// ErrNamePersonal: the team's name holds what looks like a phone or
	// ID number. The public page shows every team's name, so it is held
	// to the desk's rule.
	ErrNamePersonal = errors.New("teams: team name holds a phone or ID number")
)

// checkDesk applies the rules of the help desk's place and hours: each
// optional, one line of at most MaxDesk characters, with no hidden
// character and nothing shaped like a phone or ID number.
func checkDesk(place, hours string) (string, string, []accounts.Problem) {
	var probs []accounts.Problem
	out := [2]string{}
	for i, f := range []struct{ field, value string }{{"desk_place", place}, {"desk_hours", hours}} {
		v := strings.TrimSpace(f.value)
		switch {
		case utf8.RuneCountInString(v) > MaxDesk:
			probs = append(probs, accounts.Problem{Field: f.field, Err: ErrDeskLong})
		case hidden(v):
			probs = append(probs, accounts.Problem{Field: f.field, Err: ErrDeskInvisible})
		case personal.HoldsNumber(v):
			probs = append(probs, accounts.Problem{Field: f.field, Err: ErrDeskPersonal})
		}
		out[i] = v
	}
	return out[0], out[1], probs
}

// deskAudit words the help desk for the audit log.
func deskAudit(place, hours string) string {
	if place == "" && hours == "" {
		return ""
	}
	return place + " · " + hours
}

// PublicTeam is what the public "find help near you" page may show of a
// team: its name (the hamlet's) and its help desk, never its members.
type PublicTeam struct {
	Name      string `bun:"name"`
	DeskPlace string `bun:"desk_place"`
	DeskHours string `bun:"desk_hours"`
}

// HasDesk reports whether the team has said where or when residents can
// find it.
func (t PublicTeam) HasDesk() bool { return t.DeskPlace != "" || t.DeskHours != "" }

// Public returns the teams of a commune as the public page shows them, by
// name: one indexed query that reads no member.
func Public(ctx context.Context, db bun.IDB, unit string) ([]PublicTeam, error) {
	out := []PublicTeam{}
	err := db.NewSelect().Table("teams").Column("name", "desk_place", "desk_hours").
		Where("unit_code = ?", unit).OrderExpr("name, id").Limit(MaxTeams).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("teams.Public: %w", err)
	}
	return out, nil
}
