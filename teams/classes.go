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

// Audit actions of the classes.
const (
	AuditClassScheduled  = "teams.class_scheduled"
	AuditClassUpdated    = "teams.class_updated"
	AuditClassCancelled  = "teams.class_cancelled"
	AuditClassAttendance = "teams.class_attendance"
)

// Bounds of a class.
const (
	MaxPlace           = 120           // characters of the place
	MaxCapacity        = 500           // seats of one class
	MaxClassLessons    = 8             // lessons planned or covered in one class
	MaxClassLength     = 8 * time.Hour // from start to end
	MaxClassAhead      = 365           // days ahead a class may be scheduled
	MaxUpcomingClasses = 50            // classes of one team not yet ended
	MaxClassPeople     = MaxCapacity   // attendance of one age band
	maxPastListed      = 60            // past classes a list shows
	maxUpcomingListed  = 100           // upcoming classes a list shows
	clockLayout        = "15:04"       // a start or end time as typed
	classStamp         = "2006-01-02 15:04"
)

// Refusals of a class.
var (
	ErrPlaceMissing   = errors.New("teams: class place missing")
	ErrPlaceLong      = errors.New("teams: class place too long")
	ErrClassDay       = errors.New("teams: class day not a date")
	ErrClassPast      = errors.New("teams: class start not in the future")
	ErrClassFar       = errors.New("teams: class too far ahead")
	ErrClassStart     = errors.New("teams: class start not a time")
	ErrClassEnd       = errors.New("teams: class end not a time after the start")
	ErrClassLong      = errors.New("teams: class longer than allowed")
	ErrCapacity       = errors.New("teams: capacity not a whole number in range")
	ErrLessonsNone    = errors.New("teams: no lesson chosen")
	ErrLessonsMany    = errors.New("teams: too many lessons")
	ErrLessonUnknown  = errors.New("teams: lesson not in the catalogue")
	ErrAttendance     = errors.New("teams: attendance not a whole number in range")
	ErrNobodyCame     = errors.New("teams: no attendance")
	ErrClassStarted   = errors.New("teams: class has started")
	ErrClassCancelled = errors.New("teams: class cancelled")
	ErrClassFuture    = errors.New("teams: class has not started")
	ErrClassLocked    = errors.New("teams: class attendance locked after 7 days")
	ErrTooManyClasses = errors.New("teams: too many upcoming classes")
)

// Class is one class a team holds: where and when, for how many, the
// lessons of the catalogue planned, and after it the attendance by age
// band and the lessons covered. It names no one.
type Class struct {
	bun.BaseModel `bun:"table:team_classes,alias:c"`
	ID            int64     `bun:"id,pk,autoincrement"`
	TeamID        int64     `bun:"team_id,notnull"`
	Place         string    `bun:"place,notnull"`
	Day           string    `bun:"day,notnull"` // the start's date in Vietnam, "2026-12-07"
	StartsAt      time.Time `bun:"starts_at,notnull"`
	EndsAt        time.Time `bun:"ends_at,notnull"`
	Capacity      int64     `bun:"capacity,notnull"`
	Lessons       string    `bun:"lessons,notnull"` // planned lesson slugs, separated by spaces
	Note          string    `bun:"note,notnull"`
	CancelledAt   time.Time `bun:"cancelled_at,nullzero"`
	HeldAt        time.Time `bun:"held_at,nullzero"` // when attendance was recorded
	Attended1559  int64     `bun:"attended_15_59,notnull"`
	Attended60    int64     `bun:"attended_60,notnull"`
	Covered       string    `bun:"covered,notnull"` // covered lesson slugs, separated by spaces
	CreatedAt     time.Time `bun:"created_at,notnull"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`
	TeamName      string    `bun:"team_name,scanonly"` // filled by UpcomingClasses and ClassesOf
}

// Cancelled reports whether the class was cancelled.
func (c Class) Cancelled() bool { return !c.CancelledAt.IsZero() }

// Held reports whether the class's attendance has been recorded.
func (c Class) Held() bool { return !c.HeldAt.IsZero() }

// Started reports whether the class has begun at now.
func (c Class) Started(now time.Time) bool { return !now.Before(c.StartsAt) }

// Ended reports whether the class is over at now.
func (c Class) Ended(now time.Time) bool { return !now.Before(c.EndsAt) }

// Changeable reports whether the class can still be edited or cancelled:
// not cancelled and not begun.
func (c Class) Changeable(now time.Time) bool { return !c.Cancelled() && !c.Started(now) }

