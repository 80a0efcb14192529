package teams

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/internal/personal"
)

// Audit actions of the help log.
const (
	AuditVisitRecorded  = "teams.visit_recorded"
	AuditVisitCorrected = "teams.visit_corrected"
)

// Bounds of one entry of the help log.
const (
	MaxNote         = 300                // characters of the free-text note
	MaxVisitCount   = 1000               // households or people in one entry
	CorrectFor      = 7 * 24 * time.Hour // an entry can be corrected this long, then locks
	MaxDaysBack     = 31                 // how far back an entry's day may be
	visitDayLayout  = "2006-01-02"
	KindVisit       = "visit" // visits door to door
	KindDesk        = "desk"  // a help-desk session
	maxVisitsListed = 200
)

// Refusals of an entry of the help log.
var (
	ErrDay       = errors.New("teams: day not a date within the last month")
	ErrKind      = errors.New("teams: unknown kind of help")
	ErrCount     = errors.New("teams: count not a whole number in range")
	ErrNothing   = errors.New("teams: nobody reached")
	ErrNoteLong  = errors.New("teams: note too long")
	ErrPersonal  = errors.New("teams: note holds an ID or phone number")
	ErrInvisible = errors.New("teams: text holds invisible characters")
	ErrLocked    = errors.New("teams: entry locked after 7 days")
	ErrNoTeam    = errors.New("teams: the helper is in no team")
	// ErrUnknownService: a service code not in the portal's fee
	// catalogue, or more codes than the catalogue could hold.
	ErrUnknownService = errors.New("teams: service not in the catalogue")
	// ErrUnknownLesson: a lesson not in the lesson catalogue.
	ErrUnknownLesson = errors.New("teams: lesson not in the catalogue")
)

// Kinds of what an entry picks from a catalogue (team_visit_picks.kind).
const (
	PickService = "service"
	PickLesson  = "lesson"
	// MaxPicks bounds the codes one entry may name of each kind, whatever
	// the catalogues hold.
	MaxPicks = 40
)

// Catalogue is what an entry's picks are checked against: the codes of
// the portal's fee catalogue (package payments) and the slugs of its
// lessons (package content). The server builds it from both.
type Catalogue struct {
	Services map[string]bool
	Lessons  map[string]bool
}

// Visit is one entry of the help log.
type Visit struct {
	bun.BaseModel `bun:"table:team_visits"`
	ID            int64     `bun:"id,pk,autoincrement"`
	TeamID        int64     `bun:"team_id,notnull"`
	MemberID      int64     `bun:"member_id,notnull"`
	Day           string    `bun:"day,notnull"`
	Kind          string    `bun:"kind,notnull"`
	Households    int64     `bun:"households,notnull"`
	People1559    int64     `bun:"people_15_59,notnull"`
	People60      int64     `bun:"people_60,notnull"`
	VNeID         bool      `bun:"done_vneid,notnull"`
	Payment       bool      `bun:"done_payment,notnull"`
	Service       bool      `bun:"done_service,notnull"`
	Cashless      bool      `bun:"done_cashless,notnull"`
	Scam          bool      `bun:"done_scam,notnull"`
	Lesson        bool      `bun:"done_lesson,notnull"`
	Note          string    `bun:"note,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`
	// Services and Lessons are which of the catalogues the entry names
	// (team_visit_picks), sorted.
	Services []string `bun:"-"`
	Lessons  []string `bun:"-"`
}

// visitPick is one code an entry picks from a catalogue.
type visitPick struct {
	bun.BaseModel `bun:"table:team_visit_picks"`
	VisitID       int64  `bun:"visit_id,pk"`
	Kind          string `bun:"kind,pk"`
	Code          string `bun:"code,pk"`
}

// Locked reports whether the entry can no longer be corrected at now.
func (v Visit) Locked(now time.Time) bool { return now.Sub(v.CreatedAt) > CorrectFor }

// VisitInput is an entry as a helper types it.
type VisitInput struct {
	Day, Kind, Households, People1559, People60, Note string
	VNeID, Payment, Service, Cashless, Scam, Lesson   bool
	// Services and Lessons are the codes picked from the catalogues: a
	// pick without its box ticked ticks it (naming the service filed says
	// that one was). Known is what they are checked against; without it
	// any pick is refused.
	Services, Lessons []string
	Known             *Catalogue
}

