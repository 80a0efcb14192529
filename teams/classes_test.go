package teams

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestClassesStore: a class is scheduled with its lessons checked against
// the catalogue and its place against personal numbers; it changes and
// cancels only before it begins; attendance waits for the start, locks 7
// days after the end, and adds up by team and day span; the public list
// shows one unit's classes to come, soonest first, never a cancelled one;
// another team reaches none of it. Every change is audited.
func TestClassesStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		sys := accounts.Actor{System: "test"}
		east := mustTeam(t, db, "26734", "Đông", "100")
		west := mustTeam(t, db, "26734", "Tây", "60")
		far := mustTeam(t, db, "26737", "Xa", "10")
		known := func(s string) bool { return s == "vneid" || s == "scam" }
		// 7 December 2026, 10:00 in Vietnam.
		now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
		in := ClassInput{Place: "Nhà văn hoá thôn Đông", Day: "2026-12-09", Start: "08:00", End: "10:30", Capacity: "30", Lessons: []string{"vneid", "scam", "vneid"}}
		c, err := ScheduleClass(ctx, db, sys, east.ID, in, known, now)
		if err != nil {
			t.Fatal(err)
		}
		if c.Day != "2026-12-09" || !c.StartsAt.Equal(time.Date(2026, 12, 9, 1, 0, 0, 0, time.UTC)) || c.EndsAt.Sub(c.StartsAt) != 150*time.Minute || c.Lessons != "vneid scam" {
			t.Errorf("the class stored: %+v", c)
		}
		if got := ClassForm(c); got.Start != "08:00" || got.End != "10:30" || got.Day != "2026-12-09" {
			t.Errorf("the class's form again: %+v", got)
		}
		// Refusals, each at its field, nothing stored.
		var ve *accounts.ValidationError
		for name, bad := range map[string]struct {
			in    ClassInput
			field string
			want  error
		}{
			"phone in place":  {ClassInput{Place: "Nhà ông Ba 0912 345 678", Day: "2026-12-09", Start: "08:00", End: "09:00", Capacity: "10", Lessons: []string{"vneid"}}, "place", ErrPersonal},
			"ID in note":      {ClassInput{Place: "Hội trường", Note: "CCCD 001203004567", Day: "2026-12-09", Start: "08:00", End: "09:00", Capacity: "10", Lessons: []string{"vneid"}}, "note", ErrPersonal},
			"past":            {ClassInput{Place: "Hội trường", Day: "2026-12-07", Start: "09:59", End: "11:00", Capacity: "10", Lessons: []string{"vneid"}}, "day", ErrClassPast},
			"end before":      {ClassInput{Place: "Hội trường", Day: "2026-12-09", Start: "09:00", End: "08:00", Capacity: "10", Lessons: []string{"vneid"}}, "end", ErrClassEnd},
			"too long":        {ClassInput{Place: "Hội trường", Day: "2026-12-09", Start: "07:00", End: "15:01", Capacity: "10", Lessons: []string{"vneid"}}, "end", ErrClassLong},
			"capacity":        {ClassInput{Place: "Hội trường", Day: "2026-12-09", Start: "07:00", End: "08:00", Capacity: "501", Lessons: []string{"vneid"}}, "capacity", ErrCapacity},
			"unknown lesson":  {ClassInput{Place: "Hội trường", Day: "2026-12-09", Start: "07:00", End: "08:00", Capacity: "5", Lessons: []string{"cooking"}}, "lessons", ErrLessonUnknown},
			"no lesson":       {ClassInput{Place: "Hội trường", Day: "2026-12-09", Start: "07:00", End: "08:00", Capacity: "5"}, "lessons", ErrLessonsNone},
			"broken text":     {ClassInput{Place: "Hội \xff trường", Day: "2026-12-09", Start: "07:00", End: "08:00", Capacity: "5", Lessons: []string{"scam"}}, "place", ErrInvisible},
			"a year and more": {ClassInput{Place: "Hội trường", Day: "2027-12-09", Start: "07:00", End: "08:00", Capacity: "5", Lessons: []string{"scam"}}, "day", ErrClassFar},
		} {
			_, err := ScheduleClass(ctx, db, sys, east.ID, bad.in, known, now)
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != bad.field || !errors.Is(ve.Problems[0].Err, bad.want) {
				t.Errorf("%s: %v, want %v at %s", name, err, bad.want, bad.field)
			}
		}
		if n, _ := db.NewSelect().Model((*Class)(nil)).Count(ctx); n != 1 {
			t.Errorf("refused classes stored: %d rows, want 1", n)
		}
		// Another team (of the same commune) reaches none of it.
		if _, err := TeamClass(ctx, db, []int64{west.ID}, c.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another team reads the class: %v", err)
		}
		in.Capacity = "40"
		if err := UpdateClass(ctx, db, sys, west.ID, c.ID, in, known, now); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another team edits the class: %v", err)
		}
		if err := CancelClass(ctx, db, sys, far.ID, c.ID, now); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another commune's team cancels the class: %v", err)
		}
		if err := UpdateClass(ctx, db, sys, east.ID, c.ID, in, known, now); err != nil {
			t.Fatal(err)
		}
		// Attendance waits for the start.
		att := AttendanceInput{People1559: "12", People60: "9", Covered: []string{"scam"}}
		if err := RecordAttendance(ctx, db, sys, east.ID, c.ID, att, known, now); !errors.Is(err, ErrClassFuture) {
			t.Errorf("attendance of a class to come: %v, want ErrClassFuture", err)
		}
		if err := RecordAttendance(ctx, db, sys, east.ID, c.ID, AttendanceInput{People1559: "501", People60: "0"}, known, c.StartsAt); !errors.As(err, &ve) || len(ve.Problems) != 2 {
			t.Errorf("attendance out of bounds and no lesson: %v", err)
		}
		if err := RecordAttendance(ctx, db, sys, east.ID, c.ID, AttendanceInput{People1559: "0", People60: "", Covered: []string{"scam"}}, known, c.StartsAt); !errors.As(err, &ve) || !errors.Is(ve.Problems[0].Err, ErrNobodyCame) {
			t.Errorf("attendance of nobody: %v", err)
		}
		during := c.StartsAt.Add(time.Hour)
		if err := UpdateClass(ctx, db, sys, east.ID, c.ID, in, known, during); !errors.Is(err, ErrClassStarted) {
			t.Errorf("an edit once begun: %v, want ErrClassStarted", err)
		}
		if err := CancelClass(ctx, db, sys, east.ID, c.ID, during); !errors.Is(err, ErrClassStarted) {
			t.Errorf("a cancellation once begun: %v, want ErrClassStarted", err)
		}
		if err := RecordAttendance(ctx, db, sys, east.ID, c.ID, att, known, during); err != nil {
			t.Fatal(err)
		}
		att.People60 = "10"
		if err := RecordAttendance(ctx, db, sys, east.ID, c.ID, att, known, c.EndsAt.Add(CorrectFor-time.Minute)); err != nil {
			t.Errorf("a correction within 7 days of the end: %v", err)
		}
		if err := RecordAttendance(ctx, db, sys, east.ID, c.ID, att, known, c.EndsAt.Add(CorrectFor+time.Minute)); !errors.Is(err, ErrClassLocked) {
			t.Errorf("a correction after 7 days: %v, want ErrClassLocked", err)
		}
		got, err := TeamClass(ctx, db, []int64{east.ID}, c.ID)
		if err != nil || !got.Held() || got.Attended1559 != 12 || got.Attended60 != 10 || got.Covered != "scam" || got.Capacity != 40 {
			t.Errorf("the class after attendance: %+v %v", got, err)
		}
		// Upcoming: a cancelled class and another commune's are not shown.
		in.Day, in.Capacity = "2026-12-20", "15"
		later, err := ScheduleClass(ctx, db, sys, west.ID, in, known, now)
		if err != nil {
			t.Fatal(err)
		}
		in.Day = "2026-12-15"
		gone, err := ScheduleClass(ctx, db, sys, west.ID, in, known, now)
		if err != nil {
			t.Fatal(err)
		}
		in.Day = "2026-12-18"
		if _, err := ScheduleClass(ctx, db, sys, far.ID, in, known, now); err != nil {
			t.Fatal(err)
		}
		if err := CancelClass(ctx, db, sys, west.ID, gone.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := CancelClass(ctx, db, sys, west.ID, gone.ID, now); !errors.Is(err, ErrClassCancelled) {
			t.Errorf("cancelling twice: %v", err)
		}
		if err := RecordAttendance(ctx, db, sys, west.ID, gone.ID, att, known, gone.EndsAt); !errors.Is(err, ErrClassCancelled) {
			t.Errorf("attendance of a cancelled class: %v", err)
		}
		up, err := UpcomingClasses(ctx, db, "26734", now, 10)
		if err != nil || len(up) != 2 || up[0].ID != c.ID || up[1].ID != later.ID || up[1].TeamName != "Tây" {
			t.Errorf("upcoming in the commune: %+v %v", up, err)
		}
		if up, _ := UpcomingClasses(ctx, db, "26734", c.StartsAt, 10); len(up) != 1 || up[0].ID != later.ID {
			t.Errorf("upcoming once the first began: %+v", up)
		}
		upcoming, past, err := ClassesOf(ctx, db, []int64{east.ID, west.ID}, c.EndsAt)
		if err != nil || len(upcoming) != 2 || upcoming[0].ID != gone.ID || !upcoming[0].Cancelled() || len(past) != 1 || past[0].TeamName != "Đông" {
			t.Errorf("the commune's classes after the first: %+v %+v %v", upcoming, past, err)
		}
		// Totals: held classes of the span only.
		by, err := ClassTotals(ctx, db, []int64{east.ID, west.ID, far.ID}, "2026-12-01", "2026-12-31")
		if err != nil || len(by) != 1 || by[east.ID].Held != 1 || by[east.ID].Attended1559 != 12 || by[east.ID].Attended60 != 10 {
			t.Errorf("December's totals: %+v %v", by, err)
		}
		held, young, old, err := ClassTotalsSum(ctx, db, []int64{east.ID}, "2026-12-10", "2026-12-31")
		if err != nil || held != 0 || young != 0 || old != 0 {
			t.Errorf("totals of days after the class: %d %d %d %v", held, young, old, err)
		}
		if held, young, old, _ := ClassTotalsSum(ctx, db, []int64{east.ID, west.ID}, "2026-12-09", "2026-12-09"); held != 1 || young != 12 || old != 10 {
			t.Errorf("totals of the class's day: %d %d %d", held, young, old)
		}
		for act, want := range map[string]int64{AuditClassScheduled: 4, AuditClassUpdated: 1, AuditClassCancelled: 1, AuditClassAttendance: 2} {
			if n, err := db.NewSelect().Table("audit_log").Where("action = ?", act).Count(ctx); err != nil || n != want {
				t.Errorf("audit %s: %d, want %d (%v)", act, n, want, err)
			}
		}
	})
}