// AttendanceOpen reports whether attendance can be recorded or corrected
// at now: the class has begun, is not cancelled, and ended no more than
// CorrectFor ago (then it locks, as the help log does).
func (c Class) AttendanceOpen(now time.Time) bool {
	return !c.Cancelled() && c.Started(now) && now.Sub(c.EndsAt) <= CorrectFor
}

// LessonSlugs returns the planned lessons' slugs, in the order chosen.
func (c Class) LessonSlugs() []string { return strings.Fields(c.Lessons) }

// CoveredSlugs returns the covered lessons' slugs.
func (c Class) CoveredSlugs() []string { return strings.Fields(c.Covered) }

// Attended is the class's whole attendance.
func (c Class) Attended() int64 { return c.Attended1559 + c.Attended60 }

// ClassInput is a class as a helper or official types it. Day is
// "2026-12-07", Start and End "08:30", in Vietnam's time.
type ClassInput struct {
	Place, Day, Start, End, Capacity, Note string
	Lessons                                []string
}

// AttendanceInput is a class's attendance as a helper types it.
type AttendanceInput struct {
	People1559, People60 string
	Covered              []string
}

// LessonKnown tells whether a slug is a lesson of the catalogue (the
// content package's Library.Lesson); the teams package does not read the
// lessons itself.
type LessonKnown func(slug string) bool

// cleanText is a short free text as stored: line breaks typed on a phone
// become spaces, runs of spaces one.
func cleanText(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)), " ")
}

// checkText applies the rules of a short free text that must identify no
// one: at most max characters, no hidden characters (nor bytes that are
// no text), no ID or phone number.
func checkText(field, s string, max int, long error) *accounts.Problem {
	switch {
	case utf8.RuneCountInString(s) > max:
		return &accounts.Problem{Field: field, Err: long}
	case hidden(s) || !utf8.ValidString(s):
		return &accounts.Problem{Field: field, Err: ErrInvisible}
	case personal.HoldsNumber(s):
		return &accounts.Problem{Field: field, Err: ErrPersonal}
	}
	return nil
}

// checkLessons applies the rules of a choice of lessons: one at least,
// MaxClassLessons at most, each in the catalogue, each once.
func checkLessons(field string, slugs []string, known LessonKnown) (string, *accounts.Problem) {
	var out []string
	for _, s := range slugs {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if known == nil || !known(s) {
			return "", &accounts.Problem{Field: field, Err: ErrLessonUnknown}
		}
		out = append(out, s)
	}
	switch {
	case len(out) == 0:
		return "", &accounts.Problem{Field: field, Err: ErrLessonsNone}
	case len(out) > MaxClassLessons:
		return "", &accounts.Problem{Field: field, Err: ErrLessonsMany}
	}
	return strings.Join(out, " "), nil
}

// check applies the rules of a class at now; the fields of the result are
// what is stored.
func (in ClassInput) check(known LessonKnown, now time.Time) (Class, error) {
	var probs []accounts.Problem
	c := Class{Place: cleanText(in.Place), Note: cleanText(in.Note)}
	if c.Place == "" {
		probs = append(probs, accounts.Problem{Field: "place", Err: ErrPlaceMissing})
	} else if p := checkText("place", c.Place, MaxPlace, ErrPlaceLong); p != nil {
		probs = append(probs, *p)
	}
	loc := i18n.Location()
	day, dayErr := time.ParseInLocation(visitDayLayout, strings.TrimSpace(in.Day), loc)
	if dayErr != nil {
		probs = append(probs, accounts.Problem{Field: "day", Err: ErrClassDay})
	}
	start, startErr := time.Parse(clockLayout, strings.TrimSpace(in.Start))
	if startErr != nil {
		probs = append(probs, accounts.Problem{Field: "start", Err: ErrClassStart})
	}
	end, endErr := time.Parse(clockLayout, strings.TrimSpace(in.End))
	switch {
	case endErr != nil, startErr == nil && !end.After(start):
		probs = append(probs, accounts.Problem{Field: "end", Err: ErrClassEnd})
	case startErr == nil && end.Sub(start) > MaxClassLength:
		probs = append(probs, accounts.Problem{Field: "end", Err: ErrClassLong})
	}
	if dayErr == nil && startErr == nil {
		c.Day = day.Format(visitDayLayout)
		c.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), start.Hour(), start.Minute(), 0, 0, loc).UTC()
		c.EndsAt = time.Date(day.Year(), day.Month(), day.Day(), end.Hour(), end.Minute(), 0, 0, loc).UTC()
		switch {
		case !c.StartsAt.After(now):
			probs = append(probs, accounts.Problem{Field: "day", Err: ErrClassPast})
		case c.StartsAt.After(now.AddDate(0, 0, MaxClassAhead)):
			probs = append(probs, accounts.Problem{Field: "day", Err: ErrClassFar})
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(in.Capacity), 10, 64)
	if err != nil || n < 1 || n > MaxCapacity {
		probs = append(probs, accounts.Problem{Field: "capacity", Err: ErrCapacity})
	}
	c.Capacity = n
	lessons, p := checkLessons("lessons", in.Lessons, known)
	if p != nil {
		probs = append(probs, *p)
	}
	c.Lessons = lessons
	if p := checkText("note", c.Note, MaxNote, ErrNoteLong); p != nil {
		probs = append(probs, *p)
	}
	if len(probs) > 0 {
		return Class{}, &accounts.ValidationError{Problems: probs}
	}
	return c, nil
}