// picks checks the codes of one kind against known: each must be there,
// repeats count once, the result sorted.
func picks(codes []string, known map[string]bool) ([]string, bool) {
	if len(codes) > MaxPicks {
		return nil, false
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if !known[c] {
			return nil, false
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, true
}

// check applies the rules of an entry at now; the fields of the result
// are what is stored.
func (in VisitInput) check(now time.Time) (Visit, error) {
	var probs []accounts.Problem
	v := Visit{Kind: in.Kind, VNeID: in.VNeID, Payment: in.Payment, Service: in.Service, Cashless: in.Cashless, Scam: in.Scam, Lesson: in.Lesson}
	today := now.In(i18n.Location()).Format(visitDayLayout)
	day, err := time.Parse(visitDayLayout, strings.TrimSpace(in.Day))
	oldest := now.In(i18n.Location()).AddDate(0, 0, -MaxDaysBack).Format(visitDayLayout)
	if err != nil || day.Format(visitDayLayout) > today || day.Format(visitDayLayout) < oldest {
		probs = append(probs, accounts.Problem{Field: "day", Err: ErrDay})
	} else {
		v.Day = day.Format(visitDayLayout)
	}
	if v.Kind != KindVisit && v.Kind != KindDesk {
		probs = append(probs, accounts.Problem{Field: "kind", Err: ErrKind})
	}
	badCount := false
	count := func(field, s string) int64 {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > MaxVisitCount {
			probs = append(probs, accounts.Problem{Field: field, Err: ErrCount})
			badCount = true
			return 0
		}
		return n
	}
	v.Households = count("households", in.Households)
	v.People1559 = count("people_15_59", in.People1559)
	v.People60 = count("people_60", in.People60)
	if !badCount && v.Households == 0 && v.People1559 == 0 && v.People60 == 0 {
		probs = append(probs, accounts.Problem{Field: "households", Err: ErrNothing})
	}
	// A note is one short paragraph: line breaks typed on a phone become
	// spaces rather than a refusal.
	v.Note = strings.TrimSpace(strings.Join(strings.Fields(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(in.Note)), " "))
	switch {
	case utf8.RuneCountInString(v.Note) > MaxNote:
		probs = append(probs, accounts.Problem{Field: "note", Err: ErrNoteLong})
	case hidden(v.Note):
		probs = append(probs, accounts.Problem{Field: "note", Err: ErrInvisible})
	case personal.HoldsNumber(v.Note):
		probs = append(probs, accounts.Problem{Field: "note", Err: ErrPersonal})
	}
	known := in.Known
	if known == nil {
		known = &Catalogue{}
	}
	if svc, ok := picks(in.Services, known.Services); ok {
		v.Services = svc
		v.Service = v.Service || len(svc) > 0
	} else {
		probs = append(probs, accounts.Problem{Field: "services", Err: ErrUnknownService})
	}
	if les, ok := picks(in.Lessons, known.Lessons); ok {
		v.Lessons = les
		v.Lesson = v.Lesson || len(les) > 0
	} else {
		probs = append(probs, accounts.Problem{Field: "lessons", Err: ErrUnknownLesson})
	}
	if len(probs) > 0 {
		return Visit{}, &accounts.ValidationError{Problems: probs}
	}
	return v, nil
}

// Today is the day of now in Vietnam, as the help log writes days.
func Today(now time.Time) string { return now.In(i18n.Location()).Format(visitDayLayout) }

// member returns the helper's current place in a team.
func member(ctx context.Context, db bun.IDB, userID int64) (*Member, error) {
	m := new(Member)
	err := db.NewSelect().Model(m).Where("user_id = ?", userID).Where("left_at IS NULL").Limit(1).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, ErrNoTeam
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// summary is an entry in one line for the audit log, without the note.
func (v Visit) summary() string {
	s := fmt.Sprintf("%s %s hh=%d p15=%d p60=%d", v.Day, v.Kind, v.Households, v.People1559, v.People60)
	if len(v.Services) > 0 {
		s += " services=" + strings.Join(v.Services, ",")
	}
	if len(v.Lessons) > 0 {
		s += " lessons=" + strings.Join(v.Lessons, ",")
	}
	return s
}

// savePicks replaces the codes an entry picks from the catalogues.
func savePicks(ctx context.Context, tx bun.Tx, v *Visit) error {
	if _, err := tx.NewDelete().Model((*visitPick)(nil)).Where("visit_id = ?", v.ID).Exec(ctx); err != nil {
		return err
	}
	var rows []visitPick
	for _, c := range v.Services {
		rows = append(rows, visitPick{VisitID: v.ID, Kind: PickService, Code: c})
	}
	for _, c := range v.Lessons {
		rows = append(rows, visitPick{VisitID: v.ID, Kind: PickLesson, Code: c})
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// loadPicks fills in the codes the entries pick from the catalogues.
func loadPicks(ctx context.Context, db bun.IDB, vs []Visit) error {
	if len(vs) == 0 {
		return nil
	}
	ids := make([]int64, len(vs))
	at := make(map[int64]int, len(vs))
	for i, v := range vs {
		ids[i], at[v.ID] = v.ID, i
	}
	var rows []visitPick
	if err := db.NewSelect().Model(&rows).Where("visit_id IN (?)", bun.List(ids)).OrderExpr("visit_id, kind, code").Scan(ctx); err != nil {
		return err
	}
	for _, p := range rows {
		v := &vs[at[p.VisitID]]
		switch p.Kind {
		case PickService:
			v.Services = append(v.Services, p.Code)
		case PickLesson:
			v.Lessons = append(v.Lessons, p.Code)
		}
	}
	return nil
}

// RecordVisit adds an entry to the helper's team's log, audited, in one
// transaction.
func RecordVisit(ctx context.Context, db bun.IDB, who accounts.Actor, in VisitInput, now time.Time) (*Visit, error) {
	v, err := in.check(now)
	if err != nil {
		return nil, err
	}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		m, err := member(ctx, tx, who.UserID)
		if err != nil {
			return err
		}
		v.TeamID, v.MemberID, v.CreatedAt, v.UpdatedAt = m.TeamID, m.ID, now.UTC(), now.UTC()
		if _, err := tx.NewInsert().Model(&v).Returning("id").Exec(ctx); err != nil {
			return err
		}
		if err := savePicks(ctx, tx, &v); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditVisitRecorded, ObjectType: "team_visit",
			ObjectID: strconv.FormatInt(v.ID, 10), New: v.summary()})
	})
	if err != nil {
		return nil, fmt.Errorf("teams.RecordVisit: %w", err)
	}
	logWrites.Add(1)
	return &v, nil
}

// TeamVisit returns an entry of the helper's current team;
// database.ErrNotFound for another team's or none.
func TeamVisit(ctx context.Context, db bun.IDB, userID, id int64) (*Visit, error) {
	m, err := member(ctx, db, userID)
	if err != nil {
		return nil, fmt.Errorf("teams.TeamVisit: %w", err)
	}
	v := new(Visit)
	err = db.NewSelect().Model(v).Where("id = ?", id).Where("team_id = ?", m.TeamID).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("teams.TeamVisit: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("teams.TeamVisit: %w", err)
	}
	one := []Visit{*v}
	if err := loadPicks(ctx, db, one); err != nil {
		return nil, fmt.Errorf("teams.TeamVisit: %w", err)
	}
	return &one[0], nil
}

// CorrectVisit changes an entry of the helper's team within 7 days of its
// recording (ErrLocked after), auditing before and after, in one
// transaction.
func CorrectVisit(ctx context.Context, db bun.IDB, who accounts.Actor, id int64, in VisitInput, now time.Time) error {
	nv, err := in.check(now)
	if err != nil {
		return err
	}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		was, err := TeamVisit(ctx, tx, who.UserID, id)
		if err != nil {
			return err
		}
		if was.Locked(now) {
			return ErrLocked
		}
		nv.ID, nv.TeamID, nv.MemberID, nv.CreatedAt, nv.UpdatedAt = was.ID, was.TeamID, was.MemberID, was.CreatedAt, now.UTC()
		if _, err := tx.NewUpdate().Model(&nv).WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := savePicks(ctx, tx, &nv); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditVisitCorrected, ObjectType: "team_visit",
			ObjectID: strconv.FormatInt(id, 10), Old: was.summary(), New: nv.summary()})
	})
	if err != nil {
		return fmt.Errorf("teams.CorrectVisit: %w", err)
	}
	logWrites.Add(1)
	return nil
}

