package teams

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/internal/personal"
)

// Audit actions of this package.
const (
	AuditTeamCreated   = "teams.created"
	AuditTeamUpdated   = "teams.updated"
	AuditMemberInvited = "teams.member_invited"
	AuditMemberLeft    = "teams.member_left"
	AuditDeskUpdated   = "teams.help_desk_updated"
)

// Bounds of what an official types and keeps.
const (
	MaxName       = 100     // characters of a team's name
	MaxHouseholds = 100_000 // households of one hamlet, generously
	MaxTeams      = 200     // teams of one commune
	MaxMembers    = 50      // current members of one team
)

// Refusals of a team's fields.
var (
	ErrNameMissing   = errors.New("teams: name missing")
	ErrNameLong      = errors.New("teams: name too long")
	ErrNameInvisible = errors.New("teams: name holds invisible characters")
	ErrHouseholds    = errors.New("teams: households not a whole number in range")
	ErrTooManyTeams  = errors.New("teams: too many teams in the commune")
	ErrTooMany       = errors.New("teams: too many members in the team")
)

// Team is one hamlet's or residential group's team.
type Team struct {
	bun.BaseModel `bun:"table:teams"`
	ID            int64     `bun:"id,pk,autoincrement"`
	UnitCode      string    `bun:"unit_code,notnull"`
	Name          string    `bun:"name,notnull"`
	Households    int64     `bun:"households,notnull"`
	DeskPlace     string    `bun:"desk_place,notnull"` // where the help desk is (help.go)
	DeskHours     string    `bun:"desk_hours,notnull"` // when it is open
	CreatedAt     time.Time `bun:"created_at,notnull"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`
	Members       int64     `bun:"-"` // current members, as lists show them
}

// Member is one place in a team, held now or once.
type Member struct {
	bun.BaseModel `bun:"table:team_members"`
	ID            int64     `bun:"id,pk,autoincrement"`
	TeamID        int64     `bun:"team_id,notnull"`
	UserID        int64     `bun:"user_id,nullzero"`
	Name          string    `bun:"name,notnull"`
	JoinedAt      time.Time `bun:"joined_at,notnull"`
	LeftAt        time.Time `bun:"left_at,nullzero"`
	Email         string    `bun:"-"` // the account's address, for the official's list
}

// Left reports whether the member has left the team.
func (m Member) Left() bool { return !m.LeftAt.IsZero() }

// Input is what an official types for a team.
type Input struct {
	Name       string
	Households string
	// The help desk's place and hours (help.go); empty when not said.
	DeskPlace, DeskHours string
}

// checked is an Input that passed its rules, cleaned.
type checked struct {
	name, place, hours string
	households         int64
}

// check applies the rules of a team's fields.
func (in Input) check() (checked, error) {
	var probs []accounts.Problem
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		probs = append(probs, accounts.Problem{Field: "name", Err: ErrNameMissing})
	case utf8.RuneCountInString(name) > MaxName:
		probs = append(probs, accounts.Problem{Field: "name", Err: ErrNameLong})
	case hidden(name):
		probs = append(probs, accounts.Problem{Field: "name", Err: ErrNameInvisible})
	case personal.HoldsNumber(name):
		probs = append(probs, accounts.Problem{Field: "name", Err: ErrNamePersonal})
	}
	n, err := strconv.ParseInt(strings.TrimSpace(in.Households), 10, 64)
	if err != nil || n < 0 || n > MaxHouseholds {
		probs = append(probs, accounts.Problem{Field: "households", Err: ErrHouseholds})
	}
	place, hours, deskProbs := checkDesk(in.DeskPlace, in.DeskHours)
	probs = append(probs, deskProbs...)
	if len(probs) > 0 {
		return checked{}, &accounts.ValidationError{Problems: probs}
	}
	return checked{name: name, households: n, place: place, hours: hours}, nil
}

// hidden reports whether s holds a control character (a line break
// included) or one a reader cannot see (i18n.Invisible).
func hidden(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0 || i18n.Invisible(s)
}