// check applies the rules of a class's attendance.
func (in AttendanceInput) check(known LessonKnown) (Class, error) {
	var probs []accounts.Problem
	var c Class
	bad := false
	count := func(field, s string) int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if strings.TrimSpace(s) == "" {
			return 0
		}
		if err != nil || n < 0 || n > MaxClassPeople {
			probs = append(probs, accounts.Problem{Field: field, Err: ErrAttendance})
			bad = true
			return 0
		}
		return n
	}
	c.Attended1559 = count("attended_15_59", in.People1559)
	c.Attended60 = count("attended_60", in.People60)
	if !bad && c.Attended() == 0 {
		probs = append(probs, accounts.Problem{Field: "attended_15_59", Err: ErrNobodyCame})
	}
	covered, p := checkLessons("covered", in.Covered, known)
	if p != nil {
		probs = append(probs, *p)
	}
	c.Covered = covered
	if len(probs) > 0 {
		return Class{}, &accounts.ValidationError{Problems: probs}
	}
	return c, nil
}

// Validate applies the rules of a class at now without storing it, for a
// form that has other problems of its own to show beside these.
func (in ClassInput) Validate(known LessonKnown, now time.Time) error {
	_, err := in.check(known, now)
	return err
}

// summary is a class in one line for the audit log, without the note.
func (c Class) summary() string {
	loc := i18n.Location()
	return fmt.Sprintf("%s–%s cap=%d lessons=%s place=%s", c.StartsAt.In(loc).Format(classStamp), c.EndsAt.In(loc).Format(clockLayout),
		c.Capacity, c.Lessons, c.Place)
}

// attendanceSummary is a class's attendance in one line for the audit log.
func (c Class) attendanceSummary() string {
	if !c.Held() {
		return ""
	}
	return fmt.Sprintf("p15=%d p60=%d covered=%s", c.Attended1559, c.Attended60, c.Covered)
}

// ScheduleClass adds a class to a team, audited, in one transaction. The
// caller has checked that who may act for the team (its helper, or an
// official of its commune).
func ScheduleClass(ctx context.Context, db bun.IDB, who accounts.Actor, teamID int64, in ClassInput, known LessonKnown, now time.Time) (*Class, error) {
	c, err := in.check(known, now)
	if err != nil {
		return nil, err
	}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// The team's row is locked first, so that two schedules at once
		// count one after the other: on PostgreSQL both would otherwise
		// see room for one more and the team pass MaxUpcomingClasses.
		var locked int64
		if err := database.ForUpdate(tx.NewSelect().Table("teams").Column("id").Where("id = ?", teamID)).Scan(ctx, &locked); err != nil {
			if database.IsNoRows(err) {
				return database.ErrNotFound
			}
			return err
		}
		n, err := tx.NewSelect().Model((*Class)(nil)).Where("team_id = ?", teamID).Where("ends_at > ?", now.UTC()).
			Where("cancelled_at IS NULL").Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxUpcomingClasses {
			return ErrTooManyClasses
		}
		c.TeamID, c.CreatedAt, c.UpdatedAt = teamID, now.UTC(), now.UTC()
		if _, err := tx.NewInsert().Model(&c).Returning("id").Exec(ctx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditClassScheduled, ObjectType: "team_class",
			ObjectID: strconv.FormatInt(c.ID, 10), New: c.summary()})
	})
	if err != nil {
		return nil, fmt.Errorf("teams.ScheduleClass: %w", err)
	}
	return &c, nil
}