// Visits returns a team's entries of a month ("2026-12"), newest first.
func Visits(ctx context.Context, db bun.IDB, teamID int64, month string) ([]Visit, error) {
	var out []Visit
	err := db.NewSelect().Model(&out).Where("team_id = ?", teamID).Where("day LIKE ?", month+"-%").
		OrderExpr("day DESC, id DESC").Limit(maxVisitsListed).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("teams.Visits: %w", err)
	}
	if err := loadPicks(ctx, db, out); err != nil {
		return nil, fmt.Errorf("teams.Visits: %w", err)
	}
	return out, nil
}

// MonthTotal is what one team's entries of a month add up to.
type MonthTotal struct {
	TeamID     int64 `bun:"team_id"`
	Entries    int64 `bun:"entries"`
	Households int64 `bun:"households"`
	People1559 int64 `bun:"people_15_59"`
	People60   int64 `bun:"people_60"`
}

// MonthTotals adds up the entries of a month ("2026-12") by team, for the
// teams of a commune.
func MonthTotals(ctx context.Context, db bun.IDB, unit, month string) (map[int64]MonthTotal, error) {
	var rows []MonthTotal
	err := db.NewSelect().TableExpr("team_visits AS v").Join("JOIN teams AS t ON t.id = v.team_id").
		ColumnExpr("v.team_id, COUNT(*) AS entries, SUM(v.households) AS households, SUM(v.people_15_59) AS people_15_59, SUM(v.people_60) AS people_60").
		Where("t.unit_code = ?", unit).Where("v.day LIKE ?", month+"-%").Group("v.team_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teams.MonthTotals: %w", err)
	}
	out := make(map[int64]MonthTotal, len(rows))
	for _, r := range rows {
		out[r.TeamID] = r
	}
	return out, nil
}