// List returns the teams of a commune by name, each with its count of
// current members.
func List(ctx context.Context, db bun.IDB, unit string) ([]Team, error) {
	var out []Team
	if err := db.NewSelect().Model(&out).Where("unit_code = ?", unit).OrderExpr("name, id").Limit(MaxTeams).Scan(ctx); err != nil {
		return nil, fmt.Errorf("teams.List: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, t := range out {
		ids[i] = t.ID
	}
	var counts []struct {
		TeamID int64 `bun:"team_id"`
		N      int64 `bun:"n"`
	}
	err := db.NewSelect().Table("team_members").ColumnExpr("team_id, COUNT(*) AS n").
		Where("team_id IN (?)", bun.List(ids)).Where("left_at IS NULL").Group("team_id").Scan(ctx, &counts)
	if err != nil {
		return nil, fmt.Errorf("teams.List: %w", err)
	}
	by := map[int64]int64{}
	for _, c := range counts {
		by[c.TeamID] = c.N
	}
	for i := range out {
		out[i].Members = by[out[i].ID]
	}
	return out, nil
}

// ByID returns a team; database.ErrNotFound when there is none.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Team, error) {
	t := new(Team)
	if err := db.NewSelect().Model(t).Where("id = ?", id).Scan(ctx); err != nil {
		if database.IsNoRows(err) {
			return nil, fmt.Errorf("teams.ByID: %w", database.ErrNotFound)
		}
		return nil, fmt.Errorf("teams.ByID: %w", err)
	}
	return t, nil
}

// Create adds a team to a commune and audits it, in one transaction.
func Create(ctx context.Context, db bun.IDB, who accounts.Actor, unit string, in Input) (*Team, error) {
	c, err := in.check()
	if err != nil {
		return nil, err
	}
	name, n := c.name, c.households
	now := time.Now().UTC()
	t := &Team{UnitCode: unit, Name: name, Households: n, DeskPlace: c.place, DeskHours: c.hours, CreatedAt: now, UpdatedAt: now}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		count, err := tx.NewSelect().Model((*Team)(nil)).Where("unit_code = ?", unit).Count(ctx)
		if err != nil {
			return err
		}
		if count >= MaxTeams {
			return ErrTooManyTeams
		}
		if _, err := tx.NewInsert().Model(t).Returning("id").Exec(ctx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditTeamCreated, ObjectType: "team",
			ObjectID: strconv.FormatInt(t.ID, 10), New: t.Name + " · " + strconv.FormatInt(n, 10)})
	})
	if err != nil {
		return nil, fmt.Errorf("teams.Create: %w", err)
	}
	return t, nil
}

// Update renames a team, changes its household count or its help desk's
// place and hours, auditing each change before and after (the help desk
// under its own action, as the public page shows it), in one transaction.
// A save that changes nothing records nothing.
func Update(ctx context.Context, db bun.IDB, who accounts.Actor, id int64, in Input) error {
	c, err := in.check()
	if err != nil {
		return err
	}
	name, n := c.name, c.households
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		was, err := ByID(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*Team)(nil)).Set("name = ?", name).Set("households = ?", n).
			Set("desk_place = ?", c.place).Set("desk_hours = ?", c.hours).
			Set("updated_at = ?", time.Now().UTC()).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		obj := strconv.FormatInt(id, 10)
		if was.Name != name || was.Households != n {
			err := who.Record(ctx, tx, accounts.AuditEntry{Action: AuditTeamUpdated, ObjectType: "team", ObjectID: obj,
				Old: was.Name + " · " + strconv.FormatInt(was.Households, 10), New: name + " · " + strconv.FormatInt(n, 10)})
			if err != nil {
				return err
			}
		}
		if was.DeskPlace != c.place || was.DeskHours != c.hours {
			return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditDeskUpdated, ObjectType: "team", ObjectID: obj,
				Old: deskAudit(was.DeskPlace, was.DeskHours), New: deskAudit(c.place, c.hours)})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("teams.Update: %w", err)
	}
	return nil
}