// TeamClass returns a class of one of the teams; database.ErrNotFound for
// another team's or none.
func TeamClass(ctx context.Context, db bun.IDB, teamIDs []int64, id int64) (*Class, error) {
	if len(teamIDs) == 0 {
		return nil, fmt.Errorf("teams.TeamClass: %w", database.ErrNotFound)
	}
	c := new(Class)
	err := db.NewSelect().Model(c).Where("c.id = ?", id).Where("c.team_id IN (?)", bun.List(teamIDs)).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("teams.TeamClass: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("teams.TeamClass: %w", err)
	}
	return c, nil
}

// changeClass runs fn on a class of the team, locked for the transaction.
func changeClass(ctx context.Context, db bun.IDB, teamID, id int64, fn func(tx bun.Tx, was *Class) error) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		was := new(Class)
		err := database.ForUpdate(tx.NewSelect().Model(was).Where("c.id = ?", id).Where("c.team_id = ?", teamID)).Scan(ctx)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		return fn(tx, was)
	})
}

// UpdateClass changes a class of the team that has not begun and is not
// cancelled (ErrClassStarted, ErrClassCancelled, which come before any
// problem of the input), auditing before and after, in one transaction.
func UpdateClass(ctx context.Context, db bun.IDB, who accounts.Actor, teamID, id int64, in ClassInput, known LessonKnown, now time.Time) error {
	err := changeClass(ctx, db, teamID, id, func(tx bun.Tx, was *Class) error {
		switch {
		case was.Cancelled():
			return ErrClassCancelled
		case was.Started(now):
			return ErrClassStarted
		}
		nc, err := in.check(known, now)
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*Class)(nil)).Set("place = ?", nc.Place).Set("day = ?", nc.Day).
			Set("starts_at = ?", nc.StartsAt).Set("ends_at = ?", nc.EndsAt).Set("capacity = ?", nc.Capacity).
			Set("lessons = ?", nc.Lessons).Set("note = ?", nc.Note).Set("updated_at = ?", now.UTC()).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditClassUpdated, ObjectType: "team_class",
			ObjectID: strconv.FormatInt(id, 10), Old: was.summary(), New: nc.summary()})
	})
	if err != nil {
		return fmt.Errorf("teams.UpdateClass: %w", err)
	}
	return nil
}

// CancelClass cancels a class of the team that has not begun
// (ErrClassStarted; ErrClassCancelled when cancelled already), audited.
// The row stays, marked, so that lists and the audit log keep it.
func CancelClass(ctx context.Context, db bun.IDB, who accounts.Actor, teamID, id int64, now time.Time) error {
	err := changeClass(ctx, db, teamID, id, func(tx bun.Tx, was *Class) error {
		switch {
		case was.Cancelled():
			return ErrClassCancelled
		case was.Started(now):
			return ErrClassStarted
		}
		_, err := tx.NewUpdate().Model((*Class)(nil)).Set("cancelled_at = ?", now.UTC()).Set("updated_at = ?", now.UTC()).
			Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditClassCancelled, ObjectType: "team_class",
			ObjectID: strconv.FormatInt(id, 10), Old: was.summary()})
	})
	if err != nil {
		return fmt.Errorf("teams.CancelClass: %w", err)
	}
	return nil
}

// RecordAttendance records (or corrects) a class's attendance by age band
// and the lessons covered, audited before and after. A class not begun
// refuses (ErrClassFuture), as does a cancelled one (ErrClassCancelled)
// and one that ended more than CorrectFor ago (ErrClassLocked); these come
// before any problem of the input.
func RecordAttendance(ctx context.Context, db bun.IDB, who accounts.Actor, teamID, id int64, in AttendanceInput, known LessonKnown, now time.Time) error {
	err := changeClass(ctx, db, teamID, id, func(tx bun.Tx, was *Class) error {
		switch {
		case was.Cancelled():
			return ErrClassCancelled
		case !was.Started(now):
			return ErrClassFuture
		case !was.AttendanceOpen(now):
			return ErrClassLocked
		}
		a, err := in.check(known)
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*Class)(nil)).Set("attended_15_59 = ?", a.Attended1559).Set("attended_60 = ?", a.Attended60).
			Set("covered = ?", a.Covered).Set("held_at = ?", now.UTC()).Set("updated_at = ?", now.UTC()).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		a.HeldAt = now
		return who.Record(ctx, tx, accounts.AuditEntry{Action: AuditClassAttendance, ObjectType: "team_class",
			ObjectID: strconv.FormatInt(id, 10), Old: was.attendanceSummary(), New: a.attendanceSummary()})
	})
	if err != nil {
		return fmt.Errorf("teams.RecordAttendance: %w", err)
	}
	return nil
}