// TestClassesLimitConcurrent, on both databases: a team one class short
// of MaxUpcomingClasses gets 20 classes scheduled at once (20 helpers
// pressing the button together); exactly one is stored, the others are
// refused with ErrTooManyClasses. On PostgreSQL the count and the insert
// once ran in parallel transactions that each saw room for one more.
func TestClassesLimitConcurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		sys := accounts.Actor{System: "test"}
		team := mustTeam(t, db, "26734", "Đông", "100")
		known := func(s string) bool { return s == "vneid" }
		now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
		in := ClassInput{Place: "Nhà văn hoá", Day: "2026-12-09", Start: "08:00", End: "09:00", Capacity: "30", Lessons: []string{"vneid"}}
		for range MaxUpcomingClasses - 1 {
			if _, err := ScheduleClass(ctx, db, sys, team.ID, in, known, now); err != nil {
				t.Fatal(err)
			}
		}
		const racers = 20
		errs := make(chan error, racers)
		start := make(chan struct{})
		for range racers {
			go func() {
				<-start
				_, err := ScheduleClass(ctx, db, sys, team.ID, in, known, now)
				errs <- err
			}()
		}
		close(start)
		stored := 0
		for range racers {
			switch err := <-errs; {
			case err == nil:
				stored++
			case !errors.Is(err, ErrTooManyClasses):
				t.Errorf("a racing schedule: %v, want ErrTooManyClasses or success", err)
			}
		}
		n, err := db.NewSelect().Model((*Class)(nil)).Where("team_id = ?", team.ID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stored != 1 || n != MaxUpcomingClasses {
			t.Errorf("20 at once with room for one: %d stored, %d classes in all, want 1 and %d", stored, n, MaxUpcomingClasses)
		}
	})
}
