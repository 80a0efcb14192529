package server

import (
	"context"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/teams"
)

// TestTeamSumsKept: the help log's monthly sums are read once and reused;
// an entry recorded or corrected by this instance shows at once; a write
// the instance did not make (another instance's, here straight into the
// table) shows once teamSumsFor has passed.
func TestTeamSumsKept(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ctx := context.Background()
	a, _ := twoCommunes(t, db)
	team := newTeam(t, db, a, "Tổ thôn Đông", "100")
	ts := newTestServer(t, db)
	helper := ts.newVisitor().signInAs(accounts.RoleHelper, a)
	joinTeam(t, db, team.ID, helper.ID)
	now := time.Now()
	clock := now
	recs := newTeamRecords(db, func() time.Time { return clock })
	month := now.In(time.FixedZone("ICT", 7*3600)).Format("2006-01")
	households := func() int64 {
		t.Helper()
		rows, err := recs.TeamMonths(ctx, month, month)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, r := range rows {
			n += r.Households
		}
		return n
	}
	if n := households(); n != 0 {
		t.Fatalf("households before any entry: %d", n)
	}
	v, err := teams.RecordVisit(ctx, db, accounts.UserActor(helper, ""), teams.VisitInput{Day: teams.Today(now), Kind: teams.KindVisit, Households: "7", VNeID: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	if n := households(); n != 7 {
		t.Errorf("after this instance recorded 7: %d", n)
	}
	if err := teams.CorrectVisit(ctx, db, accounts.UserActor(helper, ""), v.ID, teams.VisitInput{Day: teams.Today(now), Kind: teams.KindVisit, Households: "9", VNeID: true}, now); err != nil {
		t.Fatal(err)
	}
	if n := households(); n != 9 {
		t.Errorf("after this instance corrected it to 9: %d", n)
	}
	// Another instance's correction: the kept sums stand for teamSumsFor.
	if _, err := db.NewUpdate().Model((*teams.Visit)(nil)).Set("households = 12").Where("id = ?", v.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	clock = now.Add(teamSumsFor - time.Second)
	if n := households(); n != 9 {
		t.Errorf("within %s of reading, the sums were read again (%d): they are not kept", teamSumsFor, n)
	}
	clock = now.Add(teamSumsFor)
	if n := households(); n != 12 {
		t.Errorf("%s after reading, another instance's write does not show: %d", teamSumsFor, n)
	}
}