// ClassesOf returns the classes of the teams: those not yet ended, soonest
// first, and the last of those ended, latest first; cancelled ones
// included (Class.Cancelled), each with its team's name.
func ClassesOf(ctx context.Context, db bun.IDB, teamIDs []int64, now time.Time) (upcoming, past []Class, err error) {
	if len(teamIDs) == 0 {
		return nil, nil, nil
	}
	q := func(out *[]Class) *bun.SelectQuery {
		return db.NewSelect().Model(out).ColumnExpr("c.*").ColumnExpr("t.name AS team_name").
			Join("JOIN teams AS t ON t.id = c.team_id").Where("c.team_id IN (?)", bun.List(teamIDs))
	}
	if err := q(&upcoming).Where("c.ends_at > ?", now.UTC()).OrderExpr("c.starts_at, c.id").Limit(maxUpcomingListed).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("teams.ClassesOf: %w", err)
	}
	if err := q(&past).Where("c.ends_at <= ?", now.UTC()).OrderExpr("c.starts_at DESC, c.id DESC").Limit(maxPastListed).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("teams.ClassesOf: %w", err)
	}
	return upcoming, past, nil
}

// UpcomingClasses returns the classes of all teams of one unit (a commune
// or ward, by its code) that start after now and are not cancelled,
// soonest first, at most limit of them (and never more than 100), each
// with its team's name (Class.TeamName). It is what a resident may see:
// place, time, capacity, lessons, the team; the public help page calls it.
func UpcomingClasses(ctx context.Context, db bun.IDB, unitCode string, now time.Time, limit int) ([]Class, error) {
	if limit <= 0 || limit > maxUpcomingListed {
		limit = maxUpcomingListed
	}
	var out []Class
	err := db.NewSelect().Model(&out).ColumnExpr("c.*").ColumnExpr("t.name AS team_name").
		Join("JOIN teams AS t ON t.id = c.team_id").Where("t.unit_code = ?", unitCode).
		Where("c.starts_at > ?", now.UTC()).Where("c.cancelled_at IS NULL").
		OrderExpr("c.starts_at, c.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("teams.UpcomingClasses: %w", err)
	}
	return out, nil
}

// ClassTotal is what one team's classes held in a span of days add up to.
type ClassTotal struct {
	TeamID       int64 `bun:"team_id"`
	Held         int64 `bun:"held"`           // classes with attendance recorded, not cancelled
	Attended1559 int64 `bun:"attended_15_59"` // people 15–59 who attended them
	Attended60   int64 `bun:"attended_60"`    // people 60 and over
}

// ClassTotals adds up, by team, the classes of the teams held on the days
// from to to (both "YYYY-MM-DD", in Vietnam, both included): a class
// counts as held once its attendance is recorded and it is not cancelled.
// For a month, pass its first and last day. A team with no class held is
// absent from the map.
func ClassTotals(ctx context.Context, db bun.IDB, teamIDs []int64, from, to string) (map[int64]ClassTotal, error) {
	out := map[int64]ClassTotal{}
	if len(teamIDs) == 0 {
		return out, nil
	}
	var rows []ClassTotal
	err := db.NewSelect().TableExpr("team_classes AS c").
		ColumnExpr("c.team_id, COUNT(*) AS held, SUM(c.attended_15_59) AS attended_15_59, SUM(c.attended_60) AS attended_60").
		Where("c.team_id IN (?)", bun.List(teamIDs)).Where("c.day >= ?", from).Where("c.day <= ?", to).
		Where("c.held_at IS NOT NULL").Where("c.cancelled_at IS NULL").Group("c.team_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teams.ClassTotals: %w", err)
	}
	for _, r := range rows {
		out[r.TeamID] = r
	}
	return out, nil
}

// ClassTotalsSum is ClassTotals added up over the teams: classes held and
// attendance by age band, as one line of a report wants it.
func ClassTotalsSum(ctx context.Context, db bun.IDB, teamIDs []int64, from, to string) (held, attended1559, attended60 int64, err error) {
	by, err := ClassTotals(ctx, db, teamIDs, from, to)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, t := range by {
		held, attended1559, attended60 = held+t.Held, attended1559+t.Attended1559, attended60+t.Attended60
	}
	return held, attended1559, attended60, nil
}

// ClassForm is a stored class as its form shows it again.
func ClassForm(c *Class) ClassInput {
	loc := i18n.Location()
	return ClassInput{Place: c.Place, Day: c.Day, Start: c.StartsAt.In(loc).Format(clockLayout), End: c.EndsAt.In(loc).Format(clockLayout),
		Capacity: strconv.FormatInt(c.Capacity, 10), Note: c.Note, Lessons: c.LessonSlugs()}
}
