package indicators

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

func TestFollowups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ids, rep := seededReport(t, db)
		prov := accounts.Actor{UserID: 8, Email: "province@example.org", IP: "192.0.2.8"}
		commune := accounts.Actor{UserID: 7, Email: "commune@example.org", IP: "192.0.2.7"}

		// Refused, naming each field, and nothing written.
		_, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemLessonsCompleted], " ")
		wantProblems(t, err, "element", ErrFollowupElement, "question", ErrFollowupText)
		_, err = AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], strings.Repeat("ô", MaxComment+1))
		wantProblems(t, err, "question", ErrFollowupLong)
		if _, err := AskFollowup(ctx, db, prov, rep.ID+100000, ids[ElemHouseholds], "Số hộ?"); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("asking about no report: %v, want ErrNotFound", err)
		}
		wantAudit(t, db, "indicators.followup.ask", 0, prov, "", "")

		f, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], "  Số hộ giảm 40%, xin giải thích.  ")
		if err != nil {
			t.Fatal(err)
		}
		if !f.Open() || f.Question != "Số hộ giảm 40%, xin giải thích." {
			t.Errorf("follow-up %+v, want open with the question trimmed", f)
		}
		e := wantAudit(t, db, "indicators.followup.ask", 1, prov, "indicator_value", "26536/"+rep.Period+"/"+ElemHouseholds)
		if e.New != f.Question {
			t.Errorf("audited question %q, want %q", e.New, f.Question)
		}

		_, err = AnswerFollowup(ctx, db, commune, f.ID, "")
		wantProblems(t, err, "answer", ErrFollowupText)
		if _, err := AnswerFollowup(ctx, db, commune, f.ID+1000, "x"); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("answering no follow-up: %v, want ErrNotFound", err)
		}
		if _, err := AnswerFollowup(ctx, db, commune, f.ID, "Hai thôn đã sáp nhập sang xã bên."); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, db, "indicators.followup.answer", 1, commune, "indicator_value", "26536/"+rep.Period+"/"+ElemHouseholds)
		rows, err := ListFollowups(ctx, db, FollowupFilter{Units: []int64{rep.UnitID}})
		if err != nil || len(rows) != 1 || rows[0].Open() || rows[0].Answer != "Hai thôn đã sáp nhập sang xã bên." || rows[0].Period != rep.Period {
			t.Fatalf("list %+v, %v: want the answered follow-up", rows, err)
		}

		// Asking again reopens it; open ones list first; other units' none.
		if _, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemFibreHouseholds], "Cáp quang?"); err != nil {
			t.Fatal(err)
		}
		again, err := AskFollowup(ctx, db, prov, rep.ID, ids[ElemHouseholds], "Còn thôn nào khác không?")
		if err != nil || again.ID != f.ID || !again.Open() || again.Answer != "" {
			t.Fatalf("asking again: %+v, %v; want the same follow-up reopened", again, err)
		}
		rows, err = ListFollowups(ctx, db, FollowupFilter{ReportID: rep.ID})
		if err != nil || len(rows) != 2 || !rows[0].Open() || !rows[1].Open() {
			t.Fatalf("list %+v, %v", rows, err)
		}
		if rows, err := ListFollowups(ctx, db, FollowupFilter{Units: []int64{}}); err != nil || len(rows) != 0 {
			t.Errorf("no units: %+v, %v", rows, err)
		}
	})
}

// seededReport seeds the demo data and returns its element IDs by code and
// the report of a commune two months back, on which the follow-up tests
// ask and answer.
func seededReport(t *testing.T, db *bun.DB) (map[string]int64, *Report) {
	t.Helper()
	ctx := context.Background()
	seeded(t, db)
	m := MonthOf(time.Now()).Prev().Prev()
	u, err := UnitByCode(ctx, db, "26536", m.Day())
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := ReportFor(ctx, db, u.ID, m)
	if err != nil || rep.ID == 0 {
		t.Fatalf("no demo report of %s: %v", m, err)
	}
	return elementMap(t, db), rep
}
